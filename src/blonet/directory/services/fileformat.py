"""The directory file: parse (YAML or JSON) with line numbers, validate every entry, and dump.

Validation collects every problem with its line before anything touches the database, so an
invalid file is rejected whole and a node administrator sees all the errors at once.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pycountry
import yaml
from django.utils.translation import gettext as _

from blonet.core.choices import Precision
from blonet.directory.choices import AgencyKind, CoordPrecision, OfficeKind, SiteKind

FORMAT_VERSION = 1
SECTIONS = ("countries", "agencies", "sites", "offices", "counterpart_pairs")
LINE = "__line__"
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,79}$")
PARTIAL_DATE_RE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")

COMMON = {"source", "precision", "note", LINE}
FIELDS: dict[str, set[str]] = {
    "countries": COMMON | {"code"},
    "agencies": COMMON | {"id", "country", "kind", "name", "name_ru", "abbreviation"},
    "sites": COMMON
    | {"id", "name", "name_ru", "kind", "country", "border", "lat", "lon", "coord_precision"},
    "offices": COMMON
    | {"id", "name", "name_ru", "kind", "site", "agency", "opened", "open_by", "open_after"},
    "counterpart_pairs": COMMON | {"offices"},
}


@dataclass(frozen=True)
class Problem:
    line: int | None
    where: str
    message: str

    def __str__(self) -> str:
        prefix = _("line %(line)s") % {"line": self.line} if self.line else _("file")
        return (
            f"{prefix}: {self.where}: {self.message}" if self.where else f"{prefix}: {self.message}"
        )


class DirectoryFileError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that records the line of each mapping under LINE."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = {str(k): v for k, v in loader.construct_mapping(node, deep=True).items()}
    mapping[LINE] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,  # type: ignore[arg-type]
)


def parse(text: str) -> dict[str, Any]:
    """Parse YAML (or JSON, which the YAML loader reads too) into plain data with line marks."""
    try:
        data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else None
        raise DirectoryFileError(
            [Problem(line, "", _("not valid YAML or JSON: %(error)s") % {"error": exc.problem})]
        ) from exc
    except yaml.YAMLError as exc:
        raise DirectoryFileError([Problem(None, "", _("not valid YAML or JSON"))]) from exc
    if not isinstance(data, dict):
        raise DirectoryFileError(
            [
                Problem(
                    1, "", _("the file must be a mapping with the lists %s") % ", ".join(SECTIONS)
                )
            ]
        )
    return {str(k): v for k, v in data.items()}


@dataclass
class Validated:
    """The file's content, checked and normalised, ready to apply."""

    countries: list[dict[str, Any]] = field(default_factory=list)
    agencies: list[dict[str, Any]] = field(default_factory=list)
    sites: list[dict[str, Any]] = field(default_factory=list)
    offices: list[dict[str, Any]] = field(default_factory=list)
    counterpart_pairs: list[dict[str, Any]] = field(default_factory=list)


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


class _Checker:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, entry: dict[str, Any] | None, where: str, message: str) -> None:
        line = entry.get(LINE) if isinstance(entry, dict) else None
        self.problems.append(Problem(line, where, message))

    def text(
        self,
        entry: dict[str, Any],
        where: str,
        key: str,
        *,
        required: bool = True,
        max_len: int = 200,
    ) -> str:
        value = entry.get(key)
        if value is None or value == "":
            if required:
                self.add(entry, where, _("“%(field)s” is required") % {"field": key})
            return ""
        if not isinstance(value, (str, int)) or isinstance(value, bool):
            self.add(entry, where, _("“%(field)s” must be text") % {"field": key})
            return ""
        value = str(value).strip()
        if len(value) > max_len:
            self.add(
                entry,
                where,
                _("“%(field)s” is longer than %(max)d characters") % {"field": key, "max": max_len},
            )
        return value

    def choice(self, entry: dict[str, Any], where: str, key: str, choices: list[str]) -> str:
        value = self.text(entry, where, key)
        if value and value not in choices:
            self.add(
                entry,
                where,
                _("“%(field)s” is “%(value)s”; expected one of: %(choices)s")
                % {"field": key, "value": value, "choices": ", ".join(choices)},
            )
        return value

    def common(self, entry: dict[str, Any], where: str, section: str) -> dict[str, Any]:
        unknown = sorted(set(entry) - FIELDS[section])
        for key in unknown:
            self.add(entry, where, _("unknown field “%(field)s”") % {"field": key})
        return {
            LINE: entry.get(LINE),
            "source": self.text(entry, where, "source", max_len=300),
            "precision": self.choice(entry, where, "precision", Precision.values),
            "note": self.text(entry, where, "note", required=False, max_len=2000),
        }

    def unique_id(self, entry: dict[str, Any], where: str, seen: set[str]) -> str:
        value = self.text(entry, where, "id", max_len=80)
        if value and not ID_RE.match(value):
            self.add(
                entry,
                where,
                _("“id” must be lowercase letters, digits and hyphens (got “%(value)s”)")
                % {"value": value},
            )
        if value in seen:
            self.add(entry, where, _("duplicate id “%(value)s”") % {"value": value})
        seen.add(value)
        return value


