"""Ingress: verify, store in the inbox keyed on (origin, record, version), apply in order.

`receive(data, subject)` is all a consumer calls, once per message, before it acks the message.
Everything happens in one transaction: the inbox row, the applied copy, the receipt's outbox
row and the audit event. A refused envelope is quarantined and audited; it never raises and
never touches existing data.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from blonet.audit.services import audit_event_record
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
        audit_event_record(
            actor=None, action="federation.refused", target=row,
            data={"reason": exc.reason, "origin": row.claimed_origin, "size": len(data)},
        )  # fmt: skip
    log.warning("federation: refused an envelope (%s) on %s", exc.reason, subject)
    return Outcome("refused", exc.reason)


def _peek(data: bytes) -> Any:
    try:
        return envelope.parse(data)
    except envelope.Rejected:
        return None


def receive(data: bytes, subject: str = "") -> Outcome:
    try:
        verified = envelope.verify(
            data, this_node=node.code(), pair=node.keypair(), lookup=node.peer_key,
            known_peer=lambda code: Peer.objects.filter(code=code).exists(),
            known_type=registry.known,
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
    try:
        with transaction.atomic():
            return _store_and_apply(data, env, body)
    except IntegrityError:
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
    audit_event_record(
        actor=None, action="federation.applied", target_type=f"federation.{kind}",
        target_id=entry.record_uuid, data={"origin": entry.origin_node, "version": entry.version},
    )  # fmt: skip
    _receipt(env, InboxState.APPLIED, "")
    return Outcome("applied")


def _refused_at_apply(entry: InboxEntry, env: dict[str, Any], kind: str, reason: str) -> Outcome:
    entry.state, entry.reason = InboxState.REFUSED, reason
    entry.save(update_fields=["state", "reason"])
    audit_event_record(
        actor=None, action="federation.refused", target_type="federation.inboxentry",
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
    if origin == node.code() or not Peer.objects.filter(code=origin).exists():
        return
    control_send(
        record_type="receipt", to=origin,
        body={"type": env["record_type"], "record_uuid": env["record_uuid"],
              "version": env["version"], "state": str(state), "reason": reason},
        key=f"{env['record_type']}:{env['record_uuid']}:{env['version']}:{state}",
    )  # fmt: skip


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
        state = (
            _RECEIPT_STATE.get(InboxState(body["state"]))
            if body.get("state") in InboxState.values
            else None
        )
        if state is None:
            return
        delivery = (
            Delivery.objects.select_for_update()
            .filter(
                peer_id=peer,
                entry__record_type=body.get("type"),
                entry__record_uuid=body.get("record_uuid"),
                entry__version=int(body.get("version") or 0),
            )
            .first()
        )
        if delivery is None or STATE_RANK[state] < STATE_RANK[DeliveryState(delivery.state)]:
            return
        delivery.state = state
        delivery.receipt_at = timezone.now()
        delivery.reason = str(body.get("reason") or "")[:40]
        delivery.save(update_fields=["state", "receipt_at", "reason"])
        if state == DeliveryState.APPLIED:
            # Versions apply in order: this one applied means every earlier one was too.
            Delivery.objects.filter(
                peer_id=peer, entry__record_uuid=delivery.entry.record_uuid,
                entry__version__lt=delivery.entry.version,
                state__in=[DeliveryState.QUEUED, DeliveryState.HANDED_OVER,
                           DeliveryState.DELIVERED],
            ).update(state=DeliveryState.APPLIED, receipt_at=delivery.receipt_at)  # fmt: skip
        if state == DeliveryState.REFUSED:
            audit_event_record(
                actor=None, action="federation.refused_by_peer",
                target_type="federation.outboxentry", target_id=str(delivery.entry_id),
                data={"peer": peer, "reason": delivery.reason},
            )  # fmt: skip
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
