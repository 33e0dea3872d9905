"""Export of seizures: the import template's columns (so an export re-imports), and the
non-nominal CEN-like layout (no personal data at all) for statistics.

Every cell that a spreadsheet could take for a formula (starting with `=`, `+`, `-`, `@`, tab
or CR) gets a leading `'` (OWASP's rule against CSV/formula injection), in CSV and in XLSX.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import tempfile
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import IO, Any

from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.utils import timezone

from blonet.core.choices import Classification
from blonet.records.choices import CEN_GROUP
from blonet.records.io import columns as cols
from blonet.records.models import ENTITY_MODELS, Involvement, Seizure
from blonet.records.services.events import local_zone

MAX_ROWS = 100_000
CHUNK = 500
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")
_ILLEGAL_XLSX = re.compile(r"[\000-\010\013\014\016-\037]")
MIN_REPEATS = {"person": 2, "vehicle": 1, "container": 1, "phone": 1, "account": 1}
CEN_COLUMNS = (
    "reference", "date", "country", "site", "conveyance", "detection_method", "concealment",
    "commodity", "cen_group", "quantity", "unit", "kg", "purity", "route_countries",
)  # fmt: skip
_CLASSIFICATION = {c.value: c.name.lower() for c in Classification}


def escape(value: Any) -> Any:
    """A cell value safe to open in a spreadsheet: formula-like text gets a leading `'`."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _NUMBER.match(value):
        return "'" + value
    return value


def _number(value: Decimal | None, xlsx: bool = False) -> Any:
    """Plain decimal text (`12.5`, `800`); in XLSX a number cell."""
    if value is None:
        return ""
    return float(value) if xlsx else format(value.normalize(), "f")


# --------------------------------------------------------------------------- rows


def entity_counts(queryset: QuerySet[Seizure]) -> dict[str, int]:
    """How many entities of each kind the busiest seizure has (the repeated column groups)."""
    kinds = list(cols.ENTITY_GROUPS)
    annotated = queryset.order_by().annotate(
        **{
            f"n_{k}": Count("involvements", filter=Q(**{f"involvements__{k}__isnull": False}))
            for k in kinds
        }
    )
    found = annotated.aggregate(**{k: Max(f"n_{k}") for k in kinds})
    return {k: max(MIN_REPEATS.get(k, 0), min(found[k] or 0, cols.MAX_REPEAT)) for k in kinds}


def row_count(queryset: QuerySet[Seizure]) -> int:
    """Rows of the export: one per item (a seizure without items still has one)."""
    counted = queryset.order_by().annotate(n=Count("items"))
    n = counted.aggregate(items=Count("items"), seizures=Count("pk", distinct=True))
    empty = counted.filter(n=0).count() if n["seizures"] else 0
    return int(n["items"] or 0) + empty


def header(counts: dict[str, int]) -> list[str]:
    return [*cols.SEIZURE_COLUMNS, *cols.ITEM_COLUMNS, *cols.entity_columns_for(counts)]


def _local(seizure: Seizure) -> dt.datetime:
    return timezone.localtime(seizure.occurred_at, local_zone(seizure.owner_office)).replace(
        tzinfo=None
    )


def _seizure_cells(seizure: Seizure, xlsx: bool) -> list[Any]:
    when = _local(seizure)
    return [
        seizure.reference,
        when if xlsx else when.strftime("%Y-%m-%d %H:%M"),
        seizure.site_id or "",
        seizure.place,
        _number(seizure.lat, xlsx),
        _number(seizure.lon, xlsx),
        ";".join(sorted(a.pk for a in seizure.agencies.all())),
        seizure.detection_method,
        seizure.concealment,
        seizure.concealment_detail,
        seizure.conveyance,
        seizure.origin_country,
        ";".join(seizure.transit_countries),
        seizure.destination_country,
        seizure.narrative,
        seizure.distribution,
        seizure.counterpart_country_id or "",
        ";".join(seizure.handling_codes),
        seizure.handling_conditions,
        seizure.evaluation,
        _CLASSIFICATION.get(seizure.classification, str(seizure.classification)),
    ]


def _item_cells(item: Any, xlsx: bool) -> list[Any]:
    if item is None:
        return [""] * len(cols.ITEM_COLUMNS)
    return [
        item.commodity, _number(item.quantity, xlsx), item.unit, item.currency,
        _number(item.purity, xlsx), item.packaging, item.markings,
    ]  # fmt: skip


