"""Watchlists and entries: create a list, add (also from a records entity), remove."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from blonet.audit.services import audit_event_record
from blonet.core.choices import Distribution
from blonet.core.errors import ValidationError
from blonet.directory.models import Office
from blonet.records.models.base import SHARING_FIELDS
from blonet.records.normalise import country_code, vin_problem
from blonet.records.services.common import (
    ErrorBag,
    apply_sharing,
    model_errors,
    require_editor,
    require_writer,
    resolve_office,
)
from blonet.screening.choices import WatchlistKind
from blonet.screening.matching import make_subject, validate_container
from blonet.screening.matching.dob import parse_dob
from blonet.screening.matching.keys import (
    container_key,
    document_key,
    phone_key,
    plate_key,
    vin_key,
)
from blonet.screening.matching.orgs import org_key
from blonet.screening.models import Watchlist, WatchlistEntry
from blonet.screening.services.common import index_on_commit

# The subject fields of each kind of list; every entry also has COMMON_FIELDS.
ENTRY_FIELDS: dict[str, tuple[str, ...]] = {
    WatchlistKind.PERSON: ("name", "aliases", "dob", "nationality", "doc_number"),
    WatchlistKind.VEHICLE: ("plate", "vin", "country"),
    WatchlistKind.CONTAINER: ("container_number",),
    WatchlistKind.ORGANISATION: ("org_name", "aliases", "country"),
    WatchlistKind.PHONE: ("phone", "country"),
    WatchlistKind.DOCUMENT: ("doc_number", "country"),
}
COMMON_FIELDS = ("reason", "source_office", "valid_from", "valid_until")
# The field an "already on the list" message goes to.
MAIN_FIELD: dict[str, str] = {
    WatchlistKind.PERSON: "name", WatchlistKind.VEHICLE: "plate",
    WatchlistKind.CONTAINER: "container_number", WatchlistKind.ORGANISATION: "org_name",
    WatchlistKind.PHONE: "phone", WatchlistKind.DOCUMENT: "doc_number",
}  # fmt: skip


def _text(value: Any) -> str:
    if value is None:
        return ""
    return str(value).strip()


def _date(value: Any, name: str, errors: ErrorBag) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        errors.add(name, _("Write the date as YYYY-MM-DD."))
        return None


def _aliases(value: Any) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        return [a.strip() for a in value.replace("\n", ";").split(";") if a.strip()]
    if isinstance(value, list | tuple):
        return [str(a).strip() for a in value if str(a).strip()]
    return []


def match_key(kind: str, entry: WatchlistEntry) -> str:
    """A hash of the normalised subject: equal for the same subject written the same way."""
    if kind == WatchlistKind.PERSON:
        subject = make_subject("k", entry.name, (), entry.dob, entry.nationality, entry.doc_number)
        skels = sorted(t.skel for n in subject.names[:1] for t in n.tokens)
        parts = [" ".join(skels), entry.dob, entry.nationality, document_key(entry.doc_number)]
    elif kind == WatchlistKind.VEHICLE:
        parts = [plate_key(entry.plate), vin_key(entry.vin)]
    elif kind == WatchlistKind.CONTAINER:
        parts = [container_key(entry.container_number)]
    elif kind == WatchlistKind.ORGANISATION:
        parts = [org_key(entry.org_name), entry.country]
    elif kind == WatchlistKind.PHONE:
        parts = [phone_key(entry.phone)]
    else:
        parts = [document_key(entry.doc_number), entry.country]
    return hashlib.sha256("\x1f".join([kind, *parts]).encode("utf-8")).hexdigest()


def _person(entry: WatchlistEntry, errors: ErrorBag) -> None:
    if not entry.name:
        errors.add("name", _("A person on a list needs a name."))
    else:
        subject = make_subject("e", entry.name, entry.aliases)
        if not subject.screenable:
            errors.add(
                "name",
                _(
                    "This name cannot be screened: write it in Latin or Cyrillic letters, at least "
                    "two letters."
                ),
            )
    if entry.dob:
        try:
            parsed = parse_dob(entry.dob)
        except ValueError:
            errors.add("dob", _("Write the date of birth as YYYY, YYYY-MM or YYYY-MM-DD."))
        else:
            entry.dob = str(parsed) if parsed else ""
            if parsed and parsed.year > timezone.localdate().year:
                errors.add("dob", _("The date of birth is in the future."))
    entry.doc_number = document_key(entry.doc_number)


def _identifiers(kind: str, entry: WatchlistEntry, errors: ErrorBag) -> None:
    if kind == WatchlistKind.VEHICLE:
        entry.vin = vin_key(entry.vin)
        if problem := vin_problem(entry.vin):
            errors.add("vin", problem)
        if len(plate_key(entry.plate)) < 2 and not entry.vin:
            errors.add("plate", _("A vehicle on a list needs a plate or a VIN."))
    elif kind == WatchlistKind.CONTAINER:
        check = validate_container(entry.container_number)
        if not entry.container_number:
            errors.add("container_number", _("A container on a list needs its number."))
        elif not check.valid:
            errors.add(
                "container_number",
                _("Not a valid ISO 6346 number (e.g. CSQU3054383)%(hint)s.")
                % {
                    "hint": _(": the check digit should be %d") % check.expected_check_digit
                    if check.expected_check_digit is not None
                    else ""
                },
            )
        else:
            entry.container_number = check.number
    elif kind == WatchlistKind.ORGANISATION:
        if not org_key(entry.org_name):
            errors.add("org_name", _("An organisation on a list needs its name."))
    elif kind == WatchlistKind.PHONE:
        if not 5 <= len(phone_key(entry.phone)) <= 15:
            errors.add("phone", _("A phone number has 5 to 15 digits."))
    elif kind == WatchlistKind.DOCUMENT:
        entry.doc_number = document_key(entry.doc_number)
        if len(entry.doc_number) < 3:
            errors.add("doc_number", _("A document on a list needs its number."))


def prepare_entry(entry: WatchlistEntry, kind: str, data: dict[str, Any], errors: ErrorBag) -> None:
    """Set the subject and common fields from `data`, normalise, validate, compute the key."""
    for name in ENTRY_FIELDS[kind]:
        if name in data:
            value = data[name]
            setattr(entry, name, _aliases(value) if name == "aliases" else _text(value))
    for name in ("nationality", "country"):
        if name in ENTRY_FIELDS[kind] and getattr(entry, name):
            code = country_code(getattr(entry, name))
            if code is None:
                errors.add(name, _("Unknown country code “%s”.") % getattr(entry, name))
            else:
                setattr(entry, name, code)
    if "reason" in data:
        entry.reason = _text(data["reason"])
    if not entry.reason:
        errors.add("reason", _("Say why the subject is on the list."))
    if "valid_from" in data:
        entry.valid_from = _date(data["valid_from"], "valid_from", errors)
    if "valid_until" in data:
        entry.valid_until = _date(data["valid_until"], "valid_until", errors)
    if entry.valid_from and entry.valid_until and entry.valid_until < entry.valid_from:
        errors.add("valid_until", _("The entry ends before it starts."))
    if "source_office" in data:
        source = data["source_office"]
        if source in (None, ""):
            entry.source_office = None
        elif isinstance(source, Office):
            entry.source_office = source
        else:
            found = Office.objects.filter(pk=str(source)).first()
            if found is None:
                errors.add("source_office", _("Unknown office “%s”.") % source)
            entry.source_office = found
    if kind == WatchlistKind.PERSON:
        _person(entry, errors)
    else:
        _identifiers(kind, entry, errors)
    entry.match_key = match_key(kind, entry)
    model_errors(
        entry,
        errors,
        exclude=[
            "owner_office", "owner_agency", "owner_country", "id", "search_text", "watchlist",
            "counterpart_country", "source_office", "match_key", "reason",
        ],
    )  # fmt: skip


def watchlist_create(*, actor: Any, office: Office | str, data: dict[str, Any]) -> Watchlist:
    office = resolve_office(office)
    require_writer(actor, office)
    errors = ErrorBag()
    wl = Watchlist(
        name=_text(data.get("name")),
        kind=_text(data.get("kind")),
        description=_text(data.get("description")),
    )
    wl.created_by = actor if getattr(actor, "is_authenticated", False) else None
    if not wl.name:
        errors.add("name", _("Give the list a name."))
    if wl.kind not in WatchlistKind.values:
        errors.add("kind", _("Choose what the list holds."))
    apply_sharing(wl, office, data, errors)
    model_errors(wl, errors, exclude=["owner_agency", "owner_country", "counterpart_country"])
    if wl.name and Watchlist.objects.alive().filter(owner_office=office, name=wl.name).exists():
        errors.add("name", _("Your office already has a list of this name."))
    errors.raise_if_any()
    with transaction.atomic():
        wl.save()
        audit_event_record(
            actor=actor,
            action="screening.watchlist.created",
            target=wl,
            data={**wl.sharing_data(), "kind": wl.kind},
        )
    return wl


def _sharing_defaults(watchlist: Watchlist, data: dict[str, Any]) -> dict[str, Any]:
    """The list's sharing, overridden by what `data` gives."""
    out = {n: getattr(watchlist, n) for n in SHARING_FIELDS if n != "counterpart_country"}
    out["counterpart_country"] = watchlist.counterpart_country_id
    out["handling_codes"] = list(watchlist.handling_codes)
    out.update({k: v for k, v in data.items() if k in SHARING_FIELDS})
    return out


