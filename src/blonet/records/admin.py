"""Read-only admin views of the register: writes go through the services (and their audit), and
reads through the one access rule, here as everywhere."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

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

SHARING = ("owner_office", "distribution", "classification", "version", "deleted_at")


class ReadOnlyRecordAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """No add, change or delete here; the list shows only what the user may see."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).visible_to(request.user)  # type: ignore[attr-defined]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Seizure)
class SeizureAdmin(ReadOnlyRecordAdmin):
    list_display = ("reference", "occurred_at", "site", "conveyance", "total_kg", *SHARING)
    list_filter = ("distribution", "conveyance", "owner_country")
    search_fields = ("reference", "place", "narrative")
    date_hierarchy = "occurred_at"
    list_select_related = ("site", "owner_office")


@admin.register(Incident)
class IncidentAdmin(ReadOnlyRecordAdmin):
    list_display = ("reference", "occurred_at", "kind", "site", *SHARING)
    list_filter = ("distribution", "kind", "owner_country")
    search_fields = ("reference", "place", "narrative")
    date_hierarchy = "occurred_at"
    list_select_related = ("site", "owner_office")


@admin.register(SeizureItem)
class SeizureItemAdmin(ReadOnlyRecordAdmin):
    list_display = ("seizure", "commodity", "quantity", "unit", "quantity_kg", "markings")
    list_filter = ("commodity", "unit")
    search_fields = ("seizure__reference", "markings", "packaging")
    list_select_related = ("seizure",)


@admin.register(Involvement)
class InvolvementAdmin(ReadOnlyRecordAdmin):
    list_display = ("__str__", "seizure", "incident", "role")
    list_filter = ("role",)
    search_fields = ("seizure__reference", "incident__reference")
    list_select_related = (
        "seizure", "incident", "person", "vehicle", "organisation", "phone", "document",
        "container", "account",
    )  # fmt: skip


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyRecordAdmin):
    list_display = ("filename", "kind", "content_type", "size", "seizure", "incident")
    list_filter = ("kind",)
    search_fields = ("filename", "sha256")
    list_select_related = ("seizure", "incident")


@admin.register(Person)
class PersonAdmin(ReadOnlyRecordAdmin):
    list_display = ("full_name", "name_latin", "dob", "nationality", *SHARING)
    list_filter = ("nationality", "distribution")
    search_fields = ("full_name", "name_latin", "family_name")


@admin.register(Vehicle)
class VehicleAdmin(ReadOnlyRecordAdmin):
    list_display = ("plate", "plate_normalised", "country", "make", "model", "vin", *SHARING)
    list_filter = ("country",)
    search_fields = ("plate", "plate_normalised", "vin")


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyRecordAdmin):
    list_display = ("name", "country", "registration_number", *SHARING)
    list_filter = ("country",)
    search_fields = ("name", "registration_number")


@admin.register(Phone)
class PhoneAdmin(ReadOnlyRecordAdmin):
    list_display = ("number", "number_normalised", "country", *SHARING)
    search_fields = ("number", "number_normalised")


@admin.register(Document)
class DocumentAdmin(ReadOnlyRecordAdmin):
    list_display = ("document_kind", "number", "issuing_country", "valid_until", *SHARING)
    list_filter = ("document_kind", "issuing_country")
    search_fields = ("number", "number_normalised")


@admin.register(Container)
class ContainerAdmin(ReadOnlyRecordAdmin):
    list_display = ("number_normalised", "size_type", *SHARING)
    search_fields = ("number", "number_normalised")


@admin.register(BankAccount)
class BankAccountAdmin(ReadOnlyRecordAdmin):
    list_display = ("number", "bank", "holder_name", "country", *SHARING)
    search_fields = ("number", "number_normalised", "holder_name")
