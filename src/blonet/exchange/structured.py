"""Message templates: structured fields, validated per template, stored as JSON.

Values are stored language-neutral (codes, ISO dates, numbers as strings, names as written) and
shown to each reader in their own UI language: labels and vocabularies translated, names also
transliterated into the reader's script, dates in the reader's format.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from blonet.directory.models import country_name
from blonet.exchange.choices import MessageKind
from blonet.exchange.language import name_transliteration
from blonet.records.choices import Commodity, Conveyance, Unit
from blonet.records.normalise import normalise_plate, partial_date

MAX_LIST = 20
MAX_TEXT = 200


@dataclass(frozen=True)
class Field:
    name: str
    label: Promise
    type: str
    required: bool = False
    help: Promise | str = ""


@dataclass(frozen=True)
class MessageTemplate:
    code: str
    label: Promise
    kinds: tuple[str, ...]
    fields: tuple[Field, ...]

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)


L = gettext_lazy
VEHICLE_ALERT = MessageTemplate(
    "vehicle_alert",
    L("Vehicle alert"),
    (MessageKind.ALERT, MessageKind.RFI, MessageKind.JOINT_ACTION),
    (
        Field("plate", L("Plate"), "plate", required=True),
        Field("vehicle_country", L("Country of registration"), "country"),
        Field("make_model", L("Make and model"), "text"),
        Field("colour", L("Colour"), "text"),
        Field("driver", L("Driver"), "name", help=L("As written, in any script.")),
        Field("passengers", L("Passengers"), "names", help=L("One name per line.")),
        Field("commodity", L("Suspected goods"), "commodity"),
        Field("quantity", L("Quantity"), "quantity"),
        Field("unit", L("Unit"), "unit"),
        Field("place", L("Last seen, direction"), "text"),
        Field("expected_at", L("Expected at your post"), "datetime"),
    ),
)
PERSON_CHECK = MessageTemplate(
    "person_check",
    L("Person check"),
    (MessageKind.RFI, MessageKind.ALERT),
    (
        Field("full_name", L("Name as written"), "name", required=True),
        Field("dob", L("Date of birth"), "partial_date", help=L("YYYY, YYYY-MM or YYYY-MM-DD.")),
        Field("nationality", L("Nationality"), "country"),
        Field("document_number", L("Document number"), "text"),
        Field("plate", L("Vehicle plate"), "plate"),
        Field("place", L("Place"), "text"),
        Field("expected_at", L("Expected crossing"), "datetime"),
    ),
)
SEIZURE_NOTIFICATION = MessageTemplate(
    "seizure_notification",
    L("Seizure notification"),
    (MessageKind.SEIZURE_NOTIFICATION,),
    (
        Field("reference", L("Seizure reference"), "text", required=True),
        Field("occurred_at", L("When"), "datetime", required=True),
        Field("place", L("Where"), "text"),
        Field("conveyance", L("Conveyance"), "conveyance"),
        Field("items", L("Seized"), "items", required=True),
        Field("persons", L("Persons"), "names"),
        Field("plates", L("Vehicles"), "plates"),
        Field("route", L("Route"), "countries"),
    ),
)
ITEM_FIELDS = (
    Field("commodity", L("Commodity"), "commodity"),
    Field("quantity", L("Quantity"), "quantity"),
    Field("unit", L("Unit"), "unit"),
)
TEMPLATES: dict[str, MessageTemplate] = {
    t.code: t for t in (VEHICLE_ALERT, PERSON_CHECK, SEIZURE_NOTIFICATION)
}
# Templates an officer picks in the compose form (the seizure notification comes from a record).
COMPOSE_TEMPLATES = (VEHICLE_ALERT, PERSON_CHECK)


def _lines(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        parts = value.replace(";", "\n").splitlines()
    elif isinstance(value, (list, tuple)):
        parts = [str(v) for v in value if not isinstance(v, (dict, list))]
    else:
        parts = [str(value)]
    return [p.strip() for p in parts if p.strip()]


def _plain(value: str, name: str, errors: Any) -> str:
    if "<" in value or ">" in value:
        errors.add(name, _("Structured fields take plain values: remove “<” and “>”."))
    return value


def _clean_one(field: Field, raw: Any, key: str, errors: Any) -> Any:
    t = field.type
    if t == "items":
        return _clean_items(raw, key, errors)
    if t in {"names", "plates", "countries"}:
        values = _lines(raw)
        if len(values) > MAX_LIST:
            errors.add(key, _("At most %d entries.") % MAX_LIST)
            return []
        out = []
        for v in values:
            sub = Field(
                field.name, field.label, {"names": "name", "plates": "plate"}.get(t, "country")
            )
            cleaned = _clean_one(sub, v, key, errors)
            if cleaned:
                out.append(cleaned)
        return out
    if isinstance(raw, (dict, list)):
        errors.add(key, _("Give one value."))
        return ""
    value = str(raw if raw is not None else "").strip()
    if not value:
        return ""
    if len(value) > MAX_TEXT:
        errors.add(key, _("At most %d characters.") % MAX_TEXT)
        return ""
    _plain(value, key, errors)
    if t in {"text", "name"}:
        return value
    if t == "plate":
        if not normalise_plate(value):
            errors.add(key, _("“%s” is not a plate number.") % value)
        return value
    if t == "country":
        code = value.upper()
        if len(code) != 2 or not code.isalpha() or country_name(code) == code:
            errors.add(key, _("Give the country as an ISO 3166 code, e.g. KZ."))
        return code
    if t == "partial_date":
        parsed = partial_date(value)
        if parsed is None:
            errors.add(key, _("Write the date as YYYY, YYYY-MM or YYYY-MM-DD."))
            return value
        return parsed[0]
    if t == "datetime":
        return _clean_datetime(value, key, errors)
    if t == "quantity":
        try:
            number = Decimal(value.replace(",", ".").replace(" ", ""))
        except InvalidOperation:
            errors.add(key, _("The quantity is not a number."))
            return ""
        if not number.is_finite() or number <= 0:
            errors.add(key, _("The quantity must be more than zero."))
            return ""
        return format(number.normalize(), "f")
    choices = {"commodity": Commodity, "unit": Unit, "conveyance": Conveyance}[t]
    if value not in choices.values:
        errors.add(key, _("Unknown value “%s”.") % value)
    return value


def _clean_datetime(value: str, key: str, errors: Any) -> str:
    parsed = parse_datetime(value.replace(" ", "T", 1) if "T" not in value else value)
    if parsed is None:
        errors.add(key, _("Write the time as YYYY-MM-DD HH:MM."))
        return ""
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed.astimezone(dt.UTC).isoformat()


def _clean_items(raw: Any, key: str, errors: Any) -> list[dict[str, str]]:
    if not isinstance(raw, list):
        errors.add(key, _("Give the items as a list."))
        return []
    out = []
    for i, item in enumerate(raw[:MAX_LIST]):
        if not isinstance(item, dict):
            errors.add(f"{key}[{i}]", _("Give the commodity, quantity and unit."))
            continue
        row = {}
        for field in ITEM_FIELDS:
            name = field.name
            where = f"{key}[{i}].{name}"
            row[name] = _clean_one(field, item.get(name), where, errors)
            if not row[name] and where not in errors.fields:
                errors.add(where, _("This field is required."))
        out.append(row)
    return out


def clean_structured(template_code: str, kind: str, data: Any, errors: Any) -> dict[str, Any]:
    """Validated, language-neutral structured fields; problems go into `errors`."""
    if not template_code:
        if data:
            errors.add("template", _("Structured fields need a template."))
        return {}
    template = TEMPLATES.get(template_code)
    if template is None:
        errors.add("template", _("Unknown template “%s”.") % template_code)
        return {}
    if kind not in template.kinds:
        errors.add("template", _("This template is not for this kind of message."))
    if data is None:
        data = {}
    if not isinstance(data, dict):
        errors.add("structured", _("Give the structured fields as an object."))
        return {}
    unknown = sorted(set(data) - {f.name for f in template.fields})
    for name in unknown:
        errors.add(f"structured.{name}", _("Not a field of this template."))
    cleaned: dict[str, Any] = {}
    for field in template.fields:
        key = f"structured.{field.name}"
        value = _clean_one(field, data.get(field.name), key, errors)
        if value in ("", [], None):
            if field.required and key not in errors.fields:
                errors.add(key, _("This field is required."))
            continue
        cleaned[field.name] = value
    return cleaned


# ----------------------------------------------------------------------------- display


def _show_datetime(value: str) -> str:
    parsed = parse_datetime(value)
    if parsed is None:
        return value
    return formats.date_format(timezone.localtime(parsed), "SHORT_DATETIME_FORMAT")


def _label(choices: Any, value: str) -> str:
    return str(dict(choices.choices).get(value, value))


def _show(t: str, value: Any, language: str | None) -> tuple[str, str]:
    """(value in the reader's language, transliteration or "")."""
    if t == "name":
        return value, name_transliteration(value, language)
    if t == "plate":
        normal = normalise_plate(value)
        return value, normal if normal and normal != value.replace(" ", "").upper() else ""
    if t == "country":
        return f"{country_name(value, language)} ({value})", ""
    if t == "datetime":
        return _show_datetime(value), ""
    if t == "quantity":
        return formats.number_format(Decimal(value), use_l10n=True), ""
    if t == "commodity":
        return _label(Commodity, value), ""
    if t == "unit":
        return _label(Unit, value), ""
    if t == "conveyance":
        return _label(Conveyance, value), ""
    return str(value), ""


def display_fields(
    template_code: str, data: dict[str, Any], language: str | None = None
) -> list[dict[str, Any]]:
    """[{label, values: [(shown, transliteration)]}] in the reader's language, template order."""
    template = TEMPLATES.get(template_code)
    if template is None or not isinstance(data, dict):
        return []
    rows = []
    for field in template.fields:
        if field.name not in data:
            continue
        value = data[field.name]
        if field.type == "items":
            shown = [
                (
                    f"{_label(Commodity, i.get('commodity', ''))} "
                    f"{formats.number_format(Decimal(i.get('quantity') or 0), use_l10n=True)} "
                    f"{_label(Unit, i.get('unit', ''))}",
                    "",
                )
                for i in value
            ]
        elif field.type in {"names", "plates", "countries"}:
            single = {"names": "name", "plates": "plate", "countries": "country"}[field.type]
            shown = [_show(single, v, language) for v in value]
        else:
            shown = [_show(field.type, value, language)]
        rows.append({"name": field.name, "label": str(field.label), "values": shown})
    return rows


def summary_words(template_code: str, data: dict[str, Any]) -> tuple[list[str], list[str]]:
    """(names, codes) of the structured fields, for the message's search text."""
    template = TEMPLATES.get(template_code)
    names: list[str] = []
    codes: list[str] = []
    if template is None:
        return names, codes
    for field in template.fields:
        value = data.get(field.name)
        if not value:
            continue
        if field.type == "name":
            names.append(value)
        elif field.type == "names":
            names.extend(value)
        elif field.type == "plate":
            codes.append(normalise_plate(value))
        elif field.type == "plates":
            codes.extend(normalise_plate(v) for v in value)
        elif field.type in {"text", "commodity"}:
            codes.append(str(value))
    return names, codes
