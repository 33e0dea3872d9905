"""Import seizures from a CSV or XLSX file in the documented template.

`import_seizures(actor=, office=, content=, filename=, dry_run=)` reads the file, groups its rows
into seizures, validates each through the service's validation, keeps the good ones and reports
every bad row with its row number, column and reason. Re-importing a file adds nothing: each
seizure carries an `import_key` (office + the file's `seizure_ref`, or the rows' content) and the
ones already in the register are reported as such. A dry run validates everything the same way
and writes nothing, so the preview and the real run agree.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
import time
from collections.abc import Iterator
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from blonet.audit.services import audit_event_record
from blonet.core.errors import BlonetError, ValidationError
from blonet.directory.models import Office
from blonet.records.io import bulk, mapping
from blonet.records.io import columns as cols
from blonet.records.io.mapping import Group, Problem
from blonet.records.io.readers import FileProblem, Source, read_source
from blonet.records.io.report import ImportReport, SeizureLine
from blonet.records.io.values import shown
from blonet.records.models import Seizure
from blonet.records.search import event_search_text
from blonet.records.services import seizure_record
from blonet.records.services.common import require_writer, resolve_office
from blonet.records.services.events import local_zone

CHUNK = 2000
# Seizures validated, then written, at a time: small enough that the first batch's validation and
# the last one's write, which the pipeline cannot overlap, are a small part of a large file.
BATCH = 500
METHODS = ("bulk", "service")
REQUIRED: dict[str, tuple[str, ...]] = {
    "": cols.REQUIRED_COLUMNS,
    cols.SHEET_SEIZURES: ("seizure_ref", "occurred_at"),
    cols.SHEET_ITEMS: ("seizure_ref", "commodity", "quantity", "unit"),
    cols.SHEET_ENTITIES: ("seizure_ref", "kind"),
}


class _Rollback(Exception):
    pass


def import_seizures(
    *,
    actor: Any,
    office: Office | str,
    content: bytes,
    filename: str,
    dry_run: bool = True,
    method: str = "bulk",
) -> ImportReport:
    """Read, validate and (unless `dry_run`) record the seizures of a file; never raises for
    bad input: everything wrong is in the report."""
    started = time.perf_counter()
    report = ImportReport(
        filename=filename,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        office_id=str(getattr(office, "pk", office)),
        dry_run=dry_run,
        method=method,
    )
    with _cyclic_gc_paused():
        try:
            office = resolve_office(office)
            require_writer(actor, office)
            source = read_source(content, filename)
        except FileProblem as exc:
            report.errors += exc.messages
        except BlonetError as exc:
            report.errors.append(_first_message(exc))
        else:
            report.format, report.layout = source.format, source.layout
            report.encoding, report.delimiter = source.encoding, source.delimiter
            report.rows_total = source.row_count
            if _check_columns(source, report):
                _run(actor, office, source, report)
    report.seconds = time.perf_counter() - started
    if not dry_run and not report.audited:
        _audit(actor, report)  # a run that could not start is audited too
    return report


@contextlib.contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while a file is imported.

    A run holds the file's rows, their groups and a few model instances per row at once: the
    collector's full passes over that growing heap (nine on 20,000 rows) cost about a quarter
    of the run's CPU time and find next to nothing (reference counting frees what the run drops;
    the few cycles wait for the next pass after the run)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _first_message(exc: BlonetError) -> str:
    for messages in exc.fields.values():
        if messages:
            return messages[0]
    return exc.message


def _check_columns(source: Source, report: ImportReport) -> bool:
    ok = True
    for name, sheet in source.sheets.items():
        label = name or sheet.name
        unknown = [c for c in sheet.columns if not _known(name, c)]
        if unknown and len(unknown) == len(sheet.columns):
            report.errors.append(
                _("The first row is not the template's header: none of its cells is a column "
                  "of the template (row %s).") % sheet.header_row
            )  # fmt: skip
            return False
        if unknown:
            report.warnings.append(
                _("Columns that are not in the template are ignored: %s.") % ", ".join(unknown)
                + (f" ({label})" if label else "")
            )
        missing = [c for c in REQUIRED[name] if c not in sheet.columns]
        if missing:
            msg = _("Required columns are missing: %s.") % ", ".join(missing)
            report.errors.append(msg + (f" ({label})" if label else ""))
            ok = False
    return ok


def _known(sheet: str, column: str) -> bool:
    if sheet == cols.SHEET_ENTITIES:
        return column in cols.ENTITY_SHEET_COLUMNS
    if sheet == cols.SHEET_ITEMS:
        return column in ("seizure_ref", *cols.ITEM_COLUMNS)
    return cols.is_known(column)


def _run(actor: Any, office: Office, source: Source, report: ImportReport) -> None:
    groups, problems = mapping.group_rows(source)
    report.problems += problems
    for group in groups:
        mapping.build(group)
        group.import_key = mapping.import_key(office.pk, group)
    fresh = _skip_existing(office, groups, report)
    report.groups_total = len(groups)
    try:
        with transaction.atomic():
            if report.method == "service":
                _run_service(actor, office, fresh, report)
            else:
                _run_bulk(actor, office, fresh, report)
            if report.dry_run:
                raise _Rollback
            _audit(actor, report)
    except _Rollback:
        pass
    except IntegrityError:
        report.created.clear()
        report.created_ids.clear()
        report.errors.append(
            _("Another import of the same seizures ran at the same time; nothing was imported "
              "from this file. Run it again: what is already imported will be skipped.")
        )  # fmt: skip
    report.problems.sort(key=lambda p: (*_row_order((p.sheet, p.row)), p.column))


SHEET_ORDER = (cols.SHEET_SEIZURES, cols.SHEET_ITEMS, cols.SHEET_ENTITIES)


def _row_order(sheet_row: tuple[str, int]) -> tuple[int, int]:
    sheet, number = sheet_row
    return (SHEET_ORDER.index(sheet) if sheet in SHEET_ORDER else 0), number


def _skip_existing(office: Office, groups: list[Group], report: ImportReport) -> list[Group]:
    """Groups already in the register (same key, or a `seizure_ref` that is the reference of a
    seizure of this office, as in an export) or repeated within the file are reported, not
    imported."""
    keys: dict[str, tuple[str, Any]] = {}
    refs: dict[str, Any] = {}
    all_keys = [g.import_key for g in groups]
    all_refs = [g.ref for g in groups if g.ref]
    base = Seizure.objects.filter(owner_office=office)
    for chunk in _chunks(all_keys, CHUNK):
        for key, ref, at in base.filter(import_key__in=chunk).values_list(
            "import_key", "reference", "occurred_at"
        ):
            keys[key] = (ref, at)
    for chunk in _chunks(all_refs, CHUNK):
        for ref, at in base.filter(reference__in=chunk).values_list("reference", "occurred_at"):
            refs[ref] = at
    fresh: list[Group] = []
    seen: dict[str, Group] = {}
    for group in groups:
        line = _line(group)
        if group.import_key in keys:
            line.reference, at = keys[group.import_key]
            occurred: Any = group.data.get("occurred_at")
            if (
                isinstance(occurred, dt.datetime)
                and at
                and timezone.localtime(at, local_zone(office)).date() != occurred.date()
            ):
                line.note = _("The register's seizure has another date: was this seizure_ref "
                              "used before for another seizure?")  # fmt: skip
            report.already.append(line)
        elif group.ref in refs:
            line.reference = group.ref
            report.already.append(line)
        elif group.import_key in seen:
            line.note = _("The same as row %s of this file.") % seen[group.import_key].first.number
            report.already.append(line)
        else:
            seen[group.import_key] = group
            fresh.append(group)
    return fresh


def _chunks(values: list[Any], size: int) -> Iterator[list[Any]]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


def _line(group: Group) -> SeizureLine:
    if group.line is None:
        group.line = _new_line(group)
    return group.line


def _new_line(group: Group) -> SeizureLine:
    data = group.data
    items = "; ".join(
        " ".join(str(it.get(k, "")) for k in ("commodity", "quantity", "unit")).strip()
        for it in group.items
    )
    when = data.get("occurred_at", "")
    return SeizureLine(
        ref=group.ref,
        sheet=group.first.sheet,
        rows=[r.number for r in group.rows],
        occurred_at=when.strftime("%Y-%m-%d %H:%M") if hasattr(when, "strftime") else str(when),
        site=str(data.get("site", "")),
        items=items,
        entities=len(group.involvements),
    )


def _reject(
    group: Group, fields: dict[str, list[str]], report: ImportReport, message: str = ""
) -> None:
    """Every problem of a group, at its row and column; the group's other rows held back."""
    problems = list(group.problems)
    if not fields and not problems:
        fields = {"__all__": [message or _("The seizure is not valid.")]}
    for key, messages in fields.items():
        row, column = group.locate(key)
        # The first message of a field is the service's own; later ones repeat it in Django's
        # generic words ("This field cannot be null.") or follow from it.
        for message in messages[:1]:
            problems.append(Problem(row.sheet, row.number, column, shown(row, column), message))
    bad = {(p.sheet, p.row) for p in problems}
    sheet, number = min(bad, key=_row_order)
    held = (
        _("Not imported with its seizure: row %(row)s of the sheet “%(sheet)s” has an error.")
        % {"row": number, "sheet": sheet}
        if report.layout == "related"
        else _("Not imported with its seizure: row %s has an error.") % number
    )
    for row in group.rows:
        if (row.sheet, row.number) not in bad:
            problems.append(
                Problem(row.sheet, row.number, "seizure_ref", shown(row, "seizure_ref"),
                        held)
            )  # fmt: skip
    report.problems += problems
    report.rejected += 1


