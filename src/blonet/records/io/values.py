"""Cell values as the service takes them: text, choices by value or English label, local
date-times, classification names."""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any

from django.db import models
from django.utils import translation

from blonet.core.choices import Classification, Distribution
from blonet.records import choices
from blonet.records.io.readers import Row

CHOICE_COLUMNS: dict[str, type[models.TextChoices]] = {
    "detection_method": choices.DetectionMethod,
    "concealment": choices.Concealment,
    "conveyance": choices.Conveyance,
    "distribution": Distribution,
    "commodity": choices.Commodity,
    "unit": choices.Unit,
    "role": choices.LinkRole,
    "kind": choices.EntityKind,
    "document_kind": choices.DocumentKind,
}
# Local date-times as written in the template or by a spreadsheet in a Russian locale; anything
# else goes to the service as written (which reads ISO 8601, with an offset too).
LOCAL_FORMATS = (
    "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S",
    "%d.%m.%Y %H:%M", "%d.%m.%Y %H:%M:%S", "%d/%m/%Y %H:%M",
)  # fmt: skip
EVALUATION = re.compile(r"^([ABCX])\s*([1-4])$")


def shown(row: Row, column: str) -> str:
    value = row.values.get(column, "")
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value if value is not None else "")[:200]


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value: Any) -> str:
    if type(value) is str and value[:1] != "'":  # the common case, already stripped
        return value.strip()
    if isinstance(value, dt.datetime):  # a spreadsheet date is a date-time at midnight
        return value.strftime("%Y-%m-%d" if value.time() == dt.time() else "%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    s = str(value if value is not None else "").strip()
    # An exported cell escaped against formula injection ("'=…") reads back as written.
    if len(s) > 1 and s[0] == "'" and s[1] in "=+-@\t\r":
        s = s[1:]
    return s


@functools.cache
def _english_labels(choices_cls: type[models.TextChoices]) -> dict[str, str]:
    with translation.override("en"):
        return {str(label).strip().lower(): value for value, label in choices_cls.choices}


@functools.cache
def _values(choices_cls: type[models.TextChoices]) -> frozenset[str]:
    return frozenset(choices_cls.values)


def choice(value: Any, choices_cls: type[models.TextChoices]) -> str:
    """The stored value of a choice written as its value or its English label, any case."""
    v = text(value).lower()
    values = _values(choices_cls)
    if v in values:
        return v
    underscored = re.sub(r"[\s\-/]+", "_", v)
    if underscored in values:
        return underscored
    return _english_labels(choices_cls).get(v, v)


def occurred_at(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    s = text(value)
    for fmt in LOCAL_FORMATS:
        try:
            return dt.datetime.strptime(s, fmt)
        except ValueError:
            continue
    return s


def classification(value: Any) -> Any:
    v = text(value).lower()
    for number, label in ((c.value, c.name.lower()) for c in Classification):
        if v in (str(number), label):
            return number
    return v
