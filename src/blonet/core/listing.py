"""The list-page pattern: FilterSet + sort + pagination; rows only for htmx requests."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

PAGE_SIZE = 25


def filtered_list(
    request: HttpRequest,
    *,
    queryset: QuerySet[Any],
    filterset_class: Any,
    template: str,
    rows_template: str,
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    filterset = filterset_class(request.GET or None, queryset=queryset, request=request)
    # An unbound filterset (no query string) lists everything; an invalid one lists nothing.
    rows = filterset.qs if not filterset.is_bound or filterset.is_valid() else queryset.none()
    paginator = Paginator(rows, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    ctx = {
        "filter": filterset,
        "page": page,
        "total": paginator.count,
        "query": query.urlencode(),
        **(context or {}),
    }
    htmx = getattr(request, "htmx", None)
    is_htmx = bool(htmx) and not getattr(htmx, "boosted", False)
    return render(request, rows_template if is_htmx else template, ctx)
