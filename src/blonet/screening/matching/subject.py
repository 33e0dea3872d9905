"""A screened person: a watchlist entry or a query, with names analysed once."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .dob import PartialDate, parse_dob
from .names import ParsedName, parse_name

__all__ = ["Subject", "make_subject", "normalize_country", "normalize_doc_number"]

# ISO 3166 alpha-2 -> alpha-3 for the region, its neighbours and frequent travel countries.
# Other codes are compared as written.
_ALPHA2_TO_3 = {
    "TJ": "TJK", "UZ": "UZB", "KZ": "KAZ", "KG": "KGZ", "TM": "TKM", "AF": "AFG", "RU": "RUS",
    "CN": "CHN", "IR": "IRN", "PK": "PAK", "AZ": "AZE", "AM": "ARM", "GE": "GEO", "TR": "TUR",
    "UA": "UKR", "BY": "BLR", "MN": "MNG", "IN": "IND", "AE": "ARE", "SA": "SAU", "DE": "DEU",
    "US": "USA", "GB": "GBR", "FR": "FRA", "IT": "ITA", "PL": "POL", "KR": "KOR", "JP": "JPN",
    "IQ": "IRQ", "SY": "SYR", "MD": "MDA", "LV": "LVA", "LT": "LTU", "EE": "EST", "QA": "QAT",
}  # fmt: skip
# MRZ codes that are not ISO 3166 alpha-3
_MRZ_CODES = {"D": "DEU", "D<<": "DEU"}


def normalize_country(code: str | None) -> str:
    """Upper-case alpha-3 code where known; alpha-2 codes of the table converted."""
    c = (code or "").strip().upper()
    c = _MRZ_CODES.get(c, c)
    return _ALPHA2_TO_3.get(c, c)


def normalize_doc_number(doc: str | None) -> str:
    """Document number with spaces, dashes and MRZ fillers removed, upper case."""
    return re.sub(r"[^0-9A-Z]", "", (doc or "").upper().replace("<", ""))


@dataclass(frozen=True, slots=True)
class Subject:
    id: str
    names: tuple[ParsedName, ...]
    dob: PartialDate | None
    nationality: str
    doc_number: str
    issues: tuple[str, ...] = ()

    @property
    def screenable(self) -> bool:
        """True if at least one name has two letters or more to match on."""
        return any(sum(len(t.skel) for t in n.tokens) >= 2 for n in self.names)


def make_subject(
    id: str,
    name: str,
    aliases: Iterable[str] = (),
    dob: str | None = "",
    nationality: str | None = "",
    doc_number: str | None = "",
    *,
    family_first: bool = True,
) -> Subject:
    """Analyse a person's fields. Never raises: problems are listed in ``issues``.

    For an MRZ name, the date of birth, nationality and document number read from the MRZ are
    used when the corresponding field is empty.
    """
    issues: list[str] = []
    nat = normalize_country(nationality)
    names: list[ParsedName] = []
    for i, raw in enumerate([name, *aliases]):
        if not isinstance(raw, str) or (i > 0 and not raw.strip()):
            continue
        parsed = parse_name(raw, nat, family_first=family_first)
        label = "name" if i == 0 else f"alias {raw!r}"
        issues.extend(f"{label}: {msg}" for msg in parsed.issues)
        if parsed.tokens:
            names.append(parsed)
    mrz = next((n for n in names if n.system == "MRZ"), None)
    dob_text = (dob or "").strip() or (mrz.mrz_dob if mrz else "")
    try:
        parsed_dob = parse_dob(dob_text)
    except ValueError as exc:
        issues.append(f"{exc}; date of birth ignored")
        parsed_dob = None
    if not nat and mrz is not None:
        nat = normalize_country(mrz.mrz_nationality)
    doc = normalize_doc_number(doc_number) or (mrz.mrz_doc_number if mrz else "")
    return Subject(str(id), tuple(names), parsed_dob, nat, doc, tuple(issues))
