"""Reads on the directory; each takes the requesting user and goes through `.visible_to`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet

from blonet.core.errors import NotFound
from blonet.directory.models import Agency, CounterpartPair, Country, Office, Site


def office_list_visible_to(*, user: Any) -> QuerySet[Office]:
    return Office.objects.visible_to(user).select_related("site", "agency", "country")


def office_get_for(*, user: Any, pk: str) -> Office:
    office = office_list_visible_to(user=user).filter(pk=pk).first()
    if office is None:
        raise NotFound()
    return office


def office_staff_visible_to(*, user: Any, office: Office) -> QuerySet[Any]:
    """An office's people, only if the viewer may see that country's staff lists."""
    from blonet.accounts.models import Posting

    return (
        Posting.objects.visible_to(user)
        .filter(office=office)
        .select_related("user")
        .order_by("role", "user__username")
    )


def site_list_visible_to(*, user: Any) -> QuerySet[Site]:
    return (
        Site.objects.visible_to(user)
        .select_related("country", "border_country")
        .annotate(office_count=Count("offices"))
    )


def site_get_for(*, user: Any, pk: str) -> Site:
    site = (
        Site.objects.visible_to(user)
        .select_related("country", "border_country")
        .filter(pk=pk)
        .first()
    )
    if site is None:
        raise NotFound()
    return site


def agency_list_visible_to(*, user: Any) -> QuerySet[Agency]:
    return (
        Agency.objects.visible_to(user)
        .select_related("country")
        .annotate(office_count=Count("offices"))
    )


def agency_get_for(*, user: Any, pk: str) -> Agency:
    agency = Agency.objects.visible_to(user).select_related("country").filter(pk=pk).first()
    if agency is None:
        raise NotFound()
    return agency


def country_list_visible_to(*, user: Any) -> QuerySet[Country]:
    return Country.objects.visible_to(user)


def pair_list_visible_to(*, user: Any) -> QuerySet[CounterpartPair]:
    return CounterpartPair.objects.visible_to(user).select_related(
        "office_a__site", "office_b__site", "office_a__agency", "office_b__agency"
    )


def _coord(value: Decimal | None) -> float:
    return float(value) if value is not None else 0.0


def directory_map_data(*, user: Any) -> dict[str, Any]:
    """Sites with their offices and the counterpart links, for the map."""
    offices_by_site: dict[str, list[dict[str, str]]] = {}
    for office in office_list_visible_to(user=user):
        offices_by_site.setdefault(office.site_id, []).append(
            {
                "id": office.id,
                "name": office.local_name,
                "kind": office.kind,
                "agency": office.agency.local_name,
            }
        )
    sites = [
        {
            "id": s.id,
            "name": s.local_name,
            "kind": s.kind,
            "kind_label": str(s.get_kind_display()),
            "country": s.country_id,
            "border": s.border_key,
            "lat": _coord(s.lat),
            "lon": _coord(s.lon),
            "coord_precision": s.coord_precision,
            "precision": s.precision,
            "offices": offices_by_site.get(s.id, []),
        }
        for s in Site.objects.visible_to(user).exclude(lat=None)
    ]
    pairs = [
        {
            "a": p.office_a_id,
            "b": p.office_b_id,
            "a_name": p.office_a.local_name,
            "b_name": p.office_b.local_name,
            "from": [_coord(p.office_a.site.lat), _coord(p.office_a.site.lon)],
            "to": [_coord(p.office_b.site.lat), _coord(p.office_b.site.lon)],
        }
        for p in pair_list_visible_to(user=user)
        if p.office_a.site.lat is not None and p.office_b.site.lat is not None
    ]
    return {"sites": sites, "pairs": pairs}
