"""The inbox of an office (not of a person: officers rotate), live without reloading."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from blonet.exchange import conf, selectors
from blonet.exchange.choices import InboxTab
from blonet.exchange.services import overdue_scan
from blonet.exchange.stats import response_stats
from blonet.exchange.views.common import not_found_as_404

# A poll answers 204 (nothing to swap) while nothing changed, and 286 (htmx: stop polling)
# once the page has been idle so long that the session should be allowed to expire.
NO_CHANGE = 204
STOP_POLLING = 286


@login_required
def index(request: HttpRequest) -> HttpResponse:
    offices = selectors.inbox_offices(user=request.user)
    if not offices:
        return render(request, "exchange/no_office.html", status=403)
    return redirect("exchange:inbox", office=offices[0].pk)


def _tab(request: HttpRequest) -> str:
    tab = request.GET.get("tab", InboxTab.ALL)
    return tab if tab in InboxTab.values else InboxTab.ALL


def _page(request: HttpRequest) -> int:
    try:
        return max(int(request.GET.get("page", "1")), 1)
    except ValueError:
        return 1


def _live_context(request: HttpRequest, office: Any, now: dt.datetime) -> dict[str, Any]:
    tab, page = _tab(request), _page(request)
    start = (page - 1) * selectors.PAGE_SIZE
    rows = list(
        selectors.inbox_rows(user=request.user, office=office, tab=tab, now=now)[
            start : start + selectors.PAGE_SIZE + 1
        ]
    )
    counts = selectors.inbox_counts(user=request.user, office=office, now=now)
    rows = rows[: selectors.PAGE_SIZE + 1]
    labels = selectors.office_labels(rows)
    for r in rows:
        r.office_label = labels.get(r.office_id, r.office_id)  # type: ignore[attr-defined]
        r.sender_label = labels.get(r.sender_office_id, r.sender_office_id)  # type: ignore[attr-defined]
    return {
        "office": office,
        "tab": tab,
        "tabs": InboxTab.choices,
        "page": page,
        "rows": rows[: selectors.PAGE_SIZE],
        "has_next": len(rows) > selectors.PAGE_SIZE,
        "counts": counts,
        "permissions": (
            list(selectors.pending_permissions(user=request.user, office=office)[:20])
            if counts["permissions"]
            else []
        ),
        "stamp": selectors.inbox_stamp(user=request.user, office=office),
        "now": now,
        "poll_ms": conf.poll_ms(),
    }


@login_required
@not_found_as_404
def inbox(request: HttpRequest, office: str) -> HttpResponse:
    found = selectors.inbox_office_for(user=request.user, office_id=office)
    now = timezone.now()
    overdue_scan(now=now, offices=[found])
    context = _live_context(request, found, now)
    context["offices"] = selectors.inbox_offices(user=request.user)
    context["quick"] = selectors.quick_recipients(found)
    return render(request, "exchange/inbox.html", context)


@login_required
@not_found_as_404
def inbox_live(request: HttpRequest, office: str) -> HttpResponse:
    """The polled fragment: tab counts and rows; 204 while nothing changed."""
    found = selectors.inbox_office_for(user=request.user, office_id=office)
    try:
        idle = int(request.GET.get("idle", "0"))
    except ValueError:
        idle = 0
    if idle > conf.poll_idle_seconds():
        return HttpResponse(status=STOP_POLLING)
    now = timezone.now()
    flagged = overdue_scan(now=now, offices=[found])
    if flagged == (0, 0) and request.GET.get("v") == selectors.inbox_stamp(
        user=request.user, office=found
    ):
        return HttpResponse(status=NO_CHANGE)
    return render(request, "exchange/_inbox_live.html", _live_context(request, found, now))


@login_required
def statistics(request: HttpRequest) -> HttpResponse:
    try:
        days = min(max(int(request.GET.get("days", "90")), 1), 3660)
    except ValueError:
        days = 90
    since = timezone.now() - dt.timedelta(days=days)
    stats = response_stats(user=request.user, since=since)
    return render(
        request,
        "exchange/statistics.html",
        {"days": days, "periods": [7, 30, 90, 365], **stats},
    )