def new_entry(
    actor: Any, watchlist: Watchlist, data: dict[str, Any], errors: ErrorBag
) -> WatchlistEntry:
    """An unsaved, validated entry (errors in the bag)."""
    entry = WatchlistEntry(watchlist=watchlist)
    entry.created_by = actor if getattr(actor, "is_authenticated", False) else None
    apply_sharing(entry, watchlist.owner_office, _sharing_defaults(watchlist, data), errors)
    prepare_entry(entry, watchlist.kind, data, errors)
    return entry


def on_list(watchlist: Watchlist) -> Any:
    """The alive entries of a list."""
    return WatchlistEntry.objects.filter(watchlist=watchlist, deleted_at__isnull=True)


def _check_list(actor: Any, watchlist: Watchlist) -> None:
    require_editor(actor, watchlist)
    if watchlist.is_deleted:
        raise ValidationError(_("This list has been deleted."))


def _save_entry(actor: Any, entry: WatchlistEntry, action: str, extra: dict[str, Any]) -> None:
    with transaction.atomic():
        entry.save()
        audit_event_record(
            actor=actor,
            action=action,
            target=entry,
            data={**entry.sharing_data(), "watchlist": str(entry.watchlist_id), **extra},
        )
        index_on_commit(entry, entry.watchlist.kind)


