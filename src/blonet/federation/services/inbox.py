"""Ingress: verify, store in the inbox keyed on (origin, record, version), apply in order.

`receive_batch(messages)` is what the consumer calls with each batch it fetched, before it
acks them; `receive(data, subject)` is the same for one message. A batch is one transaction:
the inbox rows, the applied copies, the audit events and one receipt per origin listing every
envelope of the batch. Each message runs in its own savepoint, so a duplicate rolls back alone;
if the batch as a whole fails, its messages are taken one by one. A refused envelope is
quarantined and audited; it never raises and never touches existing data.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import hashlib
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from blonet.audit.services import audit_event_record, audit_events_record
from blonet.core import pgcopy
from blonet.federation import envelope, node, registry
from blonet.federation.choices import STATE_RANK, DeliveryState, InboxState
from blonet.federation.models import (
    Delivery,
    InboxEntry,
    OutboxEntry,
    Peer,
    Quarantine,
    RecordCursor,
)
from blonet.federation.services.outbox import control_send, resend

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    state: str  # applied, parked, duplicate, stale, refused, control
    reason: str = ""


@dataclass
class _Batch:
    """What the messages of one batch leave to be written once, at the end of the batch."""

    receipts: dict[str, dict[tuple[str, str, int], dict[str, Any]]] = field(default_factory=dict)
    audits: list[dict[str, Any]] = field(default_factory=list)
    peers: dict[str, bool] = field(default_factory=dict)
    keys: dict[tuple[str, str], Any] = field(default_factory=dict)

    def merge(self, other: _Batch) -> None:
        for origin, items in other.receipts.items():
            self.receipts.setdefault(origin, {}).update(items)
        self.audits.extend(other.audits)


_batch: contextvars.ContextVar[_Batch | None] = contextvars.ContextVar("inbox_batch", default=None)


def _audit(**event: Any) -> None:
    batch = _batch.get()
    if batch is None:
        audit_event_record(actor=None, **event)
    else:
        batch.audits.append(event)


def _is_peer(code: str) -> bool:
    batch = _batch.get()
    if batch is None:
        return Peer.objects.filter(code=code).exists()
    if code not in batch.peers:
        batch.peers[code] = Peer.objects.filter(code=code).exists()
    return batch.peers[code]


def _peer_key(origin: str, key_id: str) -> Any:
    batch = _batch.get()
    if batch is None:
        return node.peer_key(origin, key_id)
    if (origin, key_id) not in batch.keys:
        batch.keys[(origin, key_id)] = node.peer_key(origin, key_id)
    return batch.keys[(origin, key_id)]


def receive(data: bytes, subject: str = "") -> Outcome:
    """One envelope on its own (its receipt is a batch of one)."""
    return receive_batch([(data, subject)])[0]


def receive_batch(messages: Iterable[tuple[bytes, str]]) -> list[Outcome]:
    """Store and apply a batch in one transaction; one outcome per message, in order."""
    messages = list(messages)
    try:
        with transaction.atomic():
            return _run_batch(messages)
    except Exception:
        if len(messages) == 1:
            raise
        log.warning("federation: a batch of %d failed; taking its messages one by one",
                    len(messages))  # fmt: skip
        return [receive(data, subject) for data, subject in messages]


@dataclass
class _Record:
    """A verified envelope carrying a record version, at its place in the batch."""

    index: int
    data: bytes
    env: dict[str, Any]
    body: dict[str, Any]

    @property
    def key(self) -> tuple[str, str, int]:
        return (self.env["origin_node"], self.env["record_uuid"], self.env["version"])


def _run_batch(messages: list[tuple[bytes, str]]) -> list[Outcome]:
    batch = _Batch()
    outcomes: list[Outcome | None] = [None] * len(messages)
    records: list[_Record] = []

    def step(fn: Any, *args: Any) -> Any:
        # What a step queues (receipts, audit events) is kept only if the step succeeded.
        one = _Batch(peers=batch.peers, keys=batch.keys)
        token = _batch.set(one)
        try:
            result = fn(*args)
        finally:
            _batch.reset(token)
        batch.merge(one)
        return result

    for i, (data, subject) in enumerate(messages):
        got = step(_verify_one, data, subject)
        if isinstance(got, Outcome):
            outcomes[i] = got
        else:
            records.append(_Record(i, data, *got))
    fast, slow = _split(records)
    if fast:
        try:
            for record, outcome in zip(fast, step(_fast, fast), strict=True):
                outcomes[record.index] = outcome
        except Exception as exc:  # anything unusual: the careful path, message by message
            log.info("federation: a batch goes one by one (%s)", type(exc).__name__)
            slow = sorted(fast + slow, key=lambda r: r.index)
    for record in slow:
        outcomes[record.index] = step(_store_one, record)
    token = _batch.set(None)
    try:
        audit_events_record(batch.audits)
        for origin, items in batch.receipts.items():
            _send_receipts(origin, list(items.values()))
    finally:
        _batch.reset(token)
    return [o if o is not None else Outcome("refused", "internal") for o in outcomes]


def _split(records: list[_Record]) -> tuple[list[_Record], list[_Record]]:
    """Records whose type applies many at once go together; a record with any message that
    must go one by one (a withdrawal, say) goes one by one entirely."""

    def can(r: _Record) -> bool:
        handler = registry.TYPES.get(r.env["record_type"])
        return handler is not None and handler.ordered and handler.apply_many is not None

    careful = {r.key[:2] for r in records if not can(r)}
    fast = [r for r in records if r.key[:2] not in careful]
    return fast, [r for r in records if r.key[:2] in careful]


class _Careful(Exception):
    """The fast path met something only the one-by-one path decides."""


def _fast(records: list[_Record]) -> list[Outcome]:
    with transaction.atomic():
        return _store_and_apply_many(records)


def _store_and_apply_many(records: list[_Record]) -> list[Outcome]:
    """`_store_and_apply` for a batch: the same states, receipts and audit events, decided in
    memory from three queries, with each record's copy written once at its last version."""
    now = timezone.now()
    uuids = sorted({r.env["record_uuid"] for r in records})
    stored = {
        (o, u, v): (st, reason)
        for o, u, v, st, reason in InboxEntry.objects.filter(record_uuid__in=uuids).values_list(
            "origin_node", "record_uuid", "version", "state", "reason")
    }  # fmt: skip
    parked: dict[tuple[str, str], list[InboxEntry]] = {}
    if any(st == InboxState.PARKED for st, _r in stored.values()):
        for p in InboxEntry.objects.filter(record_uuid__in=uuids, state=InboxState.PARKED):
            parked.setdefault((p.origin_node, p.record_uuid), []).append(p)
    cursors = {
        (c.origin_node, c.record_uuid): c
        for c in RecordCursor.objects.select_for_update().filter(record_uuid__in=uuids)
    }
    outcomes: dict[int, Outcome] = {}
    groups: dict[tuple[str, str], list[_Record]] = {}
    seen: set[tuple[str, str, int]] = set()
    for r in records:
        if r.key in stored:  # a replay or a re-send: nothing changes; answer again
            state, reason = stored[r.key]
            _receipt(r.env, state, reason)
            outcomes[r.index] = Outcome("duplicate", state)
        elif r.key in seen:
            outcomes[r.index] = Outcome("duplicate")
        else:
            seen.add(r.key)
            groups.setdefault(r.key[:2], []).append(r)
    fresh: list[InboxEntry] = []
    moved: dict[str, list[int]] = {}
    new_cursors: list[RecordCursor] = []
    changed_cursors: list[RecordCursor] = []
    to_apply: dict[str, list[tuple[dict[str, Any], registry.Meta]]] = {}
    for (origin, record_uuid), group in groups.items():
        kind = group[0].env["record_type"]
        cursor = cursors.get((origin, record_uuid))
        if cursor is None:
            cursor = RecordCursor(origin_node=origin, record_uuid=record_uuid, record_type=kind)
            new_cursors.append(cursor)
        elif cursor.record_type != kind:
            raise _Careful("record type changed")
        applied = start = cursor.applied_version
        last: tuple[dict[str, Any], dict[str, Any]] | None = None
        candidates: list[tuple[int, _Record | None, InboxEntry | None]] = [
            (r.env["version"], r, None) for r in group
        ] + [(p.version, None, p) for p in parked.get((origin, record_uuid), [])]
        asked = False
        for version, rec, park in sorted(candidates, key=lambda c: c[0]):
            if rec is not None:
                env, body = rec.env, rec.body
            else:
                assert park is not None
                env, body = envelope.parse(park.envelope.encode()), park.body
            if version <= applied:
                state = InboxState.STALE
                _receipt(env, InboxState.APPLIED, "")  # a newer version is already applied
            elif _prior(body) > applied:
                state = InboxState.PARKED
                if not asked:  # an earlier version has not arrived: ask for what is missing
                    control_send(
                        record_type="resend_request", to=origin,
                        body={"record_uuid": record_uuid, "after_version": applied},
                        key=f"{record_uuid}:{applied}",
                    )  # fmt: skip
                    asked = True
                if rec is not None:
                    _receipt(env, InboxState.PARKED, "")
            else:
                state, applied, last = InboxState.APPLIED, version, (env, body)
                _audit(
                    action="federation.applied", target_type=f"federation.{kind}",
                    target_id=record_uuid, data={"origin": origin, "version": version},
                )  # fmt: skip
                _receipt(env, InboxState.APPLIED, "")
            if rec is not None:
                outcomes[rec.index] = Outcome(str(state))
                fresh.append(InboxEntry(
                    origin_node=origin, record_uuid=record_uuid, version=version,
                    record_type=kind, envelope=rec.data.decode("utf-8"), body=rec.body, state=state,
                    reason="", received_at=now,
                ))  # fmt: skip
            elif state != InboxState.PARKED:
                assert park is not None
                moved.setdefault(str(state), []).append(park.pk)
        if applied != start:
            cursor.applied_version = applied
            if cursor.pk is not None:
                changed_cursors.append(cursor)
        if last is not None:
            env, body = last
            meta = registry.Meta(
                origin_node=origin, record_uuid=record_uuid, version=applied,
                distribution=env["distribution"], handling_codes=env["handling_codes"],
            )  # fmt: skip
            plain = {k: v for k, v in body.items() if k != "_prior"}
            to_apply.setdefault(kind, []).append((plain, meta))
    for kind, pairs in to_apply.items():
        apply_many = registry.TYPES[kind].apply_many
        assert apply_many is not None  # _split let only such types through
        apply_many(pairs)
    done = timezone.now()
    for entry in fresh:
        entry.applied_at = done if entry.state == InboxState.APPLIED else None
    pgcopy.insert(InboxEntry, fresh)  # COPY on PostgreSQL: envelopes are long texts
    for state, pks in moved.items():
        InboxEntry.objects.filter(pk__in=pks).update(
            state=state, applied_at=done if state == InboxState.APPLIED else None
        )
    pgcopy.insert(RecordCursor, new_cursors)
    RecordCursor.objects.bulk_update(changed_cursors, ["applied_version"], batch_size=500)
    return [outcomes[r.index] for r in records]


