"""Transliteration of names to one canonical Latin form, a skeleton and a phonetic key.

Three levels, from most to least faithful, all computed on normalised text
(see :mod:`.normalize`):

``to_latin``
    A readable Latin spelling. Cyrillic (Russian, Kazakh, Kyrgyz, Tajik, Uzbek letters) goes
    through one table close to BGN/PCGN; Latin with diacritics (Uzbek, Kazakh 2018/2021, Turkmen,
    Azerbaijani, ISO 9) is folded to the same spelling conventions (``ş`` -> ``sh``,
    ``ğ``/``g'`` -> ``gh``, ``ı`` -> ``y``).
``skeleton``
    Equal for the same name written in different romanisation systems: consonant spellings are
    merged (``kh``/``x``/``h``, ``q``/``k``, ``zh``/``j``/``dzh``, ``ts``/``c``, ``shch``/``sh``,
    French ``ou``/``tch``), glides dropped (``Yusuf``/``Iusuf``, ``Aliyev``/``Aliev``) and
    doubled letters collapsed. Vowels are kept.
``phonetic_key``
    The skeleton with vowels reduced to two classes (a/o/u and e/i/y), which merges the regular
    vowel differences between languages (Tajik ``Курбонов``, Russian ``Курбанов``, Uzbek
    ``Toʻxtayev``/Russian ``Тухтаев``). Used for blocking and as evidence of a spelling variant.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

__all__ = [
    "CYRILLIC_TO_LATIN",
    "detect_cyrillic_language",
    "detect_latin_system",
    "key_from_skeleton",
    "phonetic_key",
    "skeleton",
    "to_latin",
]

# One Cyrillic table for all five languages: the language-specific letters do not collide.
CYRILLIC_TO_LATIN: dict[str, str] = {
    # Russian
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya",
    # Kazakh
    "ә": "a", "ғ": "gh", "қ": "q", "ң": "ng", "ө": "o", "ұ": "u", "ү": "u", "һ": "h",
    "і": "i",
    # Tajik
    "ӣ": "i", "ӯ": "u", "ҳ": "h", "ҷ": "j",
    # Uzbek (ў is oʻ in Uzbek Latin)
    "ў": "o",
    # neighbours that turn up in the region's documents
    "є": "ye", "ї": "yi", "ґ": "g", "ј": "j", "ѕ": "dz", "џ": "dzh", "ӏ": "", "ҙ": "z",
    "ҫ": "s", "ҡ": "q", "ӑ": "a", "ӗ": "e", "ҝ": "g", "ӂ": "zh", "ӧ": "o", "ӱ": "u",
    "ӹ": "y", "ӓ": "a", "ӝ": "j", "ӟ": "dz",
}  # fmt: skip

# Latin letters with diacritics, as used by Turkic Latin alphabets, ISO 9 and French.
_LATIN_FOLD: dict[str, str] = {
    "ä": "a", "ə": "a", "á": "a", "à": "a", "â": "a", "å": "a", "ā": "a", "ã": "a",
    "ö": "o", "ó": "o", "ò": "o", "ô": "o", "ø": "o", "ō": "o", "ő": "o", "õ": "o",
    "ü": "u", "ú": "u", "ù": "u", "û": "u", "ū": "u", "ű": "u", "ů": "u",
    "é": "e", "è": "e", "ê": "e", "ë": "e", "ē": "e", "ě": "e",
    "í": "i", "ì": "i", "î": "i", "ï": "i", "ī": "i", "ı": "y",
    "ý": "y", "ÿ": "y", "ŷ": "y",
    "ş": "sh", "ș": "sh", "š": "sh", "ś": "sh", "ŝ": "shch",
    "ç": "ch", "č": "ch", "ć": "ch", "ĉ": "ch",
    "ž": "zh", "ź": "z", "ż": "z", "ẑ": "z",
    "ğ": "gh", "ǵ": "gh", "ġ": "gh", "ĝ": "g", "ģ": "g",
    "ñ": "n", "ń": "n", "ň": "n", "ņ": "n",
    "ķ": "k", "ḩ": "h", "ḥ": "h", "ħ": "h", "ĥ": "h", "ţ": "t", "ț": "t", "ť": "t",
    "ł": "l", "ľ": "l", "ĺ": "l", "ř": "r", "ŕ": "r", "đ": "d", "ď": "d", "ð": "d",
    "ß": "ss", "æ": "ae", "œ": "oe", "þ": "th", "ĵ": "j", "ʼ": "'", "ʻ": "'",
}  # fmt: skip


@lru_cache(maxsize=262_144)
def to_latin(text: str) -> str:
    """Readable Latin spelling of normalised ``text``; non-letters other than space, ``-``
    and ``'`` are kept only if they are ASCII digits."""
    out: list[str] = []
    for i, ch in enumerate(text):
        if "a" <= ch <= "z" or ch in " -":
            out.append(ch)
        elif ch == "'":
            # Uzbek oʻ and gʻ keep their sign; the tutuq belgisi and ъ/ь signs are dropped
            prev = text[i - 1] if i else ""
            out.append("'" if prev in ("o", "g") else "")
        elif ch in CYRILLIC_TO_LATIN:
            lat = CYRILLIC_TO_LATIN[ch]
            # е after a vowel, ъ/ь or at the start of a word sounds "ye" (BGN/PCGN)
            out.append(lat)
        elif ch in _LATIN_FOLD:
            out.append(_LATIN_FOLD[ch])
        elif ch.isdigit():
            out.append(ch if ch.isascii() else str(unicodedata.digit(ch, 0)))
        elif ch.isalpha():
            base = unicodedata.normalize("NFKD", ch)
            out.append("".join(c for c in base if "a" <= c <= "z"))
    return "".join(out)


