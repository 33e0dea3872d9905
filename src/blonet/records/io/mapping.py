"""From rows of a file to the service's payload (`data`, `items`, `involvements`) per seizure,
remembering where each value came from so that the service's field keys (`occurred_at`,
`items[0].quantity`, `involvements[1].number`) can be reported as a row and a column.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from blonet.records import choices
from blonet.records.io import columns as cols
from blonet.records.io.readers import Row, Source
from blonet.records.io.values import (
    CHOICE_COLUMNS,
    EVALUATION,
    blank,
    choice,
    classification,
    occurred_at,
    shown,
    text,
)


@dataclass
class Problem:
    sheet: str
    row: int
    column: str
    value: str
    message: str


@dataclass
class Group:
    """The rows of one seizure and what they map to."""

    ref: str
    columns: tuple[str, ...] = ()  # of the sheet that holds the seizure-level columns
    rows: list[Row] = field(default_factory=list)
    seizure_rows: list[Row] = field(default_factory=list)  # carry the seizure-level columns
    item_rows: list[Row] = field(default_factory=list)
    entity_rows: list[Row] = field(default_factory=list)  # the `entities` sheet
    data: dict[str, Any] = field(default_factory=dict)
    items: list[dict[str, Any]] = field(default_factory=list)
    involvements: list[dict[str, Any]] = field(default_factory=list)
    where: dict[str, tuple[Row, str]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    import_key: str = ""
    line: Any = None  # the report's line for it, made once

    @property
    def first(self) -> Row:
        return self.rows[0]

    def problem(self, row: Row, column: str, message: str) -> None:
        self.problems.append(Problem(row.sheet, row.number, column, shown(row, column), message))

    def locate(self, key: str) -> tuple[Row, str]:
        """The row and column a service field key stands for."""
        if key in self.where:
            return self.where[key]
        m = re.match(r"^(items|involvements)\[(\d+)\]\.?(.*)$", key)
        if m and m.group(1) == "items" and int(m.group(2)) < len(self.item_rows):
            return self.item_rows[int(m.group(2))], m.group(3) or "commodity"
        if m and f"{m.group(1)}[{m.group(2)}]" in self.where:
            return self.where[f"{m.group(1)}[{m.group(2)}]"]
        if key == "items":
            return self.first, "commodity"
        return self.first, "" if key == "__all__" else key


# --------------------------------------------------------------------------- grouping


def group_rows(source: Source) -> tuple[list[Group], list[Problem]]:
    """Seizures from a flat sheet (rows with the same `seizure_ref` together, a row without one
    on its own) or from the related sheets (`seizures`, `items`, `entities`)."""
    if source.layout == "related":
        return _group_related(source)
    groups: dict[str, Group] = {}
    out: list[Group] = []
    sheet = next(iter(source.sheets.values()))
    columns = tuple(sheet.columns)
    for row in sheet.rows:
        ref = text(row.values.get("seizure_ref"))
        group = groups.get(ref) if ref else None
        if group is None:
            group = Group(ref=ref, columns=columns)
            out.append(group)
            if ref:
                groups[ref] = group
        group.rows.append(row)
        group.seizure_rows.append(row)
        if not row.values.keys().isdisjoint(cols.ITEM_COLUMNS):
            group.item_rows.append(row)
    return out, []


def _group_related(source: Source) -> tuple[list[Group], list[Problem]]:
    problems: list[Problem] = []
    groups: dict[str, Group] = {}
    columns = tuple(source.sheets[cols.SHEET_SEIZURES].columns)
    for row in source.sheets[cols.SHEET_SEIZURES].rows:
        ref = text(row.values.get("seizure_ref"))
        if not ref:
            problems.append(
                Problem(row.sheet, row.number, "seizure_ref", "",
                        _("Give the seizure_ref: the items and entities sheets refer to it."))
            )  # fmt: skip
        elif ref in groups:
            problems.append(
                Problem(row.sheet, row.number, "seizure_ref", ref,
                        _("This seizure_ref is already used on row %s.") % groups[ref].first.number)
            )  # fmt: skip
        else:
            groups[ref] = Group(ref=ref, columns=columns, rows=[row], seizure_rows=[row])
    for name, attr in ((cols.SHEET_ITEMS, "item_rows"), (cols.SHEET_ENTITIES, "entity_rows")):
        sheet = source.sheets.get(name)
        for row in sheet.rows if sheet else []:
            ref = text(row.values.get("seizure_ref"))
            group = groups.get(ref)
            if group is None:
                problems.append(
                    Problem(row.sheet, row.number, "seizure_ref", ref,
                            _("No seizure with this seizure_ref on the sheet “seizures”."))
                )  # fmt: skip
                continue
            group.rows.append(row)
            getattr(group, attr).append(row)
    return list(groups.values()), problems


# --------------------------------------------------------------------------- payload


def _first(group: Group, rows: list[Row], column: str) -> tuple[Any, Row | None]:
    """The first non-blank value of `column`; a different value on a later row is a problem."""
    if len(rows) == 1:
        value = rows[0].values.get(column)
        return (None, None) if value is None or blank(value) else (value, rows[0])
    found: Any = None
    at: Row | None = None
    for row in rows:
        value = row.values.get(column)
        if value is None or (not value.strip() if type(value) is str else blank(value)):
            continue
        if at is None:
            found, at = value, row
        elif type(value) is str and type(found) is str and value == found:
            continue  # the same text (the common case of a seizure's later rows)
        elif text(value) != text(found):
            group.problem(
                row,
                column,
                _("Differs from row %(row)s of the same seizure (“%(value)s”).")
                % {"row": at.number, "value": text(found)},
            )
    return found, at


def _columns_in(rows: list[Row]) -> Any:
    """The columns with a value on any of `rows` (a column on none of them has no first value
    and no conflict: skipping it changes nothing)."""
    if len(rows) == 1:
        return rows[0].values.keys()
    return set().union(*(row.values for row in rows))


def build(group: Group) -> None:
    """Fill `data`, `items`, `involvements` and `where` of the group."""
    data, where = group.data, group.where
    rows = group.seizure_rows
    present = _columns_in(rows)
    single = rows[0] if len(rows) == 1 else None  # most seizures: `_first` in short
    for column in [c for c in cols.SEIZURE_COLUMNS[1:] if c in present]:
        if single is not None:
            value, row = single.values[column], single
            if blank(value):
                continue
        else:
            value, at = _first(group, rows, column)
            if at is None:
                continue
            row = at
        if column == "evaluation":
            m = EVALUATION.match(text(value).upper())
            if not m:
                group.problem(
                    row, column, _("Write the evaluation as A, B, C or X and 1 to 4, e.g. B2.")
                )
                continue
            data["source_reliability"], data["information_accuracy"] = m.group(1), m.group(2)
            where["source_reliability"] = where["information_accuracy"] = (row, column)
            continue
        if column == "occurred_at":
            data[column] = occurred_at(value)
        elif column == "agencies":
            data[column] = [a for a in re.split(r"[;,\s]+", text(value)) if a]
        elif column == "classification":
            data[column] = classification(value)
        elif column in CHOICE_COLUMNS:
            data[column] = choice(value, CHOICE_COLUMNS[column])
        else:
            data[column] = text(value)
        where[column] = (row, column)
    for i, row in enumerate(group.item_rows):
        item: dict[str, Any] = {}
        for column in cols.ITEM_COLUMNS:
            value = row.values.get(column)
            if value is None or blank(value):
                continue
            if column in CHOICE_COLUMNS:
                item[column] = choice(value, CHOICE_COLUMNS[column])
            elif column == "purity":
                item[column] = text(value).rstrip("%").strip()
            else:
                item[column] = text(value)
            where[f"items[{i}].{column}"] = (row, column)
        group.items.append(item)
    _flat_entities(group, present)
    _sheet_entities(group)


@dataclass(frozen=True)
class _EntityGroup:
    """One entity column group of a sheet (`person2_…`): its columns and where a missing
    value belongs."""

    kind: str
    number: int
    columns: tuple[tuple[str, str], ...]  # (column, field) of the sheet's columns
    names: frozenset[str]  # those columns
    spots: tuple[tuple[str, str], ...]  # (field, column) of every field but the role


@functools.lru_cache(maxsize=64)
def _entity_layout(columns: tuple[str, ...]) -> list[_EntityGroup]:
    """The entity column groups among a sheet's columns, in template order."""
    present: dict[tuple[str, int], list[cols.EntityColumn]] = {}
    for name in columns:
        ec = cols.entity_column(name)
        if ec:
            present.setdefault((ec.kind, ec.number), []).append(ec)
    order = list(cols.ENTITY_GROUPS)
    keys = sorted(present, key=lambda k: (order.index(k[0]), k[1]))
    return [
        _EntityGroup(
            kind,
            number,
            tuple((ec.column, ec.field) for ec in present[(kind, number)]),
            frozenset(ec.column for ec in present[(kind, number)]),
            tuple(
                (name, cols.entity_column_name(kind, number, suffix))
                for suffix, name in cols.ENTITY_GROUPS[kind]
                if name != "role"
            ),
        )
        for kind, number in keys
    ]