def _send_receipts(origin: str, items: list[dict[str, Any]]) -> None:
    items.sort(key=lambda i: (i["type"], i["record_uuid"], i["version"]))
    digest = hashlib.sha256(json.dumps(items, sort_keys=True).encode()).hexdigest()
    control_send(record_type="receipt", to=origin, body={"items": items}, key=f"batch:{digest}")


def _quarantine(data: bytes, subject: str, exc: envelope.Rejected, env: Any = None) -> Outcome:
    e = env if isinstance(env, dict) else {}
    with transaction.atomic():
        row = Quarantine.objects.create(
            subject=subject[:200], claimed_origin=str(e.get("origin_node", ""))[:8],
            record_type=str(e.get("record_type", ""))[:40],
            record_uuid=str(e.get("record_uuid", ""))[:36],
            version=e.get("version") if type(e.get("version")) is int else None,
            reason=exc.reason, detail=exc.detail[:300], size=len(data),
            data=data[:65536].decode("utf-8", errors="replace"),
        )  # fmt: skip
        _audit(
            action="federation.refused", target=row,
            data={"reason": exc.reason, "origin": row.claimed_origin, "size": len(data)},
        )  # fmt: skip
    log.warning("federation: refused an envelope (%s) on %s", exc.reason, subject)
    return Outcome("refused", exc.reason)


