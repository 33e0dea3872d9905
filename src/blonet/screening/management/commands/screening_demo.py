"""Demo watchlists (idempotent): a regional person list at CARICC with a few hundred Central
Asian names in Cyrillic and Latin, and small vehicle, container and organisation lists of the
Uzbek situation centre. Prints the MRZ of a listed person written in Tajik Cyrillic."""

from __future__ import annotations

import json
import random
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from blonet.screening.matching import make_subject
from blonet.screening.matching.containers import container_check_digit
from blonet.screening.matching.mrz import check_digit
from blonet.screening.models import Watchlist
from blonet.screening.services import entries_import, watchlist_create

CARICC = "kz-caricc-rc"
UZ_SC = "uz-situation-centre-placeholder-sc"
SEED = 2026
PERSONS = 320

# (Cyrillic, Latin) family names and given names, by language; female forms add -а / -a.
SURNAMES = {
    "TJ": [("Рахимов", "Rahimov"), ("Назаров", "Nazarov"), ("Сафаров", "Safarov"),
           ("Шарипов", "Sharipov"), ("Давлатов", "Davlatov"), ("Саидов", "Saidov"),
           ("Ҳасанов", "Hasanov"), ("Исмоилов", "Ismoilov"), ("Муродов", "Murodov"),
           ("Қодиров", "Qodirov"), ("Раҳмонзода", "Rahmonzoda"), ("Курбонов", "Qurbonov")],
    "UZ": [("Тошматов", "Toshmatov"), ("Йўлдошев", "Yoʻldoshev"), ("Каримов", "Karimov"),
           ("Холматов", "Xolmatov"), ("Эргашев", "Ergashev"), ("Абдуллаев", "Abdullayev"),
           ("Мирзаев", "Mirzayev"), ("Усмонов", "Usmonov"), ("Жўраев", "Joʻrayev")],
    "KZ": [("Нұрланов", "Nurlanov"), ("Серікбаев", "Serikbayev"), ("Оспанов", "Ospanov"),
           ("Ахметов", "Akhmetov"), ("Бекмұханов", "Bekmukhanov"), ("Жақсылықов", "Zhaksylykov")],
    "KG": [("Асанов", "Asanov"), ("Токтогулов", "Toktogulov"), ("Жумабаев", "Zhumabaev"),
           ("Сыдыков", "Sydykov"), ("Осмоналиев", "Osmonaliev"), ("Мамытов", "Mamytov")],
    "TM": [("Бердыев", "Berdiýew"), ("Оразов", "Orazow"), ("Аннаев", "Annaýew"),
           ("Гурбанов", "Gurbanow"), ("Чарыев", "Çaryýew")],
}  # fmt: skip
GIVEN = {
    "TJ": [("Юсуф", "Yusuf"), ("Фарҳод", "Farhod"), ("Алишер", "Alisher"), ("Далер", "Daler"),
           ("Шамсиддин", "Shamsiddin"), ("Рустам", "Rustam"), ("Фирдавс", "Firdavs"),
           ("Умед", "Umed"), ("Абдулло", "Abdullo")],
    "UZ": [("Шерзод", "Sherzod"), ("Жасур", "Jasur"), ("Отабек", "Otabek"),
           ("Дилшод", "Dilshod"), ("Бекзод", "Bekzod"), ("Улуғбек", "Ulugʻbek"),
           ("Жамшид", "Jamshid")],
    "KZ": [("Нұрлан", "Nurlan"), ("Ерлан", "Yerlan"), ("Асхат", "Askhat"), ("Дәурен", "Dauren"),
           ("Серік", "Serik"), ("Бауыржан", "Bauyrzhan")],
    "KG": [("Азамат", "Azamat"), ("Бакыт", "Bakyt"), ("Нурбек", "Nurbek"), ("Эрмек", "Ermek"),
           ("Талант", "Talant"), ("Улан", "Ulan")],
    "TM": [("Сердар", "Serdar"), ("Мердан", "Merdan"), ("Довлет", "Döwlet"), ("Нурмухаммет",
           "Nurmuhammet"), ("Батыр", "Batyr")],
}  # fmt: skip
FEMALE = {
    "TJ": [("Зарина", "Zarina"), ("Мадина", "Madina")],
    "UZ": [("Нодира", "Nodira"), ("Гулнора", "Gulnora")],
    "KZ": [("Айгүл", "Aigul"), ("Жанар", "Zhanar")],
    "KG": [("Айпери", "Aiperi"), ("Чынара", "Chynara")],
    "TM": [("Айна", "Aýna"), ("Огулджан", "Ogulgerek")],
}  # fmt: skip
REASONS = [
    "Courier in a heroin seizure (CARICC case file)",
    "Organiser of a hashish route across the border, per a counterpart's RFI answer",
    "Driver of a truck with a concealed compartment, seizure under investigation",
    "Wanted on a national warrant for precursor smuggling",
    "Linked by phone records to a trafficking network",
]
# The listed person whose passport the README quotes (Tajik Cyrillic on the list).
QURBONOV = {
    "name": "Курбонов Юсуф Абдуллоевич",
    "aliases": ["Kurbanov Yusuf"],
    "dob": "1985-03-12",
    "nationality": "TJ",
    "reason": "Courier of 12.5 kg of heroin seized at Kordai, 2026 (CARICC analytical report)",
}
MRZ_DOC, MRZ_DOB, MRZ_EXPIRY = "A12345678", "850312", "310312"