_VOWELS = frozenset("aeiouy")
_GLIDE_Y_NEXT = frozenset("aeiou")
_GLIDE_I_NEXT = frozenset("aou")
# Greedy longest-first consonant spellings -> one canonical spelling.
_SKELETON_RULES: tuple[tuple[str, str], ...] = (
    ("shch", "sh"), ("tsch", "ch"), ("dzh", "j"), ("sch", "sh"), ("tch", "ch"), ("tsh", "ch"),
    ("kh", "h"), ("gh", "g"), ("g'", "g"), ("o'", "o"), ("zh", "j"), ("dj", "j"), ("ts", "c"),
    ("tz", "c"), ("cz", "c"), ("shh", "sh"), ("ck", "k"), ("ph", "f"), ("ou", "u"), ("sh", "S"),
    ("ch", "C"), ("ng", "n"),
    ("x", "h"), ("q", "k"), ("w", "v"), ("c", "c"), ("'", ""),
)  # fmt: skip
_RULES_BY_FIRST: dict[str, list[tuple[str, str]]] = {}
for _src, _dst in _SKELETON_RULES:
    _RULES_BY_FIRST.setdefault(_src[0], []).append((_src, _dst))


def _consonant_fold(word: str) -> str:
    out: list[str] = []
    i, n = 0, len(word)
    while i < n:
        for src, dst in _RULES_BY_FIRST.get(word[i], ()):
            if word.startswith(src, i):
                out.append(dst)
                i += len(src)
                break
        else:
            out.append(word[i])
            i += 1
    return "".join(out)


def _drop_glides(word: str) -> str:
    """Drop ``y`` before a vowel and ``i`` before a/o/u (ICAO IA/IU), until nothing changes."""
    while True:
        out: list[str] = []
        n = len(word)
        for i, ch in enumerate(word):
            nxt = word[i + 1] if i + 1 < n else ""
            if (ch == "y" and nxt in _GLIDE_Y_NEXT) or (ch == "i" and nxt in _GLIDE_I_NEXT):
                continue
            out.append(ch)
        result = "".join(out)
        if result == word:
            return result
        word = result


def _dedupe(word: str) -> str:
    out: list[str] = []
    for ch in word:
        if not out or out[-1] != ch:
            out.append(ch)
    return "".join(out)


