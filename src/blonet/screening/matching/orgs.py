"""Organisation names: legal forms removed, quotes dropped, transliterated to one skeleton."""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from .normalize import normalize_text
from .translit import skeleton

__all__ = ["LEGAL_FORMS", "org_key", "org_similarity", "strip_legal_forms"]

# Legal forms of the region in Russian, Kazakh, Kyrgyz, Tajik, Uzbek, Turkmen and English,
# in any case; multi-word forms are written with spaces.
LEGAL_FORMS: tuple[str, ...] = (
    # Russian / CIS
    "ооо", "оао", "зао", "пао", "ао", "ип", "чп", "тоо", "нао", "одо", "гуп", "муп", "ано",
    "осоо", "ооо фирма",
    "общество с ограниченной ответственностью", "акционерное общество",
    "открытое акционерное общество", "закрытое акционерное общество",
    "товарищество с ограниченной ответственностью", "индивидуальный предприниматель",
    # Kazakh
    "жшс", "аақ", "ақ", "жк",
    # Kyrgyz
    "жчк", "ачк",
    # Ukrainian
    "тов", "пп", "пат", "прат",
    # Tajik
    "ҶДММ", "ҷдмм", "ҶСК", "ҷск", "ҶСП", "ҷсп",
    # Uzbek Latin / Cyrillic
    "mchj", "мчж", "xk", "хк", "qk", "қк", "aj", "аж", "ok", "ук", "yatt", "ятт", "xususiy korxona",
    "oilaviy korxona", "masuliyati cheklangan jamiyat", "mas'uliyati cheklangan jamiyat",
    # Turkmen
    "hj", "hk", "ahh",
    # Latin transliterations and English
    "ooo", "oao", "zao", "pao", "too", "ip", "llc", "llp", "ltd", "limited", "jsc", "ojsc",
    "cjsc", "pjsc", "inc", "corp", "corporation", "co", "company", "plc", "gmbh", "ag", "sa",
    "srl", "bv", "as", "llc", "l l c", "fze", "fzco", "fzc", "joint stock company",
    "limited liability company", "limited liability partnership",
)  # fmt: skip

_FORMS_NORMALISED = sorted(
    {normalize_text(f).replace(".", "") for f in LEGAL_FORMS}, key=lambda f: -len(f.split())
)


_QUOTED = re.compile(r"[«\"“„](.+?)[»\"”“]")


def _strip_one(words: list[str], *, at_start: bool) -> list[str]:
    for form in _FORMS_NORMALISED:
        parts = form.split()
        n = len(parts)
        if len(words) > n:
            if at_start and words[:n] == parts:
                return words[n:]
            if not at_start and words[-n:] == parts:
                return words[:-n]
    return words


def strip_legal_forms(name: str) -> str:
    """Normalised organisation name without its legal form.

    A quoted part (``ТОО «Ақ Жол»``) is taken as the name; otherwise one legal form is removed
    at the start and one at the end, so words that merely look like a form inside a name
    (Kazakh ``ақ`` "white") stay.
    """
    text = name or ""
    quoted = _QUOTED.search(text)
    if quoted and normalize_text(quoted.group(1)):
        return normalize_text(quoted.group(1))
    words = normalize_text(text.replace(".", " ")).split()
    words = _strip_one(_strip_one(words, at_start=True), at_start=False)
    return " ".join(words)


def org_key(name: str) -> str:
    """Script-independent key: legal forms stripped, each word skeletonised, words sorted."""
    return " ".join(sorted(skeleton(w) for w in strip_legal_forms(name).split()))


def org_similarity(a: str, b: str) -> float:
    """Similarity in [0, 1] of two organisation names, independent of legal form and script."""
    ka, kb = org_key(a), org_key(b)
    if not ka or not kb:
        return 0.0
    return fuzz.token_sort_ratio(ka, kb) / 100.0
