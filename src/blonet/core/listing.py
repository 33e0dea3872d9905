"""The list-page pattern: FilterSet + sort + pagination; rows only for htmx requests.

Pagination never counts a million rows:

* every page is read with one row of look-ahead, so the last page (and a list that fits on one
  page) knows its exact count without a COUNT query;
* otherwise a list counts at most `COUNT_CAP` + 1 matching rows (`SELECT COUNT(*) FROM (...
  LIMIT 1001)`); past the cap the count and the number of pages are lower bounds;
* a free-text search (`q`) is not counted at all: counting every match of a common name costs
  more than the page itself (the trigram index hands over all candidate rows at once, and a LIMIT
  tempts the planner into scanning the table), so the look-ahead row says whether another page
  follows.

Lower bounds are `AtLeast` integers, which render as "1000+" ("Page 1 of 2+"), so templates and
plural rules need nothing special; `total_capped` in the context says the count is one.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from rest_framework.response import Response

from blonet.core.api import Pagination

PAGE_SIZE = 25
COUNT_CAP = 1_000


class AtLeast(int):
    """A lower bound: an integer that renders as "1000+"."""

    def __str__(self) -> str:
        return f"{int(self)}+"

    def __format__(self, spec: str) -> str:
        return str(self) if not spec else f"{int(self):{spec}}+"


class CappedPaginator(Paginator):
    """A paginator that counts at most `cap` + 1 rows, or none (`count=False`); see the module."""

    def __init__(
        self, object_list: Any, per_page: int, *, cap: int = COUNT_CAP, count: bool = True,
        **kw: Any,
    ) -> None:  # fmt: skip
        super().__init__(object_list, per_page, **kw)
        self.cap = cap
        self.counts = count

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
        count = self.count
        if isinstance(count, AtLeast):  # the pages up to the cap can be reached
            return AtLeast(max(1, -(-int(count) // self.per_page)))
        return int(super().num_pages)

    def _known(self) -> bool:
        return "count" in self.__dict__

    def _looks_ahead(self) -> bool:
        return isinstance(self.object_list, QuerySet) and not self.orphans

    def validate_number(self, number: Any) -> int:
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        if number == 1 or (self._looks_ahead() and not self.counts and not self._known()):
            return number  # checked when the page is read
        return int(super().validate_number(number))

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        if not self._looks_ahead():
            return super().page(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not self._known():
            if len(rows) <= self.per_page:
                if not rows and number > 1:
                    raise EmptyPage(self.error_messages["no_results"])
                self.__dict__["count"] = bottom + len(rows)  # the last page: exact
            elif not self.counts:
                self.__dict__["count"] = AtLeast(bottom + self.per_page)
                self.__dict__["num_pages"] = AtLeast(number + 1)
        return Page(rows[: self.per_page], number, self)

    def get_page(self, number: Any) -> Page:
        try:
            return super().get_page(number)
        except EmptyPage:  # past the end of an uncounted list: count to find the last page
            self.counts = True
            self.__dict__.pop("num_pages", None)
            return super().get_page(self.num_pages)


class CappedPagination(Pagination):
    """The API's paginator with the list pages' rules: capped counts, searches not counted.

    The response keeps DRF's shape and adds `count_is_lower_bound` (true when `count` is "at
    least"). Use it as a view's `pagination_class` (or as DEFAULT_PAGINATION_CLASS).
    """

    def django_paginator_class(self, queryset: Any, page_size: int) -> CappedPaginator:  # type: ignore[override]
        request: Any = self.request
        search = str(request.query_params.get("q", "") or "").strip()
        return CappedPaginator(queryset, page_size, count=not search)

    def get_paginated_response(self, data: Any) -> Response:
        page: Any = self.page
        count = page.paginator.count
        return Response(
            {
                "count": int(count),
                "count_is_lower_bound": isinstance(count, AtLeast),
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        out = super().get_paginated_response_schema(schema)
        out["properties"]["count_is_lower_bound"] = {
            "type": "boolean",
            "description": "True when `count` is a lower bound (more rows match).",
        }
        return out


def _searching(filterset: Any) -> bool:
    data = getattr(getattr(filterset, "form", None), "cleaned_data", None) or {}
    return bool(str(data.get("q") or "").strip())


def paginator_for(rows: Any, per_page: int = PAGE_SIZE, *, search: bool = False) -> CappedPaginator:
    """The paginator of the list pages (`search`: a free-text search, not counted)."""
    return CappedPaginator(rows, per_page, count=not search)


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
    paginator = paginator_for(rows, PAGE_SIZE, search=_searching(filterset))
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
