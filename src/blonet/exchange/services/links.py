"""Links from a thread to records (seizures, incidents, entities) and to other threads."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from blonet.audit.services import audit_event_record
from blonet.core.errors import NotFound, ValidationError
from blonet.exchange.choices import LinkKind
from blonet.exchange.models import LINK_FIELDS, Thread, ThreadLink
from blonet.exchange.services.common import refusals_audited, require_staff, resolve_office
from blonet.records.models import (
    Container,
    Incident,
    Organisation,
    Person,
    Phone,
    Seizure,
    Vehicle,
)
from blonet.records.normalise import as_uuid

LINK_MODELS: dict[str, type[models.Model]] = {
    LinkKind.SEIZURE: Seizure,
    LinkKind.INCIDENT: Incident,
    LinkKind.PERSON: Person,
    LinkKind.VEHICLE: Vehicle,
    LinkKind.ORGANISATION: Organisation,
    LinkKind.PHONE: Phone,
    LinkKind.CONTAINER: Container,
    LinkKind.THREAD: Thread,
}


def resolve_link_target(actor: Any, kind: str, target: Any) -> models.Model:
    """The record or thread `target` of `kind`, if the actor may see it (else NotFound)."""
    model = LINK_MODELS.get(kind)
    if model is None:
        raise ValidationError(fields={"kind": [_("Unknown kind of link “%s”.") % kind]})
    if isinstance(target, model):
        pk: Any = target.pk
    else:
        pk = as_uuid(target)
        if pk is None:
            raise ValidationError(fields={"target": [_("Give the record's identifier.")]})
    manager: Any = model._default_manager
    qs = manager.all() if actor is None else manager.visible_to(actor)
    if hasattr(qs, "alive"):
        qs = qs.alive()
    found = qs.filter(pk=pk).first()
    if found is None:
        raise NotFound(_("No such record that you may see."))
    return found  # type: ignore[no-any-return]


def make_link(
    thread: Thread, kind: str, target: models.Model, office_id: str, actor: Any
) -> ThreadLink:
    link = ThreadLink(
        thread=thread,
        kind=kind,
        target_id=str(target.pk),
        added_by=actor if getattr(actor, "is_authenticated", False) else None,
        added_by_office_id=office_id,
        added_at=timezone.now(),
    )
    setattr(link, LINK_FIELDS[kind], target)
    return link


@refusals_audited("link")
def thread_link_add(
    *, actor: Any, thread: Thread, office: Any, kind: str, target: Any
) -> ThreadLink:
    """Link a record the actor may see to a thread the actor's office takes part in."""
    from blonet.exchange.selectors import thread_get_for, thread_participants

    office = resolve_office(office)
    require_staff(actor, office)
    thread = thread_get_for(user=actor, pk=thread.pk) if actor is not None else thread
    if actor is not None and office.pk not in thread_participants(thread):
        raise ValidationError(
            fields={"office": [_("Only an office that takes part in the thread may link to it.")]}
        )
    found = resolve_link_target(actor, kind, target)
    if kind == LinkKind.THREAD and found.pk == thread.pk:
        raise ValidationError(fields={"target": [_("A thread cannot link to itself.")]})
    try:
        with transaction.atomic():
            link = make_link(thread, kind, found, office.pk, actor)
            link.save()
            audit_event_record(
                actor=actor,
                action="exchange.link.added",
                target=thread,
                data={"kind": kind, "target": str(found.pk), "office": office.pk},
            )
    except IntegrityError:
        raise ValidationError(fields={"target": [_("The thread already links to it.")]}) from None
    return link
