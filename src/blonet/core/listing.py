"""The list-page pattern: FilterSet + sort + pagination; rows only for htmx requests.

Counting is capped: a list counts at most `COUNT_CAP` + 1 matching rows (`SELECT COUNT(*) FROM
(... LIMIT 10001)`), so a list over a million visible rows costs what a list over ten thousand
does. Past the cap the count and the number of pages render as "10000+" and "400+" (they stay
integers for the pagination arithmetic and plural rules); narrowing the filters gives the exact
figure again.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

PAGE_SIZE = 25
COUNT_CAP = 10_000


class AtLeast(int):
    """A lower bound: an integer that renders as "10000+"."""

    def __str__(self) -> str:
        return f"{int(self)}+"

    def __format__(self, spec: str) -> str:
        return str(self) if not spec else f"{int(self):{spec}}+"


class CappedPaginator(Paginator):
    """Counts at most `cap` + 1 rows; past the cap, `count` and `num_pages` are `AtLeast`."""

    def __init__(self, object_list: Any, per_page: int, *, cap: int = COUNT_CAP, **kw: Any):
        super().__init__(object_list, per_page, **kw)
        self.cap = cap

    def count_queryset(self) -> Any:
        """The rows counted: without ordering (any cap + 1 rows will do), then limited."""
        rows: Any = self.object_list
        return rows.order_by().values("pk")[: self.cap + 1]

    @cached_property
    def count(self) -> int:
        if not isinstance(self.object_list, QuerySet):
            return len(self.object_list)
        found = int(self.count_queryset().count())
        return AtLeast(self.cap) if found > self.cap else found

    @property
    def capped(self) -> bool:
        return isinstance(self.count, AtLeast)

    @cached_property
    def num_pages(self) -> int:
        if not self.capped:
            return int(super().num_pages)
        # The pages up to the cap can be reached; more lie beyond.
        return AtLeast(max(1, -(-self.cap // self.per_page)))


def paginator_for(rows: Any, per_page: int = PAGE_SIZE) -> CappedPaginator:
    return CappedPaginator(rows, per_page)


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
    paginator = paginator_for(rows, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    ctx = {
        "filter": filterset,
        "page": page,
        "total": paginator.count,
        "total_capped": paginator.capped,
        "query": query.urlencode(),
        **(context or {}),
    }
    htmx = getattr(request, "htmx", None)
    is_htmx = bool(htmx) and not getattr(htmx, "boosted", False)
    return render(request, rows_template if is_htmx else template, ctx)
