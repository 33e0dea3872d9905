"""Seizures and incidents: record, update (a new version with history), tombstone."""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from blonet.audit.services import audit_event_record
from blonet.core.choices import COUNTRY_TIME_ZONES
from blonet.core.errors import ValidationError
from blonet.directory.models import Agency, Office, Site
from blonet.records import normalise
from blonet.records.choices import (
    COUNT_UNITS,
    DENSITY,
    MAX_KG,
    MAX_UNITS,
    UNIT_TO_KG,
    Commodity,
    LinkRole,
    Unit,
)
from blonet.records.federation import share
from blonet.records.hooks import record_saved_on_commit
from blonet.records.models import ENTITY_MODELS, Incident, Involvement, Seizure, SeizureItem
from blonet.records.models.base import SHARING_FIELDS, new_instance
from blonet.records.models.events import Event
from blonet.records.normalise import as_uuid
from blonet.records.search import event_search_text
from blonet.records.services.common import (
    ErrorBag,
    apply_sharing,
    model_errors,
    require_editor,
    require_writer,
    resolve_office,
)
from blonet.records.services.entities import prepare_entity

EVENT_FIELDS = ("occurred_at", "site", "office", "lat", "lon", "place", "narrative")
SEIZURE_FIELDS = (
    *EVENT_FIELDS, "detection_method", "concealment", "concealment_detail", "conveyance",
    "origin_country", "transit_countries", "destination_country",
)  # fmt: skip
INCIDENT_FIELDS = (*EVENT_FIELDS, "kind")
ITEM_FIELDS = ("commodity", "quantity", "unit", "currency", "purity", "packaging", "markings")
# A clock a few minutes fast at the post is not a future date.
FUTURE_TOLERANCE = dt.timedelta(minutes=10)
COMMODITIES = frozenset(Commodity.values)
UNITS = frozenset(Unit.values)
# The quantity column holds 13 digits before the point.
MAX_STORABLE = Decimal("1e13")


def _decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).replace(",", ".").replace(" ", ""))
    except InvalidOperation:
        raise ValueError from None
    if not number.is_finite():  # NaN and Infinity are not quantities (and NaN cannot compare)
        raise ValueError
    return number


def normalise_quantity(
    commodity: str, quantity: Decimal, unit: str
) -> tuple[Decimal | None, Decimal | None]:
    """(kg, units) of one item: mass and volume to kg, counts to units."""
    if unit in UNIT_TO_KG:
        kg = quantity * UNIT_TO_KG[unit]
        if unit in ("ml", "l"):
            kg *= DENSITY.get(commodity, Decimal("1"))
        return kg.quantize(Decimal("0.001")), None
    if unit in COUNT_UNITS:
        return None, quantity
    return None, None


def _prepare_item(data: dict[str, Any], errors: ErrorBag, prefix: str) -> SeizureItem:
    item = new_instance(SeizureItem)
    for name in ("commodity", "unit", "currency", "packaging", "markings"):
        setattr(item, name, str(data.get(name) or "").strip())
    item.currency = item.currency.upper()
    if item.commodity not in COMMODITIES:
        errors.add(f"{prefix}commodity", _("Unknown commodity “%s”.") % item.commodity)
    if item.unit not in UNITS:
        errors.add(
            f"{prefix}unit",
            _("Unknown unit “%s”: use g, kg, t, ml, l, tablets, pieces or currency.") % item.unit,
        )
    try:
        quantity = _decimal(data.get("quantity"))
    except ValueError:
        errors.add(f"{prefix}quantity", _("The quantity is not a number."))
        quantity = None
    if quantity is None:
        if "quantity" not in errors.fields and f"{prefix}quantity" not in errors.fields:
            errors.add(f"{prefix}quantity", _("Give the quantity."))
    elif quantity <= 0:
        errors.add(f"{prefix}quantity", _("The quantity must be more than zero."))
    elif quantity >= MAX_STORABLE:  # beyond any unit's limit, and beyond the column
        errors.add(
            f"{prefix}quantity",
            _("%(q)s %(u)s is more than any seizure on record: check the unit.")
            % {"q": quantity, "u": item.unit},
        )
    else:
        item.quantity = quantity
        kg, units = normalise_quantity(item.commodity, quantity, item.unit)
        item.quantity_kg, item.quantity_units = kg, units
        if kg is not None and kg > MAX_KG:
            errors.add(
                f"{prefix}quantity",
                _("%(q)s %(u)s is more than any seizure on record: check the unit.")
                % {"q": quantity, "u": item.unit},
            )
        if units is not None and units > MAX_UNITS:
            errors.add(
                f"{prefix}quantity",
                _("%(q)s %(u)s is more than any seizure on record: check the unit.")
                % {"q": quantity, "u": item.unit},
            )
        if item.unit == Unit.CURRENCY and item.commodity != Commodity.CASH:
            errors.add(f"{prefix}unit", _("The unit “currency” is for cash only."))
        if (
            item.commodity == Commodity.CASH
            and item.unit == Unit.CURRENCY
            and len(item.currency) != 3
        ):
            errors.add(
                f"{prefix}currency",
                _("Give the currency of the cash as a three-letter code (USD, KZT …)."),
            )
    try:
        purity = _decimal(data.get("purity"))
    except ValueError:
        errors.add(f"{prefix}purity", _("The purity is not a number."))
        purity = None
    if purity is not None and not 0 < purity <= 100:
        errors.add(f"{prefix}purity", _("Purity is a percentage between 0 and 100."))
    item.purity = purity
    model_errors(
        item,
        errors,
        prefix,
        exclude=[
            "seizure",
            "quantity",
            "commodity",
            "unit",
            "purity",
            "quantity_kg",
            "quantity_units",
        ],
    )
    return item


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


