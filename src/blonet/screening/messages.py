"""The matching engine speaks English in fixed shapes; officers read them in their language.

Each explanation line and input issue of ``screening.matching`` is matched against the shapes
below and rendered through gettext; a line of an unknown shape is shown as the engine wrote it.
Hits store the engine's lines (data), pages and exports translate them when shown.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

_ROLES = {
    "family name": gettext_lazy("family name"),
    "given name": gettext_lazy("given name"),
    "patronymic": gettext_lazy("patronymic"),
}
_LANGUAGES = {
    "Russian": gettext_lazy("Russian"),
    "Kazakh": gettext_lazy("Kazakh"),
    "Kyrgyz": gettext_lazy("Kyrgyz"),
    "Tajik": gettext_lazy("Tajik"),
    "Uzbek": gettext_lazy("Uzbek"),
    "Turkmen": gettext_lazy("Turkmen"),
    "Azerbaijani": gettext_lazy("Azerbaijani"),
    "Turkic": gettext_lazy("Turkic"),
}
_SYSTEMS = {
    "MRZ": gettext_lazy("ICAO MRZ"),
    "ISO 9": gettext_lazy("ISO 9"),
    "French": gettext_lazy("French romanisation"),
    "Latin": gettext_lazy("Latin"),
    "mixed Cyrillic/Latin": gettext_lazy("mixed Cyrillic/Latin"),
    "unknown script": gettext_lazy("unknown script"),
}


_SCRIPTS = {
    "Latin": gettext_lazy("Latin"),
    "Cyrillic": gettext_lazy("Cyrillic"),
    "Arabic": gettext_lazy("Arabic"),
    "Chinese/Japanese/Korean": gettext_lazy("Chinese, Japanese or Korean"),
    "other": gettext_lazy("another script"),
}


def script_label(script: str) -> str:
    """A script's name (matching.normalize.Script) in the UI language."""
    return str(_SCRIPTS.get(str(script), script))


def system_label(system: str) -> str:
    """`Tajik Cyrillic`, `Kazakh Latin (2021)`, `MRZ` ... in the UI language."""
    system = system.strip()
    if system in _SYSTEMS:
        return str(_SYSTEMS[system])
    m = re.fullmatch(r"(\w+) (Cyrillic|Latin)( \((\d{4})\))?", system)
    if m and m.group(1) in _LANGUAGES:
        lang = str(_LANGUAGES[m.group(1)])
        if m.group(2) == "Cyrillic":
            label = _("%(language)s Cyrillic") % {"language": lang}
        else:
            label = _("%(language)s Latin") % {"language": lang}
        return f"{label} ({m.group(4)})" if m.group(4) else label
    return system


def _systems(text: str) -> str:
    return " → ".join(system_label(s) for s in text.split(" → "))


def _role(text: str) -> str:
    return str(_ROLES.get(text, text))


_ROLE = r"(?P<role>family name|given name|patronymic)"
_DOB = r"(?P<a>\d{4}(?:-\d\d){0,2})"
_DOB2 = r"(?P<b>\d{4}(?:-\d\d){0,2})"
Render = Callable[[dict[str, str]], str]


