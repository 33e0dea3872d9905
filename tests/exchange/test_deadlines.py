"""Overdue requests: flagged to the recipient office, escalated to its situation centre after
the configured time, by the command and by the inbox check."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from tests.exchange.conftest import AK_ZHOL, KG_SC, audit_actions, last_seq

pytestmark = pytest.mark.django_db


def test_overdue_then_escalated(
    kz_officer, kg_officer, kg_sc_officer, rfi, settings, django_capture_on_commit_callbacks
):
    from blonet.exchange.services import overdue_scan

    settings.BLONET_EXCHANGE_ESCALATE_AFTER_HOURS = 6
    kg_officer.email = "akzhol@example.org"
    kg_officer.save()
    kg_sc_officer.email = "sc@example.org"
    kg_sc_officer.save()
    sent = timezone.now() - dt.timedelta(hours=10)
    request = rfi(kz_officer, priority="immediate", now=sent)  # due 8 h after sending
    receipt = request.recipients.get()
    before = last_seq()
    with django_capture_on_commit_callbacks(execute=True):
        assert overdue_scan(now=sent + dt.timedelta(hours=7)) == (0, 0)
        assert overdue_scan(now=sent + dt.timedelta(hours=9)) == (1, 0)
        assert overdue_scan(now=sent + dt.timedelta(hours=9, minutes=5)) == (0, 0)
    receipt.refresh_from_db()
    assert receipt.overdue_at == sent + dt.timedelta(hours=9)
    assert receipt.escalated_at is None
    assert audit_actions(before) == ["exchange.request.overdue"]
    assert [m.to for m in mail.outbox] == [["akzhol@example.org"]]
    with django_capture_on_commit_callbacks(execute=True):
        assert overdue_scan(now=sent + dt.timedelta(hours=14, minutes=1)) == (0, 1)
    receipt.refresh_from_db()
    assert receipt.escalated_to_id == KG_SC
    assert audit_actions(before)[-1] == "exchange.request.escalated"
    assert mail.outbox[-1].to == ["sc@example.org"]
    assert "escalated" in mail.outbox[-1].subject


def test_answered_requests_are_never_overdue(kz_officer, kg_officer, rfi):
    from blonet.exchange.services import overdue_scan, rfi_answer

    sent = timezone.now() - dt.timedelta(days=10)
    request = rfi(kz_officer, now=sent)
    rfi_answer(actor=kg_officer, message=request, office=AK_ZHOL, body="Late but here.")
    assert overdue_scan() == (0, 0)


def test_escalation_prefers_a_centre_of_the_same_agency(directory):
    from blonet.exchange.services.deadlines import escalation_target

    assert (
        escalation_target("uz-oybek-blo", "UZ", "uz-customs").pk == "uz-customs-situation-center-sc"
    )
    assert escalation_target("uz-oybek-blo", "UZ", "uz-border-troops").pk == (
        "uz-customs-situation-center-sc"  # none of that agency: the first by identifier
    )
    assert escalation_target("kg-ak-zhol-blo", "KG", "kg-border-service").pk == KG_SC


def test_the_command(kz_officer, rfi):
    request = rfi(kz_officer, priority="immediate", now=timezone.now() - dt.timedelta(days=1))
    out = StringIO()
    call_command("exchange_escalate", stdout=out)
    assert out.getvalue() == "1 request(s) flagged overdue, 1 escalated (after 4 h)\n"
    receipt = request.recipients.get()
    assert receipt.overdue_at is not None
    assert receipt.escalated_to_id == KG_SC
    out = StringIO()
    call_command("exchange_escalate", stdout=out)
    assert out.getvalue().startswith("0 request(s) flagged overdue, 0 escalated")


def test_the_inbox_check_flags_only_its_offices(kz_officer, rfi, make_user):
    from blonet.exchange.services import overdue_scan

    late = rfi(kz_officer, priority="immediate", now=timezone.now() - dt.timedelta(hours=9))
    assert overdue_scan(offices=["uz-oybek-blo"]) == (0, 0)
    assert overdue_scan(offices=[KG_SC]) == (1, 0)  # the KG centre supervises Ak-Zhol
    assert late.recipients.get().overdue_at is not None
