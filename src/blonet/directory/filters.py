"""One FilterSet per model serves both the HTML list and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from blonet.directory.choices import AgencyKind, OfficeKind, SiteKind
from blonet.directory.models import Agency, Country, Office, Site

SORT_LABELS = {
    "name": _("Name, A to Z"),
    "-name": _("Name, Z to A"),
    "country": _("Country, A to Z"),
    "-country": _("Country, Z to A"),
    "kind": _("Kind, A to Z"),
    "-kind": _("Kind, Z to A"),
}
BORDER_HELP = _("Two country codes, e.g. KZ-KG (order does not matter).")


def _border_q(prefix: str, value: str) -> Q | None:
    codes = [c.strip().upper() for c in value.replace(",", "-").split("-") if c.strip()]
    if len(codes) != 2:
        return None
    a, b = codes
    return Q(**{f"{prefix}country": a, f"{prefix}border_country": b}) | Q(
        **{f"{prefix}country": b, f"{prefix}border_country": a}
    )


class SearchMixin(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))

    def filter_q(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.search(value)  # type: ignore[attr-defined]


class OfficeFilter(SearchMixin):
    country = django_filters.ModelChoiceFilter(
        queryset=Country.objects.all(), label=_("Country"), field_name="country"
    )
    kind = django_filters.ChoiceFilter(choices=OfficeKind.choices, label=_("Kind"))
    agency = django_filters.ModelChoiceFilter(queryset=Agency.objects.all(), label=_("Agency"))
    agency_kind = django_filters.ChoiceFilter(
        choices=AgencyKind.choices, field_name="agency__kind", label=_("Agency kind")
    )
    border = django_filters.CharFilter(
        method="filter_border", label=_("Border"), help_text=BORDER_HELP
    )
    ordering = django_filters.OrderingFilter(
        fields=(("name", "name"), ("country", "country"), ("kind", "kind"), ("opened", "opened")),
        field_labels={
            **SORT_LABELS,
            "opened": _("Opening date"),
            "-opened": _("Opening date, latest first"),
        },
        label=_("Sort by"),
    )

    class Meta:
        model = Office
        fields = ["q", "country", "kind", "agency", "agency_kind", "border"]

    def filter_border(self, queryset: QuerySet[Office], name: str, value: str) -> QuerySet[Office]:
        q = _border_q("site__", value)
        return queryset.filter(q) if q is not None else queryset.none()


class SiteFilter(SearchMixin):
    country = django_filters.ModelChoiceFilter(queryset=Country.objects.all(), label=_("Country"))
    kind = django_filters.ChoiceFilter(choices=SiteKind.choices, label=_("Kind"))
    border = django_filters.CharFilter(
        method="filter_border", label=_("Border"), help_text=BORDER_HELP
    )
    ordering = django_filters.OrderingFilter(
        fields=(("name", "name"), ("country", "country"), ("kind", "kind")),
        field_labels=SORT_LABELS,
        label=_("Sort by"),
    )

    class Meta:
        model = Site
        fields = ["q", "country", "kind", "border"]

    def filter_border(self, queryset: QuerySet[Site], name: str, value: str) -> QuerySet[Site]:
        q = _border_q("", value)
        return queryset.filter(q) if q is not None else queryset.none()


class AgencyFilter(SearchMixin):
    country = django_filters.ModelChoiceFilter(queryset=Country.objects.all(), label=_("Country"))
    kind = django_filters.ChoiceFilter(choices=AgencyKind.choices, label=_("Kind"))
    ordering = django_filters.OrderingFilter(
        fields=(("name", "name"), ("country", "country"), ("kind", "kind")),
        field_labels=SORT_LABELS,
        label=_("Sort by"),
    )

    class Meta:
        model = Agency
        fields = ["q", "country", "kind"]
