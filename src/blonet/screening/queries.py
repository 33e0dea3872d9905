"""A check's input, read the same way from the page, the API, a manifest row or a record.

`build_query` never lets bad input through and never crashes on it: each problem is a
translated, field-level `ValidationError`; what can still be screened is screened, with
warnings (control characters removed, an MRZ check digit wrong, words in an unsupported script
ignored).
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from blonet.core.errors import ValidationError
from blonet.records.normalise import country_code
from blonet.screening.choices import WatchlistKind
from blonet.screening.matching import make_subject
from blonet.screening.matching.dob import parse_dob
from blonet.screening.matching.keys import (
    container_key,
    document_key,
    phone_key,
    plate_key,
    vin_key,
)
from blonet.screening.matching.mrz import MrzResult, looks_like_mrz, parse_mrz
from blonet.screening.matching.normalize import normalize_text, unsupported_script
from blonet.screening.matching.orgs import org_key
from blonet.screening.matching.subject import Subject
from blonet.screening.messages import mrz_issue, script_label

# The input fields of each kind of check (API, page, manifest columns).
QUERY_FIELDS: dict[str, tuple[str, ...]] = {
    WatchlistKind.PERSON: ("name", "dob", "nationality", "doc_number"),
    WatchlistKind.VEHICLE: ("plate", "vin"),
    WatchlistKind.CONTAINER: ("container",),
    WatchlistKind.ORGANISATION: ("organisation",),
    WatchlistKind.PHONE: ("phone",),
    WatchlistKind.DOCUMENT: ("doc_number",),
}
MAX_LENGTHS = {
    "name": 400, "dob": 20, "nationality": 3, "doc_number": 40, "plate": 20, "vin": 20,
    "container": 20, "organisation": 300, "phone": 40,
}  # fmt: skip


@dataclass
class Query:
    kind: str
    given: dict[str, str]  # the fields as given (control characters removed)
    label: str  # how the query is shown on a hit
    subject: Subject | None = None  # persons
    values: dict[str, str] = field(default_factory=dict)  # identifiers: field -> as given
    fingerprint: str = ""  # "" when the traveller cannot be recognised again
    warnings: list[str] = field(default_factory=list)
    mrz: MrzResult | None = None

    def as_data(self) -> dict[str, str]:
        return {k: v for k, v in self.given.items() if v}


def strip_controls(text: str, *, keep_newlines: bool = False) -> tuple[str, bool]:
    """The text without control and format characters (newlines kept for MRZ lines)."""
    kept = []
    removed = False
    for ch in text:
        if keep_newlines and ch in "\r\n":
            kept.append(ch)
        elif ch == "\t":
            kept.append(" ")
        elif unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn"):
            removed = True
        else:
            kept.append(ch)
    return "".join(kept), removed


def _clean(
    data: dict[str, Any], names: tuple[str, ...], errors: dict[str, list[str]]
) -> tuple[dict[str, str], bool]:
    out: dict[str, str] = {}
    removed_any = False
    for name in names:
        value = data.get(name)
        if value is None:
            value = ""
        if not isinstance(value, str):
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                value = str(value)
            else:
                errors.setdefault(name, []).append(_("Give this as text."))
                continue
        value, removed = strip_controls(value, keep_newlines=name == "name")
        removed_any |= removed
        value = value.strip()
        if len(value) > MAX_LENGTHS.get(name, 300):
            errors.setdefault(name, []).append(
                _("At most %(n)s characters.") % {"n": MAX_LENGTHS.get(name, 300)}
            )
            continue
        out[name] = value
    return out, removed_any


def _fingerprint(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def person_fingerprint(subject: Subject) -> str:
    """Normalised name + date of birth + document number. Empty when the traveller has neither
    a date of birth nor a document number: a bare name cannot tell namesakes apart."""
    if not subject.names or (subject.dob is None and not subject.doc_number):
        return ""
    name = subject.names[0]
    skels = sorted(t.skel for t in name.core if not t.is_initial) or sorted(
        t.skel for t in name.tokens
    )
    return _fingerprint("person", " ".join(skels), str(subject.dob or ""), subject.doc_number)


def _dob(value: str, errors: dict[str, list[str]]) -> str:
    if not value:
        return ""
    try:
        parsed = parse_dob(value)
    except ValueError:
        errors.setdefault("dob", []).append(
            _("Write the date of birth as YYYY, YYYY-MM, YYYY-MM-DD or DD.MM.YYYY.")
        )
        return ""
    if parsed is None:
        return ""
    if parsed.year > timezone.localdate().year or parsed.year < 1900:
        errors.setdefault("dob", []).append(_("This date of birth is not possible."))
        return ""
    return str(parsed)


def _nationality(value: str, errors: dict[str, list[str]]) -> str:
    if not value:
        return ""
    code = country_code(value)
    if code is None:
        errors.setdefault("nationality", []).append(
            _("Unknown country code “%s”: use ISO 3166, e.g. TJ or TJK.") % value
        )
        return ""
    return code


def _person(given: dict[str, str], errors: dict[str, list[str]], warnings: list[str]) -> Query:
    name = given.get("name", "")
    mrz: MrzResult | None = None
    if not name:
        errors.setdefault("name", []).append(
            _("Type a name, or paste the two or three lines of the MRZ.")
        )
    elif looks_like_mrz(name):
        mrz = parse_mrz(name)
        warnings.extend(mrz_issue(i) for i in mrz.issues)
        if not mrz.surname and not mrz.given_names:
            errors.setdefault("name", []).append(_("No name can be read from this MRZ."))
    dob = _dob(given.get("dob", ""), errors)
    nationality = _nationality(given.get("nationality", ""), errors)
    doc = document_key(given.get("doc_number", ""))
    subject = None
    if name and "name" not in errors:
        norm = normalize_text(name)
        bad = unsupported_script(norm)
        subject = make_subject("query", name, (), dob, nationality, doc, family_first=mrz is None)
        if not subject.screenable:
            if bad is not None:
                errors.setdefault("name", []).append(
                    _(
                        "Names written in this script (%(script)s) cannot be screened yet: type "
                        "the name in Latin or Cyrillic letters, or paste the MRZ."
                    )
                    % {"script": script_label(bad.value)}
                )
            else:
                errors.setdefault("name", []).append(_("Type at least two letters of the name."))
        elif bad is not None:
            warnings.append(
                _("Words in %(script)s script were ignored; the rest of the name was screened.")
                % {"script": script_label(bad.value)}
            )
    if mrz is not None and subject is not None:
        # what the MRZ said, where the officer did not type it
        given = {
            **given,
            "dob": given.get("dob") or mrz.dob,
            "nationality": given.get("nationality") or mrz.nationality,
            "doc_number": given.get("doc_number") or mrz.doc_number,
        }
    label = mrz.name if mrz is not None else " ".join(name.split())
    query = Query(WatchlistKind.PERSON, given, label[:300], subject=subject, mrz=mrz)
    if subject is not None:
        query.fingerprint = person_fingerprint(subject)
    return query


_KEYS = {
    "plate": (plate_key, 2),
    "vin": (vin_key, 5),
    "container": (container_key, 4),
    "phone": (phone_key, 5),
    "doc_number": (document_key, 3),
}


def _identifiers(kind: str, given: dict[str, str], errors: dict[str, list[str]]) -> Query:
    values: dict[str, str] = {}
    for name in QUERY_FIELDS[kind]:
        value = given.get(name, "")
        if not value:
            continue
        if name == "organisation":
            if not org_key(value):
                errors.setdefault(name, []).append(_("Type the name of the organisation."))
            else:
                values[name] = value
            continue
        normalise, minimum = _KEYS[name]
        if len(normalise(value)) < minimum:
            errors.setdefault(name, []).append(
                _("At least %(n)s letters or digits.") % {"n": minimum}
            )
        else:
            values[name] = value
    if not values and not errors:
        first = QUERY_FIELDS[kind][0]
        errors.setdefault(first, []).append(_("Type what to screen."))
    label = " · ".join(values.values())
    keys = [
        f"{n}={_KEYS[n][0](v) if n in _KEYS else org_key(v)}" for n, v in sorted(values.items())
    ]
    return Query(kind, given, label[:300], values=values, fingerprint=_fingerprint(kind, *keys))


def build_query(kind: str, data: dict[str, Any]) -> Query:
    """The query of a check of `kind` from raw input; raises ValidationError(fields=...)."""
    if kind not in QUERY_FIELDS:
        raise ValidationError(fields={"kind": [_("Unknown kind of check.")]})
    errors: dict[str, list[str]] = {}
    given, removed = _clean(data, QUERY_FIELDS[kind], errors)
    warnings: list[str] = []
    if removed:
        warnings.append(_("Control characters were removed from the input."))
    if kind == WatchlistKind.PERSON:
        query = _person(given, errors, warnings)
    else:
        query = _identifiers(kind, given, errors)
    if errors:
        raise ValidationError(fields=errors)
    query.warnings = warnings + query.warnings
    return query
