"""The exchange API: the same services and selectors as the pages, one error shape."""

from __future__ import annotations

import uuid

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.exchange.conftest import AK_ZHOL, DOSTUK, KORDAI, VEHICLE, audit_actions

pytestmark = pytest.mark.django_db
BASE = "/api/v1/exchange"


@pytest.fixture
def api():
    def client_for(user):
        client = APIClient()
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return client_for


def _alert(**extra):
    return {
        "office": KORDAI,
        "recipients": [AK_ZHOL],
        "kind": "alert",
        "subject": "Truck",
        "template": "vehicle_alert",
        "structured": VEHICLE,
        "priority": "immediate",
        **extra,
    }


def test_authentication_required(directory):
    response = APIClient().get(f"{BASE}/threads/")
    assert response.status_code in (401, 403)
    assert response.json()["error"]["code"] == "not_authenticated"


def test_send_read_acknowledge(api, kz_officer, kg_officer):
    sent = api(kz_officer).post(f"{BASE}/messages/", _alert(), format="json")
    assert sent.status_code == 201, sent.json()
    body = sent.json()
    assert body["kind"] == "alert"
    assert body["sender_office"] == KORDAI
    assert [r["office"] for r in body["recipients"]] == [AK_ZHOL]
    assert body["structured"]["plate"] == "01 KG 123 ABC"
    driver = next(r for r in body["structured_display"] if r["name"] == "driver")
    assert driver == {
        "name": "driver",
        "label": "Driver",
        "values": [["Қурбонов Юсуф", "Qurbonov Yusuf"]],
    }
    client = api(kg_officer)
    assert client.get(f"{BASE}/inbox/{AK_ZHOL}/").json() == {
        "office": AK_ZHOL, "unread": 1, "mine": 0, "theirs": 0, "overdue": 0, "permissions": 0,
    }  # fmt: skip
    read = client.post(f"{BASE}/messages/{body['id']}/read/", {"office": AK_ZHOL}, format="json")
    assert read.status_code == 200
    assert read.json()["read_at"] is not None
    ack = client.post(f"{BASE}/messages/{body['id']}/acknowledge/", {"office": AK_ZHOL})
    assert ack.json()["acknowledged_at"] is not None
    assert client.get(f"{BASE}/inbox/").json() == [
        {"office": AK_ZHOL, "unread": 0, "mine": 0, "theirs": 0, "overdue": 0, "permissions": 0}
    ]


def test_rfi_answered_through_the_api(api, kz_officer, kg_officer):
    rfi = (
        api(kz_officer)
        .post(
            f"{BASE}/messages/",
            _alert(kind="rfi", template="person_check", structured={"full_name": "Qurbonov Yusuf"}),
            format="json",
        )
        .json()
    )
    assert rfi["due_at"] is not None
    client = api(kg_officer)
    items = client.get(f"{BASE}/inbox/{AK_ZHOL}/items/", {"tab": "mine"}).json()
    assert [i["message"] for i in items["results"]] == [rfi["id"]]
    assert items["results"][0]["subject"] == "Truck"
    answer = client.post(
        f"{BASE}/messages/{rfi['id']}/answer/",
        {"office": AK_ZHOL, "body": "Not known to us.", "language": "en"},
        format="json",
    )
    assert answer.status_code == 201
    assert answer.json()["kind"] == "answer"
    assert answer.json()["in_reply_to"] == rfi["id"]
    thread = api(kz_officer).get(f"{BASE}/threads/{rfi['thread']}/").json()
    assert [m["kind"] for m in thread["messages"]] == ["rfi", "answer"]
    receipt = thread["messages"][0]["recipients"][0]
    assert receipt["answer"] == answer.json()["id"]
    assert receipt["response_seconds"] is not None
    assert audit_actions()[-1] == "exchange.thread.viewed"


