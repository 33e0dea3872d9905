"""Model rows to envelope bodies and back, field by field (for the registered mappings)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import models

# Never sent: this node's users, its search keys and its bookkeeping.
LOCAL_FIELDS = frozenset({
    "created_by", "deleted_by", "search_text", "import_key", "updated_at", "created_at",
})  # fmt: skip


def _value(field: Any, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def dump(instance: models.Model, *, exclude: frozenset[str] = frozenset()) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if field.name in LOCAL_FIELDS or field.name in exclude or field.primary_key:
            continue
        out[field.attname] = _value(field, getattr(instance, field.attname))
    return out


def load(
    instance: models.Model, data: dict[str, Any], *, exclude: frozenset[str] = frozenset()
) -> None:
    """Set every known field present in `data`, converted to the field's Python type."""
    for field in instance._meta.concrete_fields:
        if field.name in LOCAL_FIELDS or field.name in exclude or field.primary_key:
            continue
        if field.attname not in data:
            continue
        value = data[field.attname]
        if value is not None and not isinstance(field, models.JSONField):
            value = field.to_python(value)
        setattr(instance, field.attname, value)
