"""Identifiers in each country's format: plates, phones, documents, containers, accounts, VINs.

Plates follow the current civilian formats the screening kernel knows
(`blonet.screening.matching.plates._FORMATS`); containers carry a valid ISO 6346 check digit;
Kazakh accounts are IBANs with a valid mod-97 checksum.
"""

from __future__ import annotations

import random
import string

from blonet.screening.matching.containers import container_check_digit

# Letters used on Russian plates (written in Cyrillic by Russian and Central Asian officers).
_RU_PLATE_LAT = "ABEKMHOPCTYX"
_RU_PLATE_CYR = "АВЕКМНОРСТУХ"
_UZ_REGIONS = ("01", "10", "20", "25", "30", "40", "50", "60", "70", "75", "80", "85", "90", "95")
_KZ_REGIONS = tuple(f"{n:02d}" for n in range(1, 20))
_KG_REGIONS = ("01", "02", "03", "04", "05", "06", "07", "08", "09")
_TJ_REGIONS = ("01", "02", "03", "04", "05", "07", "08")
_RU_REGIONS = (
    "77",
    "97",
    "177",
    "199",
    "50",
    "150",
    "78",
    "55",
    "74",
    "56",
    "64",
    "63",
    "02",
    "16",
)
_TM_REGIONS = ("AG", "AH", "BN", "DZ", "LB", "MR")
_LETTERS = string.ascii_uppercase


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(n))


def _letters(rng: random.Random, n: int, alphabet: str = _LETTERS) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def plate(rng: random.Random, country: str) -> str:
    """A plate as an officer writes it (with the usual spaces; Russian ones often in Cyrillic)."""
    if country == "UZ":  # 01 A 123 BC
        return f"{rng.choice(_UZ_REGIONS)} {_letters(rng, 1)} {_digits(rng, 3)} {_letters(rng, 2)}"
    if country == "KZ":  # 123 ABC 02
        return f"{_digits(rng, 3)} {_letters(rng, 3)} {rng.choice(_KZ_REGIONS)}"
    if country == "KG":  # 01 KG 123 ABC
        return f"{rng.choice(_KG_REGIONS)} KG {_digits(rng, 3)} {_letters(rng, 3)}"
    if country == "TJ":  # 1234 AB 01
        return f"{_digits(rng, 4)} {_letters(rng, 2)} {rng.choice(_TJ_REGIONS)}"
    if country == "RU":  # A 123 BC 77
        alphabet = _RU_PLATE_CYR if rng.random() < 0.6 else _RU_PLATE_LAT
        return (
            f"{_letters(rng, 1, alphabet)} {_digits(rng, 3)} {_letters(rng, 2, alphabet)} "
            f"{rng.choice(_RU_REGIONS)}"
        )
    if country == "TM":  # AG 1234 AG
        region = rng.choice(_TM_REGIONS)
        return f"{region} {_digits(rng, 4)} {region}"
    raise ValueError(f"no plate format for {country}")


PLATE_COUNTRIES = ("UZ", "KZ", "KG", "TJ", "RU", "TM")

_PHONES: dict[str, tuple[str, tuple[str, ...], tuple[int, ...]]] = {
    # country: (code, operator prefixes, grouping of the subscriber digits)
    "KZ": ("+7", ("701", "702", "705", "707", "747", "771", "775", "778"), (3, 2, 2)),
    "RU": ("+7", ("903", "916", "926", "985", "912", "922", "937"), (3, 2, 2)),
    "KG": ("+996", ("555", "557", "700", "707", "770", "772", "990"), (2, 2, 2)),
    "TJ": ("+992", ("90", "91", "92", "93", "98", "88", "55"), (3, 4)),
    "UZ": ("+998", ("90", "91", "93", "94", "97", "99", "33", "88"), (3, 2, 2)),
    "TM": ("+993", ("61", "62", "63", "64", "65", "71"), (2, 2, 2)),
    "AF": ("+93", ("70", "72", "73", "77", "78", "79"), (3, 4)),
}
PHONE_COUNTRIES = tuple(_PHONES)


def phone(rng: random.Random, country: str) -> str:
    """A mobile number with its country code, grouped as people write it."""
    code, prefixes, groups = _PHONES[country]
    parts = [_digits(rng, n) for n in groups]
    joiner = "-" if rng.random() < 0.3 else " "
    return f"{code} {rng.choice(prefixes)} {joiner.join(parts)}"


# Owner codes (the "U" is the equipment category) of lines seen on the Chinese and Iranian rail
# and sea corridors into Central Asia.
_CONTAINER_OWNERS = (
    "MSKU", "MSCU", "CMAU", "TGHU", "TCLU", "CAIU", "FCIU", "TEMU", "SEGU", "BMOU", "KZTU",
    "UETU", "CSNU", "OOLU",
)  # fmt: skip
CONTAINER_SIZES = ("22G1", "42G1", "45G1", "45R1", "22T6")


def container(rng: random.Random) -> str:
    """An ISO 6346 number with its check digit, written as on the door (``MSKU 305438 3``)."""
    first10 = rng.choice(_CONTAINER_OWNERS) + _digits(rng, 6)
    check = container_check_digit(first10)
    return f"{first10[:4]} {first10[4:]} {check}" if rng.random() < 0.5 else f"{first10}{check}"