def _run_bulk(
    actor: Any,
    office: Office,
    groups: list[Group],
    report: ImportReport,
    *,
    threaded: bool | None = None,
) -> None:
    """Validate the groups batch by batch and write the good seizures of each batch; on
    PostgreSQL (unless `threaded` is False) a batch is stored while the next one is validated
    (`bulk.Writer`), with the same rows, report and transaction as writing in turn."""
    ctx = bulk.Context(actor, office)
    with bulk.Writer(ctx, threaded=False if report.dry_run else threaded) as writer:
        if not report.dry_run:
            writer.reserve(sum(len(g.items) for g in groups),
                           sum(len(g.involvements) for g in groups))  # fmt: skip
        used: set[str] = set()
        for chunk in _chunks(groups, BATCH):
            batch = []
            lines = []
            for group in chunk:
                prepared, fields = bulk.prepare(
                    ctx, group.data, group.items, group.involvements, group.import_key
                )
                if prepared is None or group.problems:
                    _reject(group, fields, report)
                    continue
                batch.append(prepared)
                line = _line(group)
                lines.append(line)
                report.created.append(line)
            if not report.dry_run:
                _free_references(ctx, batch, used)
                for line, prepared in zip(lines, batch, strict=True):
                    line.reference = prepared.seizure.reference
                writer.submit(batch)
    for kind, ids in writer.made.items():
        report.created_ids.setdefault(kind, []).extend(ids)


