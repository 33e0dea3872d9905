"""The downloadable blank template: a header row and one example, as CSV or XLSX (the workbook
also lists the allowed values of each coded column on a second sheet)."""

from __future__ import annotations

from typing import IO, Any

from django.db import models
from django.utils import translation

from blonet.core.choices import Classification, Distribution, HandlingCode
from blonet.records import choices
from blonet.records.io import columns as cols
from blonet.records.io.exports import csv_stream, escape

CODED: dict[str, type[models.Choices]] = {
    "detection_method": choices.DetectionMethod,
    "concealment": choices.Concealment,
    "conveyance": choices.Conveyance,
    "distribution": Distribution,
    "handling_codes": HandlingCode,
    "classification": Classification,
    "commodity": choices.Commodity,
    "unit": choices.Unit,
    "person1_role": choices.LinkRole,
    "kind (entities sheet)": choices.EntityKind,
    "document_kind": choices.DocumentKind,
}


def example_row() -> list[str]:
    return [escape(cols.EXAMPLE_ROW.get(c, "")) for c in cols.TEMPLATE_COLUMNS]


def template_csv() -> bytes:
    return "".join(csv_stream(list(cols.TEMPLATE_COLUMNS), [example_row()])).encode("utf-8")


def allowed_values() -> list[tuple[str, str, str]]:
    """(column, value, meaning in English) for every coded column."""
    rows = []
    with translation.override("en"):
        for column, choices_cls in CODED.items():
            for value, label in choices_cls.choices:
                if column == "classification":
                    value = str(label).lower()
                rows.append((column, str(value), str(label)))
    return rows


def template_xlsx() -> IO[bytes]:
    import tempfile

    from openpyxl import Workbook

    workbook = Workbook()
    ws: Any = workbook.active
    ws.title = "seizures"
    ws.append(list(cols.TEMPLATE_COLUMNS))
    ws.append(example_row())
    ws.freeze_panes = "A2"
    values = workbook.create_sheet("values")
    values.append(["column", "value", "meaning"])
    for row in allowed_values():
        values.append([escape(v) for v in row])
    out = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes it)
    workbook.save(out)
    out.seek(0)
    return out