def passport(rng: random.Random, country: str) -> str:
    """A passport number in the shape each country issues."""
    if country == "KZ":
        return "N" + _digits(rng, 8)
    if country == "KG":
        return rng.choice(("AC", "PE", "AN")) + _digits(rng, 7)
    if country == "TJ":
        return rng.choice(("400", "401", "500")) + _digits(rng, 6)
    if country == "UZ":
        return rng.choice(("AA", "AB", "FA", "AD")) + _digits(rng, 7)
    if country == "TM":
        return "A" + _digits(rng, 7)
    if country == "AF":
        return "P" + _digits(rng, 8)
    return _digits(rng, 2) + " " + _digits(rng, 2) + " " + _digits(rng, 6)  # RU internal


def driving_licence(rng: random.Random, country: str) -> str:
    return f"{country}{_digits(rng, 2)} {_digits(rng, 6)}"


def waybill(rng: random.Random) -> str:
    return f"CMR {_digits(rng, 7)}"


def _iban_check(country: str, bban: str) -> str:
    rearranged = bban + country + "00"
    digits = "".join(str(int(ch, 36)) for ch in rearranged)
    return f"{98 - int(digits) % 97:02d}"


def bank_account(rng: random.Random, country: str) -> tuple[str, str]:
    """(number, bank): a valid IBAN for Kazakhstan, a 20-digit local number elsewhere."""
    banks = _BANKS.get(country, _BANKS["RU"])
    bank_name, bank_code = rng.choice(banks)
    if country == "KZ":
        bban = bank_code + _digits(rng, 13)
        iban = f"KZ{_iban_check('KZ', bban)}{bban}"
        return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4)), bank_name
    return _digits(rng, 20), bank_name


_BANKS: dict[str, tuple[tuple[str, str], ...]] = {
    "KZ": (("Halyk Bank", "601"), ("Kaspi Bank", "722"), ("ForteBank", "965")),
    "KG": (("Demir Bank", "118"), ("KICB", "128"), ("Optima Bank", "109")),
    "TJ": (("Amonatbonk", "350"), ("Eskhata", "360"), ("Orienbank", "370")),
    "UZ": (("Kapitalbank", "009"), ("Hamkorbank", "083"), ("Ipak Yuli", "001")),
    "RU": (("Sberbank", "044"), ("VTB", "045"), ("Tinkoff", "046")),
    "TM": (("Dayhanbank", "390"), ("Halkbank", "391")),
    "AF": (("Azizi Bank", "010"), ("Afghanistan International Bank", "020")),
}

_VIN_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"  # no I, O or Q


def vin(rng: random.Random, wmi: str) -> str:
    return wmi + "".join(rng.choice(_VIN_CHARS) for _ in range(14))


# (make, model, world manufacturer identifier, conveyance: "truck" / "car" / "bus")
VEHICLES: tuple[tuple[str, str, str, str], ...] = (
    ("KAMAZ", "5490", "XTC", "truck"), ("KAMAZ", "65117", "XTC", "truck"),
    ("MAN", "TGX", "WMA", "truck"), ("Volvo", "FH", "YV2", "truck"),
    ("Mercedes-Benz", "Actros", "WDB", "truck"), ("DAF", "XF", "XLR", "truck"),
    ("Howo", "T5G", "LZZ", "truck"), ("Shacman", "X3000", "LZG", "truck"),
    ("Toyota", "Camry", "JTN", "car"), ("Toyota", "Land Cruiser", "JTM", "car"),
    ("Lada", "Granta", "XTA", "car"), ("Lada", "Niva", "XTA", "car"),
    ("Chevrolet", "Cobalt", "XWB", "car"), ("Chevrolet", "Nexia", "XWB", "car"),
    ("Daewoo", "Matiz", "XWB", "car"), ("Hyundai", "Sonata", "KMH", "car"),
    ("Honda", "Fit", "JHM", "car"), ("Mercedes-Benz", "Sprinter", "WDB", "bus"),
    ("Ford", "Transit", "WF0", "bus"), ("Hyundai", "County", "KMJ", "bus"),
)  # fmt: skip
COLOURS = ("white", "black", "silver", "grey", "blue", "red", "green", "beige")

# Companies, with their legal forms as written in each country.
_COMPANY_WORDS = (
    "Silk Way", "Pamir", "Ala-Too", "Altyn Zhol", "Turan", "Orient", "Samarqand", "Navruz",
    "Eurasia", "Aral", "Caspian", "Tien Shan", "Zarafshon", "Khatlon", "Ferghana", "Karavan",
)  # fmt: skip
_COMPANY_KINDS = ("Trans", "Logistic", "Cargo", "Trade", "Invest", "Agro", "Express")
LEGAL_FORMS: dict[str, tuple[str, ...]] = {
    "KZ": ("ТОО", "АО"), "KG": ("ОсОО",), "TJ": ("ООО", "ҶДММ"), "UZ": ("MChJ", "XK"),
    "RU": ("ООО", "АО"), "TM": ("HJ",), "AF": ("Ltd",), "CN": ("Co., Ltd",),
}  # fmt: skip


def company(rng: random.Random, country: str) -> tuple[str, str, str]:
    """(name, legal form, registration number)."""
    form = rng.choice(LEGAL_FORMS.get(country, ("LLC",)))
    name = f"{rng.choice(_COMPANY_WORDS)} {rng.choice(_COMPANY_KINDS)}"
    reg = _digits(rng, 12 if country == "KZ" else 9)
    if country in {"UZ", "TM", "AF", "CN"}:
        return f"“{name}” {form}", form, reg
    return f"{form} «{name}»", form, reg
