"""Machine-readable zone (ICAO Doc 9303) parsing: name fields, TD1/TD2/TD3 lines, check digits."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

__all__ = [
    "MrzResult",
    "check_digit",
    "looks_like_mrz",
    "parse_mrz",
    "parse_name_field",
]

_MRZ_CHARS = re.compile(r"^[A-Z0-9<]+$")


def _char_value(ch: str) -> int:
    if ch.isdigit():
        return int(ch)
    if "A" <= ch <= "Z":
        return ord(ch) - ord("A") + 10
    return 0  # the filler "<" and anything unexpected count as 0


def check_digit(data: str) -> str:
    """ICAO 9303 check digit (weights 7, 3, 1 repeated, modulo 10) of ``data``."""
    total = sum(_char_value(ch) * (7, 3, 1)[i % 3] for i, ch in enumerate(data))
    return str(total % 10)


@dataclass(slots=True)
class MrzResult:
    """What could be read from an MRZ; ``issues`` lists every problem found (never raised)."""

    kind: str  # "TD1", "TD2", "TD3" or "name field"
    surname: str = ""
    given_names: str = ""
    nationality: str = ""
    dob: str = ""  # YYYY-MM-DD, or "" when unreadable
    doc_number: str = ""
    issuing_state: str = ""
    issues: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        """Family name first, then the given names, separated by spaces."""
        return " ".join(p for p in (self.surname, self.given_names) if p)


def _words(field_text: str) -> str:
    return " ".join(p for p in field_text.replace("<", " ").split() if p)


def parse_name_field(field_text: str) -> tuple[str, str]:
    """Split ``SURNAME<<GIVEN<NAMES<<<`` into (surname, given names) with spaces for fillers."""
    text = field_text.strip().upper().rstrip("<")
    primary, _, secondary = text.partition("<<")
    return _words(primary), _words(secondary)


def looks_like_mrz(text: str) -> bool:
    """True for an MRZ name field (``A<<B``) or full MRZ lines."""
    compact = re.sub(r"\s+", "", text.upper())
    return "<<" in compact and bool(_MRZ_CHARS.match(compact))


def _mrz_date(yymmdd: str, *, birth: bool) -> str | None:
    if not re.fullmatch(r"\d{6}", yymmdd):
        return None
    yy, mm, dd = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])
    this_year = dt.date.today().year % 100
    century = 1900 if birth and yy > this_year else 2000
    try:
        return dt.date(century + yy, mm, dd).isoformat()
    except ValueError:
        return None


def _check(result: MrzResult, label: str, data: str, digit: str) -> None:
    if digit == "<" and data.strip("<") == "":
        return  # an empty optional field may have a filler check digit
    if not digit.isdigit() or check_digit(data) != digit:
        result.issues.append(f"MRZ check digit of {label} is wrong ({digit!r}, expected "
                             f"{check_digit(data)!r})")  # fmt: skip


def _split_lines(text: str) -> list[str]:
    lines = [re.sub(r"\s+", "", ln.upper()) for ln in text.strip().splitlines() if ln.strip()]
    if len(lines) == 1:
        one = lines[0]
        for width, count in ((44, 2), (36, 2), (30, 3)):
            if len(one) == width * count:
                return [one[i * width : (i + 1) * width] for i in range(count)]
    return lines


def _td3(result: MrzResult, l1: str, l2: str) -> None:
    result.issuing_state = l1[2:5].strip("<")
    result.surname, result.given_names = parse_name_field(l1[5:44])
    _line2(result, l2, composite=l2[0:10] + l2[13:20] + l2[21:43], composite_digit=l2[43])
    _check(result, "personal number", l2[28:42], l2[42])


def _td2(result: MrzResult, l1: str, l2: str) -> None:
    result.issuing_state = l1[2:5].strip("<")
    result.surname, result.given_names = parse_name_field(l1[5:36])
    _line2(result, l2, composite=l2[0:10] + l2[13:20] + l2[21:35], composite_digit=l2[35])


def _line2(result: MrzResult, l2: str, *, composite: str, composite_digit: str) -> None:
    result.doc_number = l2[0:9].strip("<")
    _check(result, "document number", l2[0:9], l2[9])
    result.nationality = l2[10:13].strip("<")
    _birth(result, l2[13:19], l2[19])
    _check(result, "expiry date", l2[21:27], l2[27])
    _check(result, "composite", composite, composite_digit)


def _birth(result: MrzResult, yymmdd: str, digit: str) -> None:
    _check(result, "date of birth", yymmdd, digit)
    dob = _mrz_date(yymmdd, birth=True)
    if dob is None:
        result.issues.append(f"MRZ date of birth {yymmdd!r} is not a valid date")
    result.dob = dob or ""


def _td1(result: MrzResult, l1: str, l2: str, l3: str) -> None:
    result.issuing_state = l1[2:5].strip("<")
    result.doc_number = l1[5:14].strip("<")
    _check(result, "document number", l1[5:14], l1[14])
    _birth(result, l2[0:6], l2[6])
    _check(result, "expiry date", l2[8:14], l2[14])
    result.nationality = l2[15:18].strip("<")
    _check(result, "composite", l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29], l2[29])
    result.surname, result.given_names = parse_name_field(l3)


def parse_mrz(text: str) -> MrzResult:
    """Parse a full MRZ (TD1, TD2 or TD3 lines) or a bare name field. Never raises.

    Problems (wrong line lengths, bad check digits, impossible dates) are listed in
    ``issues``; whatever could be read is still returned so the holder can be screened.
    """
    lines = _split_lines(text)
    shapes = [len(ln) for ln in lines]
    if shapes == [44, 44]:
        result = MrzResult(kind="TD3")
        _td3(result, *lines)
    elif shapes == [36, 36]:
        result = MrzResult(kind="TD2")
        _td2(result, *lines)
    elif shapes == [30, 30, 30]:
        result = MrzResult(kind="TD1")
        _td1(result, *lines)
    else:
        result = MrzResult(kind="name field")
        name_line = next((ln for ln in lines if "<<" in ln), "".join(lines))
        if len(lines) > 1:
            result.issues.append(
                f"MRZ lines have unexpected lengths {shapes}; only the name was read"
            )
        if re.match(r"^[PIACV][A-Z<][A-Z<]{3}", name_line) and name_line[1:2] in ("<", ""):
            name_line = name_line[5:]  # a TD3/TD2 first line on its own
        result.surname, result.given_names = parse_name_field(name_line)
    for ln in lines:
        if not _MRZ_CHARS.match(ln):
            result.issues.append("MRZ contains characters other than A-Z, 0-9 and '<'")
            break
    return result
