"""One FilterSet per record type: the HTML list, the API list and the exports use the same."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from blonet.core.choices import Distribution
from blonet.directory.models import Agency, Country, Site
from blonet.records.choices import Commodity, Conveyance, DetectionMethod, IncidentKind
from blonet.records.models import Incident, Seizure, SeizureItem
from blonet.records.search import search_q

# Days this close to the ends of the calendar bound nothing (and would overflow in UTC).
_FIRST_DAY = dt.date.min + dt.timedelta(days=2)
_LAST_DAY = dt.date.max - dt.timedelta(days=2)


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class RecordFilterBase(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_q",
        label=_("Search"),
        help_text=_("Names in any script, plates, numbers, places, markings."),
    )
    date_from = django_filters.DateFilter(
        field_name="occurred_at", method="filter_date_from", label=_("From")
    )
    date_to = django_filters.DateFilter(
        field_name="occurred_at", method="filter_date_to", label=_("To")
    )
    site = django_filters.ModelChoiceFilter(queryset=Site.objects.all(), label=_("Site"))
    country = django_filters.ModelChoiceFilter(
        queryset=Country.objects.all(), field_name="owner_country", label=_("Country")
    )
    agency = django_filters.ModelChoiceFilter(
        queryset=Agency.objects.all(),
        field_name="agencies",
        label=_("Agency"),
        distinct=False,
        method="filter_agency",
    )
    distribution = django_filters.ChoiceFilter(
        choices=Distribution.choices, label=_("Distribution")
    )

    def filter_q(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        q = search_q(value)
        return queryset.filter(q) if q is not None else queryset

    # Days are those of the current time zone (the posting's), as `occurred_at__date` would
    # read them; written as a range of instants so that the (…, occurred_at) indexes serve it.
    def filter_date_from(self, queryset: QuerySet[Any], name: str, value: dt.date) -> QuerySet[Any]:
        if value <= _FIRST_DAY:
            return queryset
        return queryset.filter(occurred_at__gte=_day_start(value))

    def filter_date_to(self, queryset: QuerySet[Any], name: str, value: dt.date) -> QuerySet[Any]:
        if value >= _LAST_DAY:
            return queryset
        return queryset.filter(occurred_at__lt=_day_start(value + dt.timedelta(days=1)))

    def filter_agency(self, queryset: QuerySet[Any], name: str, value: Agency) -> QuerySet[Any]:
        through = queryset.model.agencies.through
        field = f"{queryset.model._meta.model_name}_id"
        return queryset.filter(
            Exists(through.objects.filter(**{field: OuterRef("pk"), "agency_id": value.pk}))
        )


SORTS = (
    ("occurred_at", "occurred_at"),
    ("reference", "reference"),
    ("total_kg", "total_kg"),
    ("created_at", "created_at"),
)


class SeizureFilter(RecordFilterBase):
    commodity = django_filters.ChoiceFilter(
        choices=Commodity.choices, method="filter_commodity", label=_("Commodity")
    )
    conveyance = django_filters.ChoiceFilter(choices=Conveyance.choices, label=_("Conveyance"))
    detection_method = django_filters.ChoiceFilter(
        choices=DetectionMethod.choices, label=_("How detected")
    )
    route_country = django_filters.CharFilter(
        method="filter_route",
        label=_("Route country"),
        help_text=_("Origin, transit or destination, e.g. AF."),
    )
    ordering = django_filters.OrderingFilter(
        fields=SORTS,
        field_labels={
            "occurred_at": _("Date, oldest first"),
            "-occurred_at": _("Date, newest first"),
            "reference": _("Reference, A to Z"),
            "-reference": _("Reference, Z to A"),
            "total_kg": _("Quantity, smallest first"),
            "-total_kg": _("Quantity, largest first"),
            "created_at": _("Recorded, oldest first"),
            "-created_at": _("Recorded, newest first"),
        },
        label=_("Sort by"),
    )

    class Meta:
        model = Seizure
        fields = [
            "q", "date_from", "date_to", "site", "country", "commodity", "conveyance", "agency",
            "distribution", "detection_method", "route_country",
        ]  # fmt: skip

    def filter_commodity(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(
            Exists(SeizureItem.objects.filter(seizure=OuterRef("pk"), commodity=value))
        )

    def filter_route(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        code = (value or "").strip().lower()
        return queryset.filter(search_text__contains=f" route:{code} ") if code else queryset


class IncidentFilter(RecordFilterBase):
    kind = django_filters.ChoiceFilter(choices=IncidentKind.choices, label=_("Kind"))
    ordering = django_filters.OrderingFilter(
        fields=(("occurred_at", "occurred_at"), ("reference", "reference")),
        field_labels={
            "occurred_at": _("Date, oldest first"),
            "-occurred_at": _("Date, newest first"),
            "reference": _("Reference, A to Z"),
            "-reference": _("Reference, Z to A"),
        },
        label=_("Sort by"),
    )

    class Meta:
        model = Incident
        fields = ["q", "date_from", "date_to", "site", "country", "agency", "distribution", "kind"]


class EntityFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))

    def filter_q(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        q = search_q(value)
        return queryset.filter(q) if q is not None else queryset


def entity_filter_for(model: Any) -> type[EntityFilter]:
    meta = type("Meta", (), {"model": model, "fields": ["q"]})
    return type(f"{model.__name__}Filter", (EntityFilter,), {"Meta": meta})
