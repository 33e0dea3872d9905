"""Answer deadlines, overdue flags and escalation to the situation centre."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from blonet.audit.services import audit_event_record
from blonet.core.choices import Priority
from blonet.directory.choices import OfficeKind
from blonet.directory.models import Office
from blonet.exchange import conf
from blonet.exchange.choices import DUE_DEFAULTS, MAX_DUE
from blonet.exchange.models import OPEN_REQUEST, Recipient
from blonet.records.services.common import ErrorBag


def default_due(priority: str, now: dt.datetime) -> dt.datetime:
    return now + DUE_DEFAULTS.get(priority, DUE_DEFAULTS[Priority.ROUTINE])


def parse_due(
    value: Any, *, priority: str, now: dt.datetime, errors: ErrorBag, field: str = "due_at"
) -> dt.datetime | None:
    """The due time of a request: the default for its priority when empty; never in the past."""
    if value in (None, ""):
        return default_due(priority, now)
    due = value if isinstance(value, dt.datetime) else None
    if due is None:
        text = str(value).strip()
        due = parse_datetime(text if "T" in text else text.replace(" ", "T", 1))
    if due is None:
        errors.add(field, _("Write the due time as YYYY-MM-DD HH:MM."))
        return None
    if timezone.is_naive(due):
        due = timezone.make_aware(due)
    if due <= now:
        errors.add(field, _("The due time is in the past: give a time after now."))
        return None
    if due > now + MAX_DUE:
        errors.add(field, _("The due time is more than %d days away.") % MAX_DUE.days)
        return None
    return due


def escalation_target(office_id: str, country: str, agency_id: str) -> Office | None:
    """The situation centre of the recipient's country, preferring one of the same agency."""
    centres = list(Office.objects.filter(kind=OfficeKind.SC, country_id=country).order_by("id"))
    if not centres:
        return None
    same = [c for c in centres if c.agency_id == agency_id and c.pk != office_id]
    return (same or [c for c in centres if c.pk != office_id] or [None])[0]


def overdue_scan(
    *, now: dt.datetime | None = None, offices: list[Office | str] | None = None
) -> tuple[int, int]:
    """Flag unanswered requests past their due time, and escalate those overdue longer than
    `BLONET_EXCHANGE_ESCALATE_AFTER_HOURS`. `offices`: only requests to these offices (the
    inbox check) and, for situation centres among them, to their country. Idempotent.
    Returns (flagged, escalated)."""
    from blonet.exchange.services.notify import notify_escalated, notify_overdue

    now = now or timezone.now()
    scope = Recipient.objects.filter(OPEN_REQUEST, due_at__lt=now)
    if offices is not None:
        office_ids = [o.pk if isinstance(o, Office) else o for o in offices]
        known = [o for o in offices if isinstance(o, Office)]
        if len(known) == len(offices):
            sc_countries = [o.country_id for o in known if o.kind == OfficeKind.SC]
        else:
            sc_countries = list(
                Office.objects.filter(pk__in=office_ids, kind=OfficeKind.SC).values_list(
                    "country_id", flat=True
                )
            )
        scope = scope.filter(Q(office_id__in=office_ids) | Q(office_country__in=sc_countries))
    flagged = escalated = 0
    scope = scope.order_by()
    cutoff = now - conf.escalate_after()
    needs_work = Q(overdue_at__isnull=True) | Q(escalated_at__isnull=True, due_at__lt=cutoff)
    if not scope.filter(needs_work).exists():  # the usual case: one indexed query
        return 0, 0
    late = list(scope.filter(overdue_at__isnull=True).values_list("pk", flat=True)[:500])
    if late:
        with transaction.atomic():
            rows = list(
                Recipient.objects.select_for_update()
                .filter(pk__in=late, overdue_at__isnull=True)
                .values_list("pk", "message_id", "office_id")
            )
            Recipient.objects.filter(pk__in=[r[0] for r in rows]).update(
                overdue_at=now, changed_at=now
            )
            for _pk, message_id, office_id in rows:
                audit_event_record(
                    actor=None,
                    action="exchange.request.overdue",
                    target_type="exchange.message",
                    target_id=str(message_id),
                    data={"office": office_id},
                )
            flagged = len(rows)
            ids = [r[0] for r in rows]
            transaction.on_commit(lambda: notify_overdue(ids))
    due_to_escalate = scope.filter(escalated_at__isnull=True, due_at__lt=cutoff).select_related(
        "office"
    )
    pending = list(due_to_escalate[:500])
    if pending:
        targets: dict[tuple[str, str, str], Office | None] = {}
        with transaction.atomic():
            done = []
            for row in pending:
                key = (row.office_id, row.office_country, row.office.agency_id)
                if key not in targets:
                    targets[key] = escalation_target(*key)
                target = targets[key]
                updated = Recipient.objects.filter(pk=row.pk, escalated_at__isnull=True).update(
                    escalated_at=now,
                    escalated_to=target,
                    changed_at=now,
                    overdue_at=row.overdue_at or now,
                )
                if not updated:
                    continue
                audit_event_record(
                    actor=None,
                    action="exchange.request.escalated",
                    target_type="exchange.message",
                    target_id=str(row.message_id),
                    data={"office": row.office_id, "to": target.pk if target else None},
                )
                done.append(row.pk)
            escalated = len(done)
            transaction.on_commit(lambda: notify_escalated(done))
    return flagged, escalated
