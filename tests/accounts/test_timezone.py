"""The posting time zone applies to one request only; postings count across the midnight gap."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import HttpResponse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_the_zone_is_reset_after_the_request(kg_officer):
    from blonet.accounts.middleware import PostingTimeZoneMiddleware

    seen = {}

    def view(request):
        seen["zone"] = str(timezone.get_current_timezone())
        return HttpResponse("ok")

    request = type("R", (), {"user": kg_officer})()
    PostingTimeZoneMiddleware(view)(request)
    assert seen["zone"] == "Asia/Bishkek"
    assert timezone.get_current_timezone() == timezone.get_default_timezone()


def test_a_posting_started_today_in_bishkek_counts_in_tashkent(kg_officer, monkeypatch):
    # 18:30 UTC: already 2 December in Bishkek (UTC+6), still 1 December in Tashkent (UTC+5).
    instant = dt.datetime(2026, 12, 1, 18, 30, tzinfo=dt.UTC)
    monkeypatch.setattr(timezone, "now", lambda: instant)
    posting = kg_officer.postings.get()
    posting.starts = dt.date(2026, 12, 2)
    posting.save()
    assert list(kg_officer.active_postings()) == [posting]
