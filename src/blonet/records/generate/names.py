"""Name material of the synthetic register: people of the region, written as officers write them.

Scripts follow the nationality: Tajik, Kazakh, Kyrgyz and Russian names in Cyrillic, Uzbek and
Turkmen names in Latin, Afghan names in Latin (as in their passports). An Uzbek recorded at a post
outside Uzbekistan is sometimes written in Uzbek Cyrillic, as officers there do.

Faker 40 ships person providers for ``ru_RU``, ``uz_UZ`` and ``az_AZ`` only (no ``kk_KZ``,
``ky_KG``, ``tg_TJ`` or ``tk_TM``), and its ``uz_UZ`` lists are recent baby names with surnames
derived mechanically; so the lists below are our own, of common adult names. The Tajik, Kazakh,
Kyrgyz and Turkmen given names are a selection of those in ``bench/screening/namedata.py``.
Owning the lists keeps the generator deterministic whatever Faker version is installed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


def _w(text: str) -> tuple[str, ...]:
    return tuple(text.split())


TJ_MALE = _w(
    "Юсуф Абдулло Фаррух Далер Шерзод Рустам Комрон Ҷамшед Фирдавс Бахтиёр Манучеҳр Исмоил "
    "Умед Хуршед Парвиз Искандар Сафар Наврӯз Ҳусейн Раҳмон Маҳмуд Зафар Ғафур Қодир Аслиддин "
    "Нуриддин Сорбон Шоҳрух Беҳруз Абдураҳим Шуҳрат Файзулло Ҳабибулло Неъмат Ӯктам Саидмурод"
)
TJ_FEMALE = _w(
    "Мадина Зарина Нигина Шаҳноза Мижгона Фотима Дилноза Гулноза Парвина Малика Тахмина Ширин "
    "Сурайё Манижа Нилуфар Мавҷуда Рухшона Ситора Гулчеҳра Зулфия"
)
TJ_STEMS = _w(
    "Курбон Раҳмон Саид Шариф Назар Ҳасан Карим Азиз Сафар Қодир Ғафур Умар Наҷмиддин Давлат "
    "Зокир Иброҳим Исмоил Мирзо Ҳайдар Раҷаб Раҳим Собир Султон Шамсиддин Юсуф Ашур Олим Ҷалол "
    "Ҳамид Пулод Назри Один Шоев Холов Бобоҷон"
)
KZ_MALE = _w(
    "Нұрсұлтан Әлібек Ерлан Бауыржан Жандос Қайрат Нұрлан Серік Дәурен Асқар Арман Ержан Мұрат "
    "Ғалымжан Жанболат Бақытжан Темірлан Айдос Елдос Әділет Сұлтан Марат Төлеген Ербол Самат "
    "Дархан Мирас"
)
KZ_FEMALE = _w(
    "Айгерім Әсел Гүлнар Жанар Мәдина Дана Ақерке Балжан Гүлмира Динара Қарлығаш Сәуле Айжан "
    "Салтанат Назерке Жұлдыз Ләззат Маржан"
)
KZ_SURNAMES = _w(
    "Нұрланов Сәрсенбаев Жақыпов Әбдірахманов Қасымов Бейсенов Төлеуов Жұмабаев Өтегенов "
    "Сейітов Құдайбергенов Ермеков Байжанов Оспанов Қалиев Ахметов Тұрсынов Есенов Серікбаев "
    "Омаров Исаев Мұхамедов Жанұзақов Қожахметов Сүлейменов"
)
KG_MALE = _w(
    "Бакыт Нурлан Азамат Эрлан Чынгыз Улан Айбек Мирлан Талант Бекжан Элдар Жоомарт Кубанычбек "
    "Нурбек Алмазбек Асылбек Медер Эмил Темир Үмөт Өмүрбек Нуржигит Канат Азат"
)
KG_FEMALE = _w(
    "Айгерим Айпери Нургүл Гүлзат Жылдыз Айзада Бегимай Чолпон Динара Мээрим Элнура Айсулуу "
    "Асел Назира Гүлмира Сезим"
)
KG_SURNAMES = _w(
    "Асанов Сыдыков Токтогулов Жээнбеков Мамбетов Алымкулов Бекболотов Осмонов Сатыбалдиев "
    "Абдыкалыков Кыдыров Түгөлбаев Эшимов Орозбеков Маматкулов Жусупов Акматов Бообеков Үсөнов "
    "Жумабеков Токтосунов Абдрахманов Турдубаев"
)
RU_MALE = _w(
    "Александр Сергей Андрей Дмитрий Алексей Николай Игорь Евгений Владимир Виктор Олег Павел "
    "Максим Роман Денис Артём Михаил Иван Юрий Вадим Константин Антон Геннадий Станислав"
)
RU_FEMALE = _w(
    "Елена Ольга Наталья Татьяна Ирина Светлана Анна Марина Юлия Екатерина Оксана Людмила "
    "Галина Валентина Виктория"
)
RU_PATRONYMICS = _w(
    "Александрович Сергеевич Андреевич Дмитриевич Алексеевич Николаевич Игоревич Евгеньевич "
    "Владимирович Викторович Олегович Павлович Михайлович Иванович Юрьевич Петрович Васильевич "
    "Анатольевич Геннадьевич Борисович Валерьевич Григорьевич"
)
RU_SURNAMES = _w(
    "Смирнов Иванов Кузнецов Попов Соколов Лебедев Козлов Новиков Морозов Петров Волков "
    "Соловьёв Васильев Зайцев Павлов Семёнов Голубев Виноградов Богданов Воробьёв Фёдоров "
    "Михайлов Беляев Тарасов Белов Комаров Орлов Киселёв Макаров Андреев Ковалёв Ильин Гусев "
    "Титов Кузьмин Баранов Куликов Алексеев Степанов Яковлев Сорокин Сергеев Романов Захаров "
    "Борисов Королёв Медведев Ершов Никитин Жуков"
)
UZ_MALE = _w(
    "Jasur Sherzod Dilshod Bahodir Rustam Anvar Otabek Akmal Shavkat Ulugʻbek Farrux Sanjar "
    "Bekzod Botir Nodir Rahim Jamshid Sardor Doniyor Abdulla Yusuf Murod Ilhom Oybek Shuhrat "
    "Alisher Gʻayrat Xurshid Zafar Qodir Javlon Elyor Nurbek Oʻtkir Temur Abdulaziz"
)
UZ_FEMALE = _w(
    "Dilnoza Gulnora Nilufar Malika Feruza Shahnoza Madina Zulfiya Nodira Dilfuza Kamola Sevara "
    "Munisa Mohira Gulchehra Iroda Nargiza Barno"
)
UZ_SURNAMES = _w(
    "Qurbonov Karimov Toshmatov Ergashev Yusupov Xolmatov Rahimov Nazarov Abdullayev Mirzayev "
    "Tursunov Saidov Sobirov Gʻafurov Qodirov Xasanov Umarov Yoʻldoshev Isroilov Normatov "
    "Joʻrayev Boboyev Sultonov Hamidov Aliyev Raxmonov Ismoilov Qosimov Ortiqov Shodiyev "
    "Usmonov Haydarov Mahmudov Latipov Eshmatov Boltayev"
)
UZ_FATHERS = _w(
    "Abdullo Karim Toshmat Ergash Yusuf Xolmat Rahim Nazar Mirza Tursun Said Sobir Gʻafur Qodir "
    "Hasan Umar Ismoil Normat Joʻra Bobo Sulton Hamid Ali Qosim Ortiq Usmon Haydar Mahmud Eshmat"
)
TM_MALE = _w(
    "Serdar Merdan Batyr Döwlet Rahym Aýdogdy Myrat Nurmuhammet Ata Guwanç Maksat Şatlyk Baýram "
    "Ýusup Ahmet Dowran Geldi Begenç Atamyrat Täçmyrat Öwez"
)
TM_FEMALE = _w("Aýgül Bahar Maral Gülälek Jemal Ogulgerek Aýna Leýli Mähri Gülşat Selbi Enejan")
TM_SURNAMES = _w(
    "Nazarow Atayew Gurbanow Annaberdiýew Orazmuhammedow Hojamyradow Çaryýarow Saparmyradow "
    "Kakalyýew Rejepow Meredow Durdyýew Ýazmyradow Bäşimow Orazgeldiýew Myradow Gulamow "
    "Atajanow Garlyýew Öwezow"
)
TM_FATHERS = _w("Myrat Nazar Ata Gurban Rejep Meret Durdy Orazgeldi Annaberdi Hojamyrat Öwez Geldi")
AF_MALE = _w(
    "Mohammad Ahmad Abdul Gul Noor Wali Zabiullah Hamid Rahmatullah Naqibullah Habibullah "
    "Sayed Mirwais Shafiq Ajmal Nasir Qadir Samiullah Jawad Farid Khalid Najib"
)
AF_SECOND = _w(
    "Rahman Karim Wahid Nabi Jan Agha Rasul Hakim Qayum Ghani Zaman Haq Basir Shah Khan Aziz"
)
AF_FEMALE = _w("Fatima Zarghona Mariam Shabnam Nadia Farzana Parwana Roya Soraya Malalai")
AF_FAMILIES = _w(
    "Ahmadzai Noorzai Popalzai Barakzai Alizai Achakzai Sultani Hakimi Rahimi Karimi Safi Amiri "
    "Mohammadi Hashimi Stanikzai Kakar Sadat Azizi Haidari Wardak Niazi Ghaznawi"
)

# Uzbek Latin -> Uzbek Cyrillic, longest spellings first (for Uzbeks recorded outside Uzbekistan).
_UZ_DIGRAPHS = (
    ("oʻ", "ў"), ("gʻ", "ғ"), ("sh", "ш"), ("ch", "ч"), ("ya", "я"), ("yo", "ё"), ("yu", "ю"),
    ("ye", "е"),
)  # fmt: skip
_UZ_LETTERS = dict(zip("abdefghijklmnopqrstuvxyzʼ", "абдефгҳижклмнопқрстувхйзъ", strict=True))


def uz_to_cyrillic(text: str) -> str:
    """Uzbek Latin in Uzbek Cyrillic (``Qurbonov`` -> ``Қурбонов``, ``oʻgʻli`` -> ``ўғли``)."""
    out: list[str] = []
    for word in text.split(" "):
        lower = word.lower()
        res: list[str] = []
        i = 0
        while i < len(lower):
            for lat, cyr in _UZ_DIGRAPHS:
                if lower.startswith(lat, i):
                    res.append(cyr)
                    i += len(lat)
                    break
            else:
                ch = lower[i]
                res.append("э" if ch == "e" and i == 0 else _UZ_LETTERS.get(ch, ch))
                i += 1
        cyr_word = "".join(res)
        out.append(cyr_word[:1].upper() + cyr_word[1:] if word[:1].isupper() else cyr_word)
    return " ".join(out)


def _ru_patronymic(father: str, female: bool) -> str:
    """Russian-style patronymic of a father's name (``Абдулло`` -> ``Абдуллоевич``)."""
    if father.endswith("й"):
        stem, male_end, fem_end = father[:-1], "евич", "евна"
    elif father[-1] in "аоуиыеэяёюӯӣжшщчц":
        stem, male_end, fem_end = father, "евич", "евна"
    else:
        stem, male_end, fem_end = father, "ович", "овна"
    return stem + (fem_end if female else male_end)


