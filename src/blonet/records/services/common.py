"""What every record write shares: who may write, the sharing fields, errors, the audit row."""

from __future__ import annotations

import datetime as dt
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


# What `model_errors` checks itself for a field (else it calls Django's `field.clean`).
_TEXT, _WHEN, _INT, _SLOW = 1, 2, 3, 0
_Check = tuple[Any, str, int, "frozenset[Any] | None", bool, bool, "int | None", tuple[Any, ...]]
_PLANS: dict[tuple[Any, frozenset[str]], list[_Check]] = {}


def _field_check(field: Any) -> _Check:
    from django.core import validators
    from django.db import models

    keys: frozenset[Any] | None = None
    if field.choices is not None:
        keys = frozenset(value for value, _label in field.flatchoices)
    kind = _SLOW
    checks = list(field.validators)
    bounds: tuple[Any, ...] = ()
    if type(field) in (models.CharField, models.TextField) and all(
        type(v) is validators.MaxLengthValidator and v.limit_value == field.max_length
        for v in checks
    ):
        if keys is None or all(type(k) is str for k in keys):
            kind = _TEXT
    elif type(field) is models.DateTimeField and not checks and keys is None:
        kind = _WHEN
    elif (
        type(field) in (models.PositiveIntegerField, models.PositiveSmallIntegerField)
        and all(
            type(v) in (validators.MinValueValidator, validators.MaxValueValidator)
            and type(v.limit_value) is int
            for v in checks
        )
        and (keys is None or all(type(k) is int for k in keys))
    ):
        kind = _INT
        bounds = tuple((type(v) is validators.MinValueValidator, v.limit_value) for v in checks)
    return (field, field.attname, kind, keys, field.blank, field.editable, field.max_length,
            bounds)  # fmt: skip


def _plan(model: Any, skip: frozenset[str]) -> list[_Check]:
    """The fields `full_clean(exclude=skip)` would clean, in its order, with their checks."""
    key = (model, skip)
    if key not in _PLANS:
        _PLANS[key] = [
            _field_check(f) for f in model._meta.fields if f.name not in skip and not f.generated
        ]
    return _PLANS[key]


def _passes(check: _Check, value: Any) -> bool:
    """True only where Django's `field.clean(value)` would return `value` itself and raise
    nothing (see `Field.clean`, `validate`, `run_validators`); anything else goes to Django.
    Called for values that are not blank-and-allowed-blank."""
    _field, _attname, kind, keys, _blank, editable, max_length, bounds = check
    if kind == _TEXT:
        if type(value) is not str:
            return False
        if value == "":  # not blank=True here: only a non-editable field skips the check
            return not editable
        if editable and keys is not None and value not in keys:
            return False
        return max_length is None or len(value) <= max_length
    if kind == _WHEN:
        return type(value) is dt.datetime  # `to_python` keeps it; nothing more to check
    if kind == _INT:
        if type(value) is not int:
            return False
        if editable and keys is not None and value not in keys:
            return False
        return all((value >= limit) if is_min else (value <= limit) for is_min, limit in bounds)
    return False


def model_errors(
    record: Any, errors: ErrorBag, prefix: str = "", exclude: list[str] | None = None
) -> None:
    """Django's own field validation (lengths, choices, required), into the bag.

    Relations are left out: the services resolve them themselves (`_resolve_fk`, the owner
    office), and Django would check each one with a query of its own.

    This is `record.full_clean(exclude=..., validate_unique=False,
    validate_constraints=False)` step by step, with the common cases (a string within its
    length and choices, a datetime, an integer within its bounds) checked here instead of
    through Django's per-field machinery (about 100 µs a seizure on an import); every other
    value, and every value that might fail, goes through `field.clean` as in Django, so the
    values kept and the messages are Django's own (`tests/records/test_validation.py`).
    """
    from django.core.exceptions import ValidationError as DjangoValidationError
    from django.db import models
    from django.db.models.expressions import DatabaseDefault

    model = type(record)
    skip = frozenset(exclude or ()) | _relation_fields(model)
    found: dict[str, Any] = {}
    for check in _plan(model, skip):
        field = check[0]
        raw = getattr(record, check[1])
        if (check[4] and raw in field.empty_values) or isinstance(raw, DatabaseDefault):
            continue
        if _passes(check, raw):
            continue
        try:
            setattr(record, check[1], field.clean(raw, record))
        except DjangoValidationError as exc:
            found[field.name] = exc.error_list
    if model.clean is not models.Model.clean:
        try:
            record.clean()
        except DjangoValidationError as exc:
            found = exc.update_error_dict(found)
    if found:
        for field_name, messages in DjangoValidationError(found).message_dict.items():
            for message in messages:
                errors.add(f"{prefix}{field_name}", message)
