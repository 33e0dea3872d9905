"""Writing audit events. Every security-relevant action calls `audit_event_record`."""

from __future__ import annotations

from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from blonet.audit.chain import GENESIS, link_hash
from blonet.audit.models import AuditEvent
from blonet.core import pgcopy

# Any 64-bit number works as the advisory lock key; this one spells "audit".
_PG_LOCK_KEY = 0x61756469740


def _lock_chain() -> None:
    """Serialise appends so the chain never forks (SQLite serialises writers already)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_KEY])


def audit_event_record(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    target_type: str = "",
    target_id: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the chain, inside the caller's transaction if there is one.

    `data` must hold no personal data beyond identifiers: it is what auditors read.
    """
    if target is not None:
        target_type = target_type or target._meta.label_lower
        target_id = target_id or str(target.pk)
    user = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        _lock_chain()
        last = AuditEvent.objects.order_by("-seq").values("seq", "hash").first()
        event = AuditEvent(
            seq=(last["seq"] + 1) if last else 1,
            at=timezone.now(),
            actor=user,
            actor_label=user.get_username() if user else "",
            action=action,
            target_type=target_type,
            target_id=str(target_id),
            data=data or {},
            prev_hash=last["hash"] if last else GENESIS,
        )
        event.hash = link_hash(event.prev_hash, event.chain_content())
        event.save(force_insert=True)
    return event


def audit_events_record(events: list[dict[str, Any]]) -> list[AuditEvent]:
    """Append several system events (no actor) at once: one lock, one read, one insert.

    Each item takes the keyword arguments of `audit_event_record` except `actor`; the chain is
    the same as if each had been appended on its own, in order.
    """
    if not events:
        return []
    with transaction.atomic():
        _lock_chain()
        last = AuditEvent.objects.order_by("-seq").values("seq", "hash").first()
        seq, prev = (last["seq"], last["hash"]) if last else (0, GENESIS)
        now = timezone.now()
        rows = []
        for item in events:
            target = item.get("target")
            target_type = item.get("target_type") or (target._meta.label_lower if target else "")
            target_id = item.get("target_id") or (str(target.pk) if target is not None else "")
            seq += 1
            event = AuditEvent(
                seq=seq, at=now, actor=None, actor_label="", action=item["action"],
                target_type=target_type, target_id=str(target_id), data=item.get("data") or {},
                prev_hash=prev,
            )  # fmt: skip
            event.hash = prev = link_hash(event.prev_hash, event.chain_content())
            rows.append(event)
        pgcopy.insert(AuditEvent, rows)  # COPY on PostgreSQL
    return rows
