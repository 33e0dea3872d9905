"""Input serializers: they check the *shape* of a request (types, lengths, lists of objects).

Values (known commodity, future date, container check digit, ...) are checked by the services, so
the API and the forms give the same message under the same field name (`items[0].quantity`).
Errors of either kind come out in the one error shape, with the same dotted field names.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from blonet.core.choices import Classification, Distribution, SourceReliability
from blonet.core.errors import ValidationError
from blonet.records.choices import (
    Commodity,
    Concealment,
    Conveyance,
    DetectionMethod,
    DocumentKind,
    Gender,
    LinkRole,
    Unit,
)
from blonet.records.models import (
    BankAccount,
    Container,
    Document,
    Organisation,
    Person,
    Phone,
    Seizure,
    SeizureItem,
    Vehicle,
)


class Code(serializers.ChoiceField):
    """A code from a controlled list: documented as an enum, checked by the service."""

    def to_internal_value(self, data: Any) -> Any:
        if data == "" and self.allow_blank:
            return ""
        if isinstance(data, bool) or not isinstance(data, (str, int)):
            self.fail("invalid_choice", input=data)
        return data.strip() if isinstance(data, str) else data


class LocalDateTimeField(serializers.DateTimeField):
    """An ISO 8601 date and time; one without an offset is passed on as written, so that the
    service reads it in the local time of the recording office (as the form does)."""

    def enforce_timezone(self, value: Any) -> Any:
        return value


def text(model: type[models.Model], name: str, **kwargs: Any) -> serializers.CharField:
    """An optional string no longer than the model's column (PostgreSQL refuses longer ones)."""
    field: Any = model._meta.get_field(name)
    kwargs.setdefault("required", False)
    kwargs.setdefault("allow_blank", True)
    if field.max_length:
        kwargs.setdefault("max_length", field.max_length)
    return serializers.CharField(**kwargs)


COUNTRY = _("ISO 3166 alpha-2 (or alpha-3) code, e.g. KZ.")


def flatten_errors(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested errors as flat, dotted names: {"items[0].quantity": ["..."]}."""
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            if isinstance(key, int):
                name = f"{prefix}[{key}]"
            elif key == "non_field_errors":
                name = prefix or "non_field_errors"
            else:
                name = f"{prefix}.{key}" if prefix else str(key)
            for k, v in flatten_errors(value, name).items():
                out.setdefault(k, []).extend(v)
    elif isinstance(detail, list):
        if all(not isinstance(x, (dict, list)) for x in detail):
            if detail:
                out[prefix or "non_field_errors"] = [str(x) for x in detail]
        else:
            for i, value in enumerate(detail):
                for k, v in flatten_errors(value, f"{prefix}[{i}]").items():
                    out.setdefault(k, []).extend(v)
    else:
        out[prefix or "non_field_errors"] = [str(detail)]
    return out


def validated(serializer: serializers.Serializer[Any]) -> dict[str, Any]:
    """The serializer's validated data, or the one error shape with dotted field names."""
    if not serializer.is_valid():
        raise ValidationError(fields=flatten_errors(serializer.errors))
    return dict(serializer.validated_data)


class SharingWriteSerializer(serializers.Serializer[Any]):
    # Owner office and sharing fields, flat, named as the services name them in errors.

    owner_office = serializers.CharField(
        required=False,
        help_text=_("Office id; default: the office of your only posting."),
    )
    distribution = Code(choices=Distribution.choices, required=False)
    counterpart_country = serializers.CharField(
        required=False,
        allow_blank=True,
        allow_null=True,
        max_length=3,
        help_text=_("For bilateral distribution: the other country, e.g. KG."),
    )
    handling_codes = serializers.ListField(
        child=serializers.CharField(max_length=4),
        required=False,
        max_length=4,
        help_text=_("H0 to H3, as in SIENA."),
    )
    handling_conditions = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    source_reliability = Code(choices=SourceReliability.choices, required=False)
    information_accuracy = serializers.CharField(
        required=False, max_length=1, help_text=_("1, 2, 3 or 4.")
    )
    classification = Code(choices=Classification.choices, required=False)


class ItemWriteSerializer(serializers.Serializer[Any]):
    commodity = Code(choices=Commodity.choices)
    quantity = serializers.DecimalField(max_digits=16, decimal_places=3)
    unit = Code(choices=Unit.choices)
    currency = text(SeizureItem, "currency", help_text=_("ISO 4217, for cash, e.g. USD."))
    purity = serializers.DecimalField(
        max_digits=5, decimal_places=2, required=False, allow_null=True
    )
    packaging = text(SeizureItem, "packaging")
    markings = text(SeizureItem, "markings")


class PersonWriteSerializer(serializers.Serializer[Any]):
    full_name = text(Person, "full_name", help_text=_("In any script, family name first."))
    family_name = text(Person, "family_name")
    given_names = text(Person, "given_names")
    patronymic = text(Person, "patronymic")
    aliases = serializers.ListField(
        child=serializers.CharField(max_length=300), required=False, max_length=50
    )
    dob = text(Person, "dob", help_text=_("YYYY, YYYY-MM or YYYY-MM-DD."))
    gender = Code(choices=Gender.choices, required=False, allow_blank=True)
    nationality = text(Person, "nationality", max_length=3, help_text=COUNTRY)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=10000)


class VehicleWriteSerializer(serializers.Serializer[Any]):
    plate = text(Vehicle, "plate")
    country = text(Vehicle, "country", max_length=3, help_text=COUNTRY)
    make = text(Vehicle, "make")
    model = text(Vehicle, "model")
    colour = text(Vehicle, "colour")
    vin = text(Vehicle, "vin")