def _flat_entities(group: Group, present: Any) -> None:
    """`present`: the columns with a value on any of the group's seizure rows."""
    single = group.seizure_rows[0] if len(group.seizure_rows) == 1 else None
    for layout in _entity_layout(group.columns):
        if present.isdisjoint(layout.names):
            continue
        kind = layout.kind
        payload: dict[str, Any] = {}
        first = group.first
        # where a missing value belongs
        spots: dict[str, tuple[Row, str]] = {name: (first, c) for name, c in layout.spots}
        role, role_at = "", None
        spots_found: dict[str, tuple[Row, str]] = {}
        for column, field_name in layout.columns:
            if column not in present:
                continue
            if single is not None:
                value, row = single.values[column], single
                if blank(value):
                    continue
            else:
                value, at = _first(group, group.seizure_rows, column)
                if at is None:
                    continue
                row = at
            if field_name == "role":
                role, role_at = choice(value, choices.LinkRole), (row, column)
            else:
                payload[field_name] = text(value)
                spots_found[field_name] = spots[field_name] = (row, column)
        if not payload:
            if role_at:
                group.problem(role_at[0], role_at[1], _("A role needs the other columns of it."))
            continue
        _add_involvement(group, kind, role, payload, spots, role_at, note="", first=spots_found)