def _peek(data: bytes) -> Any:
    try:
        return envelope.parse(data)
    except envelope.Rejected:
        return None


def _verify_one(data: bytes, subject: str) -> Outcome | tuple[dict[str, Any], dict[str, Any]]:
    """Refused and control messages are done with here; a record comes back as (env, body)."""
    try:
        verified = envelope.verify(
            data, this_node=node.code(), pair=node.keypair(), lookup=_peer_key,
            known_peer=_is_peer, known_type=registry.known,
        )  # fmt: skip
    except envelope.Rejected as exc:
        outcome = _quarantine(data, subject, exc, _peek(data))
        env = _peek(data)
        if exc.reason in ("not_recipient", "unknown_type", "distribution") and env:
            # The signature held, so the origin is who it says: tell it why.
            _receipt(env, InboxState.REFUSED, exc.reason)
        return outcome
    env, body = verified.envelope, verified.body
    kind = env["record_type"]
    if kind in registry.CONTROL_TYPES:
        with transaction.atomic():
            _control(kind, env, body)
        return Outcome("control")
    return env, body


def _store_one(record: _Record) -> Outcome:
    pending = _batch.get()
    try:
        with transaction.atomic():
            return _store_and_apply(record.data, record.env, record.body)
    except IntegrityError:
        if pending is not None:  # what the rolled-back savepoint had queued goes with it
            pending.receipts.clear()
            pending.audits.clear()
        return Outcome("duplicate")


