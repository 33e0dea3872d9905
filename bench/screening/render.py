"""Ways the same name gets written: romanisation systems, script changes, MRZ, typos.

These tables are written for the generator from the published systems (ICAO Doc 9303 Part 3,
BGN/PCGN 1947 Russian, ISO 9:1995, the French usage, official Uzbek Latin, Kazakh Latin 2021,
Turkmen Latin); the engine does not use them. ``cyrtranslit`` and ``unidecode`` add
transliterations from independent code.
"""

from __future__ import annotations

import random

import cyrtranslit
from unidecode import unidecode

# Native letters -> the Russian-language spelling of the same name (Қодиров -> Кодиров).
RUSSIFY = str.maketrans(
    {
        "қ": "к",
        "ғ": "г",
        "ҳ": "х",
        "ӣ": "и",
        "ӯ": "у",
        "ў": "у",
        "ә": "а",
        "ө": "о",
        "ү": "у",
        "ұ": "у",
        "ң": "н",
        "һ": "х",
        "і": "и",
        "Қ": "К",
        "Ғ": "Г",
        "Ҳ": "Х",
        "Ӣ": "И",
        "Ӯ": "У",
        "Ў": "У",
        "Ә": "А",
        "Ө": "О",
        "Ү": "У",
        "Ұ": "У",
        "Ң": "Н",
        "Һ": "Х",
        "І": "И",
        "ҷ": "дж",
        "Ҷ": "Дж",
        "ъ": "ъ",
    }
)

_BASE = dict(
    zip(
        "абвгдезиклмнопрстуфы",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "z",
            "i",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "y",
        ],
        strict=True,
    )
)
ICAO = {
    **_BASE,
    "ё": "e",
    "ж": "zh",
    "й": "i",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "ie",
    "ь": "",
    "э": "e",
    "ю": "iu",
    "я": "ia",
}
BGN = {
    **_BASE,
    "ё": "yo",
    "ж": "zh",
    "й": "y",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ь": "'",
    "э": "e",
    "ю": "yu",
    "я": "ya",
}
FRENCH = {
    **_BASE,
    "у": "ou",
    "ё": "io",
    "ж": "j",
    "й": "ï",
    "х": "kh",
    "ц": "ts",
    "ч": "tch",
    "ш": "ch",
    "щ": "chtch",
    "ъ": "",
    "ь": "",
    "э": "e",
    "ю": "iou",
    "я": "ia",
    "с": "s",
    "ы": "y",
}
ISO9 = {
    **_BASE,
    "ё": "ë",
    "ж": "ž",
    "й": "j",
    "х": "h",
    "ц": "c",
    "ч": "č",
    "ш": "š",
    "щ": "ŝ",
    "ъ": "ʺ",
    "ь": "ʹ",
    "э": "è",
    "ю": "û",
    "я": "â",
    "ғ": "ġ",
    "қ": "ķ",
    "ҳ": "ḩ",
    "ҷ": "č",
    "ӣ": "ī",
    "ӯ": "ū",
    "ў": "ŭ",
    "ә": "ä",
    "ө": "ô",
    "ү": "ù",
    "ұ": "ū",
    "ң": "ṇ",
    "һ": "ḥ",
    "і": "ì",
}
UZ_LATIN = {
    **_BASE,
    "ё": "yo",
    "ж": "j",
    "й": "y",
    "х": "x",
    "ц": "s",
    "ч": "ch",
    "ш": "sh",
    "щ": "sh",
    "ъ": "ʼ",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
    "ў": "oʻ",
    "ғ": "gʻ",
    "қ": "q",
    "ҳ": "h",
    "ҷ": "j",
    "ӣ": "i",
    "ӯ": "u",
}
KZ2021 = {
    **_BASE,
    "ә": "ä",
    "ғ": "ğ",
    "ё": "io",
    "ж": "j",
    "й": "i",
    "и": "i",
    "қ": "q",
    "ң": "ñ",
    "ө": "ö",
    "ұ": "ū",
    "ү": "ü",
    "х": "h",
    "һ": "h",
    "ц": "ts",
    "ч": "ç",
    "ш": "ş",
    "щ": "şş",
    "ъ": "",
    "ы": "y",
    "і": "i",
    "ь": "",
    "э": "e",
    "ю": "iu",
    "я": "ia",
}
KG_LATIN = {**BGN, "ң": "ng", "ө": "ö", "ү": "ü"}