def entry_add(*, actor: Any, watchlist: Watchlist, data: dict[str, Any]) -> WatchlistEntry:
    _check_list(actor, watchlist)
    errors = ErrorBag()
    entry = new_entry(actor, watchlist, data, errors)
    errors.raise_if_any()
    if on_list(watchlist).filter(match_key=entry.match_key).exists():
        raise ValidationError(fields={MAIN_FIELD[watchlist.kind]: [_("Already on this list.")]})
    _save_entry(actor, entry, "screening.entry.added", {})
    return entry


def entity_entry_data(entity: Any) -> dict[str, Any]:
    """The entry fields of a records entity (person, vehicle, container, ...)."""
    kind = entity.kind
    if kind == "person":
        doc = entity.documents.filter(deleted_at__isnull=True).order_by("created_at").first()
        return {
            "name": entity.full_name, "aliases": list(entity.aliases or []), "dob": entity.dob,
            "nationality": entity.nationality, "doc_number": doc.number if doc else "",
        }  # fmt: skip
    if kind == "vehicle":
        return {"plate": entity.plate, "vin": entity.vin, "country": entity.country}
    if kind == "container":
        return {"container_number": entity.number_normalised or entity.number}
    if kind == "organisation":
        return {"org_name": entity.name, "country": entity.country}
    if kind == "phone":
        return {"phone": entity.number, "country": entity.country}
    if kind == "document":
        return {"doc_number": entity.number, "country": entity.issuing_country}
    raise ValidationError(fields={"kind": [_("This kind of record cannot be put on a list.")]})


def entry_from_entity(
    *, actor: Any, entity: Any, watchlist: Watchlist, data: dict[str, Any] | None = None
) -> WatchlistEntry:
    """An entry made from a records entity the actor sees (the page fetched it through the
    records selector). Its sharing is the entity's unless `data` says otherwise; information
    under H2 from another country is not shared wider than its owner shared it."""
    data = dict(data or {})
    _check_list(actor, watchlist)
    if watchlist.kind != entity.kind:
        raise ValidationError(fields={"watchlist": [_("This list holds another kind.")]})
    if entity.is_deleted:
        raise ValidationError(_("A deleted record cannot be put on a list."))
    sharing = {name: getattr(entity, name) for name in SHARING_FIELDS}
    sharing["counterpart_country"] = entity.counterpart_country_id
    sharing.update({k: v for k, v in data.items() if k in SHARING_FIELDS})
    office = watchlist.owner_office
    wider = Distribution.rank(str(sharing["distribution"])) > Distribution.rank(entity.distribution)
    if wider and "H2" in entity.handling_codes and entity.owner_country_id != office.country_id:
        raise ValidationError(
            fields={
                "distribution": [
                    _(
                        "The record is marked H2 by its owner: it cannot be shared wider without "
                        "the owner's permission."
                    )
                ]
            }
        )
    fields = {**entity_entry_data(entity), **{k: v for k, v in data.items() if k in COMMON_FIELDS}}
    errors = ErrorBag()
    entry = WatchlistEntry(watchlist=watchlist, entity_kind=entity.kind, entity_id=entity.pk)
    entry.created_by = actor if getattr(actor, "is_authenticated", False) else None
    apply_sharing(entry, office, sharing, errors)
    prepare_entry(entry, watchlist.kind, fields, errors)
    errors.raise_if_any()
    if on_list(watchlist).filter(match_key=entry.match_key).exists():
        raise ValidationError(fields={"watchlist": [_("Already on this list.")]})
    _save_entry(actor, entry, "screening.entry.added", {"from": f"records.{entity.kind}"})
    return entry


def entry_remove(*, actor: Any, entry: WatchlistEntry, reason: str) -> WatchlistEntry:
    require_editor(actor, entry.watchlist)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(fields={"reason": [_("Say why the entry is removed.")]})
    if entry.is_deleted:
        return entry
    entry.deleted_at = timezone.now()
    entry.deleted_by = actor if getattr(actor, "is_authenticated", False) else None
    entry.deleted_reason = reason
    entry.version += 1
    _save_entry(actor, entry, "screening.entry.removed", {})
    return entry
