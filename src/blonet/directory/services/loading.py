"""Load the directory file into the database, and export it back in the same format."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models, transaction

from blonet.audit.services import audit_event_record
from blonet.directory.models import Agency, CounterpartPair, Country, Office, Site
from blonet.directory.services.fileformat import (
    LINE,
    DirectoryFileError,
    Problem,
    clean_entry,
    dump,
    parse,
    validate,
)

_ORDER: list[tuple[str, type[models.Model], str]] = [
    ("countries", Country, "code"),
    ("agencies", Agency, "id"),
    ("sites", Site, "id"),
    ("offices", Office, "id"),
]


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    not_in_file: dict[str, list[str]] = field(default_factory=dict)
    pairs_removed: int = 0
    sha256: str = ""

    def summary(self) -> str:
        parts = []
        for name in (*(s for s, _, _ in _ORDER), "counterpart_pairs"):
            parts.append(
                f"{name}: {self.created.get(name, 0)} created, "
                f"{self.updated.get(name, 0)} updated, {self.unchanged.get(name, 0)} unchanged"
            )
        if self.pairs_removed:
            parts.append(f"counterpart pairs removed: {self.pairs_removed}")
        for name, ids in self.not_in_file.items():
            if ids:
                parts.append(f"{name} kept though not in the file: {', '.join(ids)}")
        return "\n".join(parts)


def _same(obj: models.Model, values: dict[str, Any]) -> bool:
    for key, value in values.items():
        current = getattr(obj, key)
        if isinstance(current, Decimal) and value is not None:
            if current != Decimal(str(value)).quantize(current):
                return False
        elif current != value:
            return False
    return True


def _upsert(
    model: type[models.Model],
    key: str,
    rows: list[dict[str, Any]],
    report_key: str,
    report: LoadReport,
) -> None:
    existing = {getattr(o, key): o for o in model.objects.all()}  # type: ignore[attr-defined]
    created = updated = unchanged = 0
    for entry in rows:
        row = {k: v for k, v in entry.items() if k != LINE}
        values = {k: v for k, v in row.items() if k != key}
        obj = existing.get(row[key])
        if obj is not None and _same(obj, values):
            unchanged += 1
            continue
        if obj is None:
            obj = model(**row)
            created += 1
        else:
            for k, v in values.items():
                setattr(obj, k, v)
            updated += 1
        try:
            obj.full_clean(validate_unique=False, validate_constraints=False)
        except DjangoValidationError as exc:
            raise DirectoryFileError(
                [
                    Problem(entry.get(LINE), f"{report_key} “{row[key]}”", f"{field}: {msg}")
                    for field, messages in exc.message_dict.items()
                    for msg in messages
                ]
            ) from exc
        obj.save()
    report.created[report_key] = created
    report.updated[report_key] = updated
    report.unchanged[report_key] = unchanged
    in_file = {row[key] for row in rows}
    report.not_in_file[report_key] = sorted(str(k) for k in existing if k not in in_file)


def directory_load(*, actor: Any, text: str, source_name: str = "") -> LoadReport:
    """Validate the whole file, then apply it in one transaction (nothing half-loaded).

    Idempotent: loading the same file twice changes nothing the second time. Entries missing
    from the file are kept (postings and records may point at them) and listed in the report.
    """
    content = validate(parse(text))
    report = LoadReport(sha256=hashlib.sha256(text.encode("utf-8")).hexdigest())
    with transaction.atomic():
        for name, model, key in _ORDER:
            _upsert(model, key, getattr(content, name), name, report)
        wanted = {(p["office_a_id"], p["office_b_id"]): p for p in content.counterpart_pairs}
        existing = {(p.office_a_id, p.office_b_id): p for p in CounterpartPair.objects.all()}
        stale = [p.pk for k, p in existing.items() if k not in wanted]
        report.pairs_removed = len(stale)
        CounterpartPair.objects.filter(pk__in=stale).delete()
        created = updated = unchanged = 0
        for k, row in wanted.items():
            values = {f: row[f] for f in ("source", "precision", "note")}
            pair = existing.get(k)
            if pair is None:
                CounterpartPair.objects.create(**{f: v for f, v in row.items() if f != LINE})
                created += 1
            elif _same(pair, values):
                unchanged += 1
            else:
                CounterpartPair.objects.filter(pk=pair.pk).update(**values)
                updated += 1
        report.created["counterpart_pairs"] = created
        report.updated["counterpart_pairs"] = updated
        report.unchanged["counterpart_pairs"] = unchanged
        audit_event_record(
            actor=actor,
            action="directory.loaded",
            target_type="directory.file",
            target_id=source_name[-80:],
            data={
                "sha256": report.sha256,
                "created": report.created,
                "updated": report.updated,
                "pairs_removed": report.pairs_removed,
            },
        )
    return report


def directory_load_file(*, actor: Any, path: Path) -> LoadReport:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DirectoryFileError([Problem(None, str(path), exc.strerror or str(exc))]) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DirectoryFileError([Problem(None, str(path), "the file is not UTF-8 text")]) from exc
    return directory_load(actor=actor, text=text, source_name=path.name)


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def directory_export(*, as_json: bool = False) -> str:
    """The database's directory in the file format (the node's reference data: no people)."""
    common = ["source", "precision", "note"]
    countries = [
        clean_entry(
            {"code": c.code, "source": c.source, "precision": c.precision, "note": c.note},
            ["code", *common],
        )
        for c in Country.objects.order_by("code")
    ]
    agencies = [
        clean_entry(
            {
                "id": a.id,
                "country": a.country_id,
                "kind": a.kind,
                "name": a.name,
                "name_ru": a.name_ru,
                "abbreviation": a.abbreviation,
                "source": a.source,
                "precision": a.precision,
                "note": a.note,
            },
            ["id", "country", "kind", "name", "name_ru", "abbreviation", *common],
        )
        for a in Agency.objects.order_by("country_id", "id")
    ]
    sites = []
    for s in Site.objects.order_by("country_id", "id"):
        entry = {
            "id": s.id,
            "name": s.name,
            "name_ru": s.name_ru,
            "kind": s.kind,
            "country": s.country_id,
            "border": [s.country_id, s.border_country_id] if s.border_country_id else None,
            "lat": float(s.lat) if s.lat is not None else None,
            "lon": float(s.lon) if s.lon is not None else None,
            "coord_precision": s.coord_precision,
            "source": s.source,
            "precision": s.precision,
            "note": s.note,
        }
        sites.append(clean_entry(entry, list(entry)))
    offices = []
    for o in Office.objects.order_by("country_id", "id"):
        entry = {
            "id": o.id,
            "name": o.name,
            "name_ru": o.name_ru,
            "kind": o.kind,
            "site": o.site_id,
            "agency": o.agency_id,
            "opened": o.opened,
            "open_by": _date(o.open_by),
            "open_after": _date(o.open_after),
            "source": o.source,
            "precision": o.precision,
            "note": o.note,
        }
        offices.append(clean_entry(entry, list(entry)))
    pairs = [
        clean_entry(
            {
                "offices": [p.office_a_id, p.office_b_id],
                "source": p.source,
                "precision": p.precision,
                "note": p.note,
            },
            ["offices", *common],
        )
        for p in CounterpartPair.objects.order_by("office_a_id", "office_b_id")
    ]
    return dump(
        {
            "countries": countries,
            "agencies": agencies,
            "sites": sites,
            "offices": offices,
            "counterpart_pairs": pairs,
        },
        as_json=as_json,
    )
