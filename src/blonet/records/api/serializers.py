"""Output serializers of the records API: what a caller who may see a record gets back."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from blonet.core.choices import Classification, Distribution, InformationAccuracy, SourceReliability
from blonet.records.choices import Concealment, Conveyance, DetectionMethod, Gender
from blonet.records.models import (
    Attachment,
    BankAccount,
    Container,
    Document,
    Incident,
    Involvement,
    Organisation,
    Person,
    Phone,
    Seizure,
    SeizureItem,
    Vehicle,
)

# kind -> the plural path segment under /api/v1/records/ (and the route name records-<kind>).
ENTITY_ROUTES: dict[str, str] = {
    "person": "persons",
    "vehicle": "vehicles",
    "organisation": "organisations",
    "phone": "phones",
    "document": "documents",
    "container": "containers",
    "account": "accounts",
}
KIND_HELP = _("person, vehicle, organisation, phone, document, container or account.")


def api_url(route: str, pk: Any, context: Mapping[str, Any]) -> str:
    return reverse(f"api:records-{route}-detail", kwargs={"pk": pk}, request=context.get("request"))


class SharingSerializer(serializers.Serializer[Any]):
    """Owner, distribution, handling codes, evaluation and classification of a record."""

    owner_office = serializers.CharField(source="owner_office_id", read_only=True)
    owner_agency = serializers.CharField(source="owner_agency_id", read_only=True)
    owner_country = serializers.CharField(source="owner_country_id", read_only=True)
    distribution = serializers.ChoiceField(choices=Distribution.choices, read_only=True)
    counterpart_country = serializers.CharField(
        source="counterpart_country_id", read_only=True, allow_null=True
    )
    handling_codes = serializers.ListField(child=serializers.CharField(), read_only=True)
    handling_conditions = serializers.CharField(read_only=True)
    source_reliability = serializers.ChoiceField(choices=SourceReliability.choices, read_only=True)
    information_accuracy = serializers.ChoiceField(
        choices=InformationAccuracy.choices, read_only=True
    )
    evaluation = serializers.CharField(read_only=True, help_text=_("e.g. B2."))
    classification = serializers.ChoiceField(choices=Classification.choices, read_only=True)


COMMON = [
    "id", "url", "origin_node", "version", "sharing", "created_at", "updated_at",
    "deleted_at", "deleted_by", "deleted_reason",
]  # fmt: skip


class RecordSerializer(serializers.ModelSerializer[Any]):
    # The fields of every shared record: identity, version, sharing, tombstone.

    sharing = SharingSerializer(source="*", read_only=True)
    deleted_by = serializers.SerializerMethodField()

    def get_deleted_by(self, obj: Any) -> str | None:
        return obj.deleted_by.get_username() if obj.deleted_by_id else None


class EntitySummarySerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField(read_only=True)
    kind = serializers.CharField(read_only=True, help_text=KIND_HELP)
    label = serializers.CharField(read_only=True)  # type: ignore[assignment]
    url = serializers.SerializerMethodField()
    deleted = serializers.SerializerMethodField()

    def get_url(self, obj: Any) -> str:
        return api_url(obj.kind, obj.pk, self.context)

    def get_deleted(self, obj: Any) -> bool:
        return obj.deleted_at is not None


class InvolvementSerializer(serializers.ModelSerializer[Involvement]):
    kind = serializers.CharField(source="entity_kind", read_only=True, help_text=KIND_HELP)
    entity = serializers.SerializerMethodField(
        help_text=_("Null when the entity is not shared with you.")
    )

    class Meta:
        model = Involvement
        fields = ["role", "kind", "entity", "note"]

    @extend_schema_field(EntitySummarySerializer(allow_null=True))
    def get_entity(self, obj: Involvement) -> dict[str, Any] | None:
        entity = obj.entity
        visible = self.context.get("visible_entities")
        if entity is None or (visible is not None and (entity.kind, entity.pk) not in visible):
            return None
        return dict(EntitySummarySerializer(entity, context=self.context).data)


class ItemSerializer(serializers.ModelSerializer[SeizureItem]):
    class Meta:
        model = SeizureItem
        fields = [
            "position", "commodity", "quantity", "unit", "currency", "quantity_kg",
            "quantity_units", "purity", "packaging", "markings",
        ]  # fmt: skip
        read_only_fields = fields


class AttachmentSerializer(serializers.ModelSerializer[Attachment]):
    class Meta:
        model = Attachment
        fields = ["id", "kind", "filename", "content_type", "size", "description", "uploaded_at"]
        read_only_fields = fields


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class AgencyIdsField(serializers.Field):  # type: ignore[type-arg]
    """The ids of a record's detecting agencies (prefetched)."""

    def to_representation(self, value: Any) -> list[str]:
        return [a.pk for a in value.all()]


