"""Name material for the labelled test set.

Russian, Uzbek and Azerbaijani names come from Faker's ``ru_RU``, ``uz_UZ`` and ``az_AZ``
person providers. Faker has no Tajik, Kazakh, Kyrgyz or Turkmen locale, so short hand-written
lists of common names in those languages follow (given names and surname stems; surnames are
built with the usual endings).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Pool:
    lang: str  # "ru", "tj", "uz", "kz", "kg", "tm", "az"
    script: str  # script of the canonical forms: "cyr" or "lat"
    male: tuple[str, ...]
    female: tuple[str, ...]
    surnames_male: tuple[str, ...]
    surnames_female: tuple[str, ...]
    nationality: str


def _faker_person(locale: str) -> object | None:
    try:
        return importlib.import_module(f"faker.providers.person.{locale}").Provider
    except ImportError:
        return None


TAJIK_MALE = [
    "Юсуф",
    "Абдулло",
    "Фаррух",
    "Далер",
    "Шерзод",
    "Рустам",
    "Комрон",
    "Ҷамшед",
    "Фирдавс",
    "Бахтиёр",
    "Манучеҳр",
    "Сино",
    "Исмоил",
    "Умед",
    "Хуршед",
    "Парвиз",
    "Искандар",
    "Сафар",
    "Наврӯз",
    "Ҳусейн",
    "Раҳмон",
    "Маҳмуд",
    "Зафар",
    "Ғафур",
    "Қодир",
    "Аслиддин",
    "Нуриддин",
    "Сорбон",
    "Шоҳрух",
    "Беҳруз",
    "Абдураҳим",
    "Ғайрат",
    "Шуҳрат",
    "Файзулло",
    "Ҳабибулло",
    "Неъмат",
    "Ӯктам",
    "Ҷурабек",
    "Саидмурод",
    "Ҳамза",
]
TAJIK_FEMALE = [
    "Мадина",
    "Зарина",
    "Нигина",
    "Шаҳноза",
    "Мижгона",
    "Фотима",
    "Сабрина",
    "Дилноза",
    "Гулноза",
    "Парвина",
    "Малика",
    "Тахмина",
    "Ширин",
    "Сурайё",
    "Ҳанифа",
    "Манижа",
    "Нилуфар",
    "Садбарг",
    "Мавҷуда",
    "Рухшона",
    "Ситора",
    "Гулчеҳра",
    "Зулфия",
    "Шабнам",
]
TAJIK_STEMS = [
    "Курбон",
    "Раҳмон",
    "Саид",
    "Шариф",
    "Назар",
    "Ҳасан",
    "Каримов",
    "Азиз",
    "Сафар",
    "Қодир",
    "Ғафур",
    "Умар",
    "Наҷмиддин",
    "Ҷӯра",
    "Давлат",
    "Зокир",
    "Иброҳим",
    "Исмоил",
    "Мирзо",
    "Файзулло",
    "Ҳайдар",
    "Раҷаб",
    "Раҳим",
    "Собир",
    "Султон",
    "Тоҷиддин",
    "Хол",
    "Шамсиддин",
    "Эмомали",
    "Юсуф",
    "Бобо",
    "Ашур",
    "Олим",
    "Нур",
    "Ҷалол",
    "Ҳамид",
    "Неъмат",
    "Одина",
    "Пулод",
]
KAZAKH_MALE = [
    "Нұрсұлтан",
    "Әлібек",
    "Ерлан",
    "Бауыржан",
    "Жандос",
    "Қайрат",
    "Нұрлан",
    "Серік",
    "Дәурен",
    "Асқар",
    "Арман",
    "Ержан",
    "Мұрат",
    "Ғалымжан",
    "Жанболат",
    "Бақытжан",
    "Темірлан",
    "Айдос",
    "Ақжол",
    "Елдос",
    "Әділет",
    "Сұлтан",
    "Марат",
    "Төлеген",
    "Өмірзақ",
    "Ербол",
    "Самат",
    "Дархан",
    "Мирас",
    "Аян",
]
KAZAKH_FEMALE = [
    "Айгерім",
    "Әсел",
    "Гүлнар",
    "Жанар",
    "Мәдина",
    "Дана",
    "Ақерке",
    "Балжан",
    "Гүлмира",
    "Динара",
    "Қарлығаш",
    "Сәуле",
    "Айжан",
    "Салтанат",
    "Әйгерім",
    "Назерке",
    "Жұлдыз",
    "Ләззат",
    "Маржан",
    "Толқын",
]
KAZAKH_STEMS = [
    "Нұрлан",
    "Сәрсенбай",
    "Жақып",
    "Әбдірахман",
    "Қасым",
    "Бейсен",
    "Төлеу",
    "Жұмабай",
    "Өтеген",
    "Сейіт",
    "Құдайберген",
    "Әміржан",
    "Ермек",
    "Байжан",
    "Шәкен",
    "Оспан",
    "Қали",
    "Мұхамед",
    "Ахмет",
    "Тұрсын",
    "Есен",
    "Жанұзақ",
    "Әлі",
    "Ибраһим",
]
KYRGYZ_MALE = [
    "Бакыт",
    "Нурлан",
    "Азамат",
    "Эрлан",
    "Чынгыз",
    "Улан",
    "Айбек",
    "Мирлан",
    "Талант",
    "Бекжан",
    "Элдар",
    "Жоомарт",
    "Кубанычбек",
    "Нурбек",
    "Алмазбек",
    "Асылбек",
    "Медер",
    "Эмил",
    "Темир",
    "Үмөт",
    "Өмүрбек",
    "Сүйүнбай",
    "Нуржигит",
    "Канат",
]
KYRGYZ_FEMALE = [
    "Айгерим",
    "Айпери",
    "Нургүл",
    "Гүлзат",
    "Жылдыз",
    "Айзада",
    "Бегимай",
    "Чолпон",
    "Динара",
    "Мээрим",
    "Элнура",
    "Айсулуу",
    "Асел",
    "Назира",
    "Гүлмира",
    "Сезим",
]
KYRGYZ_STEMS = [
    "Асан",
    "Сыдык",
    "Токтогул",
    "Жээнбек",
    "Мамбет",
    "Алымкул",
    "Бекболот",
    "Осмон",
    "Сатыбалды",
    "Абдыкалык",
    "Кыдыр",
    "Түгөлбай",
    "Эшим",
    "Орозбек",
    "Маматкул",
    "Жусуп",
    "Акмат",
    "Бообек",
    "Үсөн",
    "Жумабек",
]
TURKMEN_MALE = [
    "Serdar",
    "Merdan",
    "Batyr",
    "Döwlet",
    "Rahym",
    "Aýdogdy",
    "Myrat",
    "Nurmuhammet",
    "Berdimuhamet",
    "Ata",
    "Guwanç",
    "Maksat",
    "Serdar",
    "Şatlyk",
    "Bayram",
    "Ýusup",
    "Ahmet",
    "Dowran",
    "Geldi",
    "Begenç",
    "Atamyrat",
    "Täçmyrat",
    "Öwez",
]
TURKMEN_FEMALE = [
    "Aýgül",
    "Bahar",
    "Maral",
    "Gülälek",
    "Jemal",
    "Ogulgerek",
    "Aýna",
    "Leýli",
    "Mähri",
    "Gülşat",
    "Selbi",
    "Enejan",
]
TURKMEN_STEMS = [
    "Berdimuhamed",
    "Nazar",
    "Ata",
    "Gurban",
    "Annaberdi",
    "Orazmuhammed",
    "Hojamyrat",
    "Çaryýar",
    "Saparmyrat",
    "Kakaly",
    "Rejep",
    "Meret",
    "Durdy",
    "Ýazmyrat",
    "Bäşim",
    "Orazgeldi",
    "Myrat",
    "Gulam",
    "Atajan",
    "Garly",
]


def _surnames(stems: list[str], lang: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    male: list[str] = []
    female: list[str] = []
    for stem in stems:
        if stem.endswith(("ов", "ев")):
            male.append(stem)
            female.append(stem + "а")
            continue
        cyr = any("а" <= c.lower() <= "я" or c in "ҚқҒғҲҳҶҷӢӣӮӯӘәӨөҮүҰұҢңІі" for c in stem)
        vowel_end = stem[-1].lower() in "аоуиыеэяёюaoueiyäöüý"
        if cyr:
            suffix = "ев" if vowel_end and stem[-1].lower() in "иуюеэ" else "ов"
            if stem.endswith(("о", "а")) and lang == "tj":
                male.append(stem + "ев")
                female.append(stem + "ева")
                continue
            male.append(stem + suffix)
            female.append(stem + suffix + "а")
            if lang == "tj":
                male.append(stem + "зода")
                female.append(stem + "зода")
        else:
            suffix = "ýew" if vowel_end else "ow"
            male.append(stem + suffix)
            female.append(stem + suffix + "a")
    return tuple(dict.fromkeys(male)), tuple(dict.fromkeys(female))


def pools() -> list[Pool]:
    out: list[Pool] = []
    ru = _faker_person("ru_RU")
    if ru is not None:
        out.append(Pool("ru", "cyr", tuple(ru.first_names_male), tuple(ru.first_names_female),
                        tuple(ru.last_names_male), tuple(ru.last_names_female), "RUS"))  # fmt: skip
    uz = _faker_person("uz_UZ")
    if uz is not None:
        out.append(Pool("uz", "lat", tuple(uz.first_names_male), tuple(uz.first_names_female),
                        tuple(uz.last_names_male), tuple(uz.last_names_female), "UZB"))  # fmt: skip
    az = _faker_person("az_AZ")
    if az is not None:
        out.append(Pool("az", "lat", tuple(az.first_names_male), tuple(az.first_names_female),
                        tuple(az.last_names_male), tuple(az.last_names_female), "AZE"))  # fmt: skip
    for lang, male, female, stems, nat in (
        ("tj", TAJIK_MALE, TAJIK_FEMALE, TAJIK_STEMS, "TJK"),
        ("kz", KAZAKH_MALE, KAZAKH_FEMALE, KAZAKH_STEMS, "KAZ"),
        ("kg", KYRGYZ_MALE, KYRGYZ_FEMALE, KYRGYZ_STEMS, "KGZ"),
    ):
        sm, sf = _surnames(stems + male[:10], lang)
        out.append(Pool(lang, "cyr", tuple(male), tuple(female), sm, sf, nat))
    sm, sf = _surnames(TURKMEN_STEMS, "tm")
    out.append(Pool("tm", "lat", tuple(TURKMEN_MALE), tuple(TURKMEN_FEMALE), sm, sf, "TKM"))
    return out