def _store_and_apply(data: bytes, env: dict[str, Any], body: dict[str, Any]) -> Outcome:
    origin, record_uuid, version = env["origin_node"], env["record_uuid"], env["version"]
    existing = InboxEntry.objects.filter(
        origin_node=origin, record_uuid=record_uuid, version=version
    ).first()
    if existing is not None:  # a replay or a re-send: nothing changes; answer again
        _receipt(env, existing.state, existing.reason)
        return Outcome("duplicate", existing.state)
    cursor, _ = RecordCursor.objects.select_for_update().get_or_create(
        origin_node=origin, record_uuid=record_uuid,
        defaults={"record_type": str(body.get("type")) if env["record_type"] == "withdrawal"
                  else env["record_type"]},
    )  # fmt: skip
    kind = str(body.get("type")) if env["record_type"] == "withdrawal" else env["record_type"]
    if cursor.record_type != kind:
        return _refuse_stored(data, env, body, "malformed")
    entry = InboxEntry.objects.create(
        origin_node=origin, record_uuid=record_uuid, version=version,
        record_type=env["record_type"], envelope=data.decode("utf-8"), body=body,
        state=InboxState.PARKED,
    )  # fmt: skip
    prior = _prior(body)
    handler = registry.TYPES.get(kind)
    if handler is not None and not handler.ordered:
        return _apply(entry, cursor, advance=False)
    if version <= cursor.applied_version:
        entry.state = InboxState.STALE
        entry.save(update_fields=["state"])
        _receipt(env, InboxState.APPLIED, "")  # a newer version is already applied here
        return Outcome("stale")
    if prior > cursor.applied_version:
        # An earlier version has not arrived: park this one and ask for what is missing.
        control_send(
            record_type="resend_request", to=origin,
            body={"record_uuid": record_uuid, "after_version": cursor.applied_version},
            key=f"{record_uuid}:{cursor.applied_version}",
        )  # fmt: skip
        _receipt(env, InboxState.PARKED, "")
        return Outcome("parked")
    outcome = _apply(entry, cursor)
    # Versions parked behind this one can go now, in order.
    while True:
        nxt = (
            InboxEntry.objects.filter(
                origin_node=origin, record_uuid=record_uuid, state=InboxState.PARKED
            )
            .order_by("version")
            .first()
        )
        if nxt is None or _prior(nxt.body) > cursor.applied_version:
            break
        _apply(nxt, cursor)
    return outcome


def _prior(body: dict[str, Any]) -> int:
    prior = body.get("_prior") or {}
    value = prior.get(node.code(), 0) if isinstance(prior, dict) else 0
    return value if type(value) is int else 0


