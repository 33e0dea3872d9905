"""Read and acknowledgement receipts, per recipient office."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from blonet.audit.services import audit_event_record
from blonet.core.access import access_of
from blonet.core.errors import ValidationError
from blonet.exchange.federation import share_states
from blonet.exchange.models import Message, Recipient
from blonet.exchange.services.common import refusals_audited, require_staff, resolve_office
from blonet.records.querysets import OPERATIONAL_ROLES


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def mark_read(*, actor: Any, messages: Iterable[Message], now: dt.datetime | None = None) -> int:
    """The read receipts of the actor's offices for `messages` (already visible to the actor):
    the first reader of each office sets it; one audit event per receipt. Returns how many."""
    access = access_of(actor)
    if not access.roles & OPERATIONAL_ROLES:
        return 0
    ids = [m.pk for m in messages]
    if not ids:
        return 0
    now = now or timezone.now()
    with transaction.atomic():
        rows = list(
            Recipient.objects.filter(
                message_id__in=ids,
                office_id__in=sorted(access.office_ids),
                read_at__isnull=True,
                classification__lte=access.clearance,
            ).values_list("pk", "message_id", "office_id")
        )
        if not rows:
            return 0
        Recipient.objects.filter(pk__in=[r[0] for r in rows], read_at__isnull=True).update(
            read_at=now, read_by=_user(actor), changed_at=now
        )
        for _pk, message_id, office_id in rows:
            audit_event_record(
                actor=actor,
                action="exchange.message.read",
                target_type="exchange.message",
                target_id=str(message_id),
                data={"office": office_id},
            )
        share_states(list(Recipient.objects.filter(pk__in=[r[0] for r in rows])))
    return len(rows)


def _receipt(actor: Any, message: Any, office: Any) -> tuple[Message, Recipient]:
    from blonet.exchange.selectors import message_get_for

    found = message_get_for(user=actor, pk=getattr(message, "pk", message))
    office = resolve_office(office)
    require_staff(actor, office)
    receipt = Recipient.objects.filter(message=found, office=office).first()
    if receipt is None:
        raise ValidationError(
            fields={"office": [_("Your office is not a recipient of this message.")]}
        )
    return found, receipt


@refusals_audited("read")
def message_read(
    *, actor: Any, message: Any, office: Any, now: dt.datetime | None = None
) -> Recipient:
    """An explicit read receipt (the API's; the thread page marks read as it shows)."""
    found, receipt = _receipt(actor, message, office)
    if receipt.read_at is None:
        mark_read(actor=actor, messages=[found], now=now)
        receipt.refresh_from_db()
    return receipt


@refusals_audited("acknowledge")
def message_acknowledge(
    *, actor: Any, message: Any, office: Any, now: dt.datetime | None = None
) -> Recipient:
    """The recipient office confirms it has taken note (idempotent: the first one counts)."""
    found, receipt = _receipt(actor, message, office)
    if receipt.acknowledged_at is not None:
        return receipt
    now = now or timezone.now()
    with transaction.atomic():
        seconds = max(int((now - receipt.sent_at).total_seconds()), 0)
        Recipient.objects.filter(pk=receipt.pk, acknowledged_at__isnull=True).update(
            acknowledged_at=now,
            acknowledged_by=_user(actor),
            ack_seconds=seconds,
            read_at=receipt.read_at or now,
            read_by=receipt.read_by or _user(actor),
            changed_at=now,
        )
        share_states(list(Recipient.objects.filter(pk=receipt.pk)))
        audit_event_record(
            actor=actor,
            action="exchange.message.acknowledged",
            target=found,
            data={"office": receipt.office_id, "seconds": seconds},
        )
    receipt.refresh_from_db()
    return receipt