def _sheet_entities(group: Group) -> None:
    for row in group.entity_rows:
        kind = choice(row.values.get("kind"), choices.EntityKind)
        fields = cols.ENTITY_SHEET_FIELDS.get(kind)
        if fields is None:
            group.problem(row, "kind", _("Unknown kind of entity “%s”.") % text(kind))
            continue
        payload: dict[str, Any] = {}
        spots = {name: (row, column) for column, name in reversed(fields.items())}
        found: dict[str, tuple[Row, str]] = {}
        for column, value in row.values.items():
            if blank(value) or column in ("seizure_ref", "kind", "role", "note"):
                continue
            target = fields.get(column)
            if target is None:
                group.problem(
                    row,
                    column,
                    _("The column “%(column)s” does not apply to this kind of entry (%(kind)s).")
                    % {"column": column, "kind": _kind_label(kind)},
                )
                continue
            payload[target] = text(value)
            found[target] = spots[target] = (row, column)
        role = choice(row.values.get("role"), choices.LinkRole)
        _add_involvement(
            group, kind, role, payload, spots, (row, "role"), note=text(row.values.get("note")),
            first=found or {"": (row, "kind")},
        )  # fmt: skip


def _add_involvement(
    group: Group,
    kind: str,
    role: str,
    payload: dict[str, Any],
    spots: dict[str, tuple[Row, str]],
    role_at: tuple[Row, str] | None,
    note: str,
    first: dict[str, tuple[Row, str]],
) -> None:
    j = len(group.involvements)
    group.involvements.append(
        {
            "kind": kind,
            "role": role or cols.DEFAULT_ROLE.get(kind, cols.USED),
            "data": payload,
            "note": note,
        }
    )
    first_spot = next(iter(first.values()), role_at or (group.first, ""))
    group.where[f"involvements[{j}]"] = first_spot
    group.where[f"involvements[{j}].kind"] = first_spot
    if role_at:
        group.where[f"involvements[{j}].role"] = role_at
    for name, spot in spots.items():
        group.where[f"involvements[{j}].{name}"] = spot


# --------------------------------------------------------------------------- keys


def _canonical_value(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.date | dt.time) else text(value)


def import_key(office_id: str, group: Group) -> str:
    """Stable across re-imports: the office and the file's `seizure_ref`, or, without one, the
    normalised content of the group's rows."""
    if group.ref:
        basis: Any = ["ref", group.ref]
    else:
        basis = [
            "rows",
            [
                sorted((k, _canonical_value(v)) for k, v in row.values.items() if not blank(v))
                for row in group.rows
            ],
        ]
    payload = json.dumps([office_id, basis], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _kind_label(kind: str) -> str:
    from blonet.records.choices import EntityKind

    return str(EntityKind(kind).label) if kind in EntityKind.values else kind
