"""Onward forwarding, and the originator's permission that an H2 message needs for it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from blonet.audit.services import audit_event_record
from blonet.core.choices import Distribution
from blonet.core.errors import PermissionDenied, ValidationError
from blonet.exchange.choices import PermissionStatus
from blonet.exchange.models import ForwardPermission, Message, MessageAttachment
from blonet.exchange.services.common import (
    MAX_BODY,
    check_text,
    get_or_404,
    refusals_audited,
    require_staff,
    resolve_office,
    resolve_recipients,
)
from blonet.exchange.services.sending import deliver, prepare
from blonet.records.services.common import ErrorBag

H2 = "H2"


def root_of(message: Message) -> Message:
    """The original of a forwarded copy (its originator owns it): permissions are asked there."""
    current = message
    for _hop in range(20):
        if current.forwarded_from_id is None:
            break
        current = Message.objects.select_related("thread").get(pk=current.forwarded_from_id)
    return current


def granted_targets(message: Message, office_id: str) -> set[str]:
    """The offices the originator allowed `office_id` to forward `message` to."""
    targets: set[str] = set()
    for row in ForwardPermission.objects.filter(
        message=root_of(message), requesting_office_id=office_id, status=PermissionStatus.GRANTED
    ).values_list("targets", flat=True):
        targets.update(row)
    return targets


@refusals_audited("forward")
def message_forward(
    *,
    actor: Any,
    message: Any,
    office: Any,
    recipients: Any,
    note: str = "",
    now: dt.datetime | None = None,
) -> Message:
    """A copy for information to other offices, in the same thread. The copy keeps the
    original's handling codes, evaluation and classification; an H2 copy goes only to the
    offices the originator allowed, with distribution limited to them."""
    from blonet.exchange.selectors import message_get_for

    now = now or timezone.now()
    original = message_get_for(user=actor, pk=getattr(message, "pk", message))
    office = resolve_office(office)
    require_staff(actor, office)
    if H2 in original.handling_codes and office.pk != original.originator_office_id:
        allowed = granted_targets(original, office.pk)
        wanted = {str(getattr(r, "pk", r)) for r in recipients or []}
        missing = sorted(wanted - allowed)
        if missing:
            raise PermissionDenied(
                _(
                    "This message is H2: forwarding it needs the permission of its originator "
                    "(%(office)s). Ask for it first; not allowed for: %(missing)s."
                )
                % {"office": original.originator_office, "missing": ", ".join(missing)}
            )
    sharing = {
        "distribution": (
            Distribution.OFFICE if H2 in original.handling_codes else original.distribution
        ),
        "counterpart_country": original.counterpart_country_id,
        "handling_codes": list(original.handling_codes),
        "handling_conditions": original.handling_conditions,
        "source_reliability": original.source_reliability,
        "information_accuracy": original.information_accuracy,
        "classification": original.classification,
    }
    errors = ErrorBag()
    note = check_text(note, "note", errors, limit=MAX_BODY)
    body = original.body if not note else f"{note}\n\n— — —\n{original.body}".strip()
    draft = prepare(
        actor=actor, office=office, recipients=recipients, kind=original.kind,
        thread=original.thread, body=body, template=original.template,
        structured=original.structured, priority=original.priority, language=original.language,
        sharing=sharing, now=now, errors=errors,
    )  # fmt: skip
    draft.message.forwarded_from = original
    draft.message.originator_office_id = original.originator_office_id
    draft.message.due_at = None
    draft.message.seizure_id = original.seizure_id
    with transaction.atomic():
        copy = deliver(
            draft,
            action="exchange.message.forwarded",
            now=now,
            audit_data={"original": str(original.pk), "originator": original.originator_office_id},
        )
        MessageAttachment.objects.bulk_create(
            [
                MessageAttachment(
                    message=copy,
                    file=a.file.name,
                    filename=a.filename,
                    content_type=a.content_type,
                    size=a.size,
                    sha256=a.sha256,
                )
                for a in original.attachments.all()
            ]
        )
    return copy


@refusals_audited("permission_request")
def forward_permission_request(
    *,
    actor: Any,
    message: Any,
    office: Any,
    targets: Any,
    reason: str,
    now: dt.datetime | None = None,
) -> ForwardPermission:
    """Ask the originator of an H2 message for leave to forward it to `targets`."""
    from blonet.exchange.selectors import message_get_for
    from blonet.exchange.services.notify import notify_permission

    now = now or timezone.now()
    original = message_get_for(user=actor, pk=getattr(message, "pk", message))
    office = resolve_office(office)
    require_staff(actor, office)
    errors = ErrorBag()
    if H2 not in original.handling_codes:
        errors.add("message", _("Only an H2 message needs permission to be forwarded."))
    if office.pk == original.originator_office_id:
        errors.add("office", _("The originator needs no permission for its own message."))
    offices = resolve_recipients(targets, office, errors, field="targets")
    reason = check_text(reason, "reason", errors, limit=2000, required=True)
    errors.raise_if_any()
    with transaction.atomic():
        permission = ForwardPermission.objects.create(
            message=root_of(original),
            requesting_office=office,
            requested_by=actor if getattr(actor, "is_authenticated", False) else None,
            targets=[o.pk for o in offices],
            reason=reason,
            requested_at=now,
            originator_office_id=original.originator_office_id,
        )
        audit_event_record(
            actor=actor,
            action="exchange.permission.requested",
            target=permission,
            data={
                "message": str(original.pk),
                "office": office.pk,
                "targets": permission.targets,
                "originator": original.originator_office_id,
            },
        )
        pid = str(permission.pk)
        transaction.on_commit(lambda: notify_permission(pid, decided=False))
    return permission


@refusals_audited("permission_decide")
def forward_permission_decide(
    *,
    actor: Any,
    permission: Any,
    grant: bool,
    note: str = "",
    now: dt.datetime | None = None,
) -> ForwardPermission:
    """The originator office grants or refuses a forwarding request (once)."""
    from blonet.exchange.services.notify import notify_permission

    now = now or timezone.now()
    qs = (
        ForwardPermission.objects.all()
        if actor is None
        else ForwardPermission.objects.visible_to(actor)
    )
    found: ForwardPermission = get_or_404(
        qs.select_related("originator_office"), getattr(permission, "pk", permission)
    )
    require_staff(actor, found.originator_office)
    errors = ErrorBag()
    note = check_text(note, "note", errors, limit=2000)
    if found.status != PermissionStatus.PENDING:
        errors.add("permission", _("This request has already been decided."))
    errors.raise_if_any()
    with transaction.atomic():
        updated = ForwardPermission.objects.filter(
            pk=found.pk, status=PermissionStatus.PENDING
        ).update(
            status=PermissionStatus.GRANTED if grant else PermissionStatus.REFUSED,
            decided_by=actor if getattr(actor, "is_authenticated", False) else None,
            decided_at=now,
            decision_note=note,
        )
        if not updated:
            raise ValidationError(
                fields={"permission": [_("This request has already been decided.")]}
            )
        found.refresh_from_db()
        audit_event_record(
            actor=actor,
            action="exchange.permission.granted" if grant else "exchange.permission.refused",
            target=found,
            data={
                "message": str(found.message_id),
                "office": found.requesting_office_id,
                "targets": found.targets,
            },
        )
        pid = str(found.pk)
        transaction.on_commit(lambda: notify_permission(pid, decided=True))
    return found