def _entity_value(entity: Any, field: str, role: str) -> str:
    if field == "role":
        return role
    return str(getattr(entity, field, "") or "")


def _entity_cells(links: list[Any], counts: dict[str, int]) -> list[Any]:
    by_kind: dict[str, list[Any]] = {}
    for link in links:
        by_kind.setdefault(link.entity_kind, []).append(link)
    out: list[Any] = []
    for kind, fields in cols.ENTITY_GROUPS.items():
        present = by_kind.get(kind, [])
        for number in range(counts.get(kind, 0)):
            link = present[number] if number < len(present) else None
            for _suffix, field in fields:
                out.append(_entity_value(link.entity, field, link.role) if link else "")
    return out


def _visible_links(seizures: list[Seizure], user: Any) -> dict[Any, list[Any]]:
    """The involvements of each seizure whose entity `user` may see (an existing entity linked
    to a seizure may be shared more narrowly than the seizure)."""
    links = {s.pk: list(s.involvements.all()) for s in seizures}
    if user is None:
        return links
    visible: set[Any] = set()
    for kind, model in ENTITY_MODELS.items():
        ids = {getattr(i, f"{kind}_id") for ls in links.values() for i in ls} - {None}
        if ids:
            visible |= set(model.objects.visible_to(user).filter(pk__in=ids).values_list("pk"))
    return {
        pk: [i for i in ls if (getattr(i, f"{i.entity_kind}_id"),) in visible]
        for pk, ls in links.items()
    }


def _chunked(queryset: QuerySet[Seizure]) -> Iterator[list[Seizure]]:
    batch: list[Seizure] = []
    for seizure in queryset.iterator(chunk_size=CHUNK):
        batch.append(seizure)
        if len(batch) >= CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


def template_rows(
    queryset: QuerySet[Seizure], *, user: Any, counts: dict[str, int], xlsx: bool = False
) -> Iterator[list[Any]]:
    """One row per item in the import template's columns, escaped."""
    qs = queryset.select_related("owner_office").prefetch_related(
        "agencies",
        Prefetch(
            "involvements",
            queryset=Involvement.objects.select_related(*ENTITY_MODELS).order_by("pk"),
        ),
    )
    for batch in _chunked(qs):
        links = _visible_links(batch, user)
        for seizure in batch:
            head = _seizure_cells(seizure, xlsx)
            tail = _entity_cells(links[seizure.pk], counts)
            for item in list(seizure.items.all()) or [None]:
                yield [escape(v) for v in (*head, *_item_cells(item, xlsx), *tail)]


def cen_rows(queryset: QuerySet[Seizure]) -> Iterator[list[Any]]:
    """One row per item, no personal data: no names, plates, phones, documents, accounts, no
    narrative, place, packaging or markings; only the items are read."""
    qs = queryset.select_related("owner_office")
    for batch in _chunked(qs):
        for seizure in batch:
            date = _local(seizure).date().isoformat()
            route = ";".join(seizure.route)
            for item in seizure.items.all():
                yield [
                    escape(v)
                    for v in (
                        seizure.reference, date, seizure.owner_country_id, seizure.site_id or "",
                        seizure.conveyance, seizure.detection_method, seizure.concealment,
                        item.commodity, CEN_GROUP.get(item.commodity, ""),
                        _number(item.quantity), item.unit, _number(item.quantity_kg),
                        _number(item.purity), route,
                    )
                ]  # fmt: skip


# --------------------------------------------------------------------------- writers


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_stream(head: list[str], rows: Iterable[list[Any]]) -> Iterator[str]:
    """UTF-8 text with a BOM (so Excel reads it as UTF-8), one CSV line at a time."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(head)
    for row in rows:
        yield writer.writerow(row)


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, str):
        return _ILLEGAL_XLSX.sub("", value)
    return value


def xlsx_file(head: list[str], rows: Iterable[list[Any]], sheet: str = "seizures") -> IO[bytes]:
    """A write-only workbook in a temporary file (rewound; deleted when closed)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet(sheet)
    ws.append(head)
    for row in rows:
        cells = []
        for value in row:
            if isinstance(value, dt.datetime):
                cell = WriteOnlyCell(ws, value=value)
                cell.number_format = "yyyy-mm-dd hh:mm"
                cells.append(cell)
            else:
                cells.append(_xlsx_value(value))
        ws.append(cells)
    out = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes it)
    workbook.save(out)
    out.seek(0)
    return out