def _free_references(ctx: bulk.Context, batch: list[bulk.Prepared], used: set[str]) -> None:
    """Draw again each reference of ``batch`` that a stored seizure, an earlier batch of the run
    or an earlier seizure of the batch already has (32 random bits per country and year: a
    year of 70,000 seizures meets one in about 2,000 draws). One query per round."""
    pending = batch
    while pending:
        refs = [p.seizure.reference for p in pending]
        taken = set(
            Seizure._base_manager.filter(reference__in=refs).values_list("reference", flat=True)
        )
        again = []
        for prepared in pending:
            seizure = prepared.seizure
            if seizure.reference in taken or seizure.reference in used:
                seizure.reference = ctx.random.reference(seizure)
                seizure.search_text = event_search_text(
                    seizure, items=prepared.items, entities=[e for _r, _n, e in prepared.links]
                )
                again.append(prepared)
            else:
                used.add(seizure.reference)
        pending = again


def _run_service(actor: Any, office: Office, groups: list[Group], report: ImportReport) -> None:
    """One `seizure_record` call per seizure (each in a savepoint): the reference path."""
    for group in groups:
        try:
            with transaction.atomic():
                seizure = seizure_record(
                    actor=actor,
                    office=office,
                    data=group.data,
                    items=group.items,
                    involvements=group.involvements,
                    import_key=group.import_key,
                )
                if group.problems:
                    raise ValidationError(fields={})
        except ValidationError as exc:
            _reject(group, exc.fields, report, exc.message)
            continue
        line = _line(group)
        line.reference = "" if report.dry_run else seizure.reference
        report.created.append(line)
        report.created_ids.setdefault("seizure", []).append(str(seizure.pk))


def _audit(actor: Any, report: ImportReport) -> None:
    """One event per run: counts, the file's hash and the identifiers made (no personal data)."""
    audit_event_record(
        actor=actor,
        action="records.import.run",
        target_type="records.seizure",
        data=report.audit_data(),
    )
    report.audited = True
