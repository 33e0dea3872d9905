"""Involved entities: create, update, tombstone, and the likely-duplicate check."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from blonet.audit.services import audit_event_record
from blonet.core.errors import ValidationError
from blonet.directory.models import Office
from blonet.records import normalise
from blonet.records.federation import share
from blonet.records.models import ENTITY_MODELS, Person
from blonet.records.models.base import SHARING_FIELDS
from blonet.records.models.entities import Entity
from blonet.records.search import entity_search_text
from blonet.records.services.common import (
    ErrorBag,
    apply_sharing,
    model_errors,
    require_editor,
    require_writer,
    resolve_office,
)

# The fields an officer may set on each kind (everything else is derived).
ENTITY_FIELDS: dict[str, tuple[str, ...]] = {
    "person": (
        "full_name", "family_name", "given_names", "patronymic", "aliases", "dob", "gender",
        "nationality", "notes",
    ),
    "vehicle": ("plate", "country", "make", "model", "colour", "vin"),
    "organisation": ("name", "country", "registration_number", "legal_form"),
    "phone": ("number", "country"),
    "document": ("document_kind", "number", "issuing_country", "valid_from", "valid_until"),
    "container": ("number", "size_type"),
    "account": ("number", "bank", "holder_name", "country"),
}  # fmt: skip
COUNTRY_FIELDS = ("nationality", "country", "issuing_country")


def entity_model(kind: str) -> type[Entity]:
    model = ENTITY_MODELS.get(kind)
    if model is None:
        raise ValidationError(fields={"kind": [_("Unknown kind of entity “%s”.") % kind]})
    return model  # type: ignore[return-value]


def prepare_entity(
    entity: Entity, data: dict[str, Any], errors: ErrorBag, prefix: str = ""
) -> None:
    """Set the officer's fields from `data`, derive normalised forms, validate."""
    kind = entity.kind
    for name in ENTITY_FIELDS[kind]:
        if name in data:
            value = data[name]
            if isinstance(value, str):
                value = value.strip()
            setattr(entity, name, value if value is not None else "")
    for name in COUNTRY_FIELDS:
        if name in ENTITY_FIELDS[kind]:
            code = normalise.country_code(getattr(entity, name))
            if code is None:
                errors.add(
                    f"{prefix}{name}", _("Unknown country code “%s”.") % getattr(entity, name)
                )
            else:
                setattr(entity, name, code)
    if kind == "person":
        p: Any = entity
        if isinstance(p.aliases, str):
            p.aliases = [a.strip() for a in p.aliases.split(";") if a.strip()]
        if not p.full_name:
            p.full_name = " ".join(x for x in (p.family_name, p.given_names, p.patronymic) if x)
        if not p.full_name:
            errors.add(f"{prefix}full_name", _("A person needs a name."))
        dob = normalise.partial_date(p.dob)
        if dob is None:
            errors.add(f"{prefix}dob", _("Write the date of birth as YYYY, YYYY-MM or YYYY-MM-DD."))
        else:
            p.dob, p.dob_year = dob
            if p.dob_year and p.dob_year > timezone.localdate().year:
                errors.add(f"{prefix}dob", _("The date of birth is in the future."))
        p.name_latin, p.name_keys = normalise.name_forms(p.full_name)
    elif kind == "vehicle":
        v: Any = entity
        v.plate_normalised = normalise.normalise_plate(v.plate)
        v.vin = (v.vin or "").upper()
        if problem := normalise.vin_problem(v.vin):
            errors.add(f"{prefix}vin", problem)
        if not v.plate_normalised and not v.vin:
            errors.add(f"{prefix}plate", _("A vehicle needs a plate or a VIN."))
    elif kind == "organisation":
        o: Any = entity
        o.name_key = normalise.org_key(o.name)
    elif kind == "phone":
        ph: Any = entity
        ph.number_normalised = normalise.normalise_phone(ph.number)
        if not 5 <= len(ph.number_normalised) <= 15:
            errors.add(f"{prefix}number", _("A phone number has 5 to 15 digits."))
    elif kind == "document":
        d: Any = entity
        d.number_normalised = normalise.normalise_document(d.number)
        if d.valid_from and d.valid_until and d.valid_until < d.valid_from:
            errors.add(f"{prefix}valid_until", _("The document expires before it is valid."))
    elif kind == "container":
        c: Any = entity
        c.number_normalised, problem = normalise.normalise_container(c.number)
        if problem:
            errors.add(f"{prefix}number", problem)
    elif kind == "account":
        a: Any = entity
        a.is_iban = normalise.looks_like_iban(a.number)
        if a.is_iban:
            a.number_normalised = normalise.normalise_iban(a.number)
            if problem := normalise.iban_problem(a.number):
                errors.add(f"{prefix}number", problem)
        else:
            a.number_normalised = "".join(ch for ch in a.number if ch.isalnum()).upper()
            if not a.number_normalised:
                errors.add(f"{prefix}number", _("An account needs a number."))
    model_errors(
        entity,
        errors,
        prefix,
        exclude=[
            "owner_office", "owner_agency", "owner_country", "id", "search_text", "holder",
            "counterpart_country",
        ],
    )  # fmt: skip
    entity.search_text = entity_search_text(entity)


