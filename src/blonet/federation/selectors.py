"""Reads of the federation tables: node administrators only (the one access rule's gate)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Max, Q, QuerySet

from blonet.core.access import access_of
from blonet.core.errors import PermissionDenied
from blonet.federation.choices import DeliveryState
from blonet.federation.models import Delivery, InboxEntry, OutboxEntry, Peer, Quarantine


def may_administer(user: Any) -> bool:
    return "node_admin" in access_of(user).roles


def require_node_admin(user: Any) -> None:
    if not may_administer(user):
        raise PermissionDenied()


def _gate(qs: QuerySet[Any], user: Any) -> QuerySet[Any]:
    return qs if may_administer(user) else qs.none()


def peers_visible_to(user: Any) -> QuerySet[Peer]:
    counts = {
        f"n_{state}": Count("deliveries", filter=Q(deliveries__state=state))
        for state in DeliveryState.values
    }
    return _gate(Peer.objects.all(), user).annotate(
        **counts, last_receipt=Max("deliveries__receipt_at")
    )


def deliveries_visible_to(user: Any) -> QuerySet[Delivery]:
    return _gate(Delivery.objects.select_related("entry"), user)


def outbox_visible_to(user: Any) -> QuerySet[OutboxEntry]:
    return _gate(OutboxEntry.objects.all(), user)


def inbox_visible_to(user: Any) -> QuerySet[InboxEntry]:
    return _gate(InboxEntry.objects.defer("envelope", "body"), user)


def quarantine_visible_to(user: Any) -> QuerySet[Quarantine]:
    return _gate(Quarantine.objects.defer("data"), user)


def record_status_for(user: Any, record_uuid: str) -> list[Delivery]:
    """Per peer and version: handed over, delivered, applied, or refused and why."""
    return list(
        deliveries_visible_to(user)
        .filter(entry__record_uuid=record_uuid)
        .order_by("-entry__version", "peer_id")
    )
