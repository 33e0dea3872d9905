"""Sending: the thread, the message, one receipt per recipient, one audit event, e-mail after
the commit; deadlines by priority; answers and their response time; seizure notifications."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from tests.exchange.conftest import AK_ZHOL, KG_SC, KORDAI, audit_actions, last_seq

pytestmark = pytest.mark.django_db


def test_alert_creates_thread_message_receipts_and_one_audit_event(
    kz_officer, kg_officer, send, django_capture_on_commit_callbacks
):
    from blonet.exchange.models import Message, Recipient, Thread

    kg_officer.email = "akzhol@example.org"
    kg_officer.save()
    before = last_seq()
    with django_capture_on_commit_callbacks(execute=True):
        message = send(kz_officer, recipients=[AK_ZHOL, KG_SC])
    assert Thread.objects.count() == 1
    thread = Thread.objects.get()
    assert thread.subject == "Truck towards Ak-Zhol"
    assert thread.message_count == 1
    assert thread.opened_by_office_id == KORDAI
    assert Message.objects.get() == message
    assert message.owner_office_id == KORDAI
    assert message.owner_country_id == "KZ"
    assert message.distribution == "office"
    assert message.language == "en"
    assert message.due_at is None
    assert message.structured["plate"] == "01 KG 123 ABC"
    assert message.structured["expected_at"] == "2026-12-02T11:00:00+00:00"  # Tashkent +5
    rows = list(Recipient.objects.order_by("office_id"))
    assert [r.office_id for r in rows] == [AK_ZHOL, KG_SC]
    assert all(r.delivered_at == message.sent_at and r.read_at is None for r in rows)
    assert {r.office_country for r in rows} == {"KG"}
    assert audit_actions(before) == ["exchange.message.sent"]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["akzhol@example.org"]
    assert "Alert from Kordai BLO" in mail.outbox[0].subject
    assert "nervous" not in mail.outbox[0].body  # no content in e-mail
    assert f"/exchange/threads/{thread.pk}/" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("priority", "hours"), [("immediate", 8), ("urgent", 72), ("routine", 168)]
)
def test_rfi_due_time_defaults_by_priority(kz_officer, rfi, priority, hours):
    now = timezone.now()
    message = rfi(kz_officer, priority=priority, now=now)
    assert message.due_at == now + dt.timedelta(hours=hours)
    assert message.recipients.get().due_at == message.due_at
    assert message.recipients.get().needs_answer is True


def test_rfi_due_time_is_editable(kz_officer, rfi):
    now = timezone.now()
    message = rfi(kz_officer, due_at=now + dt.timedelta(hours=2), now=now)
    assert message.due_at == now + dt.timedelta(hours=2)


def test_answer_marks_the_receipt_with_the_response_time(kz_officer, kg_officer, rfi):
    from blonet.exchange.services import rfi_answer

    sent = timezone.now() - dt.timedelta(hours=3)
    request = rfi(kz_officer, now=sent)
    before = last_seq()
    answer = rfi_answer(
        actor=kg_officer, message=request, office=AK_ZHOL, body="Known: two seizures in 2025."
    )
    receipt = request.recipients.get()
    assert receipt.answered_at == answer.sent_at
    assert receipt.answer_id == answer.pk
    assert receipt.answered_by == kg_officer
    assert 3 * 3600 <= receipt.response_seconds <= 3 * 3600 + 60
    assert receipt.read_at is not None and receipt.acknowledged_at is not None
    assert answer.kind == "answer"
    assert answer.thread_id == request.thread_id
    assert answer.in_reply_to_id == request.pk
    assert [r.office_id for r in answer.recipients.all()] == [KORDAI]
    assert answer.owner_office_id == AK_ZHOL
    assert audit_actions(before) == ["exchange.message.answered"]
    request.thread.refresh_from_db()
    assert request.thread.message_count == 2


def test_second_answer_keeps_the_first_response_time(kz_officer, kg_officer, rfi):
    from blonet.exchange.services import rfi_answer

    request = rfi(kz_officer)
    first = rfi_answer(actor=kg_officer, message=request, office=AK_ZHOL, body="First.")
    rfi_answer(actor=kg_officer, message=request, office=AK_ZHOL, body="More later.")
    assert request.recipients.get().answer_id == first.pk


def test_reply_in_thread_and_language_recorded(kz_officer, kg_officer, send):
    from blonet.exchange.services import message_send

    alert = send(kz_officer)
    reply = message_send(
        actor=kg_officer,
        office=AK_ZHOL,
        recipients=[KORDAI],
        kind="correspondence",
        thread=alert.thread,
        in_reply_to=alert,
        body="Принято, ждём.",
        language="ru",
    )
    assert reply.thread_id == alert.thread_id
    assert reply.language == "ru"
    assert reply.body == "Принято, ждём."


def test_seizure_notification_from_a_record(kz_officer, record_seizure, kg_officer):
    from blonet.exchange.models import ThreadLink
    from blonet.exchange.services import seizure_notification_send

    seizure = record_seizure(kz_officer, handling_codes=["H1"], classification=1)
    message = seizure_notification_send(
        actor=kz_officer, seizure=seizure, office=KORDAI, recipients=[AK_ZHOL]
    )
    assert message.kind == "seizure_notification"
    assert message.template == "seizure_notification"
    assert message.seizure_id == seizure.pk
    assert message.handling_codes == ["H1"]
    data = message.structured
    assert data["reference"] == seizure.reference
    assert data["items"] == [
        {"commodity": "heroin", "quantity": "12.5", "unit": "kg"},
        {"commodity": "hashish", "quantity": "800", "unit": "g"},
    ]
    assert data["persons"] == ["Qurbonov Yusuf"]
    assert data["plates"] == ["01 KG 123 ABC"]
    assert data["route"] == ["AF", "TJ", "KG", "RU"]
    assert message.thread.subject == f"Seizure {seizure.reference}"
    link = ThreadLink.objects.get(thread=message.thread)
    assert (link.kind, link.seizure_id) == ("seizure", seizure.pk)