def _apply(entry: InboxEntry, cursor: RecordCursor, *, advance: bool = True) -> Outcome:
    env = envelope.parse(entry.envelope.encode("utf-8"))
    meta = registry.Meta(
        origin_node=entry.origin_node, record_uuid=entry.record_uuid, version=entry.version,
        distribution=env["distribution"], handling_codes=env["handling_codes"],
    )  # fmt: skip
    body = {k: v for k, v in entry.body.items() if k != "_prior"}
    kind = entry.record_type
    try:
        with transaction.atomic():
            if kind == "withdrawal":
                handler = registry.TYPES.get(str(body.get("type")))
                if handler is not None and handler.withdraw is not None:
                    handler.withdraw(meta)
            else:
                registry.TYPES[kind].apply(body, meta)
    except registry.NotOwner:
        return _refused_at_apply(entry, env, kind, "not_owner")
    except Exception as exc:  # a body this node cannot apply: refused, never half-applied
        log.warning("federation: could not apply %s v%s: %s", kind, entry.version, type(exc))
        return _refused_at_apply(entry, env, kind, "apply_failed")
    entry.state, entry.applied_at = InboxState.APPLIED, timezone.now()
    entry.save(update_fields=["state", "applied_at"])
    if advance:
        cursor.applied_version = entry.version
        cursor.save(update_fields=["applied_version"])
    _audit(
        action="federation.applied", target_type=f"federation.{kind}",
        target_id=entry.record_uuid, data={"origin": entry.origin_node, "version": entry.version},
    )  # fmt: skip
    _receipt(env, InboxState.APPLIED, "")
    return Outcome("applied")


def _refused_at_apply(entry: InboxEntry, env: dict[str, Any], kind: str, reason: str) -> Outcome:
    entry.state, entry.reason = InboxState.REFUSED, reason
    entry.save(update_fields=["state", "reason"])
    _audit(
        action="federation.refused", target_type="federation.inboxentry",
        target_id=str(entry.pk), data={"reason": reason, "type": kind, "origin": entry.origin_node},
    )  # fmt: skip
    _receipt(env, InboxState.REFUSED, reason)
    return Outcome("refused", reason)


def _refuse_stored(data: bytes, env: dict[str, Any], body: dict[str, Any], reason: str) -> Outcome:
    exc = envelope.Rejected(reason)
    _quarantine(data, "", exc, env)
    _receipt(env, InboxState.REFUSED, reason)
    return Outcome("refused", reason)


def _receipt(env: dict[str, Any], state: str, reason: str) -> None:
    origin = env["origin_node"]
    if origin == node.code() or not _is_peer(origin):
        return
    item = {"type": env["record_type"], "record_uuid": env["record_uuid"],
            "version": env["version"], "state": str(state), "reason": reason}  # fmt: skip
    batch = _batch.get()
    if batch is None:
        _send_receipts(origin, [item])
        return
    # A later outcome of the same envelope in the batch (parked, then applied) replaces it.
    batch.receipts.setdefault(origin, {})[(item["type"], item["record_uuid"], item["version"])] = (
        item
    )


# --- control messages ----------------------------------------------------------------------

_RECEIPT_STATE = {
    InboxState.APPLIED: DeliveryState.APPLIED,
    InboxState.PARKED: DeliveryState.DELIVERED,
    InboxState.STALE: DeliveryState.APPLIED,
    InboxState.REFUSED: DeliveryState.REFUSED,
}


def _control(kind: str, env: dict[str, Any], body: dict[str, Any]) -> None:
    peer = env["origin_node"]
    if kind == "receipt":
        listed = body.get("items")
        items = listed if isinstance(listed, list) else [body]
        _receipts(peer, [i for i in items if isinstance(i, dict)])
    elif kind == "resend_request":
        resend(
            peer=peer, record_uuid=str(body.get("record_uuid")),
            after_version=int(body.get("after_version") or 0),
        )  # fmt: skip
    elif kind == "digest":
        mine = digest_received_from(peer)
        if mine["hash"] != body.get("hash"):
            control_send(
                record_type="digest_reply", to=peer, body={"have": mine["have"]},
                key=f"digest:{timezone.now().isoformat()}",
            )  # fmt: skip
    elif kind == "digest_reply":
        have = body.get("have") or {}
        sent = digest_sent_to(peer)["have"]
        recent = dt.timedelta(seconds=settings.BLONET_FEDERATION_RESEND_SECONDS)
        for record_uuid, version in sent.items():
            if have.get(record_uuid, 0) < version:
                # What was sent recently is still on its way: leave it to the receipts.
                resend(peer=peer, record_uuid=record_uuid, after_version=have.get(record_uuid, 0),
                       older_than=recent)  # fmt: skip