def _feminine(surname: str, script: str) -> str:
    if script == "tm":
        return surname + "a"
    if surname.endswith(("ов", "ев", "ёв", "ин", "ov", "ev")):
        return surname + "а" if script == "cyr" else surname + "a"
    return surname


@dataclass(frozen=True)
class PersonName:
    full_name: str
    family_name: str
    given_names: str
    patronymic: str
    gender: str  # "M" or "F"
    nationality: str  # ISO alpha-2


def _father(rng: random.Random, males: tuple[str, ...]) -> str:
    return rng.choice(males)


def person_name(rng: random.Random, nationality: str, *, uz_cyrillic: bool = False) -> PersonName:
    """A name of someone of `nationality` (KZ, KG, TJ, TM, UZ, RU, AF), family name first."""
    female = rng.random() < 0.12  # couriers and drivers are mostly men
    gender = "F" if female else "M"
    nat = nationality if nationality in _BUILDERS else "RU"
    family, given, patronymic = _BUILDERS[nat](rng, female)
    if nat == "UZ" and uz_cyrillic:
        family, given, patronymic = (uz_to_cyrillic(x) for x in (family, given, patronymic))
    full = " ".join(x for x in (family, given, patronymic) if x)
    return PersonName(full, family, given, patronymic, gender, nat)


