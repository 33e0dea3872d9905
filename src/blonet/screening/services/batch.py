"""Batch screening of a passenger or cargo manifest (CSV or XLSX).

The upload is checked at once (a file that cannot be read is refused with the reason) and kept
with a pending run; on commit a background thread screens it in chunks, saving the hits, the
progress and the skipped rows after each chunk, so the page's progress bar follows it and an
interrupted run resumes where it stopped (the progress page restarts a run whose heartbeat is
old). django-tasks is not installed on this node: see ADR 0009.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import threading
from pathlib import PurePath
from typing import Any

from django.core.files.base import ContentFile
from django.db import close_old_connections, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from blonet.audit.services import audit_event_record
from blonet.core.errors import ValidationError
from blonet.directory.models import Office
from blonet.records.io.readers import FileProblem, Row, read_source
from blonet.screening.choices import RunSource, RunStatus, WatchlistKind
from blonet.screening.models import ScreeningRun
from blonet.screening.queries import build_query
from blonet.screening.services.checks import Item, _audit_check, screen_items
from blonet.screening.services.common import screener_office

log = logging.getLogger(__name__)

CHUNK = 250
MAX_SKIPPED_LISTED = 2000
STALE_AFTER = dt.timedelta(seconds=60)

# Manifest header names (lower case, spaces as underscores) for each query field.
MANIFEST_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("name", "full_name", "person1_name", "passenger", "passenger_name", "traveller",
             "traveler", "driver", "fio", "фио", "ф_и_о", "mrz"),
    "family_name": ("surname", "family_name", "last_name", "фамилия"),
    "given_names": ("given_names", "given_name", "first_name", "имя"),
    "dob": ("dob", "date_of_birth", "birth_date", "born", "person1_dob", "дата_рождения"),
    "nationality": ("nationality", "citizenship", "person1_nationality", "гражданство"),
    "doc_number": ("doc_number", "document", "document_number", "passport", "passport_number",
                   "passport_no", "паспорт", "номер_паспорта"),
    "plate": ("plate", "vehicle_plate", "plate_number", "registration", "reg_number", "госномер"),
    "vin": ("vin", "vehicle_vin"),
    "container": ("container", "container_number", "container_no", "контейнер"),
    "organisation": ("organisation", "organization", "company", "consignee", "consignor",
                     "shipper", "carrier", "получатель", "отправитель", "компания"),
    "phone": ("phone", "phone_number", "telephone", "телефон"),
    "ref": ("id", "ref", "reference", "row_id", "passenger_id", "seat"),
}  # fmt: skip


class _Run:
    """Threads running in this process (a run is never processed twice at once here)."""

    lock = threading.Lock()
    active: set[str] = set()


def manifest_columns(columns: list[str]) -> dict[str, list[str]]:
    """{query field: [columns]} for the columns a manifest has (organisations may repeat)."""
    found: dict[str, list[str]] = {}
    for name, aliases in MANIFEST_COLUMNS.items():
        cols = [c for c in columns if c in aliases]
        if cols:
            found[name] = cols if name == "organisation" else cols[:1]
    return found


def _rows(content: bytes, filename: str) -> tuple[list[Row], dict[str, list[str]], list[str]]:
    source = read_source(content, filename)
    sheet = next(iter(source.sheets.values()))
    mapping = manifest_columns(sheet.columns)
    if not set(mapping) - {"ref"}:
        raise FileProblem(
            _("The file has none of the columns that can be screened (name, dob, nationality, "
              "doc_number, plate, vin, container, organisation, phone); found: %s.")
            % (", ".join(sheet.columns) or "—")
        )  # fmt: skip
    used = {c for cols in mapping.values() for c in cols}
    ignored = [c for c in sheet.columns if c not in used]
    return sheet.rows, mapping, ignored


def batch_start(
    *, actor: Any, content: bytes, filename: str, office: Office | str | None = None
) -> ScreeningRun:
    """Check the manifest and queue it; the run is processed after the commit."""
    post = screener_office(actor, office)
    try:
        rows, _mapping, ignored = _rows(content, filename)
    except FileProblem as exc:
        raise ValidationError(fields={"file": exc.messages}) from None
    with transaction.atomic():
        run = ScreeningRun(
            user=actor, office=post, source=RunSource.BATCH, status=RunStatus.PENDING,
            filename=PurePath(filename or "").name[:200],
            sha256=hashlib.sha256(content).hexdigest(), rows_total=len(rows),
            issues=[_("Columns not used: %s.") % ", ".join(ignored)] if ignored else [],
        )  # fmt: skip
        run.manifest.save("manifest", ContentFile(content), save=False)
        run.save()
        _audit_check(actor, run, rows=len(rows), sha256=run.sha256)
        transaction.on_commit(lambda: start(run.pk))
    return run


def start(run_id: Any) -> bool:
    """Process the run in a background thread of this process (False if one already does)."""
    key = str(run_id)
    with _Run.lock:
        if key in _Run.active:
            return False
        _Run.active.add(key)
    threading.Thread(target=_thread_main, args=(key,), name=f"screening-{key[:8]}",
                     daemon=True).start()  # fmt: skip
    return True


def _thread_main(run_id: str) -> None:
    close_old_connections()
    try:
        batch_process(run_id)
    except Exception:  # the thread must record the failure, whatever it was
        log.exception("screening batch %s failed", run_id)
        ScreeningRun.objects.filter(pk=run_id).update(
            status=RunStatus.FAILED, error=_("The batch stopped on an internal error."),
            finished_at=timezone.now(),
        )  # fmt: skip
    finally:
        with _Run.lock:
            _Run.active.discard(run_id)
        connection.close()


def resume_if_stale(run: ScreeningRun) -> bool:
    """Restart a run whose worker went away (a restarted server). True if restarted here."""
    if not run.in_progress or str(run.pk) in _Run.active:
        return False
    last = run.heartbeat_at or run.created_at
    now = timezone.now()
    if now - last < STALE_AFTER:
        return False
    # claim it: only one process wins the update
    claimed = ScreeningRun.objects.filter(pk=run.pk, heartbeat_at=run.heartbeat_at).update(
        heartbeat_at=now
    )
    return bool(claimed) and start(run.pk)


def _join_name(values: dict[str, Any], mapping: dict[str, list[str]]) -> str:
    def cell(field: str) -> str:
        cols = mapping.get(field)
        value = values.get(cols[0]) if cols else None
        return "" if value is None else str(value).strip()

    name = cell("name")
    if not name and ("family_name" in mapping or "given_names" in mapping):
        name = " ".join(p for p in (cell("family_name"), cell("given_names")) if p)
    return name


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%Y-%m-%d")
    return str(value).strip()


def row_items(row: Row, mapping: dict[str, list[str]]) -> tuple[list[Item], list[dict[str, Any]]]:
    """The queries of one manifest row, and what could not be screened (with the reason)."""
    values = row.values
    first = {f: _cell(values.get(cols[0])) for f, cols in mapping.items() if cols}
    ref = first.get("ref", "")
    wanted: list[tuple[str, dict[str, str], str]] = []
    name = _join_name(values, mapping)
    if name or first.get("dob"):
        person = {"name": name, "dob": first.get("dob", ""),
                  "nationality": first.get("nationality", ""),
                  "doc_number": first.get("doc_number", "")}  # fmt: skip
        wanted.append((WatchlistKind.PERSON, person, "name"))
    elif first.get("doc_number"):
        wanted.append((WatchlistKind.DOCUMENT, {"doc_number": first["doc_number"]}, "doc_number"))
    if first.get("plate") or first.get("vin"):
        vehicle = {"plate": first.get("plate", ""), "vin": first.get("vin", "")}
        wanted.append((WatchlistKind.VEHICLE, vehicle, "plate"))
    if first.get("container"):
        wanted.append((WatchlistKind.CONTAINER, {"container": first["container"]}, "container"))
    for col in mapping.get("organisation", []):
        if _cell(values.get(col)):
            wanted.append((WatchlistKind.ORGANISATION, {"organisation": _cell(values[col])}, col))
    if first.get("phone"):
        wanted.append((WatchlistKind.PHONE, {"phone": first["phone"]}, "phone"))
    items: list[Item] = []
    problems: list[dict[str, Any]] = []
    for kind, data, main in wanted:
        query, row_problems = _row_query(kind, data, main, row.number, mapping)
        problems.extend(row_problems)
        if query is not None:
            items.append(Item(query, row=row.number, extra={"ref": ref} if ref else {}))
    if not wanted:
        problems.append({"row": row.number, "column": "", "value": "", "severity": "error",
                         "reason": _("Nothing to screen in this row.")})  # fmt: skip
    return items, problems


# A bad value in one of these does not stop the name being screened: a typo in a date of
# birth must not let a listed person through.
_EVIDENCE = ("dob", "nationality", "doc_number")


def _row_query(
    kind: str, data: dict[str, str], main: str, number: int, mapping: dict[str, list[str]]
) -> tuple[Any, list[dict[str, Any]]]:
    problems: list[dict[str, Any]] = []
    for attempt in (1, 2):
        try:
            return build_query(kind, data), problems
        except ValidationError as exc:
            evidence_only = kind == WatchlistKind.PERSON and set(exc.fields) <= set(_EVIDENCE)
            retry = attempt == 1 and evidence_only
            for field, messages in exc.fields.items():
                column = main if field == "organisation" else (mapping.get(field) or [field])[0]
                reason = "; ".join(messages)
                if retry:
                    reason = _("%s Screened without it.") % reason
                problems.append({"row": number, "column": column,
                                 "value": str(data.get(field, ""))[:80], "reason": reason,
                                 "severity": "warning" if retry else "error"})  # fmt: skip
            if not retry:
                return None, problems
            data = {k: ("" if k in exc.fields else v) for k, v in data.items()}
    return None, problems


def batch_process(run_id: Any) -> ScreeningRun:
    """Screen the run's manifest from where it stopped, one chunk per transaction."""
    run = ScreeningRun.objects.select_related("user", "office").get(pk=run_id)
    if not run.in_progress:
        return run
    actor = run.user
    if actor is None or not run.manifest:
        run.status, run.error = RunStatus.FAILED, _("The manifest or its owner is gone.")
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "error", "finished_at"])
        return run
    with run.manifest.open("rb") as fh:
        content = fh.read()
    rows, mapping, _ignored = _rows(content, run.filename or "manifest.csv")
    now = timezone.now()
    ScreeningRun.objects.filter(pk=run.pk).update(
        status=RunStatus.RUNNING, started_at=run.started_at or now, heartbeat_at=now
    )
    run.status = RunStatus.RUNNING
    for start_at in range(run.rows_done, len(rows), CHUNK):
        items: list[Item] = []
        problems: list[dict[str, Any]] = []
        chunk = rows[start_at : start_at + CHUNK]
        screened = 0
        for row in chunk:
            row_queries, row_problems = row_items(row, mapping)
            items.extend(row_queries)
            problems.extend(row_problems)
            screened += bool(row_queries)
        with transaction.atomic():
            hits = screen_items(actor, run, items) if items else []
            run.rows_done = start_at + len(chunk)
            run.rows_screened += screened
            run.rows_skipped += len(chunk) - screened
            run.hits_count += len(hits)
            run.suppressed_count += sum(len(i.suppressed) for i in items)
            room = MAX_SKIPPED_LISTED - len(run.skipped)
            run.skipped = [*run.skipped, *problems[: max(0, room)]]
            run.heartbeat_at = timezone.now()
            run.save(update_fields=["rows_done", "rows_screened", "rows_skipped", "hits_count",
                                    "suppressed_count", "skipped", "heartbeat_at"])  # fmt: skip
    with transaction.atomic():
        run.status = RunStatus.DONE
        run.finished_at = timezone.now()
        run.rows_total = len(rows)
        run.save(update_fields=["status", "finished_at", "rows_total"])
        audit_event_record(
            actor=actor,
            action="screening.batch.finished",
            target=run,
            data={
                "run": str(run.pk),
                "rows": run.rows_total,
                "screened": run.rows_screened,
                "skipped": run.rows_skipped,
                "hits": run.hits_count,
            },
        )
    run.manifest.delete(save=True)  # the hits keep what was found; the manifest is not kept
    return run
