"""Partial dates of birth and their forgiving comparison.

A date may be known to the year, the month or the day. The comparison forgives the usual
errors of border and police records (day and month swapped, year off by one, 1 January used as
a placeholder for an unknown day, one mistyped digit, a missing date) but treats a clear
mismatch as strong evidence against a match.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

__all__ = ["DobMatch", "DobResult", "PartialDate", "compare_dob", "dob_kind", "parse_dob"]


@dataclass(frozen=True, slots=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None

    def __str__(self) -> str:
        parts = [f"{self.year:04d}"]
        if self.month is not None:
            parts.append(f"{self.month:02d}")
            if self.day is not None:
                parts.append(f"{self.day:02d}")
        return "-".join(parts)

    @property
    def is_placeholder(self) -> bool:
        """1 January is often written when only the year is known."""
        return self.month == 1 and self.day == 1


_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_DMY = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def _valid(year: int, month: int | None, day: int | None) -> bool:
    if not 1850 <= year <= 2100:
        return False
    if month is None:
        return day is None
    if not 1 <= month <= 12:
        return False
    if day is None:
        return True
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def parse_dob(text: str | None) -> PartialDate | None:
    """Parse ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` (also ``DD.MM.YYYY`` and ``YYYYMMDD``).

    Returns None for empty text. Raises ValueError with a readable message for text that is
    not a date, so that file readers can report the row.
    """
    s = (text or "").strip()
    if not s:
        return None
    year: int
    month: int | None = None
    day: int | None = None
    if m := _ISO.match(s):
        year = int(m.group(1))
        month = int(m.group(2)) if m.group(2) else None
        day = int(m.group(3)) if m.group(3) else None
    elif m := _DMY.match(s):
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
    elif m := _COMPACT.match(s):
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        raise ValueError(f"date of birth {s!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    if month == 0 and day in (0, None):  # 1970-00-00 style "unknown" parts
        month = day = None
    elif day == 0:
        day = None
    if not _valid(year, month, day):
        raise ValueError(f"date of birth {s!r} is not a valid date")
    return PartialDate(year, month, day)


class DobMatch(StrEnum):
    EXACT = "exact"
    PARTIAL = "consistent (partial date)"
    PLACEHOLDER = "consistent (01-01 placeholder)"
    SWAPPED = "day/month swapped"
    YEAR_OFF = "year ±1"
    YEAR_OFF_PARTIAL = "year ±1 (partial date)"
    DIGIT_TYPO = "one digit differs"
    MISSING = "missing"
    MISMATCH = "mismatch"


@dataclass(frozen=True, slots=True)
class DobResult:
    kind: DobMatch
    text: str


def _one_digit_apart(a: int, b: int) -> bool:
    sa, sb = f"{a:02d}", f"{b:02d}"
    return sum(x != y for x, y in zip(sa, sb, strict=True)) == 1


def compare_dob(a: PartialDate | None, b: PartialDate | None) -> DobResult:
    """Compare two partial dates; symmetric in its arguments."""
    if a is None or b is None:
        return DobResult(DobMatch.MISSING, "DOB missing")
    if a == b:
        kind = DobMatch.EXACT if a.day is not None else DobMatch.PARTIAL
        return DobResult(kind, f"DOB {a} {'exact' if kind is DobMatch.EXACT else 'equal'}")
    same_year = a.year == b.year
    year_off = abs(a.year - b.year) == 1
    if a.month is None or b.month is None:
        if same_year:
            return DobResult(DobMatch.PARTIAL, f"DOB {a} consistent with {b}")
        if year_off:
            return DobResult(DobMatch.YEAR_OFF_PARTIAL, f"DOB year {a.year} vs {b.year} (±1)")
        return DobResult(DobMatch.MISMATCH, f"DOB {a} vs {b} differ")
    if same_year and (a.is_placeholder or b.is_placeholder):
        return DobResult(DobMatch.PLACEHOLDER, f"DOB {a} vs {b}: 01-01 placeholder, year equal")
    if a.day is None or b.day is None:
        if same_year and a.month == b.month:
            return DobResult(DobMatch.PARTIAL, f"DOB {a} consistent with {b}")
        if same_year and (a.month == b.day or b.month == a.day):
            return DobResult(DobMatch.SWAPPED, f"DOB {a} vs {b}: day/month swapped")
        if year_off and a.month == b.month:
            return DobResult(DobMatch.YEAR_OFF_PARTIAL, f"DOB {a} vs {b}: year ±1")
        return DobResult(DobMatch.MISMATCH, f"DOB {a} vs {b} differ")
    md_equal = a.month == b.month and a.day == b.day
    if same_year and a.month == b.day and a.day == b.month:
        return DobResult(DobMatch.SWAPPED, f"DOB {a} vs {b}: day/month swapped")
    if md_equal and year_off:
        return DobResult(DobMatch.YEAR_OFF, f"DOB {a} vs {b}: year ±1")
    if same_year and (
        (a.month == b.month and _one_digit_apart(a.day, b.day))
        or (a.day == b.day and _one_digit_apart(a.month, b.month))
    ):
        return DobResult(DobMatch.DIGIT_TYPO, f"DOB {a} vs {b}: one digit differs")
    return DobResult(DobMatch.MISMATCH, f"DOB {a} vs {b} differ")


def dob_kind(a: PartialDate | None, b: PartialDate | None) -> DobMatch:
    """``compare_dob(a, b).kind`` without building the explanation (the scoring hot path)."""
    if a is None or b is None:
        return DobMatch.MISSING
    if a == b:
        return DobMatch.EXACT if a.day is not None else DobMatch.PARTIAL
    same_year = a.year == b.year
    year_off = abs(a.year - b.year) == 1
    if a.month is None or b.month is None:
        if same_year:
            return DobMatch.PARTIAL
        return DobMatch.YEAR_OFF_PARTIAL if year_off else DobMatch.MISMATCH
    if not (same_year or year_off):
        return DobMatch.MISMATCH
    if same_year and (a.is_placeholder or b.is_placeholder):
        return DobMatch.PLACEHOLDER
    if a.day is None or b.day is None:
        if same_year and a.month == b.month:
            return DobMatch.PARTIAL
        if same_year and (a.month == b.day or b.month == a.day):
            return DobMatch.SWAPPED
        if year_off and a.month == b.month:
            return DobMatch.YEAR_OFF_PARTIAL
        return DobMatch.MISMATCH
    if same_year and a.month == b.day and a.day == b.month:
        return DobMatch.SWAPPED
    if year_off and a.month == b.month and a.day == b.day:
        return DobMatch.YEAR_OFF
    if same_year and (
        (a.month == b.month and _one_digit_apart(a.day, b.day))
        or (a.day == b.day and _one_digit_apart(a.month, b.month))
    ):
        return DobMatch.DIGIT_TYPO
    return DobMatch.MISMATCH