def validate(data: dict[str, Any]) -> Validated:
    c = _Checker()
    out = Validated()
    if data.get("format", FORMAT_VERSION) != FORMAT_VERSION:
        c.add(
            data,
            "format",
            _("unsupported format %(value)r; expected 1") % {"value": data.get("format")},
        )
    for key in sorted(set(data) - {*SECTIONS, "format", LINE}):
        c.add(data, "", _("unknown top-level key “%(key)s”") % {"key": key})
    sections: dict[str, list[Any]] = {}
    for name in SECTIONS:
        value = data.get(name)
        if not isinstance(value, list):
            c.add(data, name, _("a list named “%(name)s” is required") % {"name": name})
            value = []
        sections[name] = value

    def entries(name: str) -> list[tuple[str, dict[str, Any]]]:
        result = []
        for i, entry in enumerate(sections[name]):
            where = f"{name}[{i}]"
            if not isinstance(entry, dict):
                c.add(data, where, _("each entry must be a mapping"))
                continue
            label = entry.get("id") or entry.get("code")
            result.append((f"{where} “{label}”" if label else where, entry))
        return result

    countries: set[str] = set()
    for where, e in entries("countries"):
        row = c.common(e, where, "countries")
        code = c.text(e, where, "code", max_len=2).upper()
        country = pycountry.countries.get(alpha_2=code) if len(code) == 2 else None
        if code and country is None:
            c.add(e, where, _("“%(value)s” is not an ISO 3166 alpha-2 code") % {"value": code})
        elif code in countries:
            c.add(e, where, _("duplicate country “%(value)s”") % {"value": code})
        elif country is not None:
            countries.add(code)
            out.countries.append({**row, "code": code, "alpha3": country.alpha_3})

    def country_ref(e: dict[str, Any], where: str, key: str) -> str:
        code = c.text(e, where, key, max_len=2).upper()
        if code and code not in countries:
            c.add(
                e,
                where,
                _("“%(field)s” names country “%(value)s”, which is not in “countries”")
                % {"field": key, "value": code},
            )
        return code

    agencies: set[str] = set()
    for where, e in entries("agencies"):
        row = c.common(e, where, "agencies")
        row.update(
            id=c.unique_id(e, where, agencies),
            country_id=country_ref(e, where, "country"),
            kind=c.choice(e, where, "kind", AgencyKind.values),
            name=c.text(e, where, "name"),
            name_ru=c.text(e, where, "name_ru", required=False),
            abbreviation=c.text(e, where, "abbreviation", required=False, max_len=30),
        )
        out.agencies.append(row)

    sites: dict[str, dict[str, Any]] = {}
    for where, e in entries("sites"):
        row = c.common(e, where, "sites")
        row.update(
            id=c.unique_id(e, where, set(sites)),
            name=c.text(e, where, "name"),
            name_ru=c.text(e, where, "name_ru", required=False),
            kind=c.choice(e, where, "kind", SiteKind.values),
            country_id=country_ref(e, where, "country"),
            border_country_id=None,
            coord_precision=(
                c.choice(e, where, "coord_precision", CoordPrecision.values)
                if e.get("coord_precision") is not None
                else ""
            ),
        )
        border = e.get("border")
        if border is not None:
            if (
                not isinstance(border, list)
                or len(border) != 2
                or not all(isinstance(x, str) for x in border)
            ):
                c.add(e, where, _("“border” must be a list of two country codes, e.g. [KZ, KG]"))
            else:
                own, other = (x.upper() for x in border)
                if own != row["country_id"]:
                    c.add(
                        e,
                        where,
                        _("“border” must start with the site's own country %(country)s")
                        % {"country": row["country_id"]},
                    )
                if other == own:
                    c.add(e, where, _("“border” needs two different countries"))
                elif other not in countries:
                    c.add(
                        e,
                        where,
                        _("“border” names country “%(value)s”, which is not in “countries”")
                        % {"value": other},
                    )
                else:
                    row["border_country_id"] = other
        lat, lon = e.get("lat"), e.get("lon")
        if (lat is None) != (lon is None):
            c.add(e, where, _("give both “lat” and “lon”, or neither"))
        elif lat is not None:
            if not isinstance(lat, (int, float)) or not isinstance(lon, (int, float)):
                c.add(e, where, _("“lat” and “lon” must be numbers"))
            elif not (-90 <= lat <= 90 and -180 <= lon <= 180):
                c.add(e, where, _("“lat”/“lon” out of range"))
            else:
                row["lat"] = Decimal(str(round(float(lat), 5)))
                row["lon"] = Decimal(str(round(float(lon), 5)))
                if not row["coord_precision"]:
                    c.add(e, where, _("“coord_precision” is required with coordinates"))
        row.setdefault("lat", None)
        row.setdefault("lon", None)
        sites[row["id"]] = row
        out.sites.append(row)

    offices: dict[str, dict[str, Any]] = {}
    for where, e in entries("offices"):
        row = c.common(e, where, "offices")
        row.update(
            id=c.unique_id(e, where, set(offices)),
            name=c.text(e, where, "name"),
            name_ru=c.text(e, where, "name_ru", required=False),
            kind=c.choice(e, where, "kind", OfficeKind.values),
            site_id=c.text(e, where, "site"),
            agency_id=c.text(e, where, "agency"),
            opened=c.text(e, where, "opened", required=False, max_len=10),
        )
        if row["site_id"] and row["site_id"] not in sites:
            c.add(e, where, _("“site” “%(value)s” is not in “sites”") % {"value": row["site_id"]})
        if row["agency_id"] and row["agency_id"] not in agencies:
            c.add(
                e,
                where,
                _("“agency” “%(value)s” is not in “agencies”") % {"value": row["agency_id"]},
            )
        if row["opened"] and not PARTIAL_DATE_RE.match(row["opened"]):
            c.add(e, where, _("“opened” must be YYYY, YYYY-MM or YYYY-MM-DD"))
        for key in ("open_by", "open_after"):
            raw = e.get(key)
            row[key] = _as_date(raw) if raw not in (None, "") else None
            if raw not in (None, "") and row[key] is None:
                c.add(e, where, _("“%(field)s” must be a date YYYY-MM-DD") % {"field": key})
        if row["open_by"] and row["open_after"] and row["open_after"] >= row["open_by"]:
            c.add(e, where, _("“open_after” must be before “open_by”"))
        site = sites.get(row["site_id"])
        row["country_id"] = site["country_id"] if site else ""
        offices[row["id"]] = row
        out.offices.append(row)

    pairs: set[tuple[str, str]] = set()
    for where, e in entries("counterpart_pairs"):
        row = c.common(e, where, "counterpart_pairs")
        ids = e.get("offices")
        if not isinstance(ids, list) or len(ids) != 2 or not all(isinstance(x, str) for x in ids):
            c.add(e, where, _("“offices” must be a list of two office ids"))
            continue
        a_id, b_id = sorted(ids)
        missing = [x for x in (a_id, b_id) if x not in offices]
        for x in missing:
            c.add(e, where, _("office “%(value)s” is not in “offices”") % {"value": x})
        if missing:
            continue
        a, b = offices[a_id], offices[b_id]
        if a["kind"] != "BLO" or b["kind"] != "BLO":
            c.add(e, where, _("both offices of a counterpart pair must be BLOs"))
        site_a, site_b = sites.get(a["site_id"]), sites.get(b["site_id"])
        if (
            site_a
            and site_b
            and not (
                site_a["border_country_id"] == site_b["country_id"]
                and site_b["border_country_id"] == site_a["country_id"]
            )
        ):
            c.add(e, where, _("the two offices must face each other across one border"))
        if (a_id, b_id) in pairs:
            c.add(e, where, _("duplicate counterpart pair"))
        pairs.add((a_id, b_id))
        out.counterpart_pairs.append({**row, "office_a_id": a_id, "office_b_id": b_id})

    if c.problems:
        raise DirectoryFileError(c.problems)
    return out


def clean_entry(entry: dict[str, Any], keys: list[str]) -> dict[str, Any]:
    return {k: entry[k] for k in keys if entry.get(k) not in (None, "")}


def dump(content: dict[str, list[dict[str, Any]]], *, as_json: bool = False) -> str:
    """Write the directory in the file format (the inverse of parse + validate)."""
    document: dict[str, Any] = {"format": FORMAT_VERSION, **content}
    if as_json:
        return json.dumps(document, ensure_ascii=False, indent=2, default=str) + "\n"
    return yaml.safe_dump(
        document, allow_unicode=True, sort_keys=False, default_flow_style=None, width=100
    )
