"""The bulk write path of the import: the service's own validation helpers, then bulk inserts.

`seizure_record` costs about thirty queries per seizure (each entity and the seizure get their
own audit row, history row and search-text update), far from the 2,000 rows/s the import must
reach. Here each seizure goes through the same steps as `services.events._save_event`:
`apply_sharing`, `_apply_event_fields`, `_prepare_item`, `prepare_entity` and `model_errors`,
with the directory (sites, agencies) read once per run instead of once per seizure; then the
seizures, their agencies, items, entities, links and history rows are written with COPY on
PostgreSQL (`bulk_create` elsewhere, see `pgcopy`), and the run writes one audit event that names
every seizure and entity created.
`tests/records/test_io_import.py` checks that a seizure written here equals one written by
`seizure_record`.

On PostgreSQL the batches go through `Writer`: the validating thread formats each batch's COPYs
(`Payloads`, with psycopg's own COPY formatter and the column lists `pgcopy` uses) and a writer
thread sends them on the run's connection, in its transaction, while the next batch is
validated: the client (validation, formatting) and its backend (COPY, index upkeep) each get a
core. One batch at a time is in flight, and the connection serves one thread at a time.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone
from django.utils.translation import gettext as _
from psycopg import Copy
from psycopg.copy import Writer as CopyWriter

from blonet.core import pgcopy
from blonet.directory.models import Agency, Office, Site
from blonet.records.choices import LinkRole
from blonet.records.federation import share
from blonet.records.models import ENTITY_MODELS, Involvement, Seizure, SeizureItem
from blonet.records.models.base import SHARING_FIELDS, new_instance
from blonet.records.search import event_search_text
from blonet.records.services.common import ErrorBag, apply_sharing, model_errors
from blonet.records.services.entities import prepare_entity
from blonet.records.services.events import (
    SEIZURE_FIELDS,
    _apply_event_fields,
    _prepare_item,
)

# Set by `apply_sharing` on a record: copied from a memo for records with the same sharing.
_SHARING_ATTRS = (
    "owner_office_id", "owner_agency_id", "owner_country_id", "distribution",
    "counterpart_country_id", "handling_codes", "handling_conditions", "source_reliability",
    "information_accuracy", "classification",
)  # fmt: skip
ROLES = frozenset(LinkRole.values)
_EVENT_EXCLUDE = [
    "owner_office", "owner_agency", "owner_country", "reference", "id", "search_text",
    # resolved from the directory read at the start of the run (unknown ones are reported)
    "site", "office", "counterpart_country",
]  # fmt: skip


@dataclass
class Prepared:
    seizure: Seizure
    agencies: list[Agency]
    items: list[SeizureItem]
    links: list[tuple[str, str, Any]] = field(default_factory=list)  # role, note, new entity


class RandomPool:
    """Random bytes from `os.urandom`, drawn a block at a time: `uuid.uuid4` makes one
    `getrandom` system call per value, which also lets the writer thread take the GIL each
    time. The bytes are the same cryptographically random bytes, only fetched in bulk."""

    def __init__(self, block: int = 16 * 512) -> None:
        self.block = block
        self._bytes = b""
        self._at = 0

    def take(self, count: int) -> bytes:
        if self._at + count > len(self._bytes):
            self._bytes, self._at = os.urandom(max(self.block, count)), 0
        start, self._at = self._at, self._at + count
        return self._bytes[start : self._at]

    def reference(self, seizure: Seizure) -> str:
        """As `services.events._reference`: `{country}-{year}-` and 32 random bits in
        upper-case hex (the first eight hex digits of a `uuid4` are eight random ones)."""
        return f"{seizure.owner_country_id}-{seizure.occurred_at:%Y}-{self.take(4).hex().upper()}"


class Context:
    """What a run reads once: the owner office, the directory, the sharing already checked."""

    def __init__(self, actor: Any, office: Office) -> None:
        self.actor = actor
        self.user = actor if getattr(actor, "is_authenticated", False) else None
        self.office = office
        self.sites = {s.pk: s for s in Site.objects.all()}
        self.agencies = {a.pk: a for a in Agency.objects.all()}
        self._sharing: dict[str, tuple[dict[str, Any], dict[str, list[str]]]] = {}
        self.random = RandomPool()

    def apply_sharing(self, record: Any, data: dict[str, Any], errors: ErrorBag) -> None:
        """`apply_sharing`, once per distinct sharing (it reads the country table)."""
        key = repr(sorted((k, repr(v)) for k, v in data.items()))
        if key not in self._sharing:
            scratch = Seizure()
            bag = ErrorBag()
            apply_sharing(scratch, self.office, dict(data), bag)
            self._sharing[key] = ({a: getattr(scratch, a) for a in _SHARING_ATTRS}, bag.fields)
        attrs, fields = self._sharing[key]
        for name, value in attrs.items():
            setattr(record, name, list(value) if isinstance(value, list) else value)
        record.owner_office = self.office
        for name, messages in fields.items():
            for message in messages:
                errors.add(name, message)

    def agencies_for(self, data: dict[str, Any], errors: ErrorBag) -> list[Agency]:
        """As `services.events._agencies`, from the directory read once."""
        if "agencies" not in data:
            return [self.office.agency]
        ids = [getattr(a, "pk", a) for a in data["agencies"] or []]
        missing = [i for i in ids if i not in self.agencies]
        if missing:
            errors.add("agencies", _("Unknown agency: %s.") % ", ".join(map(str, missing)))
        return [self.agencies[i] for i in ids if i in self.agencies] or [self.office.agency]


def prepare(
    ctx: Context,
    data: dict[str, Any],
    items: list[dict[str, Any]],
    involvements: list[dict[str, Any]],
    import_key: str,
) -> tuple[Prepared | None, dict[str, list[str]]]:
    """Validate one seizure as `seizure_record` does: (prepared rows, {}) or (None, errors)."""
    errors = ErrorBag()
    data = dict(data)
    site = data.get("site")
    if isinstance(site, str) and site in ctx.sites:
        data["site"] = ctx.sites[site]
    seizure = new_instance(Seizure)
    seizure.import_key = import_key
    ctx.apply_sharing(seizure, {k: v for k, v in data.items() if k in SHARING_FIELDS}, errors)
    _apply_event_fields(seizure, ctx.office, data, SEIZURE_FIELDS, errors)
    agencies = ctx.agencies_for(data, errors)
    prepared_items = [_prepare_item(row, errors, f"items[{i}].") for i, row in enumerate(items)]
    if not prepared_items:
        errors.add("items", _("A seizure has at least one item."))
    links = _prepare_links(ctx, seizure, involvements, errors)
    model_errors(seizure, errors, exclude=_EVENT_EXCLUDE)
    if errors.fields:
        return None, errors.fields
    seizure.created_by = ctx.user
    seizure.reference = ctx.random.reference(seizure)
    seizure.total_kg = sum((it.quantity_kg or Decimal(0) for it in prepared_items), Decimal(0))
    seizure.commodities = " ".join(sorted({it.commodity for it in prepared_items}))
    seizure.search_text = event_search_text(
        seizure, items=prepared_items, entities=[entity for _role, _note, entity in links]
    )
    return Prepared(seizure, agencies, prepared_items, links), {}


def _prepare_links(
    ctx: Context, seizure: Seizure, rows: list[dict[str, Any]], errors: ErrorBag
) -> list[tuple[str, str, Any]]:
    """As `services.events._prepare_involvements` for new entities (an import links no
    existing ones): the entity takes the seizure's sharing."""
    out = []
    # `apply_sharing` with the seizure's (already checked) values gives the entity the same
    # values: copied as they are.
    sharing = {a: getattr(seizure, a) for a in _SHARING_ATTRS}
    for i, row in enumerate(rows):
        prefix = f"involvements[{i}]."
        kind = row.get("kind", "")
        model: Any = ENTITY_MODELS.get(kind)
        if model is None:
            errors.add(f"{prefix}kind", _("Unknown kind of entity “%s”.") % kind)
            continue
        role = row.get("role") or LinkRole.OTHER
        if role not in ROLES:
            errors.add(f"{prefix}role", _("Unknown role “%s”.") % role)
        entity = new_instance(model)
        for name, value in sharing.items():
            setattr(entity, name, list(value) if isinstance(value, list) else value)
        prepare_entity(entity, row.get("data") or {}, errors, prefix)
        entity.created_by = ctx.user  # after validation: full_clean would look the user up
        out.append((role, str(row.get("note") or "")[:300], entity))
    return out