_UNKNOWN = {
    "site": gettext_lazy("Unknown site “%(value)s”: use an identifier from the directory."),
    "office": gettext_lazy("Unknown office “%(value)s”: use an identifier from the directory."),
}


def _resolve_fk(model: Any, value: Any, field: str, errors: ErrorBag) -> Any:
    if value in (None, ""):
        return None
    if isinstance(value, model):
        return value
    obj = model.objects.filter(pk=value).first()
    if obj is None:
        message = _UNKNOWN.get(field, _UNKNOWN["site"])
        errors.add(field, str(message) % {"value": value})
    return obj


def local_zone(office: Office) -> dt.tzinfo:
    """Naive times are the local time of the office's country (the node's zone otherwise)."""
    name = COUNTRY_TIME_ZONES.get(office.country_id)
    return zoneinfo.ZoneInfo(name) if name else timezone.get_default_timezone()


def _apply_event_fields(
    event: Event, office: Office, data: dict[str, Any], fields: tuple[str, ...], errors: ErrorBag
) -> None:
    for name in fields:
        if name not in data:
            continue
        value = data[name]
        if name == "site":
            event.site = _resolve_fk(Site, value, "site", errors)
        elif name == "office":
            event.office = _resolve_fk(Office, value, "office", errors)
        elif name in ("lat", "lon"):
            try:
                setattr(event, name, _decimal(value))
            except ValueError:
                errors.add(name, _("Not a number."))
        elif name == "occurred_at":
            if isinstance(value, str):
                parsed = parse_datetime(value.strip())
                if parsed is None:
                    errors.add(name, _("Give the date and time as YYYY-MM-DD HH:MM."))
                    continue
                value = parsed
            if isinstance(value, dt.datetime) and timezone.is_naive(value):
                value = timezone.make_aware(value, local_zone(office))
            event.occurred_at = value
        elif name == "transit_countries":
            if isinstance(value, str):
                value = [c for c in value.replace(";", ",").replace(" ", ",").split(",") if c]
            codes = []
            for code in value or []:
                cc = normalise.country_code(code)
                if cc is None:
                    errors.add(name, _("Unknown country code “%s”.") % code)
                elif cc:
                    codes.append(cc)
            event.transit_countries = codes  # type: ignore[attr-defined]
        elif name in ("origin_country", "destination_country"):
            cc = normalise.country_code(value)
            if cc is None:
                errors.add(name, _("Unknown country code “%s”.") % value)
            else:
                setattr(event, name, cc)
        else:
            setattr(event, name, value.strip() if isinstance(value, str) else (value or ""))
    if "occurred_at" in errors.fields:
        pass
    elif not event.occurred_at:
        errors.add("occurred_at", _("Say when it happened."))
    elif event.occurred_at > timezone.now() + FUTURE_TOLERANCE:
        errors.add("occurred_at", _("The date is in the future."))
    elif event.occurred_at.year < 1990:
        errors.add("occurred_at", _("The date is before 1990: check the year."))
    if event.lat is not None and not -90 <= event.lat <= 90:
        errors.add("lat", _("Latitude is between -90 and 90."))
    if event.lon is not None and not -180 <= event.lon <= 180:
        errors.add("lon", _("Longitude is between -180 and 180."))
    if (event.lat is None) != (event.lon is None):
        errors.add("lon", _("Give both latitude and longitude, or neither."))