@lru_cache(maxsize=262_144)
def skeleton(word: str) -> str:
    """Romanisation-independent skeleton of one normalised word (see module docstring).

    ``sh`` and ``ch`` are kept as the placeholders ``S`` and ``C`` while rules run and are
    written back afterwards, so ``skeleton`` is idempotent.
    """
    lat = to_latin(word).replace("-", "").replace(" ", "")
    folded = _consonant_fold(lat)
    if len(folded) > 2 and folded[-1] == "j" and folded[-2] in _VOWELS:
        folded = folded[:-1] + "y"  # GOST/ISO "Sergej", "Tsoj": a final j after a vowel is й
    folded = _dedupe(_drop_glides(folded))
    return folded.replace("S", "sh").replace("C", "ch")


_VOWEL_CLASS = str.maketrans({"o": "a", "u": "a", "e": "i", "y": "i"})


def key_from_skeleton(skel: str) -> str:
    """Phonetic key of an already computed skeleton."""
    sk = skel.replace("sh", "S").replace("ch", "C")
    return _dedupe(sk.translate(_VOWEL_CLASS))


@lru_cache(maxsize=262_144)
def phonetic_key(word: str) -> str:
    """Skeleton with vowels reduced to two classes; ``sh``/``ch`` become ``S``/``C``."""
    return key_from_skeleton(skeleton(word))


# --- language / system detection, used for explanations only -------------------------------

_COUNTRY_LANG = {
    "TJK": "Tajik", "TJ": "Tajik", "UZB": "Uzbek", "UZ": "Uzbek", "KAZ": "Kazakh", "KZ": "Kazakh",
    "KGZ": "Kyrgyz", "KG": "Kyrgyz", "TKM": "Turkmen", "TM": "Turkmen", "RUS": "Russian",
    "RU": "Russian", "AZE": "Azerbaijani", "AZ": "Azerbaijani",
}  # fmt: skip


def detect_cyrillic_language(text: str, nationality: str = "") -> str:
    """Best guess of the language of a Cyrillic name, from its letters, endings and the
    holder's nationality."""
    letters = set(text)
    hint = _COUNTRY_LANG.get(nationality.upper(), "")
    if letters & set("ӣӯҷ"):
        return "Tajik"
    if "ў" in letters:
        return "Uzbek"
    if letters & set("әұіһ"):
        return "Kazakh"
    if letters & set("ғқҳ"):
        if letters & set("ңөү"):
            return "Kazakh"
        return hint if hint in ("Tajik", "Uzbek", "Kazakh") else "Tajik"
    if letters & set("ңөү"):
        return "Kazakh" if hint == "Kazakh" else "Kyrgyz"
    if hint in ("Tajik", "Uzbek", "Kazakh", "Kyrgyz", "Turkmen"):
        return hint
    words = text.split()
    if any(w.endswith(("оевич", "оевна", "зода", "иён")) for w in words):
        return "Tajik"
    if any(w in ("уулу", "кызы") for w in words):
        return "Kyrgyz"
    if any(w in ("угли", "огли", "кизи") for w in words):
        return "Uzbek"
    if any(w in ("улы",) for w in words):
        return "Kazakh"
    return "Russian"


def detect_latin_system(text: str, nationality: str = "") -> str:
    """Best guess of the romanisation system of a Latin name (normalised text)."""
    letters = set(text)
    hint = _COUNTRY_LANG.get(nationality.upper(), "")
    if letters & set("ýžň"):
        return "Turkmen Latin"
    if letters & set("áǵńóú"):
        return "Kazakh Latin (2018)"
    if letters & set("ğñūı"):
        return "Kazakh Latin (2021)" if hint != "Azerbaijani" else "Azerbaijani Latin"
    if "ə" in letters:
        return "Azerbaijani Latin"
    if letters & set("äöüşç"):
        if hint in ("Kazakh", "Turkmen", "Azerbaijani"):
            return f"{hint} Latin" if hint != "Kazakh" else "Kazakh Latin (2021)"
        return "Turkic Latin"
    if letters & set("ščžŝûâèë"):
        return "ISO 9"
    if "o'" in text or "g'" in text:
        return "Uzbek Latin"
    if ("q" in letters or "x" in letters) and hint in ("Uzbek", "Tajik", ""):
        return "Uzbek Latin" if hint != "Tajik" else "Tajik Latin"
    if "ou" in text or "tch" in text:
        return "French"
    return "Latin"
