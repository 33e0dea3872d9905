"""Sending: a new message (alert, RFI, joint-action request, correspondence), an answer, a
seizure notification. One transaction per send: all recipients or none."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from blonet.audit.services import audit_event_record
from blonet.core.access import access_of
from blonet.core.choices import Distribution, Priority
from blonet.core.errors import BlonetError, PermissionDenied, ValidationError
from blonet.directory.models import Office
from blonet.exchange.choices import ANSWERABLE_KINDS, COMPOSABLE_KINDS, LinkKind, MessageKind
from blonet.exchange.language import normalise_language
from blonet.exchange.models import Message, Recipient, Thread
from blonet.exchange.services.attachments import (
    PreparedFile,
    prepare_attachments,
    store_attachments,
)
from blonet.exchange.services.common import (
    MAX_BODY,
    MAX_SUBJECT,
    check_text,
    refusals_audited,
    require_staff,
    resolve_office,
    resolve_recipients,
)
from blonet.exchange.services.deadlines import parse_due
from blonet.exchange.services.links import make_link, resolve_link_target
from blonet.exchange.structured import clean_structured, summary_words
from blonet.records.search import compose
from blonet.records.services.common import ErrorBag, apply_sharing

SHARING_KEYS = (
    "distribution", "counterpart_country", "handling_codes", "handling_conditions",
    "source_reliability", "information_accuracy", "classification",
)  # fmt: skip


@dataclass
class Draft:
    actor: Any
    office: Office
    message: Message
    recipients: list[Office]
    thread: Thread | None
    subject: str
    links: list[tuple[str, Any]] = field(default_factory=list)
    files: list[PreparedFile] = field(default_factory=list)
    import_key: str = ""


def _sharing(
    message: Message,
    office: Office,
    data: dict[str, Any] | None,
    recipients: list[Office],
    actor: Any,
    errors: ErrorBag,
) -> None:
    data = {k: v for k, v in (data or {}).items() if k in SHARING_KEYS}
    data.setdefault("distribution", Distribution.OFFICE)
    if data["distribution"] == Distribution.BILATERAL and not data.get("counterpart_country"):
        foreign = {o.country_id for o in recipients} - {office.country_id}
        if len(foreign) == 1:
            data["counterpart_country"] = foreign.pop()
    apply_sharing(message, office, data, errors)
    if (
        actor is not None
        and "classification" not in errors.fields
        and message.classification > access_of(actor).clearance
    ):
        errors.add("classification", _("You cannot mark a message above your own clearance."))


def prepare(
    *,
    actor: Any,
    office: Office | str,
    recipients: Any,
    kind: str,
    thread: Thread | None,
    subject: str = "",
    body: str = "",
    template: str = "",
    structured: Any = None,
    priority: str = Priority.ROUTINE,
    due_at: Any = None,
    language: str = "",
    sharing: dict[str, Any] | None = None,
    links: Any = (),
    attachments: Any = (),
    in_reply_to: Message | None = None,
    now: dt.datetime,
    errors: ErrorBag | None = None,
) -> Draft:
    """Check everything, build the unsaved message; raise every problem at once."""
    office = resolve_office(office)
    require_staff(actor, office)
    errors = errors or ErrorBag()
    if thread is None:
        subject = check_text(subject, "subject", errors, limit=MAX_SUBJECT, required=True)
    offices = resolve_recipients(recipients, office, errors)
    if priority not in Priority.values:
        errors.add("priority", _("Priority is routine, urgent or immediate."))
        priority = Priority.ROUTINE
    message = Message(
        kind=kind,
        priority=priority,
        template=template or "",
        sent_at=now,
        originator_office=office,
        in_reply_to=in_reply_to,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if kind in ANSWERABLE_KINDS:
        message.due_at = parse_due(due_at, priority=priority, now=now, errors=errors)
    elif due_at not in (None, ""):
        errors.add("due_at", _("Only requests for information and joint actions have a due time."))
    message.body = check_text(body, "body", errors, limit=MAX_BODY)
    message.structured = clean_structured(template, kind, structured, errors)
    if not message.body and not message.structured and "body" not in errors.fields:
        errors.add("body", _("Write the message or fill in the template."))
    message.language = normalise_language(language or get_language()) or "en"
    if language and normalise_language(language) != language.split("-")[0].lower():
        errors.add("language", _("Unknown language “%s”.") % language)
    _sharing(message, office, sharing, offices, actor, errors)
    resolved_links: list[tuple[str, Any]] = []
    for i, link in enumerate(links or []):
        try:
            link_kind, target = (link["kind"], link["target"]) if isinstance(link, dict) else link
            resolved_links.append((link_kind, resolve_link_target(actor, link_kind, target)))
        except (KeyError, TypeError, ValueError):
            errors.add(f"links[{i}]", _("Give the kind and the identifier of the record."))
        except BlonetError as exc:  # a link the actor may not see: a field error
            errors.add(f"links[{i}]", exc.message)
    files = prepare_attachments(attachments, errors)
    errors.raise_if_any()
    names, codes = summary_words(message.template, message.structured)
    message.search_text = compose(names=names, words=[subject, message.body], codes=codes)
    return Draft(actor, office, message, offices, thread, subject, resolved_links, files)


def deliver(
    draft: Draft, *, action: str, now: dt.datetime, audit_data: dict[str, Any] | None = None
) -> Message:
    """Save the message, one receipt row per recipient, links and files, the audit event; the
    notification e-mails go out after the commit. One transaction."""
    from blonet.exchange.services.notify import notify_sent

    message = draft.message
    with transaction.atomic():
        thread = draft.thread
        new_thread = thread is None
        if thread is None:
            thread = Thread.objects.create(
                subject=draft.subject,
                opened_by_office=draft.office,
                opened_at=now,
                last_message_at=now,
                message_count=1,
                import_key=draft.import_key,
            )
        message.thread = thread
        message.recipient_count = len(draft.recipients)
        message.save(force_insert=True)
        needs_answer = message.needs_answer
        Recipient.objects.bulk_create(
            [
                Recipient(
                    message=message,
                    thread=thread,
                    office=o,
                    office_country=o.country_id,
                    sender_office=draft.office,
                    sender_country=draft.office.country_id,
                    kind=message.kind,
                    priority=message.priority,
                    classification=message.classification,
                    needs_answer=needs_answer,
                    due_at=message.due_at if needs_answer else None,
                    sent_at=now,
                    delivered_at=now,
                    changed_at=now,
                )
                for o in draft.recipients
            ]
        )
        if not new_thread:
            Thread.objects.filter(pk=thread.pk).update(
                last_message_at=now, message_count=F("message_count") + 1
            )
        for link_kind, target in draft.links:
            if not thread.links.filter(kind=link_kind, target_id=str(target.pk)).exists():
                make_link(thread, link_kind, target, draft.office.pk, draft.actor).save()
        store_attachments(message, draft.files)
        audit_event_record(
            actor=draft.actor,
            action=action,
            target=message,
            data={
                "thread": str(thread.pk),
                "kind": message.kind,
                "office": draft.office.pk,
                "recipients": [o.pk for o in draft.recipients],
                "priority": message.priority,
                "due_at": message.due_at.isoformat() if message.due_at else None,
                "template": message.template,
                "attachments": len(draft.files),
                **message.sharing_data(),
                **(audit_data or {}),
            },
        )
        from blonet.exchange.federation import share_message

        share_message(message)  # the outbox row for the recipients' nodes, in this transaction
        notice: dict[str, Any] = {
            "kind": message.kind,
            "priority": message.priority,
            "office_name": draft.office.name,
            "thread": str(thread.pk),
            "offices": [o.pk for o in draft.recipients],
        }
        transaction.on_commit(lambda: notify_sent(**notice))
    return message


@refusals_audited("send")
def message_send(
    *,
    actor: Any,
    office: Office | str,
    recipients: Any,
    kind: str,
    thread: Thread | None = None,
    subject: str = "",
    body: str = "",
    template: str = "",
    structured: Any = None,
    priority: str = Priority.ROUTINE,
    due_at: Any = None,
    language: str = "",
    sharing: dict[str, Any] | None = None,
    links: Any = (),
    attachments: Any = (),
    in_reply_to: Message | Any = None,
    now: dt.datetime | None = None,
    import_key: str = "",
) -> Message:
    """Send an alert, RFI, joint-action request or correspondence; a new thread when `thread`
    is None (then `subject` is required), else a message in a thread the actor may see."""
    from blonet.exchange.selectors import message_get_for, thread_get_for

    now = now or timezone.now()
    errors = ErrorBag()
    if kind not in COMPOSABLE_KINDS:
        errors.add(
            "kind", _("Choose alert, request for information, joint action or correspondence.")
        )
    if thread is not None:
        thread = thread_get_for(user=actor, pk=getattr(thread, "pk", thread))
    if in_reply_to is not None:
        in_reply_to = message_get_for(user=actor, pk=getattr(in_reply_to, "pk", in_reply_to))
        if thread is None or in_reply_to.thread_id != thread.pk:
            errors.add("in_reply_to", _("The message replied to is in another thread."))
    draft = prepare(
        actor=actor, office=office, recipients=recipients, kind=kind, thread=thread,
        subject=subject, body=body, template=template, structured=structured, priority=priority,
        due_at=due_at, language=language, sharing=sharing, links=links, attachments=attachments,
        in_reply_to=in_reply_to, now=now, errors=errors,
    )  # fmt: skip
    draft.import_key = import_key
    return deliver(draft, action="exchange.message.sent", now=now)


@refusals_audited("answer")
def rfi_answer(
    *,
    actor: Any,
    message: Message | Any,
    office: Office | str,
    body: str = "",
    sharing: dict[str, Any] | None = None,
    language: str = "",
    attachments: Any = (),
    now: dt.datetime | None = None,
) -> Message:
    """Answer a request addressed to `office`: a message back to the requesting office, and the
    receipt marked answered with the response time (the first answer counts)."""
    from blonet.exchange.selectors import message_get_for

    now = now or timezone.now()
    request = message_get_for(user=actor, pk=getattr(message, "pk", message))
    office = resolve_office(office)
    require_staff(actor, office)
    receipt = Recipient.objects.filter(message=request, office=office).first()
    if receipt is None or not receipt.needs_answer:
        raise ValidationError(
            fields={"message": [_("This message is not a request to your office.")]}
        )
    base = {
        "handling_codes": list(request.handling_codes),
        "handling_conditions": request.handling_conditions,
        "classification": request.classification,
    }
    draft = prepare(
        actor=actor, office=office, recipients=[request.owner_office_id], kind=MessageKind.ANSWER,
        thread=request.thread, body=body, language=language, sharing={**base, **(sharing or {})},
        attachments=attachments, in_reply_to=request, now=now,
    )  # fmt: skip
    with transaction.atomic():
        answer = deliver(
            draft,
            action="exchange.message.answered",
            now=now,
            audit_data={"request": str(request.pk)},
        )
        if receipt.answered_at is None:
            seconds = max(int((now - receipt.sent_at).total_seconds()), 0)
            Recipient.objects.filter(pk=receipt.pk, answered_at__isnull=True).update(
                answered_at=now,
                answered_by=draft.message.created_by,
                answer=answer,
                response_seconds=seconds,
                read_at=receipt.read_at or now,
                read_by=receipt.read_by or draft.message.created_by,
                acknowledged_at=receipt.acknowledged_at or now,
                acknowledged_by=receipt.acknowledged_by or draft.message.created_by,
                ack_seconds=receipt.ack_seconds if receipt.ack_seconds is not None else seconds,
                changed_at=now,
            )
    return answer


def seizure_structured(seizure: Any) -> dict[str, Any]:
    """The structured fields of a seizure notification, from the record."""
    items = [
        {"commodity": i.commodity, "quantity": str(i.quantity), "unit": i.unit}
        for i in seizure.items.all()
    ]
    persons, plates = [], []
    for inv in seizure.involvements.all():
        if inv.person_id and inv.person.deleted_at is None:
            persons.append(inv.person.full_name)
        if inv.vehicle_id and inv.vehicle.deleted_at is None and inv.vehicle.plate:
            plates.append(inv.vehicle.plate)
    data: dict[str, Any] = {
        "reference": seizure.reference,
        "occurred_at": seizure.occurred_at.isoformat(),
        "place": str(seizure.where or "")[:200],
        "conveyance": seizure.conveyance,
        "items": items,
        "persons": persons,
        "plates": plates,
        "route": seizure.route,
    }
    return {k: v for k, v in data.items() if v not in ("", [], None)}


@refusals_audited("notify_seizure")
def seizure_notification_send(
    *,
    actor: Any,
    seizure: Any,
    office: Office | str,
    recipients: Any,
    body: str = "",
    subject: str = "",
    priority: str = Priority.URGENT,
    sharing: dict[str, Any] | None = None,
    language: str = "",
    thread: Thread | None = None,
    now: dt.datetime | None = None,
) -> Message:
    """One click from a seizure: its structured fields, linked to the thread. The message keeps
    at least the seizure's handling codes and classification."""
    from blonet.exchange.selectors import thread_get_for
    from blonet.records.selectors import seizure_get_for

    now = now or timezone.now()
    record = seizure_get_for(user=actor, pk=getattr(seizure, "pk", seizure)) if actor else seizure
    office = resolve_office(office)
    if "H2" in record.handling_codes and record.owner_office_id != office.pk:
        raise PermissionDenied(
            _("This seizure is H2: only its owner office may pass it on without permission.")
        )
    if thread is not None:
        thread = thread_get_for(user=actor, pk=getattr(thread, "pk", thread))
    chosen = dict(sharing or {})
    codes = sorted(set(chosen.get("handling_codes") or []) | set(record.handling_codes))
    chosen["handling_codes"] = codes
    if "H3" in record.handling_codes and not chosen.get("handling_conditions"):
        chosen["handling_conditions"] = record.handling_conditions
    try:
        level = int(chosen.get("classification", record.classification))
    except (TypeError, ValueError):
        level = record.classification
    chosen["classification"] = max(level, record.classification)
    draft = prepare(
        actor=actor, office=office, recipients=recipients, kind=MessageKind.SEIZURE_NOTIFICATION,
        thread=thread, subject=subject or _("Seizure %s") % record.reference, body=body,
        template="seizure_notification", structured=seizure_structured(record),
        priority=priority, language=language, sharing=chosen,
        links=[(LinkKind.SEIZURE, record)], now=now,
    )  # fmt: skip
    draft.message.seizure = record
    return deliver(
        draft, action="exchange.message.sent", now=now, audit_data={"seizure": str(record.pk)}
    )