def _shapes() -> list[tuple[re.Pattern[str], Render]]:
    def r(d: dict[str, str]) -> dict[str, str]:
        out = dict(d)
        if "role" in out:
            out["role"] = _role(out["role"])
        if "systems" in out:
            out["systems"] = _systems(out["systems"])
        return out

    table: list[tuple[str, Render]] = [
        (rf"{_ROLE} (?P<e>.+) exact", lambda d: _("%(role)s %(e)s exact") % r(d)),
        (
            rf"{_ROLE} (?P<e>.+) ≈ (?P<q>.+) \((?P<systems>.+), spelling variant\)",
            lambda d: _("%(role)s %(e)s ≈ %(q)s (%(systems)s, spelling variant)") % r(d),
        ),
        (
            rf"{_ROLE} (?P<e>.+) ≈ (?P<q>.+) \((?P<systems>.+), (?P<p>\d+)% similar\)",
            lambda d: _("%(role)s %(e)s ≈ %(q)s (%(systems)s, %(p)s%% similar)") % r(d),
        ),
        (
            rf"{_ROLE} (?P<e>.+) = (?P<q>.+) \((?P<systems>.+)\)",
            lambda d: _("%(role)s %(e)s = %(q)s (%(systems)s)") % r(d),
        ),
        (
            rf"{_ROLE} (?P<e>.+) ~ initial (?P<q>.+)",
            lambda d: _("%(role)s %(e)s ~ initial %(q)s") % r(d),
        ),
        (r"name order swapped", lambda d: _("name order swapped")),
        (r"name order differs", lambda d: _("name order differs")),
        (
            rf"{_ROLE} (?P<t>.+) only in the watchlist entry",
            lambda d: _("%(role)s %(t)s only in the watchlist entry") % r(d),
        ),
        (
            rf"{_ROLE} (?P<t>.+) only in the query",
            lambda d: _("%(role)s %(t)s only in the query") % r(d),
        ),
        (r"matched alias '(?P<a>.*)'", lambda d: _("matched alias “%(a)s”") % d),
        (r'matched alias "(?P<a>.*)"', lambda d: _("matched alias “%(a)s”") % d),
        (r"DOB missing", lambda d: _("date of birth missing on one side")),
        (rf"DOB {_DOB} exact", lambda d: _("date of birth %(a)s exact") % d),
        (rf"DOB {_DOB} equal", lambda d: _("date of birth %(a)s equal") % d),
        (
            rf"DOB {_DOB} consistent with {_DOB2}",
            lambda d: _("date of birth %(a)s consistent with %(b)s") % d,
        ),
        (
            r"DOB year (?P<a>\d{4}) vs (?P<b>\d{4}) \(±1\)",
            lambda d: _("year of birth %(a)s vs %(b)s (one year apart)") % d,
        ),
        (
            rf"DOB {_DOB} vs {_DOB2} differ",
            lambda d: _("date of birth %(a)s vs %(b)s: different") % d,
        ),
        (
            rf"DOB {_DOB} vs {_DOB2}: 01-01 placeholder, year equal",
            lambda d: _("date of birth %(a)s vs %(b)s: 1 January placeholder, year equal") % d,
        ),
        (
            rf"DOB {_DOB} vs {_DOB2}: day/month swapped",
            lambda d: _("date of birth %(a)s vs %(b)s: day and month swapped") % d,
        ),
        (
            rf"DOB {_DOB} vs {_DOB2}: year ±1",
            lambda d: _("date of birth %(a)s vs %(b)s: one year apart") % d,
        ),
        (
            rf"DOB {_DOB} vs {_DOB2}: one digit differs",
            lambda d: _("date of birth %(a)s vs %(b)s: one digit differs") % d,
        ),
        (
            r"nationality (?P<a>[A-Z]{2,3}) equal",
            lambda d: _("nationality %(a)s equal") % d,
        ),
        (
            r"nationality differs \((?P<a>[A-Z]{2,3}) vs (?P<b>[A-Z]{2,3})\)",
            lambda d: _("nationality differs (%(a)s on the list, %(b)s given)") % d,
        ),
        (
            r"document number (?P<a>\S+) equal",
            lambda d: _("document number %(a)s equal") % d,
        ),
        (r"names do not match", lambda d: _("names do not match")),
        # identifiers and organisations (matching.keys)
        (
            r"(?P<label>plate|VIN|container|phone|document) (?P<e>.+) exact",
            lambda d: _("%(label)s %(e)s exact") % _label(d),
        ),
        (
            r"(?P<label>plate|VIN|container|phone|document) (?P<e>.+) = (?P<q>.+) \(normalised\)",
            lambda d: (
                _("%(label)s %(e)s = %(q)s (spaces, dashes and look-alike letters ignored)")
                % _label(d)
            ),
        ),
        (
            r"(?P<label>phone) (?P<e>.+) ≈ (?P<q>.+) \(same last (?P<n>\d+) digits\)",
            lambda d: _("%(label)s %(e)s ≈ %(q)s (the same last %(n)s digits)") % _label(d),
        ),
        (
            r"organisation (?P<e>.+) = (?P<q>.+) \(legal form and script ignored\)",
            lambda d: _("organisation %(e)s = %(q)s (legal form and script ignored)") % d,
        ),
        (
            r"organisation (?P<e>.+) ≈ (?P<q>.+) \((?P<p>\d+)% similar\)",
            lambda d: _("organisation %(e)s ≈ %(q)s (%(p)s%% similar)") % d,
        ),
    ]
    return [(re.compile(f"^{pattern}$"), render) for pattern, render in table]


_IDENTIFIERS = {
    "plate": gettext_lazy("plate"),
    "VIN": gettext_lazy("VIN"),
    "container": gettext_lazy("container"),
    "phone": gettext_lazy("phone"),
    "document": gettext_lazy("document"),
}


def _label(d: dict[str, str]) -> dict[str, str]:
    return {**d, "label": str(_IDENTIFIERS.get(d["label"], d["label"]))}


_SHAPES: list[tuple[re.Pattern[str], Render]] | None = None


def explain_line(line: str) -> str:
    """One engine explanation line in the UI language."""
    global _SHAPES
    if _SHAPES is None:
        _SHAPES = _shapes()
    text = str(line)
    namesakes = re.fullmatch(r"(?P<dob>.+); (?P<n>\d+) list entries share this name", text)
    if namesakes:
        return _("%(dob)s; %(n)s list entries share this name") % {
            "dob": explain_line(namesakes.group("dob")),
            "n": namesakes.group("n"),
        }
    for pattern, render in _SHAPES:
        m = pattern.match(text)
        if m:
            return render(m.groupdict())
    return text


def explain(lines: Iterable[str]) -> list[str]:
    return [explain_line(line) for line in lines]


_MRZ_LABELS = {
    "document number": gettext_lazy("document number"),
    "date of birth": gettext_lazy("date of birth"),
    "expiry date": gettext_lazy("expiry date"),
    "composite": gettext_lazy("the whole line (composite)"),
    "personal number": gettext_lazy("personal number"),
}


def mrz_issue(issue: str) -> str:
    """An MRZ problem found by ``parse_mrz`` in the UI language."""
    m = re.fullmatch(r"MRZ check digit of (.+) is wrong \('(.*)', expected '(\d)'\)", issue)
    if m:
        label = str(_MRZ_LABELS.get(m.group(1), m.group(1)))
        return _(
            "MRZ check digit of the %(field)s is wrong (%(found)s, expected %(expected)s): "
            "check the document; the holder was screened anyway."
        ) % {"field": label, "found": m.group(2) or "—", "expected": m.group(3)}
    m = re.fullmatch(r"MRZ date of birth '(.*)' is not a valid date", issue)
    if m:
        return _("The MRZ date of birth %(value)s is not a valid date.") % {"value": m.group(1)}
    m = re.fullmatch(r"MRZ lines have unexpected lengths \[(.*)\]; only the name was read", issue)
    if m:
        return _(
            "The MRZ lines have unexpected lengths (%(lengths)s characters); only the name was "
            "read."
        ) % {"lengths": m.group(1)}
    if issue.startswith("MRZ contains characters"):
        return _("The MRZ contains characters other than A–Z, 0–9 and “<”.")
    return issue
