"""Sovereignty at egress: a node administrator holds or releases outgoing traffic to a peer."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from blonet.audit.services import audit_event_record
from blonet.core.errors import ValidationError
from blonet.federation.choices import DeliveryState
from blonet.federation.models import Delivery, Peer
from blonet.federation.selectors import require_node_admin


def peer_hold(*, actor: Any, peer: Peer, reason: str) -> Peer:
    """Nothing more is handed over to `peer` until released; what is queued stays here."""
    require_node_admin(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(fields={"reason": [_("Say why traffic to this peer is held.")]})
    if len(reason) > 300:
        raise ValidationError(fields={"reason": [_("At most 300 characters.")]})
    with transaction.atomic():
        peer.held, peer.held_reason, peer.held_at = True, reason, timezone.now()
        peer.save(update_fields=["held", "held_reason", "held_at"])
        n = Delivery.objects.filter(peer=peer, state=DeliveryState.QUEUED).update(
            state=DeliveryState.HELD
        )
        audit_event_record(
            actor=actor, action="federation.peer_held", target=peer, data={"queued": n}
        )
    return peer


def peer_release(*, actor: Any, peer: Peer) -> Peer:
    require_node_admin(actor)
    with transaction.atomic():
        peer.held, peer.held_reason, peer.held_at = False, "", None
        peer.save(update_fields=["held", "held_reason", "held_at"])
        n = Delivery.objects.filter(peer=peer, state=DeliveryState.HELD).update(
            state=DeliveryState.QUEUED
        )
        audit_event_record(
            actor=actor, action="federation.peer_released", target=peer, data={"released": n}
        )
    return peer