def write(ctx: Context, batch: list[Prepared], out: Any = pgcopy) -> dict[str, list[str]]:
    """Insert a batch of prepared seizures (inside the caller's transaction); the ids made.

    `out` does the inserts: `pgcopy` itself, or a `Payloads` that formats the same COPYs to be
    sent later (by `Writer`'s thread, which then calls `share_batch`)."""
    now = timezone.now()
    seizures = [p.seizure for p in batch]
    for seizure in seizures:
        seizure.created_at = seizure.updated_at = now
    out.insert(Seizure, seizures)
    out.insert_history(Seizure, seizures, ctx.user, now)
    out.insert_rows(
        Seizure.agencies.through,
        ["seizure_id", "agency_id"],
        [[p.seizure.pk, a.pk] for p in batch for a in p.agencies],
    )
    items = []
    for p in batch:
        for position, item in enumerate(p.items):
            item.seizure = p.seizure
            item.position = position
            items.append(item)
    out.insert(SeizureItem, items, need_ids=True)
    out.insert_history(SeizureItem, items, ctx.user, now)
    made: dict[str, list[str]] = {"seizure": [str(s.pk) for s in seizures]}
    by_kind: dict[str, list[Any]] = {}
    links = []
    for p in batch:
        for role, note, entity in p.links:
            by_kind.setdefault(entity.kind, []).append(entity)
            values = {f"{k}_id": None for k in ENTITY_MODELS}
            values[f"{entity.kind}_id"] = entity.pk
            links.append(pgcopy.new(Involvement, seizure_id=p.seizure.pk, incident_id=None,
                                    role=role, note=note, **values))  # fmt: skip
    for kind, entities in by_kind.items():
        model: Any = ENTITY_MODELS[kind]
        for entity in entities:
            entity.created_at = entity.updated_at = now
        out.insert(model, entities)
        out.insert_history(model, entities, ctx.user, now)
        made[kind] = [str(e.pk) for e in entities]
    out.insert(Involvement, links, need_ids=True)
    out.insert_history(Involvement, links, ctx.user, now)
    if out is pgcopy:
        share_batch(batch)
    return made