def entity_create(*, actor: Any, kind: str, office: Office | str, data: dict[str, Any]) -> Entity:
    office = resolve_office(office)
    require_writer(actor, office)
    entity = entity_model(kind)()
    errors = ErrorBag()
    entity.created_by = actor if getattr(actor, "is_authenticated", False) else None
    apply_sharing(entity, office, data, errors)
    prepare_entity(entity, data, errors)
    errors.raise_if_any()
    with transaction.atomic():
        entity.save()
        audit_event_record(
            actor=actor,
            action=f"records.{kind}.created",
            target=entity,
            data=entity.sharing_data(),
        )
        share(entity)
    return entity


def entity_update(*, actor: Any, entity: Entity, data: dict[str, Any]) -> Entity:
    require_editor(actor, entity)
    if entity.is_deleted:
        raise ValidationError(_("A deleted record cannot be changed."))
    errors = ErrorBag()
    office = entity.owner_office
    if data.get("owner_office"):
        office = resolve_office(data["owner_office"])
        require_writer(actor, office)
    apply_sharing(entity, office, {k: v for k, v in data.items() if k in SHARING_FIELDS}, errors)
    prepare_entity(entity, data, errors)
    errors.raise_if_any()
    with transaction.atomic():
        entity.version += 1
        entity.save()
        _refresh_linked_search_text(entity)
        audit_event_record(
            actor=actor,
            action=f"records.{entity.kind}.updated",
            target=entity,
            data={
                **entity.sharing_data(),
                "fields": sorted(k for k in data if k in ENTITY_FIELDS[entity.kind]),
            },
        )
        share(entity)
    return entity


def _refresh_linked_search_text(entity: Entity) -> None:
    """The records an entity appears in search by its name: rebuild their search text."""
    from blonet.records.models import ENTITY_MODELS as KINDS
    from blonet.records.models import Incident, Involvement, Seizure
    from blonet.records.search import event_search_text

    links = Involvement.objects.filter(**{entity.kind: entity})
    for model, field in ((Seizure, "seizure"), (Incident, "incident")):
        ids = links.filter(**{f"{field}__isnull": False}).values_list(f"{field}_id", flat=True)
        for event in model.objects.filter(pk__in=list(ids)).select_related("site"):
            items = event.items.all() if field == "seizure" else ()  # type: ignore[attr-defined]
            entities = [
                inv.entity
                for inv in event.involvements.select_related(*KINDS)  # type: ignore[attr-defined]
            ]
            model.objects.filter(pk=event.pk).update(
                search_text=event_search_text(event, items=items, entities=entities)
            )


def entity_delete(*, actor: Any, entity: Entity, reason: str) -> Entity:
    require_editor(actor, entity)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(fields={"reason": [_("Say why the record is deleted.")]})
    if entity.is_deleted:
        return entity
    with transaction.atomic():
        entity.deleted_at = timezone.now()
        entity.deleted_by = actor if getattr(actor, "is_authenticated", False) else None
        entity.deleted_reason = reason
        entity.version += 1
        entity.save()
        audit_event_record(
            actor=actor,
            action=f"records.{entity.kind}.deleted",
            target=entity,
            data=entity.sharing_data(),
        )
        share(entity)
    return entity


def person_likely_duplicates(
    *, user: Any, full_name: str, dob: str = "", exclude: Any = None, limit: int = 5
) -> QuerySet[Person]:
    """Visible persons whose name has the same phonetic keys (any order, any script) and whose
    date of birth does not contradict: the simple check while typing (screening does better)."""
    _latin, keys = normalise.name_forms(full_name)
    words = keys.split()
    if not words:
        return Person.objects.none()
    qs = Person.objects.visible_to(user).alive()
    for key in words[:4]:
        qs = qs.filter(name_keys__contains=key)
    parsed = normalise.partial_date(dob)
    if parsed and parsed[1]:
        year = parsed[1]
        qs = qs.filter(dob_year__in=[None, year - 1, year, year + 1])
    if exclude is not None:
        qs = qs.exclude(pk=getattr(exclude, "pk", exclude))
    return qs.select_related("owner_office").order_by("full_name")[:limit]