def _tj(rng: random.Random, female: bool) -> tuple[str, str, str]:
    stem = rng.choice(TJ_STEMS)
    if stem.endswith(("ов", "ев")):
        family = stem
    elif rng.random() < 0.25:
        family = stem + "зода"  # the Tajik form since 2007; the same for men and women
        return family, rng.choice(TJ_FEMALE if female else TJ_MALE), _tj_father(rng, female)
    else:
        family = stem + ("ев" if stem[-1] in "оиу" else "ов")
    family = _feminine(family, "cyr") if female else family
    return family, rng.choice(TJ_FEMALE if female else TJ_MALE), _tj_father(rng, female)


def _tj_father(rng: random.Random, female: bool) -> str:
    return _ru_patronymic(_father(rng, TJ_MALE), female)


def _kz(rng: random.Random, female: bool) -> tuple[str, str, str]:
    family = rng.choice(KZ_SURNAMES)
    family = _feminine(family, "cyr") if female else family
    father = _father(rng, KZ_MALE)
    if rng.random() < 0.4:  # the Kazakh form: Серікұлы / Серікқызы
        patronymic = father + ("қызы" if female else "ұлы")
    else:
        patronymic = _ru_patronymic(father, female)
    return family, rng.choice(KZ_FEMALE if female else KZ_MALE), patronymic


