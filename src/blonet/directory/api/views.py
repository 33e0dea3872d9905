"""Read-only directory API: the same selectors and FilterSets as the HTML pages."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import QuerySet
from rest_framework import viewsets

from blonet.directory import selectors
from blonet.directory.api.serializers import (
    AgencySerializer,
    CounterpartPairSerializer,
    CountrySerializer,
    OfficeSerializer,
    SiteSerializer,
)
from blonet.directory.filters import AgencyFilter, OfficeFilter, SiteFilter
from blonet.directory.models import CounterpartPair, Office


class CountryViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    serializer_class = CountrySerializer
    lookup_field = "code"
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.country_list_visible_to(user=self.request.user)


class AgencyViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    serializer_class = AgencySerializer
    filterset_class = AgencyFilter

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.agency_list_visible_to(user=self.request.user).order_by(
            "country_id", "name"
        )


class SiteViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    serializer_class = SiteSerializer
    filterset_class = SiteFilter

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.site_list_visible_to(user=self.request.user).order_by("country_id", "name")


class OfficeViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    serializer_class = OfficeSerializer
    filterset_class = OfficeFilter

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.office_list_visible_to(user=self.request.user).order_by(
            "country_id", "name"
        )

    def paginate_queryset(self, queryset: Any) -> Any:
        page = super().paginate_queryset(queryset)
        rows: list[Office] = list(page if page is not None else queryset)
        ids = [o.id for o in rows]
        counterparts: dict[str, list[str]] = defaultdict(list)
        for a, b in CounterpartPair.objects.filter(office_a__in=ids).values_list(
            "office_a_id", "office_b_id"
        ):
            counterparts[a].append(b)
        for a, b in CounterpartPair.objects.filter(office_b__in=ids).values_list(
            "office_a_id", "office_b_id"
        ):
            counterparts[b].append(a)
        for office in rows:
            office._counterpart_ids = sorted(counterparts[office.id])  # type: ignore[attr-defined]
        return rows if page is not None else None


class CounterpartPairViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    serializer_class = CounterpartPairSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.pair_list_visible_to(user=self.request.user)
