from __future__ import annotations

import datetime as dt
import gettext
from functools import lru_cache

import pycountry
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from blonet.core.choices import Precision
from blonet.directory import querysets
from blonet.directory.choices import AgencyKind, CoordPrecision, OfficeKind, SiteKind


@lru_cache(maxsize=16)
def _iso3166_translation(language: str) -> gettext.NullTranslations:
    return gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )


def country_name(code: str, language: str | None = None) -> str:
    """A country's name in the UI language, from pycountry's ISO 3166 catalogues."""
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    english = getattr(country, "common_name", None) or country.name
    language = (language or get_language() or "en").split("-")[0]
    if language == "en":
        return english
    translated = _iso3166_translation(language).gettext(english)
    if translated == english:
        translated = _iso3166_translation(language).gettext(country.name)
    return translated


class Sourced(models.Model):
    """Every directory entry says where it comes from and how sure we are of it."""

    source = models.CharField(_("source"), max_length=300)
    precision = models.CharField(
        _("precision"), max_length=12, choices=Precision.choices, default=Precision.EXACT
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        abstract = True


class Country(Sourced):
    code = models.CharField(_("code"), max_length=2, primary_key=True)
    alpha3 = models.CharField(_("alpha-3 code"), max_length=3, unique=True)

    objects = querysets.CountryQuerySet.as_manager()

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return country_name(self.code)


class Named(Sourced):
    id = models.SlugField(_("identifier"), max_length=80, primary_key=True)
    name = models.CharField(_("name"), max_length=200)
    name_ru = models.CharField(_("name in Russian"), max_length=200, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.local_name

    @property
    def local_name(self) -> str:
        """The Russian name in a Cyrillic UI, the English one otherwise."""
        language = (get_language() or "en").split("-")[0]
        if language in {"ru", "kk", "ky", "tg"} and self.name_ru:
            return self.name_ru
        return self.name


class Agency(Named):
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="agencies", verbose_name=_("country")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AgencyKind.choices)
    abbreviation = models.CharField(_("abbreviation"), max_length=30, blank=True)

    objects = querysets.AgencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["country_id", "name"]


class Site(Named):
    kind = models.CharField(_("kind"), max_length=20, choices=SiteKind.choices)
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="sites", verbose_name=_("country")
    )
    border_country = models.ForeignKey(
        Country,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="facing_sites",
        verbose_name=_("across the border"),
        help_text=_("The neighbouring country, for a site on a border."),
    )
    lat = models.DecimalField(_("latitude"), max_digits=8, decimal_places=5, null=True)
    lon = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5, null=True)
    coord_precision = models.CharField(
        _("coordinate precision"), max_length=12, choices=CoordPrecision.choices, blank=True
    )

    objects = querysets.SiteQuerySet.as_manager()

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["country_id", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(border_country=models.F("country")), name="site_border_other_country"
            )
        ]

    @property
    def border(self) -> tuple[str, str] | None:
        if not self.border_country_id:
            return None
        return (self.country_id, self.border_country_id)

    @property
    def border_key(self) -> str:
        """Order-free key of the border, e.g. 'KG-KZ'."""
        return "-".join(sorted(self.border)) if self.border else ""


class Office(Named):
    kind = models.CharField(_("kind"), max_length=8, choices=OfficeKind.choices)
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="offices", verbose_name=_("site")
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="offices", verbose_name=_("agency")
    )
    # The country whose node owns the office (that of its site); kept for fast access checks.
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="offices", verbose_name=_("country")
    )
    opened = models.CharField(
        _("opened"), max_length=10, blank=True, help_text=_("YYYY, YYYY-MM or YYYY-MM-DD.")
    )
    open_by = models.DateField(
        _("in service by"),
        null=True,
        blank=True,
        help_text=_("Known to be in service by this date, opening date unknown."),
    )
    open_after = models.DateField(_("opened after"), null=True, blank=True)

    objects = querysets.OfficeQuerySet.as_manager()

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        ordering = ["country_id", "kind", "name"]

    def in_service_on(self, day: dt.date) -> bool | None:
        """True/False when the directory knows, None when it cannot tell."""
        if self.opened:
            return self.opened <= day.isoformat()[: len(self.opened)]
        if self.open_by and self.open_by <= day:
            return True
        if self.open_after and self.open_after >= day:
            return False
        return None

    def counterparts(self) -> models.QuerySet[Office]:
        return Office.objects.filter(
            Q(pairs_as_b__office_a=self) | Q(pairs_as_a__office_b=self)
        ).select_related("site", "agency")


class CounterpartPair(Sourced):
    """A BLO and the BLO facing it across the border. Stored once, in id order."""

    office_a = models.ForeignKey(
        Office, on_delete=models.CASCADE, related_name="pairs_as_a", verbose_name=_("office")
    )
    office_b = models.ForeignKey(
        Office, on_delete=models.CASCADE, related_name="pairs_as_b", verbose_name=_("counterpart")
    )

    objects = querysets.CounterpartPairQuerySet.as_manager()

    class Meta:
        verbose_name = _("counterpart pair")
        verbose_name_plural = _("counterpart pairs")
        ordering = ["office_a_id", "office_b_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["office_a", "office_b"], name="counterpart_pair_unique"
            ),
            models.CheckConstraint(
                condition=Q(office_a__lt=models.F("office_b")), name="counterpart_pair_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.office_a_id} ↔ {self.office_b_id}"
