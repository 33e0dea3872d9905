"""The hits waiting for a decision, and hit statistics per list and per post."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from blonet.screening import selectors
from blonet.screening.choices import HitStatus, WatchlistKind
from blonet.screening.services.checks import may_decide
from blonet.screening.views.common import hit_view, require_screening

PAGE_SIZE = 25


@login_required
def hit_list(request: HttpRequest) -> HttpResponse:
    require_screening(request)
    status = request.GET.get("status", HitStatus.OPEN)
    status = status if status in HitStatus.values or status == "all" else HitStatus.OPEN
    hits = selectors.hits_visible_to(user=request.user).order_by("-created_at", "-score")
    if status != "all":
        hits = hits.filter(status=status)
    page = Paginator(hits, PAGE_SIZE).get_page(request.GET.get("page"))
    items = [{**hit_view(h), "can_decide": may_decide(request.user, h)} for h in page]
    tabs = [*HitStatus.choices, ("all", "")]
    return render(
        request,
        "screening/hit_list.html",
        {"page": page, "items": items, "status": status, "tabs": tabs},
    )


@login_required
def statistics(request: HttpRequest) -> HttpResponse:
    require_screening(request)
    stats = selectors.hit_statistics(user=request.user)
    kinds = dict(WatchlistKind.choices)
    for row in stats["per_list"]:
        row["kind_label"] = kinds.get(row["entry__watchlist__kind"], "")
    return render(request, "screening/statistics.html", stats)
