from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from blonet.core.access import access_of
from blonet.core.errors import NotFound
from blonet.core.listing import filtered_list
from blonet.directory import selectors
from blonet.directory.filters import AgencyFilter, OfficeFilter, SiteFilter


@login_required
def map_page(request: HttpRequest) -> HttpResponse:
    return render(request, "directory/map.html")


@login_required
def map_data(request: HttpRequest) -> JsonResponse:
    return JsonResponse(selectors.directory_map_data(user=request.user))


@login_required
def office_list(request: HttpRequest) -> HttpResponse:
    return filtered_list(
        request,
        queryset=selectors.office_list_visible_to(user=request.user),
        filterset_class=OfficeFilter,
        template="directory/office_list.html",
        rows_template="directory/_office_rows.html",
    )


@login_required
def office_detail(request: HttpRequest, pk: str) -> HttpResponse:
    try:
        office = selectors.office_get_for(user=request.user, pk=pk)
    except NotFound as exc:
        raise Http404 from exc
    return render(
        request,
        "directory/office_detail.html",
        {
            "office": office,
            "counterparts": office.counterparts(),
            "staff": selectors.office_staff_visible_to(user=request.user, office=office),
            "staff_hidden": office.country_id not in access_of(request.user).country_codes,
        },
    )


@login_required
def site_list(request: HttpRequest) -> HttpResponse:
    return filtered_list(
        request,
        queryset=selectors.site_list_visible_to(user=request.user),
        filterset_class=SiteFilter,
        template="directory/site_list.html",
        rows_template="directory/_site_rows.html",
    )


@login_required
def site_detail(request: HttpRequest, pk: str) -> HttpResponse:
    try:
        site = selectors.site_get_for(user=request.user, pk=pk)
    except NotFound as exc:
        raise Http404 from exc
    offices = selectors.office_list_visible_to(user=request.user).filter(site=site)
    return render(request, "directory/site_detail.html", {"site": site, "offices": offices})


@login_required
def agency_list(request: HttpRequest) -> HttpResponse:
    return filtered_list(
        request,
        queryset=selectors.agency_list_visible_to(user=request.user),
        filterset_class=AgencyFilter,
        template="directory/agency_list.html",
        rows_template="directory/_agency_rows.html",
    )


@login_required
def agency_detail(request: HttpRequest, pk: str) -> HttpResponse:
    try:
        agency = selectors.agency_get_for(user=request.user, pk=pk)
    except NotFound as exc:
        raise Http404 from exc
    offices = selectors.office_list_visible_to(user=request.user).filter(agency=agency)
    return render(request, "directory/agency_detail.html", {"agency": agency, "offices": offices})