def demo_mrz() -> str:
    """A TD3 passport MRZ of QURBONOV YUSUF (TJK, born 1985-03-12) with valid check digits."""
    line1 = "P<TJKQURBONOV<<YUSUF".ljust(44, "<")
    line2 = (
        f"{MRZ_DOC}{check_digit(MRZ_DOC)}TJK{MRZ_DOB}{check_digit(MRZ_DOB)}M"
        f"{MRZ_EXPIRY}{check_digit(MRZ_EXPIRY)}{'<' * 14}<"
    )
    line2 += check_digit(line2[0:10] + line2[13:20] + line2[21:43])
    return f"{line1}\n{line2}"


def _container(owner: str, serial: str) -> str:
    first10 = f"{owner}U{serial}"
    return f"{first10}{container_check_digit(first10)}"


def _patronymic(father: tuple[str, str], country: str, cyrillic: bool) -> str:
    cyr, lat = father
    if cyrillic:
        stem = cyr[:-1] if cyr.endswith(("о", "а")) else cyr
        return f"{stem}оевич" if country == "TJ" and cyr.endswith("о") else f"{stem}ович"
    marker = {"UZ": "oʻgʻli", "KZ": "uly", "KG": "uulu", "TM": "ogly", "TJ": "ugli"}[country]
    return f"{lat} {marker}"


def _key(name: str, dob: str) -> tuple[str, str]:
    """The same person written in the other script is the same entry (as the list sees it)."""
    tokens = make_subject("k", name).names[0].tokens
    return " ".join(sorted(t.skel for t in tokens)), dob


def person_rows(rng: random.Random) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [dict(QURBONOV)]
    seen = {_key(str(QURBONOV["name"]), str(QURBONOV["dob"]))}
    countries = list(SURNAMES)
    while len(rows) < PERSONS:
        country = rng.choice(countries)
        surname = rng.choice(SURNAMES[country])
        female = rng.random() < 0.15
        given = rng.choice(FEMALE[country] if female else GIVEN[country])
        if (surname[1], given[1]) == ("Qurbonov", "Yusuf"):
            continue  # the demo's one Qurbonov Yusuf is the listed courier
        cyrillic = rng.random() < 0.55
        family = surname[0] if cyrillic else surname[1]
        if female:
            family += "а" if cyrillic else "a"
        parts = [family, given[0] if cyrillic else given[1]]
        if rng.random() < 0.4 and not female:
            parts.append(_patronymic(rng.choice(GIVEN[country]), country, cyrillic))
        r = rng.random()
        year = rng.randint(1958, 2003)
        dob = (
            f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            if r < 0.7
            else (str(year) if r < 0.85 else "")
        )
        key = _key(" ".join(parts), dob)
        if key in seen:
            continue
        seen.add(key)
        row: dict[str, Any] = {
            "name": " ".join(parts),
            "dob": dob,
            "nationality": country,
            "reason": rng.choice(REASONS),
        }
        if rng.random() < 0.2:
            row["doc_number"] = f"{rng.choice('ABN')}{rng.randint(1000000, 9999999)}"
        rows.append(row)
    return rows