def _agencies(data: dict[str, Any], office: Office, errors: ErrorBag) -> list[Agency] | None:
    if "agencies" not in data:
        return None
    ids = [getattr(a, "pk", a) for a in data["agencies"] or []]
    found = {a.pk: a for a in Agency.objects.filter(pk__in=ids)}
    missing = [i for i in ids if i not in found]
    if missing:
        errors.add("agencies", _("Unknown agency: %s.") % ", ".join(map(str, missing)))
    return [found[i] for i in ids if i in found] or [office.agency]


def _prepare_involvements(
    actor: Any, event: Event, office: Office, rows: list[dict[str, Any]], errors: ErrorBag
) -> list[tuple[Involvement, Any, bool]]:
    """(link, entity, is_new) for each row: an existing visible entity or a new one."""
    out: list[tuple[Involvement, Any, bool]] = []
    for i, row in enumerate(rows):
        prefix = f"involvements[{i}]."
        kind = row.get("kind", "")
        model: Any = ENTITY_MODELS.get(kind)
        if model is None:
            errors.add(f"{prefix}kind", _("Unknown kind of entity “%s”.") % kind)
            continue
        role = row.get("role") or LinkRole.OTHER
        if role not in LinkRole.values:
            errors.add(f"{prefix}role", _("Unknown role “%s”.") % role)
        entity = row.get("entity")
        is_new = entity is None
        if entity is not None and not isinstance(entity, model):
            qs = model.objects.all() if actor is None else model.objects.visible_to(actor)
            key = as_uuid(entity)
            entity = qs.filter(pk=key).first() if key is not None else None
            if entity is None:
                errors.add(f"{prefix}entity", _("This entry does not exist or you may not see it."))
                continue
        if entity is None:
            entity = model()
            entity.created_by = actor if getattr(actor, "is_authenticated", False) else None
            sharing = {k: getattr(event, k) for k in SHARING_FIELDS if k != "counterpart_country"}
            sharing["counterpart_country"] = event.counterpart_country_id
            apply_sharing(entity, office, sharing, ErrorBag(), checked=True)
            prepare_entity(entity, row.get("data") or {}, errors, prefix)
        link = Involvement(role=role, note=str(row.get("note") or "")[:300])
        out.append((link, entity, is_new))
    return out


def _reference(event: Event) -> str:
    return f"{event.owner_country_id}-{event.occurred_at:%Y}-{uuid.uuid4().hex[:8].upper()}"


def _free_reference(event: Event) -> str:
    """A reference no record of the event's kind has yet. 32 random bits per country and year:
    two seizures of a year with 70,000 meet once in about 2,000 draws, so a draw that is taken
    is drawn again (a uniqueness check of the system, not a read on anybody's behalf)."""
    model = type(event)
    while True:
        reference = _reference(event)
        if not model._base_manager.filter(reference=reference).exists():
            return reference


def _save_event(
    *,
    actor: Any,
    event: Event,
    office: Office,
    data: dict[str, Any],
    fields: tuple[str, ...],
    items: list[dict[str, Any]] | None,
    involvements: list[dict[str, Any]] | None,
    creating: bool,
) -> Event:
    errors = ErrorBag()
    apply_sharing(event, office, {k: v for k, v in data.items() if k in SHARING_FIELDS}, errors)
    _apply_event_fields(event, office, data, fields, errors)
    agencies = _agencies(data, office, errors)
    if creating and agencies is None:
        agencies = [office.agency]
    is_seizure = isinstance(event, Seizure)
    prepared_items: list[SeizureItem] | None = None
    if is_seizure and items is not None:
        prepared_items = [_prepare_item(row, errors, f"items[{i}].") for i, row in enumerate(items)]
        if not prepared_items:
            errors.add("items", _("A seizure has at least one item."))
    elif is_seizure and creating:
        errors.add("items", _("A seizure has at least one item."))
    links = (
        _prepare_involvements(actor, event, office, involvements, errors)
        if involvements is not None
        else None
    )
    model_errors(
        event,
        errors,
        exclude=["owner_office", "owner_agency", "owner_country", "reference", "id", "search_text"],
    )
    errors.raise_if_any()
    with transaction.atomic():
        if creating:
            event.created_by = actor if getattr(actor, "is_authenticated", False) else None
            event.reference = _free_reference(event)
        else:
            event.version += 1
        if prepared_items is not None and is_seizure:
            seizure: Any = event
            seizure.total_kg = sum(
                (it.quantity_kg or Decimal(0) for it in prepared_items), Decimal(0)
            )
            seizure.commodities = " ".join(sorted({it.commodity for it in prepared_items}))
        event.save()
        if agencies is not None:
            event.agencies.set(agencies)
        if prepared_items is not None:
            event.items.all().delete()  # type: ignore[attr-defined]
            for position, item in enumerate(prepared_items):
                item.seizure = event  # type: ignore[assignment]
                item.position = position
            bulk_create_with_history(prepared_items, SeizureItem, default_user=_user(actor))
        if links is not None:
            event.involvements.all().delete()  # type: ignore[attr-defined]
            for link, entity, is_new in links:
                if is_new:
                    entity.save()
                    audit_event_record(
                        actor=actor,
                        action=f"records.{entity.kind}.created",
                        target=entity,
                        data=entity.sharing_data(),
                    )
                setattr(link, "seizure" if is_seizure else "incident", event)
                setattr(link, entity.kind, entity)
                link.save()
        event.search_text = event_search_text(
            event,
            items=event.items.all() if is_seizure else (),  # type: ignore[attr-defined]
            entities=[inv.entity for inv in event.involvements.select_related(*ENTITY_MODELS)],  # type: ignore[attr-defined]
        )
        type(event).objects.filter(pk=event.pk).update(search_text=event.search_text)
        kind = "seizure" if is_seizure else "incident"
        record_saved_on_commit(actor=actor, record=event)
        audit_event_record(
            actor=actor,
            action=f"records.{kind}.{'recorded' if creating else 'updated'}",
            target=event,
            data=event.sharing_data(),
        )
        share(event)  # the outbox row, in this transaction (federation)
    return event


