"""The home page of each role (composition root: may read from every context)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from blonet.accounts.choices import Role
from blonet.audit.models import AuditEvent
from blonet.directory import selectors as directory
from blonet.directory.choices import OfficeKind

END_2019 = dt.date(2019, 12, 31)


def _blo_by_border(user: Any) -> list[dict[str, Any]]:
    counts: dict[str, dict[str, int]] = {}
    for office in directory.office_list_visible_to(user=user).filter(kind=OfficeKind.BLO):
        key = office.site.border_key or "—"
        row = counts.setdefault(key, {"total": 0, "end_2019": 0})
        row["total"] += 1
        if office.in_service_on(END_2019):
            row["end_2019"] += 1
    return [{"border": k, **v} for k, v in sorted(counts.items())]


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    postings = list(user.active_postings())  # type: ignore[union-attr]
    roles = {p.role for p in postings}
    context: dict[str, Any] = {"postings": postings, "roles": roles, "Role": Role}
    for posting in postings:
        posting.counterparts_list = list(posting.office.counterparts())  # type: ignore[attr-defined]
    office_counts = (
        directory.office_list_visible_to(user=user).values("kind").annotate(n=Count("id"))
    )
    context["office_counts"] = {row["kind"]: row["n"] for row in office_counts}
    if roles & {Role.PROGRAMME_MANAGER, Role.PROGRAMME_VIEWER, Role.ANALYST, Role.COORDINATOR}:
        context["blo_by_border"] = _blo_by_border(user)
    if Role.NODE_ADMIN in roles or user.is_superuser:  # type: ignore[union-attr]
        context["audit_count"] = AuditEvent.objects.count()
        context["recent_events"] = AuditEvent.objects.order_by("-seq")[:10]
    context["today"] = timezone.localdate()
    return render(request, "home.html", context)
