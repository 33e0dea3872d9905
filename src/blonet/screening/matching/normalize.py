"""Unicode normalisation of names before transliteration.

The pipeline is: NFKC, control characters removed, apostrophe and dash variants unified,
look-alike letters of the minority script folded inside a mixed-script word (a Latin "o" in a
Cyrillic word), case folded, punctuation turned into spaces, whitespace collapsed.
``normalize_text`` is idempotent: applying it twice gives the same result as applying it once.
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum
from functools import lru_cache

__all__ = [
    "APOSTROPHE",
    "Script",
    "char_script",
    "fold_mixed_scripts",
    "normalize_text",
    "scripts_in",
    "unsupported_script",
]

APOSTROPHE = "'"

# Characters used for the Uzbek tutuq belgisi, the oʻ/gʻ sign and stray quotes in names.
_APOSTROPHES = frozenset("'`´ʹʺʻʼʽʾʿˈˊˋ‘’‚‛′‵＇")
_DASHES = frozenset("‐‑‒–—―−﹘﹣－")


class Script(StrEnum):
    LATIN = "Latin"
    CYRILLIC = "Cyrillic"
    ARABIC = "Arabic"
    CJK = "Chinese/Japanese/Korean"
    OTHER = "other"


def char_script(ch: str) -> Script | None:
    """Script of one letter, or None for non-letters (digits, spaces, punctuation)."""
    if not ch.isalpha():
        return None
    cp = ord(ch)
    if cp < 0x0250 or 0x1E00 <= cp <= 0x1EFF or cp in (0x0259, 0x018F) or 0x2C60 <= cp <= 0x2C7F:
        return Script.LATIN
    if 0x0400 <= cp <= 0x052F or 0x1C80 <= cp <= 0x1C8F or 0xA640 <= cp <= 0xA69F:
        return Script.CYRILLIC
    if 0x0600 <= cp <= 0x06FF or 0x0750 <= cp <= 0x077F or 0xFB50 <= cp <= 0xFEFF:
        return Script.ARABIC
    if (
        0x3040 <= cp <= 0x30FF
        or 0x3400 <= cp <= 0x4DBF
        or 0x4E00 <= cp <= 0x9FFF
        or 0xAC00 <= cp <= 0xD7AF
        or 0xF900 <= cp <= 0xFAFF
    ):
        return Script.CJK
    if 0x0250 <= cp <= 0x02AF:  # IPA extensions, treated as Latin
        return Script.LATIN
    return Script.OTHER


# The script of each character met so far: names use a few hundred distinct characters, and a
# watchlist of a million names asks for the script of tens of millions of them.
_SCRIPT_OF: dict[str, Script | None] = {}
_SCRIPT_OF_MAX = 65_536


def _script_of(ch: str) -> Script | None:
    try:
        return _SCRIPT_OF[ch]
    except KeyError:
        sc = char_script(ch)
        if len(_SCRIPT_OF) < _SCRIPT_OF_MAX:
            _SCRIPT_OF[ch] = sc
        return sc


_ASCII_LETTER = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


def scripts_in(text: str) -> set[Script]:
    """The set of scripts of the letters of ``text``."""
    if text.isascii():
        return {Script.LATIN} if not _ASCII_LETTER.isdisjoint(text) else set()
    found: set[Script] = set()
    for ch in set(text):
        sc = _script_of(ch)
        if sc is not None:
            found.add(sc)
    return found


def unsupported_script(text: str) -> Script | None:
    """The first script we cannot transliterate (Arabic, CJK, other), if any letter uses one."""
    if text.isascii():
        return None
    found = scripts_in(text)
    for sc in (Script.ARABIC, Script.CJK, Script.OTHER):
        if sc in found:
            return sc
    return None


# Look-alike letters, checked on the original case (upper case H looks like Н, lower h does not).
_LAT_TO_CYR = dict(
    zip(
        "AaBCcEeHKkMOoPpTXxYyIiJjSs",
        "АаВСсЕеНКкМОоРрТХхУуІіЈјЅѕ",
        strict=True,
    )
)
_CYR_TO_LAT = {v: k for k, v in _LAT_TO_CYR.items()}


def fold_mixed_scripts(word: str) -> str:
    """Fold look-alike letters of the minority script into the majority script of ``word``.

    ``Пeтров`` with a Latin ``e`` becomes all-Cyrillic ``Петров``; a Latin word with a stray
    Cyrillic ``о`` becomes all-Latin. Ties go to Cyrillic. Letters with no look-alike stay.
    """
    if word.isascii():  # no Cyrillic letter to fold
        return word
    return _fold_mixed_scripts(word)


@lru_cache(maxsize=262_144)
def _fold_mixed_scripts(word: str) -> str:
    n_lat = n_cyr = 0
    for ch in word:
        sc = _script_of(ch)
        if sc is Script.LATIN:
            n_lat += 1
        elif sc is Script.CYRILLIC:
            n_cyr += 1
    if not n_lat or not n_cyr:
        return word
    table = _LAT_TO_CYR if n_cyr >= n_lat else _CYR_TO_LAT
    return "".join(table.get(ch, ch) for ch in word)


_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"[^\s]+")


def _clean_char(ch: str) -> str:
    if ch in _APOSTROPHES:
        return APOSTROPHE
    if ch in _DASHES:
        return "-"
    if ch == "-" or ch.isalnum():
        return ch
    cat = unicodedata.category(ch)
    if cat == "Mn":  # combining marks survive NFKC only where no precomposed letter exists
        return ch
    return " "


class _CleanTable(dict[int, str]):
    """``str.translate`` table of ``_clean_char``, filled as characters are met (bounded)."""

    def __missing__(self, cp: int) -> str:
        out = _clean_char(chr(cp))
        if len(self) < _SCRIPT_OF_MAX:
            self[cp] = out
        return out


_CLEAN = _CleanTable()
_EDGE_MARKS = re.compile(r"(?<![^\W\d_])['-]+|['-]+(?![^\W\d_])")


def normalize_text(text: str) -> str:
    """Normalise a name for matching (see module docstring). Never raises on any ``str``."""
    if not text:
        return ""
    s = unicodedata.normalize("NFKC", text)
    s = s.translate(_CLEAN)  # _clean_char of every character
    if not s.isascii():  # an ASCII word has no Cyrillic letter to fold
        s = _WORD.sub(lambda m: fold_mixed_scripts(m.group(0)), s)
    s = unicodedata.normalize("NFKC", s.casefold())
    # casefold can produce a combining dot (İ -> i̇); drop marks that follow an ASCII letter
    s = unicodedata.normalize("NFD", s)
    if "\u0307" in s:
        s = "".join(ch for i, ch in enumerate(s) if not (ch == "\u0307" and i and s[i - 1] in "ij"))
    s = unicodedata.normalize("NFC", s)
    s = s.translate(_CLEAN)
    # apostrophes and hyphens only count inside a word
    s = _EDGE_MARKS.sub(" ", s)
    s = _SPACES.sub(" ", s).strip()
    # fold again on lower case: casefolding can turn a letter into a look-alike (İ -> i)
    if not s or s.isascii():
        return s
    return " ".join(fold_mixed_scripts(w) for w in s.split(" "))
