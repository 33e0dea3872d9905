"""The import template's columns (docs/records/import-template.md), shared by import and export.

One row per item; seizure-level columns repeat on each row of a seizure, grouped by
`seizure_ref`. Involved entities sit in numbered column groups: `person1_name` … `person9_name`
and `vehicle_plate`, `vehicle2_plate` … (the first vehicle, container, phone … has no number).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SEIZURE_COLUMNS: tuple[str, ...] = (
    "seizure_ref", "occurred_at", "site", "place", "lat", "lon", "agencies", "detection_method",
    "concealment", "concealment_detail", "conveyance", "origin_country", "transit_countries",
    "destination_country", "narrative", "distribution", "counterpart_country", "handling_codes",
    "handling_conditions", "evaluation", "classification",
)  # fmt: skip
ITEM_COLUMNS: tuple[str, ...] = (
    "commodity", "quantity", "unit", "currency", "purity", "packaging", "markings",
)  # fmt: skip
REQUIRED_COLUMNS: tuple[str, ...] = ("occurred_at", "commodity", "quantity", "unit")

# Entity kinds in column order: (column suffix, field of `prepare_entity` or "role").
ENTITY_GROUPS: dict[str, tuple[tuple[str, str], ...]] = {
    "person": (("name", "full_name"), ("dob", "dob"), ("nationality", "nationality"),
               ("role", "role")),
    "vehicle": (("plate", "plate"), ("country", "country"), ("make", "make"), ("vin", "vin"),
                ("role", "role")),
    "organisation": (("name", "name"), ("country", "country"), ("role", "role")),
    "document": (("kind", "document_kind"), ("number", "number"),
                 ("country", "issuing_country"), ("role", "role")),
    "container": (("number", "number"), ("role", "role")),
    "phone": (("number", "number"), ("role", "role")),
    "account": (("number", "number"), ("bank", "bank"), ("holder", "holder_name"),
                ("role", "role")),
}  # fmt: skip
MAX_REPEAT = 9
# The role an entity gets when its role column is blank.
DEFAULT_ROLE = {"person": "other", "organisation": "other"}
USED = "used"

# The column groups the downloadable template shows (the others are documented and accepted).
TEMPLATE_ENTITY_COLUMNS: tuple[str, ...] = (
    "person1_name", "person1_dob", "person1_nationality", "person1_role",
    "person2_name", "person2_dob", "person2_nationality", "person2_role",
    "vehicle_plate", "vehicle_country", "vehicle_make", "container_number", "phone_number",
    "account_number", "account_bank",
)  # fmt: skip
TEMPLATE_COLUMNS: tuple[str, ...] = (*SEIZURE_COLUMNS, *ITEM_COLUMNS, *TEMPLATE_ENTITY_COLUMNS)

EXAMPLE_ROW: dict[str, str] = {
    "seizure_ref": "2026-001", "occurred_at": "2026-11-30 14:05", "site": "kz-kordai-bcp",
    "place": "", "lat": "", "lon": "", "agencies": "kz-border-service;kz-customs",
    "detection_method": "scanner", "concealment": "vehicle_structure",
    "concealment_detail": "false floor of the trailer", "conveyance": "truck",
    "origin_country": "AF", "transit_countries": "TJ;KG", "destination_country": "RU",
    "narrative": "Found during X-ray of the trailer.", "distribution": "bilateral",
    "counterpart_country": "KG", "handling_codes": "H2", "handling_conditions": "",
    "evaluation": "B2", "classification": "restricted", "commodity": "heroin",
    "quantity": "12.5", "unit": "kg", "currency": "", "purity": "61", "packaging": "24 bricks",
    "markings": "scorpion logo", "person1_name": "Qurbonov Yusuf", "person1_dob": "1985-03-02",
    "person1_nationality": "TJ", "person1_role": "driver", "person2_name": "",
    "person2_dob": "", "person2_nationality": "", "person2_role": "",
    "vehicle_plate": "01 KG 123 ABC", "vehicle_country": "KG", "vehicle_make": "MAN",
    "container_number": "CSQU3054383", "phone_number": "+996 555 123 456",
    "account_number": "", "account_bank": "",
}  # fmt: skip

# The related-sheet form of an XLSX workbook: sheet names and the entity sheet's columns.
SHEET_SEIZURES, SHEET_ITEMS, SHEET_ENTITIES = "seizures", "items", "entities"
ENTITY_SHEET_FIELDS: dict[str, dict[str, str]] = {
    "person": {"name": "full_name", "dob": "dob", "nationality": "nationality",
               "gender": "gender", "aliases": "aliases"},
    "vehicle": {"plate": "plate", "country": "country", "make": "make", "model": "model",
                "colour": "colour", "vin": "vin"},
    "organisation": {"name": "name", "country": "country",
                     "registration_number": "registration_number", "legal_form": "legal_form"},
    "phone": {"number": "number", "country": "country"},
    "document": {"document_kind": "document_kind", "number": "number",
                 "issuing_country": "issuing_country", "country": "issuing_country",
                 "valid_from": "valid_from", "valid_until": "valid_until"},
    "container": {"number": "number", "size_type": "size_type"},
    "account": {"number": "number", "bank": "bank", "holder": "holder_name",
                "country": "country"},
}  # fmt: skip
ENTITY_SHEET_COLUMNS: tuple[str, ...] = (
    "seizure_ref",
    "kind",
    "role",
    "note",
    *dict.fromkeys(c for fields in ENTITY_SHEET_FIELDS.values() for c in fields),
)


@dataclass(frozen=True)
class EntityColumn:
    kind: str
    number: int  # 1 for `person1_…` and for `vehicle_…`
    suffix: str  # `name`, `plate` …
    field: str  # the entity field, or "role"

    @property
    def column(self) -> str:
        return entity_column_name(self.kind, self.number, self.suffix)


_ENTITY_RE = re.compile(
    r"^(person|vehicle|organisation|document|container|phone|account)(\d?)_(\w+)$"
)


def entity_column(name: str) -> EntityColumn | None:
    """The entity column `name` stands for (`person_name` = `person1_name`), or None."""
    m = _ENTITY_RE.match(name)
    if not m:
        return None
    kind, digit, suffix = m.group(1), m.group(2), m.group(3)
    number = int(digit) if digit else 1
    if not 1 <= number <= MAX_REPEAT:
        return None
    for col_suffix, field in ENTITY_GROUPS[kind]:
        if col_suffix == suffix:
            return EntityColumn(kind, number, suffix, field)
    return None


def entity_column_name(kind: str, number: int, suffix: str) -> str:
    """The canonical name: `person1_name`, `vehicle_plate`, `vehicle2_plate`."""
    if kind == "person":
        return f"person{number}_{suffix}"
    return f"{kind}_{suffix}" if number == 1 else f"{kind}{number}_{suffix}"


def canonical(name: str) -> str:
    """A header cell as a column name: trimmed, lower case, spaces to underscores, and the
    entity aliases (`person_name`, `vehicle1_plate`) in their canonical form."""
    key = re.sub(r"[\s\-]+", "_", (name or "").strip().lower().lstrip("\ufeff"))
    ec = entity_column(key)
    return entity_column_name(ec.kind, ec.number, ec.suffix) if ec else key


FLAT_COLUMNS: frozenset[str] = frozenset(SEIZURE_COLUMNS) | frozenset(ITEM_COLUMNS)


def is_known(name: str) -> bool:
    return name in FLAT_COLUMNS or entity_column(name) is not None


def entity_columns_for(counts: dict[str, int]) -> list[str]:
    """Entity column names for `counts[kind]` repeats of each kind, in template order."""
    out: list[str] = []
    for kind, fields in ENTITY_GROUPS.items():
        for number in range(1, min(counts.get(kind, 0), MAX_REPEAT) + 1):
            out += [entity_column_name(kind, number, suffix) for suffix, _f in fields]
    return out