def share_batch(batch: list[Prepared]) -> None:
    """What the distribution releases goes to the peer nodes, as `seizure_record` does: the
    outbox rows in this transaction (nothing at all on a node without federation)."""
    for p in batch:
        for _role, _note, entity in p.links:
            share(entity)
        share(p.seizure)


class _Sink(CopyWriter):
    """Where a `psycopg.Copy` puts its formatted data: kept, to be sent later."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []

    def write(self, data: Any) -> None:
        self.chunks.append(bytes(data))


class Payloads:
    """The COPYs `pgcopy` would run for a batch (same tables, columns, rows, history rows),
    formatted by psycopg's own COPY formatter without touching the connection: ids for the
    tables with a sequence come from ids reserved beforehand (`reserve`)."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn
        self.cursor = conn.connection.cursor()  # for its adapters only: it runs nothing
        self.copies: list[tuple[str, bytes]] = []
        self._ids: dict[Any, list[int]] = {}

    def reserve(self, model: Any, count: int) -> None:
        """`count` more ids of `model`'s sequence, in one query (before the pipeline starts:
        a reservation left unused is a gap, as a rolled-back run leaves)."""
        self._ids.setdefault(model, []).extend(pgcopy.allocate_ids(model, count))

    def _take_ids(self, model: Any, count: int) -> list[int]:
        pool = self._ids.setdefault(model, [])
        if len(pool) < count:  # not reserved (not expected): waits for the batch in flight
            pool.extend(pgcopy.allocate_ids(model, count - len(pool)))
        taken, pool[:count] = pool[:count], []
        return taken

    def _copy(self, table: str, columns: list[str], rows: list[list[Any]]) -> None:
        quote = self.conn.ops.quote_name
        sql = f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
        sink = _Sink()
        copy = Copy(self.cursor, writer=sink)
        for row in rows:
            copy.write_row(row)
        copy.finish(None)
        self.copies.append((sql, b"".join(sink.chunks)))

    def insert(self, model: Any, objs: list[Any], *, need_ids: bool = False) -> None:
        if not objs:
            return
        fields = list(model._meta.concrete_fields)
        pk = model._meta.pk
        if pgcopy._auto(pk) and need_ids:
            for obj, new_id in zip(objs, self._take_ids(model, len(objs)), strict=True):
                setattr(obj, pk.attname, new_id)
        elif pgcopy._auto(pk):
            fields = [f for f in fields if f is not pk]
        self._copy(model._meta.db_table, [str(f.column) for f in fields],
                   pgcopy._rows(fields, objs))  # fmt: skip

    def insert_history(self, model: Any, objs: list[Any], user: Any, when: Any) -> None:
        """As `pgcopy.insert_history` on PostgreSQL: one "+" row per object."""
        if not objs:
            return
        history = model.history.model
        tracked = list(history.tracked_fields)
        columns = [str(f.column) for f in tracked] + [
            "history_date", "history_change_reason", "history_type", "history_user_id",
        ]  # fmt: skip
        user_id = getattr(user, "pk", None)
        rows = [[*row, when, None, "+", user_id] for row in pgcopy._rows(tracked, objs)]
        self._copy(history._meta.db_table, columns, rows)

    def insert_rows(self, model: Any, columns: list[str], rows: list[list[Any]]) -> None:
        if rows:
            self._copy(model._meta.db_table, columns, rows)


