"""Normalised forms and validators of identifiers (plates, phones, IBANs, containers, names).

Built on the pure-Python screening kernel (`blonet.screening.matching`), see ADR 0007.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from functools import lru_cache
from typing import Any

import pycountry
from django.utils.translation import gettext as _

from blonet.screening.matching.containers import validate_container
from blonet.screening.matching.dob import parse_dob
from blonet.screening.matching.normalize import normalize_text
from blonet.screening.matching.orgs import org_key
from blonet.screening.matching.plates import normalize_plate
from blonet.screening.matching.translit import phonetic_key, skeleton, to_latin

__all__ = [
    "as_uuid",
    "country_code",
    "iban_problem",
    "name_forms",
    "normalise_container",
    "normalise_document",
    "normalise_iban",
    "normalise_phone",
    "normalise_plate",
    "org_key",
    "partial_date",
    "search_words",
    "vin_problem",
]


def search_words(text: str) -> list[str]:
    """Every form a word of `text` is searched under: as written (normalised), Latin, skeleton
    and phonetic key, lower case, without duplicates, in a stable order."""
    out: list[str] = []
    for word in normalize_text(text or "").split():
        # ё is written е as often as not (Пётр, Петр, passport PETR)
        plain = word.replace("ё", "е")
        for form in (
            word,
            to_latin(word),
            skeleton(word),
            phonetic_key(word),
            to_latin(plain),
            skeleton(plain),
            phonetic_key(plain),
        ):
            form = form.lower().replace(" ", "")
            if form and form not in out:
                out.append(form)
    return out


@lru_cache(maxsize=131_072)
def _word_name_forms(word: str) -> tuple[str, str]:
    """(Latin form, lower-case phonetic key or "") of one normalised word: names and their
    words recur (an import of 20,000 rows meets a few hundred distinct ones)."""
    return to_latin(word), phonetic_key(word).lower()


@lru_cache(maxsize=65_536)
def name_forms(full_name: str) -> tuple[str, str]:
    """(Latin form, space-separated phonetic keys) of a person's name in any script.

    The name is normalised whole (a word's form can depend on its neighbours there), then each
    word's forms come from `_word_name_forms`; both are memoised (pure functions of text)."""
    forms = [_word_name_forms(w) for w in normalize_text(full_name or "").split()]
    latin = " ".join(word_latin for word_latin, _key in forms)
    keys = " ".join(sorted({key for _latin, key in forms if key}))
    return latin.title(), keys


def normalise_plate(plate: str) -> str:
    return normalize_plate(plate or "")


def normalise_container(number: str) -> tuple[str, str]:
    """(normalised number, problem or "")."""
    check = validate_container(number or "")
    if check.valid:
        return check.number, ""
    if check.expected_check_digit is not None and len(check.number) == 11:
        return check.number, _("check digit %(got)s is wrong: expected %(expected)s") % {
            "got": check.number[10],
            "expected": check.expected_check_digit,
        }
    if check.expected_check_digit is not None:
        return check.number, _("the check digit is missing: it should be %(expected)s") % {
            "expected": check.expected_check_digit
        }
    return check.number, _("not an ISO 6346 number (4 letters ending in U, J, Z or R, 7 digits)")


def normalise_phone(number: str) -> str:
    """Digits only, international prefix `00` dropped (`+996 555 12-34-56` -> `996555123456`)."""
    digits = "".join(ch for ch in unicodedata.normalize("NFKC", number or "") if ch.isdigit())
    return digits[2:] if digits.startswith("00") else digits


def normalise_document(number: str) -> str:
    return normalize_plate(number or "")


_IBAN = re.compile(r"^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$")


def normalise_iban(number: str) -> str:
    return re.sub(r"[^0-9A-Za-z]", "", number or "").upper()


def looks_like_iban(number: str) -> bool:
    n = normalise_iban(number)
    return len(n) >= 14 and n[:2].isalpha() and n[2:4].isdigit()


def iban_problem(number: str) -> str:
    """ "" if `number` is a valid IBAN (ISO 13616 mod-97), else what is wrong."""
    n = normalise_iban(number)
    if not _IBAN.match(n):
        return _("not an IBAN: two letters, two check digits, then 10 to 30 letters or digits")
    rearranged = n[4:] + n[:4]
    digits = "".join(str(int(ch, 36)) for ch in rearranged)
    if int(digits) % 97 != 1:
        return _("the IBAN checksum fails: a character is mistyped")
    return ""


_VIN = re.compile(r"^[A-HJ-NPR-Z0-9]{17}$")


def vin_problem(vin: str) -> str:
    v = (vin or "").strip().upper()
    if not v or _VIN.match(v):
        return ""
    return _("a VIN has 17 letters and digits, without I, O or Q")


def country_code(value: str) -> str | None:
    """ISO 3166 alpha-2 code of an alpha-2 or alpha-3 code; None if unknown ("" stays "")."""
    v = (value or "").strip().upper()
    if not v:
        return ""
    country = pycountry.countries.get(alpha_2=v) if len(v) == 2 else None
    if country is None and len(v) == 3:
        country = pycountry.countries.get(alpha_3=v)
    return country.alpha_2 if country else None


def partial_date(value: str) -> tuple[str, int | None] | None:
    """Canonical `YYYY[-MM[-DD]]` and year of a possibly partial date; None if invalid."""
    v = (value or "").strip()
    if not v:
        return "", None
    try:
        parsed = parse_dob(v)
    except ValueError:
        return None
    if parsed is None:
        return "", None
    return str(parsed), parsed.year


def as_uuid(pk: Any) -> uuid.UUID | None:
    """The UUID of `pk`, or None for anything that is not one (answered as not found)."""
    if isinstance(pk, uuid.UUID):
        return pk
    try:
        return uuid.UUID(str(pk))
    except (ValueError, TypeError, AttributeError):
        return None
