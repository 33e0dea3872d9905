"""Seizures, incidents, their items, links to entities and attachments."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from blonet.records.choices import (
    AttachmentKind,
    Commodity,
    Concealment,
    Conveyance,
    DetectionMethod,
    IncidentKind,
    LinkRole,
    Unit,
)
from blonet.records.models.base import ChoiceLabels, SharedRecord
from blonet.records.models.entities import (
    BankAccount,
    Container,
    Document,
    Organisation,
    Person,
    Phone,
    Vehicle,
)
from blonet.records.querysets import ChildQuerySet

ENTITY_FIELDS = ("person", "vehicle", "organisation", "phone", "document", "container", "account")


class Event(SharedRecord):
    """What seizures and incidents share: when, where, who detected it, the route."""

    reference = models.CharField(_("reference"), max_length=40, unique=True, editable=False)
    occurred_at = models.DateTimeField(_("when"), help_text=_("Local time of the post."))
    site = models.ForeignKey(
        "directory.Site",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("site"),
    )
    office = models.ForeignKey(
        "directory.Office",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("office"),
        help_text=_("The office where it happened, if not the owner."),
    )
    lat = models.DecimalField(_("latitude"), max_digits=8, decimal_places=5, null=True, blank=True)
    lon = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5, null=True, blank=True)
    place = models.CharField(
        _("place"),
        max_length=200,
        blank=True,
        help_text=_("e.g. green border 3 km east of the post."),
    )
    agencies = models.ManyToManyField(
        "directory.Agency", related_name="+", verbose_name=_("detecting agencies"), blank=True
    )
    narrative = models.TextField(_("narrative"), blank=True)
    # Stable key of an imported row group, so that re-importing a file adds nothing.
    import_key = models.CharField(max_length=64, blank=True, editable=False)

    class Meta(SharedRecord.Meta):
        abstract = True

    @property
    def where(self) -> str:
        if self.site_id:
            return str(self.site)
        if self.lat is not None and self.lon is not None:
            return f"{self.lat}, {self.lon}"
        return self.place


class Seizure(Event):
    detection_method = models.CharField(
        _("how detected"), max_length=24, choices=DetectionMethod.choices, blank=True
    )
    concealment = models.CharField(
        _("concealment"), max_length=24, choices=Concealment.choices, blank=True
    )
    concealment_detail = models.CharField(_("concealment details"), max_length=300, blank=True)
    conveyance = models.CharField(
        _("conveyance"), max_length=16, choices=Conveyance.choices, blank=True
    )
    origin_country = models.CharField(_("origin country"), max_length=2, blank=True)
    transit_countries = models.JSONField(_("transit countries"), default=list, blank=True)
    destination_country = models.CharField(_("intended destination"), max_length=2, blank=True)
    # Denormalised from the items by the services, for sorting and statistics.
    total_kg = models.DecimalField(
        _("total kg"), max_digits=16, decimal_places=3, default=0, editable=False
    )
    commodities = models.CharField(max_length=300, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["search_text", "updated_at", "import_key"])

    class Meta:
        verbose_name = _("seizure")
        verbose_name_plural = _("seizures")
        ordering = ["-occurred_at", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner_office", "import_key"],
                condition=~Q(import_key=""),
                name="seizure_import_key_unique",
            )
        ]
        indexes = [
            models.Index(fields=["-occurred_at"], name="seizure_occurred"),
            models.Index(fields=["owner_country", "-occurred_at"], name="seizure_country_occ"),
            models.Index(fields=["site", "-occurred_at"], name="seizure_site_occ"),
            models.Index(fields=["conveyance", "-occurred_at"], name="seizure_conv_occ"),
            models.Index(fields=["distribution", "-occurred_at"], name="seizure_dist_occ"),
            models.Index(fields=["-total_kg"], name="seizure_total_kg"),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("records:seizure_detail", args=[self.pk])

    @property
    def route(self) -> list[str]:
        return [
            c for c in [self.origin_country, *self.transit_countries, self.destination_country] if c
        ]


class SeizureItem(ChoiceLabels, models.Model):
    seizure = models.ForeignKey(
        Seizure, on_delete=models.CASCADE, related_name="items", verbose_name=_("seizure")
    )
    position = models.PositiveSmallIntegerField(default=0)
    commodity = models.CharField(_("commodity"), max_length=24, choices=Commodity.choices)
    quantity = models.DecimalField(_("quantity"), max_digits=16, decimal_places=3)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)
    currency = models.CharField(
        _("currency"), max_length=3, blank=True, help_text=_("ISO 4217, for cash, e.g. USD.")
    )
    quantity_kg = models.DecimalField(
        _("kg"), max_digits=16, decimal_places=3, null=True, blank=True, editable=False
    )
    quantity_units = models.DecimalField(
        _("units"), max_digits=16, decimal_places=3, null=True, blank=True, editable=False
    )
    purity = models.DecimalField(
        _("purity %"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    packaging = models.CharField(_("packaging"), max_length=200, blank=True)
    markings = models.CharField(
        _("markings"), max_length=200, blank=True, help_text=_("Logos or stamps on the packages.")
    )

    objects = ChildQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["seizure", "position", "pk"]
        indexes = [models.Index(fields=["commodity", "seizure"], name="item_commodity")]

    def __str__(self) -> str:
        return f"{self.get_commodity_display()} {self.quantity} {self.get_unit_display()}"


class Incident(Event):
    kind = models.CharField(_("kind of incident"), max_length=24, choices=IncidentKind.choices)

    history = HistoricalRecords(excluded_fields=["search_text", "updated_at", "import_key"])

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-occurred_at", "-created_at"]
        indexes = [
            models.Index(fields=["-occurred_at"], name="incident_occurred"),
            models.Index(fields=["owner_country", "-occurred_at"], name="incident_country_occ"),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("records:incident_detail", args=[self.pk])


class InvolvementQuerySet(ChildQuerySet):
    parent_prefixes = ("seizure__", "incident__")


class Involvement(ChoiceLabels, models.Model):
    """An entity's part in a seizure or an incident (courier, driver, owner, ...)."""

    seizure = models.ForeignKey(
        Seizure, on_delete=models.CASCADE, null=True, blank=True, related_name="involvements"
    )
    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, null=True, blank=True, related_name="involvements"
    )
    role = models.CharField(_("role"), max_length=16, choices=LinkRole.choices)
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="involvements"
    )
    vehicle = models.ForeignKey(
        Vehicle, on_delete=models.PROTECT, null=True, blank=True, related_name="involvements"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="involvements"
    )
    phone = models.ForeignKey(
        Phone, on_delete=models.PROTECT, null=True, blank=True, related_name="involvements"
    )
    document = models.ForeignKey(
        Document, on_delete=models.PROTECT, null=True, blank=True, related_name="involvements"
    )
    container = models.ForeignKey(
        Container, on_delete=models.PROTECT, null=True, blank=True, related_name="involvements"
    )
    account = models.ForeignKey(
        BankAccount, on_delete=models.PROTECT, null=True, blank=True, related_name="involvements"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = InvolvementQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("involvement")
        verbose_name_plural = _("involvements")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(seizure__isnull=False, incident__isnull=True)
                | Q(seizure__isnull=True, incident__isnull=False),
                name="involvement_one_record",
            ),
            models.CheckConstraint(
                condition=(
                    Q(person__isnull=False) | Q(vehicle__isnull=False)
                    | Q(organisation__isnull=False) | Q(phone__isnull=False)
                    | Q(document__isnull=False) | Q(container__isnull=False)
                    | Q(account__isnull=False)
                ),
                name="involvement_has_entity",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.entity}"

    @property
    def entity_kind(self) -> str:
        for name in ENTITY_FIELDS:
            if getattr(self, f"{name}_id"):
                return name
        return ""

    @property
    def entity(self) -> Any:
        kind = self.entity_kind
        return getattr(self, kind) if kind else None

    @property
    def record(self) -> Seizure | Incident | None:
        return self.seizure or self.incident


class AttachmentQuerySet(ChildQuerySet):
    parent_prefixes = ("seizure__", "incident__")


def _attachment_path(instance: Attachment, filename: str) -> str:
    return f"records/{instance.sha256[:2]}/{instance.sha256}"


class Attachment(ChoiceLabels, models.Model):
    seizure = models.ForeignKey(
        Seizure, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=AttachmentKind.choices)
    file = models.FileField(_("file"), upload_to=_attachment_path)
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    description = models.CharField(_("description"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.filename
