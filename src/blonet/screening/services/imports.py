"""Bulk import of watchlist entries from CSV, XLSX or JSONL, with the records' bad-row rules:
every rejected row is listed with its row, column and reason; good rows are kept; re-importing
the same file adds nothing (an entry already on the list is counted, not added again)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from blonet.audit.services import audit_event_record
from blonet.records.io.readers import FileProblem, Row, check_name_and_size, decode, read_source
from blonet.records.services.common import ErrorBag
from blonet.screening.engine import LIVE
from blonet.screening.models import Watchlist, WatchlistEntry
from blonet.screening.services.lists import ENTRY_FIELDS, _check_list, new_entry, on_list

# Header names accepted for each entry field (after lower-casing, spaces to underscores).
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("name", "full_name", "person1_name", "fio", "фио", "ф_и_о"),
    "aliases": ("aliases", "alias", "also_known_as", "aka"),
    "dob": ("dob", "date_of_birth", "birth_date", "person1_dob", "дата_рождения"),
    "nationality": ("nationality", "citizenship", "person1_nationality", "гражданство"),
    "doc_number": ("doc_number", "document", "document_number", "passport", "passport_number"),
    "plate": ("plate", "vehicle_plate", "plate_number", "registration"),
    "vin": ("vin", "vehicle_vin"),
    "container_number": ("container_number", "container", "container_no"),
    "org_name": ("org_name", "organisation", "organization", "company", "name"),
    "phone": ("phone", "phone_number", "telephone", "number"),
    "country": ("country", "issuing_country", "vehicle_country"),
    "reason": ("reason", "grounds", "основание"),
    "source_office": ("source_office", "source"),
    "valid_from": ("valid_from", "from"),
    "valid_until": ("valid_until", "until", "expires"),
}
COMMON_COLUMNS = ("reason", "source_office", "valid_from", "valid_until")
MAX_PROBLEMS_LISTED = 1000


@dataclass
class RowProblem:
    row: int
    column: str
    value: str
    message: str


@dataclass
class EntryImportReport:
    filename: str
    sha256: str
    format: str = ""
    encoding: str = ""
    rows_total: int = 0
    created: int = 0
    already: int = 0
    rejected: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # the file as a whole: nothing imported
    ignored_columns: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def audit_data(self) -> dict[str, Any]:
        return {
            "sha256": self.sha256, "format": self.format, "rows": self.rows_total,
            "created": self.created, "already": self.already, "rejected": self.rejected,
            "errors": len(self.errors), "dry_run": self.dry_run,
        }  # fmt: skip


def _jsonl_rows(content: bytes) -> list[Row]:
    text, _encoding = decode(content)
    rows: list[Row] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise FileProblem(
                _("Line %(line)s is not valid JSON (%(error)s).")
                % {"line": number, "error": exc.msg}
            ) from None
        if not isinstance(obj, dict):
            raise FileProblem(_("Line %s is not a JSON object.") % number)
        values = {str(k).strip().lower().replace(" ", "_"): v for k, v in obj.items()}
        rows.append(Row("", number, values))
    if not rows:
        raise FileProblem(_("The file is empty."))
    return rows


def read_rows(content: bytes, filename: str) -> tuple[str, str, list[Row]]:
    """(format, encoding, rows) of a CSV, XLSX or JSONL file; raises FileProblem."""
    if PurePath(filename or "").suffix.lower() == ".jsonl":
        check_name_and_size("file.csv", len(content))  # the same size limits
        return "jsonl", "utf-8", _jsonl_rows(content)
    source = read_source(content, filename)
    sheet = next(iter(source.sheets.values()))
    return source.format, source.encoding, sheet.rows


def column_map(kind: str, columns: list[str]) -> tuple[dict[str, str], list[str]]:
    """{entry field: column} for the columns present, and the columns that are not used."""
    wanted = (*ENTRY_FIELDS[kind], *COMMON_COLUMNS)
    mapping: dict[str, str] = {}
    for name in wanted:
        for alias in COLUMN_ALIASES[name]:
            if alias in columns and alias not in mapping.values():
                mapping[name] = alias
                break
    ignored = [c for c in columns if c not in mapping.values()]
    return mapping, ignored


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return value
    if value is None:
        return ""
    return value if not isinstance(value, str) else value.strip()


def entries_import(
    *,
    actor: Any,
    watchlist: Watchlist,
    content: bytes,
    filename: str,
    default_reason: str = "",
    dry_run: bool = False,
) -> EntryImportReport:
    _check_list(actor, watchlist)
    report = EntryImportReport(
        filename=PurePath(filename or "").name[:200],
        sha256=hashlib.sha256(content).hexdigest(),
        dry_run=dry_run,
    )
    try:
        report.format, report.encoding, rows = read_rows(content, filename)
    except FileProblem as exc:
        report.errors = exc.messages
        return report
    columns = list(dict.fromkeys(c for r in rows for c in r.values))
    mapping, report.ignored_columns = column_map(watchlist.kind, columns)
    main = ENTRY_FIELDS[watchlist.kind][0]
    if main not in mapping and not (watchlist.kind == "vehicle" and "vin" in mapping):
        report.errors.append(
            _("The file has no “%(column)s” column (found: %(found)s).")
            % {"column": main, "found": ", ".join(columns) or "—"}
        )
        return report
    report.rows_total = len(rows)
    existing = set(on_list(watchlist).values_list("match_key", flat=True))
    new: list[WatchlistEntry] = []
    for row in rows:
        data = {name: _cell(row.values.get(col)) for name, col in mapping.items()}
        if not data.get("reason") and default_reason:
            data["reason"] = default_reason
        errors = ErrorBag()
        entry = new_entry(actor, watchlist, data, errors)
        if errors.fields:
            report.rejected += 1
            for name, messages in errors.fields.items():
                column = mapping.get(name, name)
                value = str(row.values.get(column, "") or "")[:80]
                for message in messages:
                    if len(report.problems) < MAX_PROBLEMS_LISTED:
                        report.problems.append(RowProblem(row.number, column, value, message))
            continue
        if entry.match_key in existing:
            report.already += 1
            continue
        existing.add(entry.match_key)
        new.append(entry)
    report.created = len(new)
    if dry_run:
        return report
    with transaction.atomic():
        WatchlistEntry.objects.bulk_create(new, batch_size=500)
        audit_event_record(
            actor=actor,
            action="screening.entries.imported",
            target=watchlist,
            data=report.audit_data(),
        )
        if new and LIVE.built:
            transaction.on_commit(LIVE.sync)
    return report