EVENT_FIELDS = [
    "reference", "occurred_at", "site", "office", "place", "lat", "lon", "agencies",
]  # fmt: skip
SEIZURE_LIST_FIELDS = [
    *EVENT_FIELDS, "detection_method", "concealment", "conveyance", "origin_country",
    "transit_countries", "destination_country", "total_kg", "items",
]  # fmt: skip


def _blank_choices(choices: Any) -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=choices, allow_blank=True, read_only=True)


class SeizureSummarySerializer(RecordSerializer):
    """A seizure in a list: its items, without the entities involved."""

    url = serializers.SerializerMethodField()
    agencies = AgencyIdsField(read_only=True, help_text=_("Ids of the detecting agencies."))
    detection_method = _blank_choices(DetectionMethod.choices)
    concealment = _blank_choices(Concealment.choices)
    conveyance = _blank_choices(Conveyance.choices)
    transit_countries = serializers.ListField(child=serializers.CharField(), read_only=True)
    items = ItemSerializer(many=True, read_only=True)

    class Meta:
        model = Seizure
        fields = [*COMMON, *SEIZURE_LIST_FIELDS]
        read_only_fields = fields

    def get_url(self, obj: Any) -> str:
        return api_url("seizure", obj.pk, self.context)


class EventDetailMixin(serializers.Serializer[Any]):
    involvements = InvolvementSerializer(many=True, read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)
    created_by = serializers.SerializerMethodField()

    def get_created_by(self, obj: Any) -> str | None:
        return obj.created_by.get_username() if obj.created_by_id else None


class SeizureSerializer(EventDetailMixin, SeizureSummarySerializer):
    """A seizure with its items, the entities involved (with their role) and attachments."""

    class Meta:
        model = Seizure
        fields = [
            *COMMON, *SEIZURE_LIST_FIELDS, "concealment_detail", "narrative",
            "involvements", "attachments", "created_by",
        ]  # fmt: skip
        read_only_fields = fields


class IncidentSummarySerializer(RecordSerializer):
    """An incident in a list."""

    url = serializers.SerializerMethodField()
    kind = serializers.CharField(read_only=True, help_text=_("The kind of incident."))
    agencies = AgencyIdsField(read_only=True, help_text=_("Ids of the detecting agencies."))

    class Meta:
        model = Incident
        fields = [*COMMON, "kind", *EVENT_FIELDS]
        read_only_fields = fields

    def get_url(self, obj: Any) -> str:
        return api_url("incident", obj.pk, self.context)


class IncidentSerializer(EventDetailMixin, IncidentSummarySerializer):
    """An incident with the entities involved (with their role) and attachments."""

    class Meta:
        model = Incident
        fields = [
            *COMMON, "kind", *EVENT_FIELDS, "narrative", "involvements",
            "attachments", "created_by",
        ]  # fmt: skip
        read_only_fields = fields


class AppearanceSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField(read_only=True)
    url = serializers.CharField(read_only=True)
    reference = serializers.CharField(read_only=True)
    occurred_at = serializers.DateTimeField(read_only=True)
    roles = serializers.ListField(child=serializers.CharField(), read_only=True)


class AppearancesSerializer(serializers.Serializer[Any]):
    seizures = AppearanceSerializer(many=True, read_only=True)
    seizures_total = serializers.IntegerField(read_only=True)
    incidents = AppearanceSerializer(many=True, read_only=True)
    incidents_total = serializers.IntegerField(read_only=True)


class EntitySummarySerializerBase(RecordSerializer):
    url = serializers.SerializerMethodField()
    kind = serializers.CharField(read_only=True, help_text=KIND_HELP)
    label = serializers.CharField(read_only=True)  # type: ignore[assignment]

    def get_url(self, obj: Any) -> str:
        return api_url(obj.kind, obj.pk, self.context)


class EntityDetailMixin(serializers.Serializer[Any]):
    appearances = serializers.SerializerMethodField(
        help_text=_("The seizures and incidents it appears in that you may see, newest first.")
    )

    @extend_schema_field(AppearancesSerializer)
    def get_appearances(self, obj: Any) -> dict[str, Any]:
        return dict(self.context.get("appearances") or {})


ENTITY_OWN_FIELDS: dict[str, tuple[Any, list[str]]] = {
    "person": (
        Person,
        [
            "full_name", "family_name", "given_names", "patronymic", "name_latin", "aliases",
            "dob", "gender", "nationality", "notes",
        ],
    ),
    "vehicle": (
        Vehicle, ["plate", "plate_normalised", "country", "make", "model", "colour", "vin"]
    ),
    "organisation": (Organisation, ["name", "country", "registration_number", "legal_form"]),
    "phone": (Phone, ["number", "number_normalised", "country"]),
    "document": (
        Document,
        ["document_kind", "number", "number_normalised", "issuing_country", "valid_from",
         "valid_until"],
    ),
    "container": (Container, ["number", "number_normalised", "size_type"]),
    "account": (
        BankAccount, ["number", "number_normalised", "is_iban", "bank", "holder_name", "country"]
    ),
}  # fmt: skip


def _entity_serializer(kind: str, *, detail: bool) -> type[RecordSerializer]:
    model, own = ENTITY_OWN_FIELDS[kind]
    fields = [*COMMON, "kind", "label", *own, *(["appearances"] if detail else [])]
    meta = type("Meta", (), {"model": model, "fields": fields, "read_only_fields": fields})
    name = f"{model.__name__}{'' if detail else 'Summary'}Serializer"
    doc = (
        "With the seizures and incidents it appears in that you may see."
        if detail
        else "In a list."
    )
    bases: tuple[type, ...] = (
        (EntityDetailMixin, EntitySummarySerializerBase)
        if detail
        else (EntitySummarySerializerBase,)
    )
    attrs: dict[str, Any] = {"Meta": meta, "__module__": __name__, "__doc__": doc}
    if kind == "person":
        attrs["gender"] = _blank_choices(Gender.choices)
        attrs["aliases"] = serializers.ListField(child=serializers.CharField(), read_only=True)
    return type(name, bases, attrs)


ENTITY_SUMMARY: dict[str, type[RecordSerializer]] = {
    kind: _entity_serializer(kind, detail=False) for kind in ENTITY_OWN_FIELDS
}
ENTITY_DETAIL: dict[str, type[RecordSerializer]] = {
    kind: _entity_serializer(kind, detail=True) for kind in ENTITY_OWN_FIELDS
}


class VersionSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(read_only=True)
    when = serializers.DateTimeField(read_only=True)
    who = serializers.CharField(read_only=True, allow_null=True, help_text=_("Username."))
    change = serializers.CharField(read_only=True, help_text=_("created, changed or deleted."))
    changed_fields = serializers.ListField(child=serializers.CharField(), read_only=True)
