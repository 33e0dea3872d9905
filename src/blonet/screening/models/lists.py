"""Watchlists and their entries: shared records, like the register's."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from blonet.records.models.base import SharedRecord
from blonet.screening.choices import WatchlistKind
from blonet.screening.querysets import EntryQuerySet

COUNTRY_HELP = _("ISO 3166 alpha-2 code, e.g. TJ.")


class Watchlist(SharedRecord):
    """A list of persons, vehicles, containers, organisations, phones or documents to look for.

    Its sharing fields say who may screen against it; an entry is seen only where both the
    entry and its list are shared.
    """

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=WatchlistKind.choices)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("watchlist")
        verbose_name_plural = _("watchlists")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner_office", "name"],
                condition=Q(deleted_at__isnull=True),
                name="watchlist_name_unique",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("screening:watchlist_detail", args=[self.pk])


class WatchlistEntry(SharedRecord):
    """One subject on a list. Which fields are used depends on the list's kind."""

    watchlist = models.ForeignKey(
        Watchlist, on_delete=models.PROTECT, related_name="entries", verbose_name=_("watchlist")
    )
    # persons
    name = models.CharField(
        _("name as written"),
        max_length=300,
        blank=True,
        help_text=_("In any script, family name first where known."),
    )
    aliases = models.JSONField(_("aliases"), default=list, blank=True)
    dob = models.CharField(
        _("date of birth"), max_length=10, blank=True, help_text=_("YYYY, YYYY-MM or YYYY-MM-DD.")
    )
    nationality = models.CharField(
        _("nationality"), max_length=2, blank=True, help_text=COUNTRY_HELP
    )
    doc_number = models.CharField(_("document number"), max_length=40, blank=True)
    # vehicles
    plate = models.CharField(_("plate"), max_length=20, blank=True)
    vin = models.CharField(_("VIN"), max_length=17, blank=True)
    # containers
    container_number = models.CharField(
        _("container number"), max_length=20, blank=True, help_text=_("ISO 6346, e.g. CSQU3054383.")
    )
    # organisations
    org_name = models.CharField(_("organisation name"), max_length=300, blank=True)
    # phones
    phone = models.CharField(_("phone number"), max_length=40, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True, help_text=COUNTRY_HELP)
    # A hash of the normalised subject fields: the same subject twice on one list is refused,
    # and re-importing a file adds nothing.
    match_key = models.CharField(max_length=64, editable=False, db_index=True)
    reason = models.TextField(_("reason"), help_text=_("Why the subject is on the list."))
    source_office = models.ForeignKey(
        "directory.Office",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("source office"),
        help_text=_("The office the information comes from, if not the owner."),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    # The records entity the entry was made from, if any (records' kind and id).
    entity_kind = models.CharField(max_length=16, blank=True, editable=False)
    entity_id = models.UUIDField(null=True, blank=True, editable=False)

    objects = EntryQuerySet.as_manager()  # type: ignore[assignment,misc]

    class Meta:
        verbose_name = _("watchlist entry")
        verbose_name_plural = _("watchlist entries")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["watchlist", "match_key"], name="entry_list_key"),
            models.Index(fields=["updated_at"], name="entry_updated"),
        ]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse("screening:entry_detail", args=[self.pk])

    @property
    def kind(self) -> str:
        return self.watchlist.kind

    @property
    def label(self) -> str:
        """The subject as an officer reads it."""
        parts = [
            self.name,
            self.plate or self.vin,
            self.container_number,
            self.org_name,
            self.phone,
            self.doc_number if not self.name else "",
        ]
        return next((p for p in parts if p), "—")
