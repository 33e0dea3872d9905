"""Inserting many rows: PostgreSQL's COPY where available, `bulk_create` elsewhere.

COPY takes the model's concrete fields as they are on the instances (the import sets every
value itself, including the `auto_now` times), and writes history rows the way
`simple_history` does on `save()`: the tracked fields, `history_date`, `history_type` "+",
`history_user` and no change reason.
"""

from __future__ import annotations

import datetime as dt
import json
import operator
from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

from django.db import connection, models

BATCH = 500


def _vendor_copy() -> bool:
    return connection.vendor == "postgresql"


def _json_text(value: Any, memo: dict[Any, str]) -> str:
    """`json.dumps(value)`, made once per distinct list of strings (handling codes, transit
    countries, aliases: the same few values on row after row) or empty dict."""
    kind = type(value)
    if (kind is list and all(type(v) is str for v in value)) or (kind is dict and not value):
        key = (kind, *value)
        text = memo.get(key)
        if text is None:
            text = memo[key] = json.dumps(value)
        return text
    return json.dumps(value)


def _rows(fields: list[models.Field[Any, Any]], objs: list[Any]) -> list[list[Any]]:
    """The fields' values of each object (JSON as its text, which COPY parses as jsonb)."""
    get = operator.attrgetter(*[f.attname for f in fields])
    json_at = [i for i, f in enumerate(fields) if isinstance(f, models.JSONField)]
    one = len(fields) == 1
    rows: list[list[Any]] = [[get(obj)] if one else list(get(obj)) for obj in objs]
    if json_at:
        memo: dict[Any, str] = {}
        for row in rows:
            for i in json_at:
                row[i] = _json_text(row[i], memo)
    return rows


def _copy(table: str, columns: list[str], rows: Sequence[Sequence[Any]]) -> None:
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    sql = f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN"
    with connection.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def _auto(field: models.Field[Any, Any]) -> bool:
    return isinstance(field, models.AutoField | models.BigAutoField | models.SmallAutoField)


def new(model: type[models.Model], **values: Any) -> Any:
    """A row to insert: a plain object for COPY (cheaper than a model instance), else the
    model instance `bulk_create` needs."""
    if not _vendor_copy():
        return model(**values)
    pk = model._meta.pk
    values.setdefault(pk.attname, None)
    return SimpleNamespace(**values)


def allocate_ids(model: type[models.Model], count: int) -> list[int]:
    """Ids from the table's own sequence, for rows whose history needs them before COPY."""
    if count == 0:
        return []
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def insert(model: type[models.Model], objs: list[Any], *, need_ids: bool = False) -> None:
    """Insert `objs`; with `need_ids`, auto ids are set on the objects too."""
    if not objs:
        return
    if not _vendor_copy():
        model._default_manager.bulk_create(objs, batch_size=BATCH)
        return
    fields = list(model._meta.concrete_fields)
    pk = model._meta.pk
    if _auto(pk) and need_ids:
        for obj, new_id in zip(objs, allocate_ids(model, len(objs)), strict=True):
            setattr(obj, pk.attname, new_id)
    elif _auto(pk):
        fields = [f for f in fields if f is not pk]
    _copy(
        model._meta.db_table,
        [str(f.column) for f in fields],
        _rows(fields, objs),
    )


def insert_history(
    model: type[models.Model], objs: list[Any], user: Any, when: dt.datetime
) -> None:
    """One "+" history row per object, as `save()` would have written."""
    if not objs:
        return
    manager: Any = model.history  # type: ignore[attr-defined]
    if not _vendor_copy():
        manager.bulk_history_create(objs, batch_size=BATCH, default_user=user, default_date=when)
        return
    history: Any = manager.model
    tracked = list(history.tracked_fields)
    user_id = getattr(user, "pk", None)
    columns = [str(f.column) for f in tracked] + [
        "history_date", "history_change_reason", "history_type", "history_user_id",
    ]  # fmt: skip
    rows = [[*row, when, None, "+", user_id] for row in _rows(tracked, objs)]
    _copy(history._meta.db_table, columns, rows)


def insert_rows(model: type[models.Model], columns: list[str], rows: list[list[Any]]) -> None:
    """Plain rows (e.g. a many-to-many table) by column name, without an id."""
    if not rows:
        return
    if not _vendor_copy():
        fields = {f.column: f.attname for f in model._meta.concrete_fields}
        model._default_manager.bulk_create(
            [model(**{fields[c]: v for c, v in zip(columns, r, strict=True)}) for r in rows],
            batch_size=BATCH,
        )
        return
    _copy(model._meta.db_table, columns, rows)
