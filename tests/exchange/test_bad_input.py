"""The bad input of issue 4: each refused with a clear reason and an `exchange.refused` audit
event, and nothing sent half-way (no thread, message, receipt, file or e-mail)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.exchange.conftest import AK_ZHOL, KG_SC, KORDAI, OYBEK, UNODC, last_seq

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _state() -> dict[str, int]:
    from blonet.exchange.models import (
        ForwardPermission,
        Message,
        MessageAttachment,
        Recipient,
        Thread,
        ThreadLink,
    )

    return {
        m.__name__: m.objects.count()
        for m in (Thread, Message, Recipient, MessageAttachment, ForwardPermission, ThreadLink)
    } | {"mail": len(mail.outbox)}


def refused(
    call: Callable[[], Any],
    error: type[Exception],
    operation: str,
    *,
    field: str | None = None,
    message: str,
    capture: Any,
) -> dict[str, Any]:
    """Run `call`, expect `error` with `message` (on `field`), nothing changed, one audit event."""
    from blonet.audit.models import AuditEvent

    before, seq = _state(), last_seq()
    with capture(execute=True), pytest.raises(error) as info:
        call()
    exc: Any = info.value
    if field is None:
        assert exc.message == message
    else:
        assert message in exc.fields[field]
    assert _state() == before
    events = list(AuditEvent.objects.filter(seq__gt=seq))
    assert [e.action for e in events] == ["exchange.refused"]
    data = events[0].data
    assert data["operation"] == operation
    assert data["code"] == exc.code
    if field is not None:
        assert data["fields"][field] == [exc.fields[field][0]]
    return data


def test_addressing_a_programme_office_is_refused_and_nothing_is_sent(
    kz_officer, send, django_capture_on_commit_callbacks
):
    from blonet.core.errors import ValidationError

    data = refused(
        lambda: send(kz_officer, recipients=[AK_ZHOL, KG_SC, UNODC]),
        ValidationError,
        "send",
        field="recipients",
        message="UNODC Regional Office for Central Asia is a programme office: it receives no "
        "operational messages.",
        capture=django_capture_on_commit_callbacks,
    )
    assert data["recipients"] == [AK_ZHOL, KG_SC, UNODC]
    assert data["office"] == KORDAI


@pytest.mark.parametrize(
    ("recipients", "message"),
    [
        (["nowhere-blo"], "Unknown office “nowhere-blo”."),
        ([KORDAI], "A message cannot be addressed to its own sender office."),
        ([], "Choose at least one recipient office."),
    ],
)
def test_other_addressing_mistakes(
    kz_officer, send, recipients, message, django_capture_on_commit_callbacks
):
    from blonet.core.errors import ValidationError

    refused(
        lambda: send(kz_officer, recipients=recipients),
        ValidationError,
        "send",
        field="recipients",
        message=message,
        capture=django_capture_on_commit_callbacks,
    )


def test_sending_for_an_office_you_are_not_posted_to(
    uz_officer, send, django_capture_on_commit_callbacks
):
    from blonet.core.errors import PermissionDenied

    refused(
        lambda: send(uz_officer),
        PermissionDenied,
        "send",
        message="You may act only for an office you are posted to.",
        capture=django_capture_on_commit_callbacks,
    )


def test_forwarding_h2_without_permission(
    kz_officer, kg_officer, send, django_capture_on_commit_callbacks
):
    from blonet.core.errors import PermissionDenied
    from blonet.exchange.services import message_forward

    alert = send(kz_officer, sharing={"handling_codes": ["H2"]})
    data = refused(
        lambda: message_forward(
            actor=kg_officer, message=alert, office=AK_ZHOL, recipients=["kg-dostuk-blo"]
        ),
        PermissionDenied,
        "forward",
        message="This message is H2: forwarding it needs the permission of its originator "
        "(Kordai BLO). Ask for it first; not allowed for: kg-dostuk-blo.",
        capture=django_capture_on_commit_callbacks,
    )
    assert data["message"] == str(alert.pk)


def test_answering_a_thread_you_cannot_see(
    kz_officer, uz_officer, rfi, django_capture_on_commit_callbacks
):
    from blonet.core.errors import NotFound
    from blonet.exchange.services import message_send, rfi_answer

    request = rfi(kz_officer)
    data = refused(
        lambda: rfi_answer(actor=uz_officer, message=request, office=OYBEK, body="Guess."),
        NotFound,
        "answer",
        message="Not found.",
        capture=django_capture_on_commit_callbacks,
    )
    assert data["message"] == str(request.pk)
    refused(
        lambda: message_send(
            actor=uz_officer,
            office=OYBEK,
            recipients=[KORDAI],
            kind="correspondence",
            thread=request.thread,
            body="Anything?",
        ),
        NotFound,
        "send",
        message="Not found.",
        capture=django_capture_on_commit_callbacks,
    )


def test_answering_a_request_not_addressed_to_your_office(
    kz_officer, kg_sc_officer, rfi, django_capture_on_commit_callbacks
):
    from blonet.core.errors import ValidationError
    from blonet.exchange.services import rfi_answer

    request = rfi(kz_officer)  # the KG situation centre sees it, but was not asked
    refused(
        lambda: rfi_answer(actor=kg_sc_officer, message=request, office=KG_SC, body="Yes."),
        ValidationError,
        "answer",
        field="message",
        message="This message is not a request to your office.",
        capture=django_capture_on_commit_callbacks,
    )


def test_an_oversized_attachment(kz_officer, send, settings, django_capture_on_commit_callbacks):
    from blonet.core.errors import ValidationError

    settings.BLONET_EXCHANGE_MAX_ATTACHMENT_BYTES = 2**20
    big = SimpleUploadedFile("scan.png", PNG + b"\x00" * (2**20 + 10), content_type="image/png")
    refused(
        lambda: send(kz_officer, attachments=[big]),
        ValidationError,
        "send",
        field="attachments[0]",
        message="The file is 2 MB; the limit is 1 MB.",
        capture=django_capture_on_commit_callbacks,
    )


def test_an_attachment_that_is_not_what_it_says(
    kz_officer, send, django_capture_on_commit_callbacks
):
    from blonet.core.errors import ValidationError

    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 not an image", content_type="image/jpeg")
    refused(
        lambda: send(kz_officer, attachments=[fake]),
        ValidationError,
        "send",
        field="attachments[0]",
        message="This is not a PDF, an office document or an image.",
        capture=django_capture_on_commit_callbacks,
    )


def test_a_deadline_in_the_past(kz_officer, rfi, django_capture_on_commit_callbacks):
    from blonet.core.errors import ValidationError

    refused(
        lambda: rfi(kz_officer, due_at=timezone.now() - dt.timedelta(minutes=1)),
        ValidationError,
        "send",
        field="due_at",
        message="The due time is in the past: give a time after now.",
        capture=django_capture_on_commit_callbacks,
    )


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "Look: <img src=x onerror=alert(1)>",
        '<a href="javascript:alert(1)">details</a>',
        "<svg/onload=alert(1)>",
    ],
)
def test_script_injection_in_the_text(kz_officer, send, text, django_capture_on_commit_callbacks):
    from blonet.core.errors import ValidationError

    refused(
        lambda: send(kz_officer, body=text),
        ValidationError,
        "send",
        field="body",
        message="The text contains HTML or script markup; write it as plain text.",
        capture=django_capture_on_commit_callbacks,
    )


def test_markup_in_a_structured_field(kz_officer, send, django_capture_on_commit_callbacks):
    from blonet.core.errors import ValidationError

    structured = {"plate": "01 KG 123 ABC", "driver": "<b onmouseover=alert(1)>Yusuf</b>"}
    refused(
        lambda: send(kz_officer, structured=structured),
        ValidationError,
        "send",
        field="structured.driver",
        message="Structured fields take plain values: remove “<” and “>”.",
        capture=django_capture_on_commit_callbacks,
    )


def test_plain_angle_brackets_are_kept_as_written(kz_officer, send):
    message = send(kz_officer, body="Load < 5 t, driver said <<no>>.")
    assert message.body == "Load < 5 t, driver said <<no>>."


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"kind": "answer"}, "kind", "Choose alert, request for information, joint action or "
         "correspondence."),
        ({"priority": "asap"}, "priority", "Priority is routine, urgent or immediate."),
        ({"due_at": "tomorrow"}, "due_at", "Only requests for information and joint actions "
         "have a due time."),
        ({"subject": ""}, "subject", "This field is required."),
        ({"template": "", "body": ""}, "body", "Write the message or fill in the template."),
        ({"template": "tank_alert"}, "template", "Unknown template “tank_alert”."),
        ({"structured": {"plate": ""}}, "structured.plate", "This field is required."),
        ({"structured": {"plate": "X1", "colour2": "red"}}, "structured.colour2",
         "Not a field of this template."),
        ({"structured": {"plate": "X1", "expected_at": "soon"}}, "structured.expected_at",
         "Write the time as YYYY-MM-DD HH:MM."),
        ({"structured": {"plate": "X1", "quantity": "-3"}}, "structured.quantity",
         "The quantity must be more than zero."),
        ({"structured": {"plate": "X1", "vehicle_country": "XX"}}, "structured.vehicle_country",
         "Give the country as an ISO 3166 code, e.g. KZ."),
        ({"language": "fr"}, "language", "Unknown language “fr”."),
        ({"sharing": {"handling_codes": ["H3"]}}, "handling_conditions",
         "H3 needs its restrictions written out."),
        ({"sharing": {"distribution": "bilateral", "counterpart_country": "KZ"}},
         "counterpart_country", "The other country cannot be your own."),
        ({"sharing": {"classification": 3}}, "classification",
         "You cannot mark a message above your own clearance."),
        ({"body": "x" * 20_001}, "body", "At most 20000 characters (this is 20001)."),
    ],
)  # fmt: skip
def test_field_level_reasons(
    kz_officer, send, overrides, field, message, django_capture_on_commit_callbacks
):
    from blonet.core.errors import ValidationError

    refused(
        lambda: send(kz_officer, **overrides),
        ValidationError,
        "send",
        field=field,
        message=message,
        capture=django_capture_on_commit_callbacks,
    )


def test_rfi_deadline_too_far(kz_officer, rfi, django_capture_on_commit_callbacks):
    from blonet.core.errors import ValidationError

    refused(
        lambda: rfi(kz_officer, due_at=timezone.now() + dt.timedelta(days=120)),
        ValidationError,
        "send",
        field="due_at",
        message="The due time is more than 90 days away.",
        capture=django_capture_on_commit_callbacks,
    )