def _receipts(peer: str, items: list[dict[str, Any]]) -> None:
    """Move each delivery the receipt names forward (never back), in a few queries."""
    wanted: dict[tuple[str, str, int], tuple[DeliveryState, str]] = {}
    for item in items:
        state = _RECEIPT_STATE.get(InboxState(item["state"])) if item.get(
            "state") in InboxState.values else None  # fmt: skip
        version = item.get("version")
        if state is None or type(version) is not int:
            continue
        wanted[(str(item.get("type")), str(item.get("record_uuid")), version)] = (
            state, str(item.get("reason") or "")[:40])  # fmt: skip
    if not wanted:
        return
    now = timezone.now()
    rows = (
        Delivery.objects.select_for_update()
        .filter(peer_id=peer, entry__record_uuid__in={u for _t, u, _v in wanted})
        .values_list("pk", "state", "entry_id", "entry__record_type", "entry__record_uuid",
                     "entry__version")
    )  # fmt: skip
    moves: dict[tuple[DeliveryState, str], list[int]] = {}
    applied_upto: dict[str, int] = {}
    refused: list[tuple[int, str]] = []
    current = {}
    for pk, was_state, entry_id, rtype, ruuid, version in rows:
        current[(rtype, ruuid, version)] = (pk, DeliveryState(was_state), entry_id)
    for key, (state, reason) in wanted.items():
        found = current.get(key)
        if found is None:
            continue
        pk, was, entry_id = found
        if state == DeliveryState.APPLIED:
            applied_upto[key[1]] = max(applied_upto.get(key[1], 0), key[2])
        if state == was or STATE_RANK[state] < STATE_RANK[was]:
            continue
        moves.setdefault((state, reason), []).append(pk)
        if state == DeliveryState.REFUSED:
            refused.append((entry_id, reason))
    # Versions apply in order: a version applied means every earlier one was too.
    for (rtype, ruuid, version), (pk, was, _e) in current.items():
        if rtype in registry.CONTROL_TYPES or version >= applied_upto.get(ruuid, 0):
            continue
        if was in (DeliveryState.QUEUED, DeliveryState.HANDED_OVER, DeliveryState.DELIVERED):
            moves.setdefault((DeliveryState.APPLIED, ""), []).append(pk)
    for (state, reason), pks in moves.items():
        for start in range(0, len(pks), 500):
            Delivery.objects.filter(pk__in=pks[start : start + 500]).update(
                state=state, receipt_at=now, reason=reason
            )
    _audit_many(
        {"action": "federation.refused_by_peer", "target_type": "federation.outboxentry",
         "target_id": str(entry_id), "data": {"peer": peer, "reason": reason}}
        for entry_id, reason in refused
    )  # fmt: skip


def _audit_many(events: Iterable[dict[str, Any]]) -> None:
    for event in events:
        _audit(**event)


def _digest(pairs: dict[str, int]) -> dict[str, Any]:
    text = "\n".join(f"{k}:{v}" for k, v in sorted(pairs.items()))
    return {"count": len(pairs), "hash": hashlib.sha256(text.encode()).hexdigest(), "have": pairs}


def digest_sent_to(peer: str) -> dict[str, Any]:
    """(record, last version) of everything sent to `peer`, withdrawals included."""
    unordered = [name for name, t in registry.TYPES.items() if not t.ordered]
    rows = (
        Delivery.objects.filter(peer_id=peer)
        .exclude(entry__record_type__in=[*registry.CONTROL_TYPES, *unordered])
        .values("entry__record_uuid")
        .annotate(v=Max("entry__version"))
    )
    return _digest({r["entry__record_uuid"]: r["v"] for r in rows})


def digest_received_from(origin: str) -> dict[str, Any]:
    rows = RecordCursor.objects.filter(origin_node=origin, applied_version__gt=0)
    return _digest({r.record_uuid: r.applied_version for r in rows})


def digest_send(peer: str) -> OutboxEntry:
    d = digest_sent_to(peer)
    return control_send(
        record_type="digest", to=peer, body={"count": d["count"], "hash": d["hash"]},
        key=f"digest:{timezone.now().isoformat()}",
    )  # fmt: skip
