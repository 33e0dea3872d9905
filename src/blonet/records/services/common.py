"""What every record write shares: who may write, the sharing fields, errors, the audit row."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from blonet.core.access import access_of
from blonet.core.choices import (
    Classification,
    Distribution,
    HandlingCode,
    InformationAccuracy,
    SourceReliability,
)
from blonet.core.errors import NotFound, PermissionDenied, ValidationError
from blonet.directory.models import Country, Office
from blonet.records.models.base import SHARING_FIELDS, SharedRecord
from blonet.records.querysets import OPERATIONAL_ROLES

Errors = dict[str, list[str]]


class ErrorBag:
    """Collects field-level messages, then raises them all at once."""

    def __init__(self) -> None:
        self.fields: Errors = {}

    def add(self, field: str, message: str) -> None:
        self.fields.setdefault(field, []).append(str(message))

    def merge(self, prefix: str, fields: Errors) -> None:
        for name, messages in fields.items():
            for message in messages:
                self.add(f"{prefix}{name}", message)

    def raise_if_any(self) -> None:
        if self.fields:
            raise ValidationError(fields=self.fields)


def require_writer(actor: Any, office: Office) -> None:
    """The actor holds an operational posting in `office` (None: the node's own commands)."""
    if actor is None:
        return
    access = access_of(actor)
    if not access.authenticated:
        raise PermissionDenied()
    if office.pk not in access.office_ids or not (access.roles & OPERATIONAL_ROLES):
        raise PermissionDenied(_("You may record only for an office you are posted to."))


def require_editor(actor: Any, record: SharedRecord) -> None:
    """Edits are for the owner office's staff, or a node administrator of the owner country.

    A copy received from another node is read-only here: only its owner node changes it.
    """
    from django.conf import settings

    if record.origin_node != settings.BLONET_NODE:
        raise PermissionDenied(
            _("This record is a read-only copy from node %s; only its owner can change it.")
            % record.origin_node
        )
    if actor is None:
        return
    access = access_of(actor)
    if record.owner_office_id in access.office_ids and access.roles & OPERATIONAL_ROLES:
        return
    if "node_admin" in access.roles and record.owner_country_id in access.country_codes:
        return
    raise PermissionDenied(_("Only the owner office may change this record."))


def get_visible(model: type[SharedRecord], actor: Any, pk: Any) -> Any:
    from blonet.records.normalise import as_uuid

    key = as_uuid(pk)
    qs = model.objects.all() if actor is None else model.objects.visible_to(actor)
    obj = qs.filter(pk=key).first() if key is not None else None
    if obj is None:
        raise NotFound()
    return obj


def resolve_office(office: Office | str) -> Office:
    if isinstance(office, Office):
        return office
    found = Office.objects.select_related("agency").filter(pk=office).first()
    if found is None:
        raise ValidationError(fields={"owner_office": [_("Unknown office “%s”.") % office]})
    return found


def apply_sharing(
    record: SharedRecord,
    office: Office,
    data: dict[str, Any],
    errors: ErrorBag,
    *,
    checked: bool = False,
) -> None:
    """Owner fields from the office; sharing fields from `data`, checked (`checked`: the
    values come from a record already validated, e.g. an entity created with its seizure)."""
    record.owner_office = office
    record.owner_agency_id = office.agency_id
    record.owner_country_id = office.country_id
    for name in SHARING_FIELDS:
        if name in data:
            value = data[name]
            if name == "counterpart_country":
                name = "counterpart_country_id"
                value = getattr(value, "pk", value) or None
            setattr(record, name, value)
    if record.distribution not in Distribution.values:
        errors.add("distribution", _("Unknown distribution level."))
    if record.distribution == Distribution.BILATERAL:
        cc = record.counterpart_country_id
        if not cc:
            errors.add("counterpart_country", _("Bilateral distribution needs the other country."))
        elif cc == office.country_id:
            errors.add("counterpart_country", _("The other country cannot be your own."))
        elif not checked and not Country.objects.filter(pk=cc).exists():
            errors.add("counterpart_country", _("Unknown country “%s”.") % cc)
    else:
        record.counterpart_country_id = None
    codes = record.handling_codes
    if isinstance(codes, str):
        codes = [c.strip().upper() for c in codes.replace(";", ",").split(",") if c.strip()]
    codes = sorted(dict.fromkeys(str(c).upper() for c in (codes or [])))
    bad = [c for c in codes if c not in HandlingCode.values]
    if bad:
        errors.add("handling_codes", _("Unknown handling code: %s.") % ", ".join(bad))
    record.handling_codes = [c for c in codes if c in HandlingCode.values]
    if "H3" in record.handling_codes and not (record.handling_conditions or "").strip():
        errors.add("handling_conditions", _("H3 needs its restrictions written out."))
    if record.source_reliability not in SourceReliability.values:
        errors.add("source_reliability", _("Source reliability is A, B, C or X."))
    if str(record.information_accuracy) not in InformationAccuracy.values:
        errors.add("information_accuracy", _("Information accuracy is 1, 2, 3 or 4."))
    try:
        record.classification = int(record.classification)
    except (TypeError, ValueError):
        errors.add("classification", _("Unknown classification."))
    else:
        if record.classification not in Classification.values:
            errors.add("classification", _("Unknown classification."))


_RELATIONS: dict[Any, frozenset[str]] = {}


def _relation_fields(model: Any) -> frozenset[str]:
    if model not in _RELATIONS:
        _RELATIONS[model] = frozenset(f.name for f in model._meta.concrete_fields if f.is_relation)
    return _RELATIONS[model]


def model_errors(
    record: Any, errors: ErrorBag, prefix: str = "", exclude: list[str] | None = None
) -> None:
    """Django's own field validation (lengths, choices, required), into the bag.

    Relations are left out: the services resolve them themselves (`_resolve_fk`, the owner
    office), and Django would check each one with a query of its own."""
    from django.core.exceptions import ValidationError as DjangoValidationError

    skip = set(exclude or []) | _relation_fields(type(record))
    try:
        record.full_clean(exclude=skip, validate_unique=False, validate_constraints=False)
    except DjangoValidationError as exc:
        for field, messages in exc.message_dict.items():
            for message in messages:
                errors.add(f"{prefix}{field}", message)