# Latin canonical forms (uz_UZ, az_AZ, Turkmen) -> Cyrillic, longest first.
_LAT_TO_CYR_UZ = [
    ("oʻ", "ў"),
    ("o‘", "ў"),
    ("o'", "ў"),
    ("gʻ", "ғ"),
    ("g‘", "ғ"),
    ("g'", "ғ"),
    ("sh", "ш"),
    ("ch", "ч"),
    ("yo", "ё"),
    ("yu", "ю"),
    ("ya", "я"),
    ("ye", "е"),
    ("ng", "нг"),
    ("’", "ъ"),
    ("ʼ", "ъ"),
    ("'", "ъ"),
]
_LAT_TO_CYR_TK = [
    ("ä", "ә"),
    ("ç", "ч"),
    ("ž", "ж"),
    ("j", "җ"),
    ("ň", "ң"),
    ("ö", "ө"),
    ("ş", "ш"),
    ("ü", "ү"),
    ("ý", "й"),
    ("y", "ы"),
    ("ý", "й"),
]
_LAT_TO_CYR_AZ = [
    ("ə", "а"),
    ("ç", "ч"),
    ("ş", "ш"),
    ("ğ", "г"),
    ("ı", "ы"),
    ("ö", "ё"),
    ("ü", "ю"),
    ("c", "дж"),
    ("x", "х"),
    ("q", "г"),
    ("j", "ж"),
    ("y", "й"),
]
_SIMPLE = dict(zip("abdefghiklmnopqrstuvxyz", "абдефгхиклмнопкрстувхйз", strict=True))
_SIMPLE.update({"j": "ж", "w": "в", "c": "ц", "e": "е"})


def _match_case(src: str, out: str) -> str:
    if src.isupper() and len(src) > 1:
        return out.upper()
    if src[:1].isupper():
        return out[:1].upper() + out[1:]
    return out


def table(word: str, tbl: dict[str, str]) -> str:
    low = word.lower()
    out: list[str] = []
    for i, ch in enumerate(low):
        t = tbl.get(ch, ch)
        if tbl is BGN and ch == "е" and (i == 0 or low[i - 1] in "аеёиоуыэюяъь"):
            t = "ye"
        out.append(t)
    return _match_case(word, "".join(out))


def latin_to_cyrillic(word: str, lang: str) -> str:
    pairs = {"uz": _LAT_TO_CYR_UZ, "tm": _LAT_TO_CYR_TK, "az": _LAT_TO_CYR_AZ}[lang]
    low = word.lower()
    out: list[str] = []
    i = 0
    while i < len(low):
        for src, dst in pairs:
            if low.startswith(src, i):
                out.append(dst)
                i += len(src)
                break
        else:
            ch = low[i]
            if lang == "uz" and ch == "e" and i == 0:
                out.append("э")
            elif lang == "uz" and ch == "h":
                out.append("ҳ")
            elif lang == "uz" and ch == "q":
                out.append("қ")
            else:
                out.append(_SIMPLE.get(ch, ch))
            i += 1
    return _match_case(word, "".join(out))


def russify(word: str, rng: random.Random, lang: str) -> str:
    """Russian-language spelling of a Central Asian Cyrillic name (Курбонов -> Курбанов)."""
    out = word.translate(RUSSIFY)
    if lang in ("tj", "uz") and rng.random() < 0.5:
        # Tajik/Uzbek "о" for the Persian long a is written "а" in Russian
        idx = out.rfind("он", 1, max(1, len(out) - 2))
        if idx > 0:
            out = out[:idx] + "а" + out[idx + 1 :]
    return out


SYSTEMS = (
    "icao",
    "bgn",
    "iso9",
    "french",
    "cyrtranslit",
    "unidecode",
    "uz_latin",
    "kz2021",
    "kg_latin",
)


def romanise(word: str, system: str, lang: str) -> str:
    """One Cyrillic word in a Latin system."""
    if system == "icao":
        return table(word.translate(RUSSIFY), ICAO).upper()
    if system == "bgn":
        return table(word.translate(RUSSIFY), BGN)
    if system == "iso9":
        return table(word, ISO9)
    if system == "french":
        return table(word.translate(RUSSIFY), FRENCH)
    if system == "cyrtranslit":
        return cyrtranslit.to_latin(word, "tj" if lang == "tj" else "ru")
    if system == "unidecode":
        return unidecode(word)
    if system == "uz_latin":
        return table(word, UZ_LATIN)
    if system == "kz2021":
        return table(word, KZ2021)
    if system == "kg_latin":
        return table(word, KG_LATIN)
    raise ValueError(system)


def systems_for(lang: str) -> tuple[str, ...]:
    """Romanisation systems that are used in practice for names of ``lang``."""
    common = ("icao", "bgn", "iso9", "french", "cyrtranslit", "unidecode")
    extra = {"tj": ("uz_latin",), "uz": ("uz_latin",), "kz": ("kz2021",), "kg": ("kg_latin",)}
    return common + extra.get(lang, ())


def typo(word: str, rng: random.Random) -> str:
    """One keyboard-style error: deletion, insertion, substitution or transposition."""
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    op = rng.choice(("del", "ins", "sub", "swap"))
    letters = "aeiouklmnrst" if word.isascii() else "аеиоуклмнрст"
    if word.isupper():
        letters = letters.upper()
    if op == "del":
        return word[:i] + word[i + 1 :]
    if op == "ins":
        return word[:i] + rng.choice(letters) + word[i:]
    if op == "sub":
        return word[:i] + rng.choice([c for c in letters if c != word[i]]) + word[i + 1 :]
    return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]
