"""Language aid without machine translation: names shown in the reader's script as well.

Cyrillic names get their Latin form from the screening kernel (through `records.normalise`);
Latin names get a Russian-convention Cyrillic form for readers with a Cyrillic UI.
"""

from __future__ import annotations

import re
import unicodedata

from django.conf import settings
from django.utils.translation import get_language

from blonet.records.normalise import name_forms

CYRILLIC_UI = frozenset({"ru", "kk", "ky", "tg"})

# Longest first: digraphs before single letters.
_LATIN_TO_CYRILLIC: tuple[tuple[str, str], ...] = (
    ("shch", "щ"), ("sh", "ш"), ("ch", "ч"), ("zh", "ж"), ("kh", "х"), ("ts", "ц"),
    ("yu", "ю"), ("ya", "я"), ("yo", "ё"), ("ye", "е"), ("gh", "г"), ("o'", "о"), ("g'", "г"),
    ("a", "а"), ("b", "б"), ("c", "ц"), ("d", "д"), ("e", "е"), ("f", "ф"), ("g", "г"),
    ("h", "х"), ("i", "и"), ("j", "дж"), ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"),
    ("o", "о"), ("p", "п"), ("q", "к"), ("r", "р"), ("s", "с"), ("t", "т"), ("u", "у"),
    ("v", "в"), ("w", "в"), ("x", "х"), ("y", "й"), ("z", "з"),
)  # fmt: skip
_APOSTROPHES = str.maketrans({"ʻ": "'", "ʼ": "'", "‘": "'", "’": "'", "`": "'"})
_VOWELS = set("aeiouy")


def has_cyrillic(text: str) -> bool:
    return any("CYRILLIC" in unicodedata.name(ch, "") for ch in text)


def has_latin(text: str) -> bool:
    return any("LATIN" in unicodedata.name(ch, "") for ch in text)


def latin_to_cyrillic(text: str) -> str:
    """`Qurbonov Yusuf` -> `Курбонов Юсуф`; `Aliyev` -> `Алиев`; other characters kept."""
    src = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES)
    out: list[str] = []
    i = 0
    lower = src.lower()
    while i < len(src):
        for latin, cyr in _LATIN_TO_CYRILLIC:
            if lower.startswith(latin, i):
                word_start = i == 0 or not lower[i - 1].isalpha()
                if latin == "e" and word_start:
                    cyr = "э"
                elif latin == "y" and not word_start and lower[i - 1] not in _VOWELS:
                    cyr = "ы"
                out.append(cyr.capitalize() if src[i].isupper() else cyr)
                i += len(latin)
                break
        else:
            out.append(src[i])
            i += 1
    return re.sub(r"'", "", "".join(out))


def reader_language(language: str | None = None) -> str:
    return (language or get_language() or settings.LANGUAGE_CODE).split("-")[0].lower()


def name_transliteration(name: str, language: str | None = None) -> str:
    """The name in the other script, or "" when the reader's script is the name's own."""
    name = (name or "").strip()
    if not name:
        return ""
    if has_cyrillic(name):
        latin, _keys = name_forms(name)
        return latin if latin and latin.lower() != name.lower() else ""
    if has_latin(name) and reader_language(language) in CYRILLIC_UI:
        return latin_to_cyrillic(name)
    return ""


def language_codes() -> list[str]:
    return [code for code, _label in settings.LANGUAGES]


def normalise_language(value: str | None) -> str:
    """A supported UI language code from `value` (e.g. `ru-RU` -> `ru`), or ""."""
    code = reader_language(value or "") if value else ""
    return code if code in language_codes() else ""