def seizure_record(
    *,
    actor: Any,
    office: Office | str,
    data: dict[str, Any],
    items: list[dict[str, Any]],
    involvements: list[dict[str, Any]] | None = None,
    import_key: str = "",
) -> Seizure:
    """Record a seizure with its items and involved entities (new or existing)."""
    office = resolve_office(office)
    require_writer(actor, office)
    seizure = Seizure(import_key=import_key)
    _save_event(
        actor=actor, event=seizure, office=office, data=data, fields=SEIZURE_FIELDS,
        items=items, involvements=involvements or [], creating=True,
    )  # fmt: skip
    return seizure


def seizure_update(
    *,
    actor: Any,
    seizure: Seizure,
    data: dict[str, Any],
    items: list[dict[str, Any]] | None = None,
    involvements: list[dict[str, Any]] | None = None,
) -> Seizure:
    """A new version; `items`/`involvements` replace the old ones when given."""
    require_editor(actor, seizure)
    if seizure.is_deleted:
        raise ValidationError(_("A deleted record cannot be changed."))
    _save_event(
        actor=actor, event=seizure, office=seizure.owner_office, data=data, fields=SEIZURE_FIELDS,
        items=items, involvements=involvements, creating=False,
    )  # fmt: skip
    return seizure


def incident_record(
    *,
    actor: Any,
    office: Office | str,
    data: dict[str, Any],
    involvements: list[dict[str, Any]] | None = None,
) -> Incident:
    office = resolve_office(office)
    require_writer(actor, office)
    incident = Incident()
    _save_event(
        actor=actor, event=incident, office=office, data=data, fields=INCIDENT_FIELDS,
        items=None, involvements=involvements or [], creating=True,
    )  # fmt: skip
    return incident


def incident_update(
    *,
    actor: Any,
    incident: Incident,
    data: dict[str, Any],
    involvements: list[dict[str, Any]] | None = None,
) -> Incident:
    require_editor(actor, incident)
    if incident.is_deleted:
        raise ValidationError(_("A deleted record cannot be changed."))
    _save_event(
        actor=actor, event=incident, office=incident.owner_office, data=data,
        fields=INCIDENT_FIELDS, items=None, involvements=involvements, creating=False,
    )  # fmt: skip
    return incident


def _tombstone(actor: Any, event: Event, reason: str, kind: str) -> Event:
    require_editor(actor, event)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(fields={"reason": [_("Say why the record is deleted.")]})
    if event.is_deleted:
        return event
    with transaction.atomic():
        event.deleted_at = timezone.now()
        event.deleted_by = actor if getattr(actor, "is_authenticated", False) else None
        event.deleted_reason = reason
        event.version += 1
        event.save()
        audit_event_record(
            actor=actor, action=f"records.{kind}.deleted", target=event, data=event.sharing_data()
        )
        share(event)
    return event


def seizure_delete(*, actor: Any, seizure: Seizure, reason: str) -> Seizure:
    """A tombstone with its reason: the row and its history stay."""
    _tombstone(actor, seizure, reason, "seizure")
    return seizure


def incident_delete(*, actor: Any, incident: Incident, reason: str) -> Incident:
    _tombstone(actor, incident, reason, "incident")
    return incident
