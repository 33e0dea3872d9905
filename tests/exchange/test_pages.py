"""The exchange pages: inbox per office with live fragment, compose, thread, actions, stats."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
from django.utils import timezone

from tests.exchange.conftest import AK_ZHOL, DOSTUK, KG_SC, KORDAI, audit_actions, last_seq

pytestmark = pytest.mark.django_db


def _same_page(content: bytes, pk: str) -> str:
    """The page without what differs on every render (CSRF token) or echoes the URL."""
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", content.decode())
    return text.replace(pk, "<pk>")


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def test_pages_need_login(client, directory):
    for url in ("/exchange/", f"/exchange/inbox/{KORDAI}/", "/exchange/compose/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_index_goes_to_the_office_inbox(as_user, kz_officer, make_user, directory):
    assert as_user(kz_officer).get("/exchange/")["Location"] == f"/exchange/inbox/{KORDAI}/"
    viewer = make_user("viewer", office="uz-unodc-roca-hq", role="programme_viewer")
    response = as_user(viewer).get("/exchange/")
    assert response.status_code == 403
    assert "operational posting" in response.content.decode()


def test_inbox_of_an_office_you_are_not_posted_to_is_404(as_user, kz_officer):
    client = as_user(kz_officer)
    assert client.get(f"/exchange/inbox/{AK_ZHOL}/").status_code == 404
    assert client.get("/exchange/inbox/no-such-office/").status_code == 404


def test_inbox_shows_tabs_counts_rows_and_quick_buttons(as_user, kz_officer, kg_officer, send, rfi):
    send(kz_officer)
    rfi(kz_officer)
    page = as_user(kg_officer).get(f"/exchange/inbox/{AK_ZHOL}/").content.decode()
    assert page.count('data-testid="inbox-row"') == 2
    assert 'data-testid="count-unread">2<' in page
    assert 'data-testid="count-mine">1<' in page
    assert "Vehicle alert to Kordai BLO" in page
    assert f"to={KORDAI}&amp;kind=alert&amp;template=vehicle_alert" in page
    mine = as_user(kg_officer).get(f"/exchange/inbox/{AK_ZHOL}/?tab=mine").content.decode()
    assert mine.count('data-testid="inbox-row"') == 1
    assert 'data-kind="rfi"' in mine
    theirs = as_user(kz_officer).get(f"/exchange/inbox/{KORDAI}/?tab=theirs").content.decode()
    assert theirs.count('data-testid="inbox-row"') == 1
    assert "Ak-Zhol" in theirs


def test_live_fragment_answers_204_until_something_changes(as_user, kz_officer, kg_officer, send):
    from blonet.directory.models import Office
    from blonet.exchange import selectors

    client = as_user(kg_officer)
    office = Office.objects.get(pk=AK_ZHOL)
    stamp = selectors.inbox_stamp(user=kg_officer, office=office)
    url = f"/exchange/inbox/{AK_ZHOL}/live/"
    assert client.get(url, {"v": stamp, "tab": "all"}).status_code == 204
    send(kz_officer)
    response = client.get(url, {"v": stamp, "tab": "all"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.startswith('<div id="inbox-live"')
    assert body.count('data-testid="inbox-row"') == 1
    assert "<html" not in body
    assert client.get(url, {"v": stamp, "idle": 99999}).status_code == 286


def test_compose_prefilled_for_the_counterpart_then_sent(as_user, kz_officer):
    from blonet.exchange.models import Message

    client = as_user(kz_officer)
    page = client.get(
        "/exchange/compose/",
        {"from": KORDAI, "to": AK_ZHOL, "kind": "alert", "template": "vehicle_alert"},
    ).content.decode()
    assert f'<option value="{AK_ZHOL}" selected>' in page
    assert 'name="s_plate"' in page
    response = client.post(
        "/exchange/compose/",
        {
            "from_office": KORDAI,
            "recipients": [AK_ZHOL],
            "kind": "alert",
            "priority": "urgent",
            "template": "vehicle_alert",
            "s_plate": "01 KG 123 ABC",
            "s_driver": "Қурбонов Юсуф",
            "s_expected_at": "2026-12-24T16:00",
            "subject": "Truck",
            "body": "",
            "language": "en",
            "distribution": "office",
            "source_reliability": "B",
            "information_accuracy": "2",
            "classification": "1",
        },
    )
    message = Message.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/exchange/threads/{message.thread_id}/"
    assert message.structured["driver"] == "Қурбонов Юсуф"
    assert message.evaluation == "B2"


def test_compose_errors_shown_on_the_fields_and_nothing_sent(as_user, kz_officer):
    from blonet.exchange.models import Message

    response = as_user(kz_officer).post(
        "/exchange/compose/",
        {
            "from_office": KORDAI,
            "recipients": [AK_ZHOL],
            "kind": "rfi",
            "priority": "urgent",
            "template": "person_check",
            "s_full_name": "",
            "due_at": "2020-01-01T10:00",
            "subject": "Check",
            "body": "<script>alert(1)</script>",
            "language": "en",
            "distribution": "office",
            "source_reliability": "X",
            "information_accuracy": "4",
            "classification": "1",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-testid="error-due_at">The due time is in the past' in page
    assert 'data-testid="error-s_full_name">This field is required.' in page
    assert 'data-testid="error-body">The text contains HTML or script markup' in page
    assert "<script>alert(1)</script>" not in page
    assert Message.objects.count() == 0


def test_thread_page_marks_read_audits_the_view_and_renders_text_inert(
    as_user, kz_officer, kg_officer, send
):
    alert = send(kz_officer, body='Load < 5 t; <b>bold</b> & "quoted"')
    client = as_user(kg_officer)
    before = last_seq()
    page = client.get(f"/exchange/threads/{alert.thread_id}/").content.decode()
    assert "Load &lt; 5 t; &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot;" in page
    assert "<b>bold</b>" not in page
    assert audit_actions(before) == ["exchange.message.read", "exchange.thread.viewed"]
    receipt = alert.recipients.get()
    assert receipt.read_by == kg_officer
    assert 'data-testid="acknowledge"' in page
    # Names in the other script; the sender's person hidden from another country.
    assert "Qurbonov Yusuf" in page
    assert "kz.officer" not in page


def test_russian_ui_shows_the_latin_name_in_cyrillic(client, kz_officer, kg_officer, send):
    alert = send(kz_officer, structured={"plate": "01 KG 123 ABC", "driver": "Qurbonov Yusuf"})
    client.force_login(kg_officer)
    page = client.get(
        f"/exchange/threads/{alert.thread_id}/", HTTP_ACCEPT_LANGUAGE="ru"
    ).content.decode()
    assert '<html lang="ru">' in page
    assert "(Курбонов Юсуф)" in page


def test_hidden_and_missing_threads_look_the_same(as_user, kz_officer, uz_officer, send):
    alert = send(kz_officer)
    client = as_user(uz_officer)
    hidden = client.get(f"/exchange/threads/{alert.thread_id}/")
    missing = client.get(f"/exchange/threads/{uuid.uuid4()}/")
    assert hidden.status_code == missing.status_code == 404
    assert _same_page(hidden.content, str(alert.thread_id)) == _same_page(
        missing.content, missing.wsgi_request.path.split("/")[3]
    )
    for url in (
        f"/exchange/threads/{alert.thread_id}/live/",
        f"/exchange/messages/{alert.pk}/forward/",
    ):
        assert client.get(url).status_code == 404
    assert (
        client.post(
            f"/exchange/messages/{alert.pk}/acknowledge/", {"office": "uz-oybek-blo"}
        ).status_code
        == 404
    )
    assert client.get("/exchange/threads/").content.decode().count("<tr>") == 0


def test_acknowledge_and_answer_from_the_thread_page(as_user, kz_officer, kg_officer, rfi):
    request = rfi(kz_officer)
    client = as_user(kg_officer)
    url = f"/exchange/messages/{request.pk}/"
    assert client.post(url + "acknowledge/", {"office": AK_ZHOL}).status_code == 302
    response = client.post(
        url + "answer/",
        {
            "office": AK_ZHOL,
            "body": "Известен: две изъятия в 2025 году.",
            "language": "ru",
            "distribution": "office",
            "source_reliability": "A",
            "information_accuracy": "1",
            "classification": "1",
        },
    )
    assert response.status_code == 302
    receipt = request.recipients.get()
    assert receipt.acknowledged_by == kg_officer
    assert receipt.answer.body == "Известен: две изъятия в 2025 году."
    assert receipt.answer.language == "ru"
    page = as_user(kz_officer).get(f"/exchange/threads/{request.thread_id}/").content.decode()
    assert "Известен: две изъятия в 2025 году." in page
    assert f'data-testid="response-{AK_ZHOL}">' in page
    assert "on time" in page


def test_answer_form_errors_keep_the_page(as_user, kz_officer, kg_officer, rfi):
    request = rfi(kz_officer)
    response = as_user(kg_officer).post(
        f"/exchange/messages/{request.pk}/answer/",
        {"office": AK_ZHOL, "body": "<iframe src=x>", "language": "ru", "distribution": "office",
         "source_reliability": "A", "information_accuracy": "1", "classification": "1"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "The text contains HTML or script markup" in response.content.decode()
    assert request.recipients.get().answered_at is None


def test_situation_centre_sees_the_timeline_and_the_response_time(
    as_user, kz_officer, kg_officer, kg_sc_officer, rfi
):
    from blonet.exchange.services import rfi_answer

    request = rfi(kz_officer, now=timezone.now() - dt.timedelta(hours=2, minutes=30))
    rfi_answer(actor=kg_officer, message=request, office=AK_ZHOL, body="Not known.")
    page = as_user(kg_sc_officer).get(f"/exchange/threads/{request.thread_id}/").content.decode()
    assert page.count('data-testid="message"') == 2
    assert f'data-testid="response-{AK_ZHOL}">2 h 30 min' in page
    assert 'data-testid="acknowledge"' not in page  # not addressed: nothing to acknowledge
    stats = as_user(kg_sc_officer).get("/exchange/statistics/?days=30").content.decode()
    assert 'data-key="kg-ak-zhol-blo"' in stats
    assert 'data-key="KG-KZ"' in stats
    assert 'data-testid="median">2 h 30 min' in stats


def test_forward_page_for_h2_asks_permission_then_forwards(as_user, kz_officer, kg_officer, send):
    from blonet.exchange.models import ForwardPermission, Message

    alert = send(kz_officer, sharing={"handling_codes": ["H2"]})
    client = as_user(kg_officer)
    page = client.get(f"/exchange/messages/{alert.pk}/forward/").content.decode()
    assert "H2: onward sharing needs the permission of the originator" in page
    refused = client.post(
        f"/exchange/messages/{alert.pk}/forward/", {"office": AK_ZHOL, "recipients": [DOSTUK]}
    )
    assert refused.status_code == 403
    assert "needs the permission of its originator" in refused.content.decode()
    asked = client.post(
        f"/exchange/messages/{alert.pk}/permission/",
        {"office": AK_ZHOL, "targets": [DOSTUK], "reason": "May turn to Dostuk."},
    )
    assert asked.status_code == 302
    permission = ForwardPermission.objects.get()
    inbox = as_user(kz_officer).get(f"/exchange/inbox/{KORDAI}/").content.decode()
    assert 'data-testid="permission-requests"' in inbox
    thread = as_user(kz_officer).get(f"/exchange/threads/{alert.thread_id}/").content.decode()
    assert 'data-testid="grant"' in thread
    decided = as_user(kz_officer).post(
        f"/exchange/permissions/{permission.pk}/decide/", {"decision": "grant", "note": "OK"}
    )
    assert decided.status_code == 302
    forwarded = as_user(kg_officer).post(
        f"/exchange/messages/{alert.pk}/forward/", {"office": AK_ZHOL, "recipients": [DOSTUK]}
    )
    assert forwarded.status_code == 302
    assert Message.objects.filter(forwarded_from=alert).count() == 1


def test_reply_in_the_thread_goes_to_the_other_participants(as_user, kz_officer, kg_officer, send):
    from blonet.exchange.models import Message

    alert = send(kz_officer, recipients=[AK_ZHOL, KG_SC])
    client = as_user(kg_officer)
    page = client.get(
        f"/exchange/compose/?thread={alert.thread_id}&kind=correspondence&template="
    ).content.decode()
    assert f'<option value="{KORDAI}" selected>' in page
    assert f'<option value="{KG_SC}" selected>' in page
    assert 'name="subject"' not in page
    response = client.post(
        "/exchange/compose/",
        {"thread": str(alert.thread_id), "reply_to": str(alert.pk), "from_office": AK_ZHOL,
         "recipients": [KORDAI], "kind": "correspondence", "priority": "routine", "template": "",
         "body": "Seen, waiting.", "language": "ru", "distribution": "office",
         "source_reliability": "X", "information_accuracy": "4", "classification": "1"},
    )  # fmt: skip
    assert response.status_code == 302
    reply = Message.objects.get(in_reply_to=alert)
    assert reply.thread_id == alert.thread_id


def test_thread_live_notice(as_user, kz_officer, kg_officer, send):
    from blonet.exchange.services import message_acknowledge

    alert = send(kz_officer)
    client = as_user(kz_officer)
    page = client.get(f"/exchange/threads/{alert.thread_id}/").content.decode()
    marker = 'hx-get="/exchange/threads/'
    url = page[page.index(marker) + len('hx-get="') :].split('"', 1)[0].replace("&amp;", "&")
    assert client.get(url).status_code == 204
    message_acknowledge(actor=kg_officer, message=alert, office=AK_ZHOL)
    changed = client.get(url)
    assert changed.status_code == 200
    assert 'data-testid="thread-changed"' in changed.content.decode()


def test_seizure_notification_page(as_user, kz_officer, record_seizure):
    from blonet.exchange.models import Message

    seizure = record_seizure(kz_officer)
    client = as_user(kz_officer)
    page = client.get(f"/exchange/seizures/{seizure.pk}/notify/").content.decode()
    assert f'<option value="{AK_ZHOL}" selected>' in page  # the counterpart, preselected
    assert "Qurbonov Yusuf" in page
    response = client.post(
        f"/exchange/seizures/{seizure.pk}/notify/",
        {"from_office": KORDAI, "recipients": [AK_ZHOL], "body": "", "distribution": "office",
         "source_reliability": "X", "information_accuracy": "4", "classification": "1"},
    )  # fmt: skip
    assert response.status_code == 302
    assert Message.objects.get().seizure_id == seizure.pk


def test_attachment_download_is_audited_and_hidden_from_others(
    as_user, kz_officer, kg_officer, uz_officer, send
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    png = SimpleUploadedFile(
        "plate.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, content_type="image/png"
    )
    alert = send(kz_officer, attachments=[png])
    attachment = alert.attachments.get()
    response = as_user(kg_officer).get(f"/exchange/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert 'filename="plate.png"' in response["Content-Disposition"]
    assert audit_actions()[-1] == "exchange.attachment.downloaded"
    assert as_user(uz_officer).get(f"/exchange/attachments/{attachment.pk}/").status_code == 404