def test_bad_input_gives_the_error_shape_and_is_audited(api, kz_officer):
    response = api(kz_officer).post(
        f"{BASE}/messages/",
        _alert(
            kind="rfi",
            template="",
            structured={},
            body="<script>x</script>",
            due_at="2001-01-01T00:00",
        ),
        format="json",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert error["fields"] == {
        "due_at": ["The due time is in the past: give a time after now."],
        "body": ["The text contains HTML or script markup; write it as plain text."],
    }
    assert audit_actions()[-1] == "exchange.refused"
    parse = api(kz_officer).post(f"{BASE}/messages/", {"office": KORDAI}, format="json")
    assert parse.status_code == 400
    assert set(parse.json()["error"]["fields"]) == {"recipients", "kind"}


def test_hidden_and_missing_are_the_same_404(api, kz_officer, uz_officer):
    sent = api(kz_officer).post(f"{BASE}/messages/", _alert(), format="json").json()
    client = api(uz_officer)
    for url in (f"{BASE}/threads/{{}}/", f"{BASE}/messages/{{}}/"):
        hidden = client.get(url.format(sent["thread"] if "threads" in url else sent["id"]))
        missing = client.get(url.format(uuid.uuid4()))
        assert hidden.status_code == missing.status_code == 404
        assert (
            hidden.json()
            == missing.json()
            == {"error": {"code": "not_found", "message": "Not found.", "fields": {}}}
        )
    assert client.get(f"{BASE}/messages/not-a-uuid/").status_code == 404
    assert client.get(f"{BASE}/threads/").json()["count"] == 0
    assert client.get(f"{BASE}/messages/").json()["count"] == 0
    assert client.get(f"{BASE}/inbox/{AK_ZHOL}/").status_code == 404
    answer = client.post(
        f"{BASE}/messages/{sent['id']}/answer/", {"office": "uz-oybek-blo", "body": "x"}
    )
    assert answer.status_code == 404
    reply = client.post(
        f"{BASE}/messages/",
        {"office": "uz-oybek-blo", "recipients": [KORDAI], "kind": "correspondence",
         "thread": sent["thread"], "body": "?"},
        format="json",
    )  # fmt: skip
    assert reply.status_code == 404


def test_h2_forwarding_through_the_api(api, kz_officer, kg_officer):
    sent = (
        api(kz_officer)
        .post(f"{BASE}/messages/", _alert(handling_codes=["H2"]), format="json")
        .json()
    )
    client = api(kg_officer)
    url = f"{BASE}/messages/{sent['id']}/"
    refused = client.post(
        url + "forward/", {"office": AK_ZHOL, "recipients": [DOSTUK]}, format="json"
    )
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "permission_denied"
    asked = client.post(
        url + "permission-requests/",
        {"office": AK_ZHOL, "targets": [DOSTUK], "reason": "Route via Dostuk."},
        format="json",
    )
    assert asked.status_code == 201
    pid = asked.json()["id"]
    assert client.post(f"{BASE}/permission-requests/{pid}/grant/").status_code == 403
    granted = api(kz_officer).post(f"{BASE}/permission-requests/{pid}/grant/", {"note": "ok"})
    assert granted.json()["status"] == "granted"
    forwarded = client.post(
        url + "forward/", {"office": AK_ZHOL, "recipients": [DOSTUK]}, format="json"
    )
    assert forwarded.status_code == 201
    assert forwarded.json()["forwarded_from"] == sent["id"]
    assert forwarded.json()["distribution"] == "office"


def test_seizure_notification_and_links(api, kz_officer, record_seizure):
    seizure = record_seizure(kz_officer)
    client = api(kz_officer)
    sent = client.post(
        f"{BASE}/messages/",
        {"office": KORDAI, "recipients": [AK_ZHOL], "kind": "seizure_notification",
         "seizure": str(seizure.pk)},
        format="json",
    )  # fmt: skip
    assert sent.status_code == 201, sent.json()
    assert sent.json()["structured"]["reference"] == seizure.reference
    thread = client.get(f"{BASE}/threads/{sent.json()['thread']}/").json()
    assert thread["links"][0]["kind"] == "seizure"
    assert thread["links"][0]["target_id"] == str(seizure.pk)
    again = client.post(
        f"{BASE}/threads/{thread['id']}/links/",
        {"office": KORDAI, "kind": "seizure", "target": str(seizure.pk)},
        format="json",
    )
    assert again.status_code == 400
    assert again.json()["error"]["fields"] == {"target": ["The thread already links to it."]}


def test_list_query_counts_stay_flat(api, kz_officer, kg_officer, django_assert_max_num_queries):
    client = api(kz_officer)
    for _ in range(5):
        client.post(f"{BASE}/messages/", _alert(), format="json")
    reader = api(kg_officer)
    with django_assert_max_num_queries(9):
        assert reader.get(f"{BASE}/messages/").json()["count"] == 5
    with django_assert_max_num_queries(6):
        assert reader.get(f"{BASE}/threads/").json()["count"] == 5
    with django_assert_max_num_queries(12):
        assert reader.get(f"{BASE}/inbox/{AK_ZHOL}/items/").json()["count"] == 5