class Writer:
    """Writes the batches of a run in order, inside the caller's transaction.

    Threaded (the default on PostgreSQL), `submit` formats the batch's COPYs here (`Payloads`:
    all the Python work) and hands them to a writer thread, which sends them on the caller's
    own connection, in the run's transaction, and waits for PostgreSQL to store them while the
    caller validates the next batch. One batch at a time is in flight; a query the caller makes
    meanwhile (e.g. a country looked up by `apply_sharing`) waits for it: the connection serves
    one thread at a time. `close` (leaving the `with`) waits for the last batch and raises what
    a batch raised, as Django's error (so the caller's `transaction.atomic` rolls everything
    back, as when writing in turn). Otherwise (SQLite) each batch is written in turn by
    `write`.
    """

    def __init__(self, ctx: Context, *, threaded: bool | None = None) -> None:
        self.ctx = ctx
        self.conn = connections[DEFAULT_DB_ALIAS]
        postgres = self.conn.vendor == "postgresql"
        self.threaded = postgres and (threaded is None or threaded)
        self.made: dict[str, list[str]] = {}
        self._pending: Future[None] | None = None
        self._lock = threading.RLock()
        self._pool: ThreadPoolExecutor | None = None
        self._guard: Any = None
        self._payloads: Payloads | None = None

    def __enter__(self) -> Writer:
        if self.threaded:
            self.conn.ensure_connection()
            self._payloads = Payloads(self.conn)
            self.conn.inc_thread_sharing()
            self._guard = self.conn.execute_wrapper(self._serialised)
            self._guard.__enter__()
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="blonet-import")
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self._wait(raise_errors=exc[0] is None)
        finally:
            if self._pool is not None:
                self._pool.shutdown(wait=True)
                self._guard.__exit__(None, None, None)
                self.conn.dec_thread_sharing()
                self._pool = None
            if self._payloads is not None:
                self._payloads.cursor.close()
                self._payloads = None

    def reserve(self, items: int, links: int) -> None:
        """Ids for up to `items` items and `links` links, before the first batch."""
        if self._payloads is not None:
            self._payloads.reserve(SeizureItem, items)
            self._payloads.reserve(Involvement, links)

    def _serialised(self, execute: Callable[..., Any], *args: Any) -> Any:
        with self._lock:
            return execute(*args)

    def _wait(self, *, raise_errors: bool = True) -> None:
        pending, self._pending = self._pending, None
        if pending is None:
            return
        try:
            pending.result()
        except BaseException:
            if raise_errors:
                raise

    def submit(self, batch: list[Prepared]) -> None:
        if not batch:
            return
        if self._pool is None or self._payloads is None:
            with self.conn.wrap_database_errors:
                made = write(self.ctx, batch)
        else:
            made = write(self.ctx, batch, out=self._payloads)
            copies, self._payloads.copies = self._payloads.copies, []
            self._wait()
            self._pending = self._pool.submit(self._send, copies, batch)
        for kind, ids in made.items():
            self.made.setdefault(kind, []).extend(ids)

    def _send(self, copies: list[tuple[str, bytes]], batch: list[Prepared]) -> None:
        connections[DEFAULT_DB_ALIAS] = self.conn  # the run's connection, in its transaction
        try:
            with self._lock, self.conn.wrap_database_errors, self.conn.cursor() as cursor:
                for sql, data in copies:
                    with cursor.copy(sql) as copy:
                        copy.write(data)
                share_batch(batch)
        finally:
            del connections[DEFAULT_DB_ALIAS]