def _kg(rng: random.Random, female: bool) -> tuple[str, str, str]:
    father = _father(rng, KG_MALE)
    given = rng.choice(KG_FEMALE if female else KG_MALE)
    if rng.random() < 0.2:  # the Kyrgyz form: Нурлан уулу Бакыт
        return f"{father} {'кызы' if female else 'уулу'}", given, ""
    family = rng.choice(KG_SURNAMES)
    family = _feminine(family, "cyr") if female else family
    return family, given, _ru_patronymic(father, female)


def _ru(rng: random.Random, female: bool) -> tuple[str, str, str]:
    family = rng.choice(RU_SURNAMES)
    family = _feminine(family, "cyr") if female else family
    patronymic = rng.choice(RU_PATRONYMICS)
    patronymic = patronymic[:-3] + "вна" if female else patronymic
    return family, rng.choice(RU_FEMALE if female else RU_MALE), patronymic


def _uz(rng: random.Random, female: bool) -> tuple[str, str, str]:
    family = rng.choice(UZ_SURNAMES)
    family = _feminine(family, "lat") if female else family
    father = rng.choice(UZ_FATHERS)
    return (
        family,
        rng.choice(UZ_FEMALE if female else UZ_MALE),
        (f"{father} {'qizi' if female else 'oʻgʻli'}"),
    )


def _tm(rng: random.Random, female: bool) -> tuple[str, str, str]:
    family = rng.choice(TM_SURNAMES)
    family = _feminine(family, "tm") if female else family
    father = rng.choice(TM_FATHERS)
    vowels = [ch for ch in father.lower() if ch in "aeiouyäöüý"]
    if father[-1].lower() in "aeiouyäöüý":
        end = "ýewna" if female else "ýewiç"
    elif vowels and vowels[-1] in "eiäöüý":
        end = "ewna" if female else "ewiç"
    else:
        end = "owna" if female else "owiç"
    patronymic = father + end
    return family, rng.choice(TM_FEMALE if female else TM_MALE), patronymic


def _af(rng: random.Random, female: bool) -> tuple[str, str, str]:
    family = rng.choice(AF_FAMILIES)
    if female:
        return family, rng.choice(AF_FEMALE), ""
    given = rng.choice(AF_MALE)
    if given in {"Abdul", "Gul", "Noor", "Sayed", "Mohammad", "Ahmad"} or rng.random() < 0.3:
        given = f"{given} {rng.choice(AF_SECOND)}"
    return family, given, ""


_BUILDERS = {"TJ": _tj, "KZ": _kz, "KG": _kg, "RU": _ru, "UZ": _uz, "TM": _tm, "AF": _af}
NATIONALITIES = tuple(_BUILDERS)
