"""Involved entities: first-class records that many seizures, incidents and messages link to."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from blonet.records.choices import DocumentKind, Gender
from blonet.records.models.base import SharedRecord

COUNTRY_HELP = _("ISO 3166 alpha-2 code, e.g. KZ.")


class Entity(SharedRecord):
    kind = ""

    class Meta(SharedRecord.Meta):
        abstract = True

    def get_absolute_url(self) -> str:
        return reverse("records:entity_detail", args=[self.kind, self.pk])

    @property
    def label(self) -> str:
        return str(self)


class Person(Entity):
    kind = "person"
    full_name = models.CharField(
        _("name as written"),
        max_length=300,
        help_text=_("In any script, family name first where known."),
    )
    family_name = models.CharField(_("family name"), max_length=120, blank=True)
    given_names = models.CharField(_("given names"), max_length=160, blank=True)
    patronymic = models.CharField(_("patronymic"), max_length=120, blank=True)
    name_latin = models.CharField(_("name in Latin"), max_length=300, blank=True, editable=False)
    # Space-separated phonetic keys of the name's words, for the duplicate check.
    name_keys = models.CharField(max_length=300, blank=True, editable=False, db_index=True)
    aliases = models.JSONField(_("aliases"), default=list, blank=True)
    dob = models.CharField(
        _("date of birth"), max_length=10, blank=True, help_text=_("YYYY, YYYY-MM or YYYY-MM-DD.")
    )
    dob_year = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    nationality = models.CharField(
        _("nationality"), max_length=2, blank=True, help_text=COUNTRY_HELP
    )
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords(excluded_fields=["search_text", "updated_at"])

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name


class Vehicle(Entity):
    kind = "vehicle"
    plate = models.CharField(_("plate as written"), max_length=20, blank=True)
    plate_normalised = models.CharField(max_length=20, blank=True, editable=False, db_index=True)
    country = models.CharField(_("country"), max_length=2, blank=True, help_text=COUNTRY_HELP)
    make = models.CharField(_("make"), max_length=60, blank=True)
    model = models.CharField(_("model"), max_length=60, blank=True)
    colour = models.CharField(_("colour"), max_length=40, blank=True)
    vin = models.CharField(_("VIN"), max_length=17, blank=True, db_index=True)

    history = HistoricalRecords(excluded_fields=["search_text", "updated_at"])

    class Meta:
        verbose_name = _("vehicle")
        verbose_name_plural = _("vehicles")
        ordering = ["plate_normalised"]

    def __str__(self) -> str:
        parts = [
            self.plate or self.vin,
            self.country,
            " ".join(p for p in (self.make, self.model) if p),
        ]
        return " · ".join(p for p in parts if p)


class Organisation(Entity):
    kind = "organisation"
    name = models.CharField(_("name"), max_length=300)
    name_key = models.CharField(max_length=300, blank=True, editable=False, db_index=True)
    country = models.CharField(_("country"), max_length=2, blank=True, help_text=COUNTRY_HELP)
    registration_number = models.CharField(_("registration number"), max_length=60, blank=True)
    legal_form = models.CharField(_("legal form"), max_length=60, blank=True)

    history = HistoricalRecords(excluded_fields=["search_text", "updated_at"])

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Phone(Entity):
    kind = "phone"
    number = models.CharField(_("number as written"), max_length=40)
    number_normalised = models.CharField(max_length=20, editable=False, db_index=True)
    country = models.CharField(_("country"), max_length=2, blank=True, help_text=COUNTRY_HELP)

    history = HistoricalRecords(excluded_fields=["search_text", "updated_at"])

    class Meta:
        verbose_name = _("phone")
        verbose_name_plural = _("phones")
        ordering = ["number_normalised"]

    def __str__(self) -> str:
        return self.number


class Document(Entity):
    kind = "document"
    document_kind = models.CharField(
        _("kind of document"), max_length=24, choices=DocumentKind.choices
    )
    number = models.CharField(_("number"), max_length=40)
    number_normalised = models.CharField(max_length=40, editable=False, db_index=True)
    issuing_country = models.CharField(
        _("issuing country"), max_length=2, blank=True, help_text=COUNTRY_HELP
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    holder = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("holder"),
    )

    history = HistoricalRecords(excluded_fields=["search_text", "updated_at"])

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["number_normalised"]

    def __str__(self) -> str:
        return f"{self.get_document_kind_display()} {self.number}"


class Container(Entity):
    kind = "container"
    number = models.CharField(
        _("container number"), max_length=20, help_text=_("ISO 6346, e.g. CSQU3054383.")
    )
    number_normalised = models.CharField(max_length=11, editable=False, db_index=True)
    size_type = models.CharField(
        _("size and type"), max_length=10, blank=True, help_text=_("e.g. 22G1 or 45G1.")
    )

    history = HistoricalRecords(excluded_fields=["search_text", "updated_at"])

    class Meta:
        verbose_name = _("container")
        verbose_name_plural = _("containers")
        ordering = ["number_normalised"]

    def __str__(self) -> str:
        return self.number_normalised or self.number


class BankAccount(Entity):
    kind = "account"
    number = models.CharField(_("account number or IBAN"), max_length=40)
    number_normalised = models.CharField(max_length=40, editable=False, db_index=True)
    is_iban = models.BooleanField(_("IBAN"), default=False, editable=False)
    bank = models.CharField(_("bank"), max_length=200, blank=True)
    holder_name = models.CharField(_("holder"), max_length=300, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True, help_text=COUNTRY_HELP)

    history = HistoricalRecords(excluded_fields=["search_text", "updated_at"])

    class Meta:
        verbose_name = _("bank account")
        verbose_name_plural = _("bank accounts")
        ordering = ["number_normalised"]

    def __str__(self) -> str:
        return self.number