VEHICLES = [
    {"plate": "01 A 777 AA", "country": "UZ", "reason": "Truck seen on three heroin routes"},
    {"plate": "01 KG 123 ABC", "country": "KG", "reason": "Used in a seizure at Kordai, 2026"},
    {"plate": "123 ABC 02", "country": "KZ", "reason": "Registered to a front company"},
    {"plate": "8512 AA 01", "country": "TJ", "vin": "XTC65117091234567",
     "reason": "Stolen vehicle on an Interpol notice"},
]  # fmt: skip
CONTAINERS = [
    {"container_number": _container("CSQ", "305438"), "reason": "Precursors declared as paint"},
    {"container_number": _container("MSK", "123456"), "reason": "Cannabis resin in 2025"},
    {"container_number": _container("TGH", "765432"), "reason": "Consignee under investigation"},
]
ORGANISATIONS = [
    {"org_name": "ТОО «Ақ Жол Транс»", "country": "KZ", "reason": "Front company of a network"},
    {"org_name": "OOO Silk Road Logistics", "country": "KG", "reason": "Consignee of seizures"},
    {"org_name": "MChJ Buxoro Savdo", "country": "UZ", "reason": "Pays the network's drivers"},
]


def _jsonl(rows: list[dict[str, Any]]) -> bytes:
    return "\n".join(json.dumps(r, ensure_ascii=False) for r in rows).encode("utf-8")


class Command(BaseCommand):
    help = "Create the demo watchlists (idempotent) and print the MRZ of a listed person."

    def _list(self, office: str, name: str, kind: str, description: str) -> Watchlist:
        found = Watchlist.objects.alive().filter(owner_office_id=office, name=name).first()
        if found is not None:
            return found
        return watchlist_create(
            actor=None,
            office=office,
            data={
                "name": name,
                "kind": kind,
                "description": description,
                "distribution": "regional",
                "source_reliability": "B",
                "information_accuracy": "2",
            },
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from blonet.directory.models import Office

        missing = [o for o in (CARICC, UZ_SC) if not Office.objects.filter(pk=o).exists()]
        if missing:
            raise CommandError(f"offices missing: {', '.join(missing)} (run directory_load)")
        persons = person_rows(random.Random(SEED))  # noqa: S311 - demo data
        plan = [
            (CARICC, "CARICC regional persons of interest", "person", persons,
             "Couriers, drivers and organisers named in the region's seizure cases."),
            (UZ_SC, "Uzbekistan situation centre: vehicles", "vehicle", VEHICLES,
             "Vehicles of interest at the region's crossings."),
            (CARICC, "CARICC containers of interest", "container", CONTAINERS,
             "Containers linked to precursor and drug shipments."),
            (UZ_SC, "Uzbekistan situation centre: companies", "organisation", ORGANISATIONS,
             "Companies used as consignees or fronts."),
        ]  # fmt: skip
        with transaction.atomic():
            for office, name, kind, rows, description in plan:
                wl = self._list(office, name, kind, description)
                report = entries_import(
                    actor=None, watchlist=wl, content=_jsonl(rows), filename="demo.jsonl"
                )
                if not report.ok or report.rejected:
                    problems = [f"{p.row}: {p.column}: {p.message}" for p in report.problems]
                    raise CommandError(f"{name}: {report.errors or problems}")
                self.stdout.write(f"{name}: {report.created} added, {report.already} already there")
        self.stdout.write("")
        self.stdout.write("MRZ of a listed person (on the list as «Курбонов Юсуф Абдуллоевич»):")
        self.stdout.write(demo_mrz())
