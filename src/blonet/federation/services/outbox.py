"""Egress: the outbox row is written in the caller's transaction, with the record it carries.

`outbox_enqueue(record_type=…, record=…)` is what a service calls after saving a record. It
does nothing on a node without federation or without peers, and for records not shared beyond
the node. A record whose distribution was narrowed sends a withdrawal to the peers that had it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from blonet.federation import envelope, node, registry
from blonet.federation.choices import DeliveryState
from blonet.federation.models import Delivery, OutboxEntry, Peer

RECEIPT_NS = uuid.UUID("b1d3c0de-6f2a-4c59-9d1e-8a4e2f7c1b30")


def recipients_for(distribution: str, counterpart_country: str | None) -> list[str]:
    """The peer nodes a record of this distribution goes to (never this node)."""
    peers = {p.code: p for p in Peer.objects.all()}
    if distribution == "bilateral":
        peer = peers.get(counterpart_country or "")
        return [peer.code] if peer is not None and peer.allows("bilateral") else []
    if distribution in ("regional", "all"):
        return sorted(c for c, p in peers.items() if p.allows("regional") and c != node.code())
    return []


def _previous_recipients(record_uuid: str) -> dict[str, int]:
    rows = (
        Delivery.objects.filter(entry__record_uuid=record_uuid)
        .exclude(entry__record_type__in=registry.CONTROL_TYPES)
        .values("peer_id")
        .annotate(last=Max("entry__version"))
    )
    return {r["peer_id"]: r["last"] for r in rows}


def _write(
    *,
    record_type: str,
    record_uuid: str,
    version: int,
    distribution: str,
    recipients: list[str],
    handling_codes: list[str],
    body: dict[str, Any],
    seal: bool,
) -> OutboxEntry:
    now = timezone.now()
    pair = node.keypair()
    seal_to = None
    if seal:
        seal_to = {}
        for peer in recipients:
            public = node.box_public_of(peer, now)
            if public is None:
                raise ValueError(f"no valid encryption key for peer {peer}")
            seal_to[peer] = public
    env = envelope.build(
        pair=pair, record_type=record_type, record_uuid=record_uuid, version=version,
        distribution=distribution, recipients=recipients, handling_codes=handling_codes,
        body=body, created_at=now, seal_to=seal_to,
    )  # fmt: skip
    data = envelope.to_bytes(env).decode("utf-8")
    entry, created = OutboxEntry.objects.get_or_create(
        record_type=record_type, record_uuid=record_uuid, version=version,
        defaults={"distribution": distribution, "recipients": recipients, "envelope": data,
                  "size": len(data.encode("utf-8"))},
    )  # fmt: skip
    held = set(Peer.objects.filter(code__in=recipients, held=True).values_list("code", flat=True))
    for peer in recipients:
        state = DeliveryState.HELD if peer in held else DeliveryState.QUEUED
        delivery, made = Delivery.objects.get_or_create(
            entry=entry, peer_id=peer, defaults={"state": state}
        )
        if not made and not created:  # the same control message again: send it again
            Delivery.objects.filter(pk=delivery.pk).update(state=state, last_error="")
    return entry


def outbox_enqueue(*, record_type: str, record: Any) -> OutboxEntry | None:
    """Queue the current version of `record` for the peers its distribution releases it to."""
    if not node.enabled() or record_type not in registry.TYPES:
        return None
    if getattr(record, "origin_node", node.code()) != node.code():
        return None  # copies of other nodes' records are never sent on
    record_uuid = str(record.pk)
    handler = registry.TYPES[record_type]
    if handler.route is not None:
        nodes, distribution, seal = handler.route(record)
        peers = set(Peer.objects.filter(code__in=nodes).values_list("code", flat=True))
        to = sorted(peers - {node.code()})
        if not to:
            return None
        body = handler.serialise(record)
        body["_prior"] = {}
        with transaction.atomic():
            return _write(
                record_type=record_type, record_uuid=record_uuid, version=record.version,
                distribution=distribution, recipients=to,
                handling_codes=list(getattr(record, "handling_codes", None) or []), body=body,
                seal=seal,
            )  # fmt: skip
    current = recipients_for(record.distribution, record.counterpart_country_id)
    previous = _previous_recipients(record_uuid)
    withdrawn = sorted(set(previous) - set(current))
    entry = None
    with transaction.atomic():
        if current:
            body = registry.TYPES[record_type].serialise(record)
            body["_prior"] = {peer: previous.get(peer, 0) for peer in current}
            entry = _write(
                record_type=record_type, record_uuid=record_uuid, version=record.version,
                distribution=record.distribution, recipients=current,
                handling_codes=list(record.handling_codes or []), body=body,
                seal=record.distribution == "bilateral",
            )  # fmt: skip
        if withdrawn:
            _write(
                record_type="withdrawal", record_uuid=record_uuid, version=record.version,
                distribution="bilateral" if len(withdrawn) == 1 else "regional",
                recipients=withdrawn, handling_codes=[],
                body={"type": record_type, "_prior": {p: previous[p] for p in withdrawn}},
                seal=len(withdrawn) == 1,
            )  # fmt: skip
    return entry


def control_send(*, record_type: str, to: str, body: dict[str, Any], key: str) -> OutboxEntry:
    """A receipt, digest or re-send request to one peer; `key` names it (same key: same row)."""
    record_uuid = str(uuid.uuid5(RECEIPT_NS, f"{record_type}:{to}:{key}"))
    return _write(
        record_type=record_type, record_uuid=record_uuid, version=1, distribution="bilateral",
        recipients=[to], handling_codes=[], body=body, seal=True,
    )  # fmt: skip


def resend(
    *,
    peer: str,
    record_uuid: str | None = None,
    after_version: int = 0,
    older_than: dt.timedelta | None = None,
) -> int:
    """Queue again what `peer` has not applied: one record's later versions, or everything.

    With `older_than`, what was sent more recently is left alone (it is still on its way).
    """
    qs = Delivery.objects.filter(peer_id=peer).exclude(
        entry__record_type__in=registry.CONTROL_TYPES
    )
    if older_than is not None:
        cutoff = timezone.now() - older_than
        qs = qs.filter(Q(last_sent_at__isnull=True) | Q(last_sent_at__lt=cutoff))
    if record_uuid is not None:
        qs = qs.filter(entry__record_uuid=record_uuid, entry__version__gt=after_version)
    else:
        qs = qs.exclude(state=DeliveryState.APPLIED)
    held = Peer.objects.filter(code=peer, held=True).exists()
    return qs.exclude(state=DeliveryState.REFUSED).update(
        state=DeliveryState.HELD if held else DeliveryState.QUEUED
    )


def resend_unreceipted(older_than: dt.timedelta) -> int:
    """Handed over but no receipt: queue again, backing off per delivery.

    A delivery sent `n` times is sent again `older_than × 2**(n-1)` after its last send (at
    most 64 × `older_than`), so a receiver that is merely behind is not buried in copies.
    """
    now = timezone.now()
    base = (
        Delivery.objects.filter(state=DeliveryState.HANDED_OVER)
        .exclude(entry__record_type__in=registry.CONTROL_TYPES)
        .exclude(peer__held=True)
    )
    total = 0
    for attempts in range(1, 8):
        cutoff = now - older_than * 2 ** (attempts - 1)
        rows = base.filter(last_sent_at__lt=cutoff)
        rows = rows.filter(attempts__gte=7) if attempts == 7 else rows.filter(attempts=attempts)
        total += rows.update(state=DeliveryState.QUEUED)
    total += base.filter(attempts=0, last_sent_at__lt=now - older_than).update(
        state=DeliveryState.QUEUED
    )
    return total
