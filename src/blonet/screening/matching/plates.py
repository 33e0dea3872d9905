"""Vehicle registration plates: Cyrillic/Latin look-alike letters folded, separators removed."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["guess_plate_country", "normalize_plate", "plates_match"]

# Cyrillic letters allowed on Russian-style plates and their Latin look-alikes.
_CYR_TO_LAT = str.maketrans("АВЕКМНОРСТУХ", "ABEKMHOPCTYX")
_SEPARATORS = re.compile(r"[\s\-_.·/|]+")

# Current civilian formats after normalisation (letters Latin, no separators).
_FORMATS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("UZB", re.compile(r"^\d{2}[A-Z]\d{3}[A-Z]{2}$|^\d{2}\d{3}[A-Z]{3}$")),
    ("KAZ", re.compile(r"^\d{3}[A-Z]{2,3}\d{2}$")),
    ("KGZ", re.compile(r"^\d{2}(KG)?\d{3}[A-Z]{3}$")),
    ("TJK", re.compile(r"^\d{4}[A-Z]{2}\d{2}$")),
    ("RUS", re.compile(r"^[A-Z]\d{3}[A-Z]{2}\d{2,3}$")),
    ("TKM", re.compile(r"^[A-Z]{2}\d{4}[A-Z]{2}$")),
)


def normalize_plate(plate: str, *, fold_zero: bool = False) -> str:
    """Upper-case plate with look-alike Cyrillic letters in Latin and separators removed.

    With ``fold_zero`` the letter O is also read as the digit 0 (and I as 1), for comparing
    plates read by cameras or typed by hand.
    """
    s = unicodedata.normalize("NFKC", plate or "").upper()
    s = _SEPARATORS.sub("", s).translate(_CYR_TO_LAT)
    s = "".join(ch for ch in s if ch.isalnum())
    if fold_zero:
        s = s.replace("O", "0").replace("I", "1")
    return s


def plates_match(a: str, b: str) -> bool:
    """True if two plates are the same once look-alikes and separators are folded."""
    na, nb = normalize_plate(a, fold_zero=True), normalize_plate(b, fold_zero=True)
    return bool(na) and na == nb


def guess_plate_country(plate: str) -> str | None:
    """ISO alpha-3 code of the first national format the plate fits, or None."""
    p = normalize_plate(plate)
    for country, pattern in _FORMATS:
        if pattern.match(p):
            return country
    return None