class OrganisationWriteSerializer(serializers.Serializer[Any]):
    name = text(Organisation, "name")
    country = text(Organisation, "country", max_length=3, help_text=COUNTRY)
    registration_number = text(Organisation, "registration_number")
    legal_form = text(Organisation, "legal_form")


class PhoneWriteSerializer(serializers.Serializer[Any]):
    number = text(Phone, "number")
    country = text(Phone, "country", max_length=3, help_text=COUNTRY)


class DocumentWriteSerializer(serializers.Serializer[Any]):
    document_kind = Code(choices=DocumentKind.choices, required=False)
    number = text(Document, "number")
    issuing_country = text(Document, "issuing_country", max_length=3, help_text=COUNTRY)
    valid_from = serializers.DateField(required=False, allow_null=True)
    valid_until = serializers.DateField(required=False, allow_null=True)


class ContainerWriteSerializer(serializers.Serializer[Any]):
    number = text(Container, "number", help_text=_("ISO 6346, e.g. CSQU3054383."))
    size_type = text(Container, "size_type")


class AccountWriteSerializer(serializers.Serializer[Any]):
    number = text(BankAccount, "number", help_text=_("IBAN or local account number."))
    bank = text(BankAccount, "bank")
    holder_name = text(BankAccount, "holder_name")
    country = text(BankAccount, "country", max_length=3, help_text=COUNTRY)


ENTITY_WRITE: dict[str, type[serializers.Serializer[Any]]] = {
    "person": PersonWriteSerializer,
    "vehicle": VehicleWriteSerializer,
    "organisation": OrganisationWriteSerializer,
    "phone": PhoneWriteSerializer,
    "document": DocumentWriteSerializer,
    "container": ContainerWriteSerializer,
    "account": AccountWriteSerializer,
}


class InvolvementWriteSerializer(serializers.Serializer[Any]):
    """An existing entity by id, or a new one from `data` (the fields of that kind)."""

    kind = serializers.CharField(
        max_length=16,
        help_text=_("person, vehicle, organisation, phone, document, container or account."),
    )
    role = Code(choices=LinkRole.choices, required=False)
    entity = serializers.UUIDField(
        required=False, help_text=_("Id of an existing entity of this kind that you may see.")
    )
    # The API's word for a new entity's fields (DRF pops declared fields from the class, so the
    # serializer's own `.data` is unaffected).
    data = serializers.DictField(  # type: ignore[assignment]
        required=False,
        help_text=_("The fields of a new entity of this kind (as for POST on its endpoint)."),
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        has_entity, has_data = "entity" in attrs, "data" in attrs
        if has_entity == has_data:
            raise serializers.ValidationError(
                {
                    "entity": [
                        _("Give either the id of an existing entity or the data of a new one.")
                    ]
                }
            )
        kind = attrs["kind"]
        if has_data and kind in ENTITY_WRITE:
            inner = ENTITY_WRITE[kind](data=attrs["data"])
            if not inner.is_valid():
                # Named like the service names them: involvements[0].number, not ...data.number.
                raise serializers.ValidationError(inner.errors)
            attrs["data"] = dict(inner.validated_data)
        return attrs


class EventWriteSerializer(SharingWriteSerializer):
    # What seizures and incidents share.

    occurred_at = LocalDateTimeField(
        help_text=_("When; a time without an offset is the local time of the owner office.")
    )
    site = serializers.CharField(
        required=False, allow_blank=True, max_length=80, help_text=_("Site id from the directory.")
    )
    office = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=80,
        help_text=_("Office where it happened, if not the owner."),
    )
    lat = serializers.DecimalField(max_digits=8, decimal_places=5, required=False, allow_null=True)
    lon = serializers.DecimalField(max_digits=8, decimal_places=5, required=False, allow_null=True)
    place = text(Seizure, "place")
    agencies = serializers.ListField(
        child=serializers.CharField(max_length=80),
        required=False,
        max_length=20,
        help_text=_("Ids of the detecting agencies; default: the owner office's agency."),
    )
    narrative = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    involvements = InvolvementWriteSerializer(  # type: ignore[call-arg]  # DRF >= 3.14
        many=True,
        required=False,
        max_length=200,
        help_text=_("Replace the links to entities when given (keep one by giving its id)."),
    )


class SeizureWriteSerializer(EventWriteSerializer):
    """A seizure as recorded: when, where, how, the route, its items and who was involved.
    The owner office and the sharing fields sit at the top level."""

    detection_method = Code(choices=DetectionMethod.choices, required=False, allow_blank=True)
    concealment = Code(choices=Concealment.choices, required=False, allow_blank=True)
    concealment_detail = text(Seizure, "concealment_detail")
    conveyance = Code(choices=Conveyance.choices, required=False, allow_blank=True)
    origin_country = text(Seizure, "origin_country", max_length=3, help_text=COUNTRY)
    transit_countries = serializers.ListField(
        child=serializers.CharField(max_length=3), required=False, max_length=20
    )
    destination_country = text(Seizure, "destination_country", max_length=3, help_text=COUNTRY)
    items = ItemWriteSerializer(  # type: ignore[call-arg]  # DRF >= 3.14 takes max_length
        many=True,
        max_length=100,
        help_text=_("At least one; replace the old items when given on an update."),
    )


class IncidentWriteSerializer(EventWriteSerializer):
    """An incident as recorded; the owner office and the sharing fields sit at the top level."""

    kind = serializers.CharField(
        max_length=24,
        help_text=_(
            "attempted_crossing, shooting, document_fraud, corruption_attempt, "
            "smuggling_attempt, suspicious_activity or other."
        ),
    )


class DeleteSerializer(serializers.Serializer[Any]):
    # Presence is checked by the service, after the permission check, with its own message.
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text=_("Why the record is deleted."),
    )
