"""POST /api/v1/screening/check and the hit decisions: auth, shape, errors, same service."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from blonet.audit.models import AuditEvent
from blonet.screening.models import DismissedPair, Hit, ScreeningRun
from tests.screening.conftest import td3_mrz

pytestmark = pytest.mark.django_db

CHECK = "/api/v1/screening/check"


@pytest.fixture
def api(kz_officer):
    client = APIClient()
    client.force_authenticate(kz_officer)
    return client


def test_auth_is_required(directory):
    response = APIClient().post(CHECK, {"name": "x"}, format="json")
    assert response.status_code in (401, 403)
    assert ScreeningRun.objects.count() == 0


def test_check_answers_hits_with_explanations(person_list, api):
    response = api.post(CHECK, {"name": td3_mrz()}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["warnings"] == []
    assert body["mrz"]["surname"] == "QURBONOV" and body["mrz"]["dob"] == "1985-03-12"
    [hit] = body["hits"]
    assert hit["entry"]["subject"] == "Курбонов Юсуф Абдуллоевич"
    assert hit["entry"]["watchlist"]["name"] == "CARICC couriers"
    assert hit["explanation"][0] == "family name Курбонов = QURBONOV (Tajik Cyrillic → ICAO MRZ)"
    assert hit["status"] == "open" and hit["score"] >= 0.95
    run = ScreeningRun.objects.get()
    assert body["run"] == str(run.pk) and run.source == "api"
    assert AuditEvent.objects.filter(action="screening.check", target_id=str(run.pk)).count() == 1


def test_explanations_follow_the_request_language(person_list, api):
    response = api.post(
        CHECK, {"name": "QURBONOV<<YUSUF"}, format="json", HTTP_ACCEPT_LANGUAGE="ru"
    )
    assert response.status_code == 200
    assert response.json()["hits"][0]["entry"]["subject"] == "Курбонов Юсуф Абдуллоевич"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "a"}, "name"),
        ({"name": "محمد"}, "name"),
        ({"name": "Qurbonov", "dob": "31.02.1985"}, "dob"),
        ({"name": ["a", "b"]}, "name"),
        ({"kind": "boat", "name": "x"}, "kind"),
        ({"kind": "vehicle"}, "plate"),
        ({"kind": "container", "container": "?"}, "container"),
        ({"name": "Qurbonov", "office": "kg-ak-zhol-blo"}, "office"),
    ],
)
def test_bad_input_is_a_field_error(person_list, api, payload, field):
    response = api.post(CHECK, payload, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert list(error["fields"]) == [field]
    assert ScreeningRun.objects.count() == 0


def test_not_json_is_refused(person_list, api):
    response = api.post(CHECK, "name=x", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415


def test_programme_roles_are_refused(person_list, directory, make_user):
    viewer = make_user("viewer", office="uz-unodc-roca-hq", role="programme_viewer")
    client = APIClient()
    client.force_authenticate(viewer)
    response = client.post(CHECK, {"name": "Qurbonov Yusuf"}, format="json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


def test_dismiss_and_confirm(person_list, api, uz_officer):
    query = {"name": "Qurbonov Yusuf", "dob": "1985-03-12", "nationality": "TJ"}
    hit_id = api.post(CHECK, query, format="json").json()["hits"][0]["id"]
    url = f"/api/v1/screening/hits/{hit_id}/dismiss"
    assert api.post(url, {}, format="json").json()["error"]["fields"] == {
        "reason": ["Say why this is not the listed subject."]
    }
    other = APIClient()
    other.force_authenticate(uz_officer)
    assert other.post(url, {"reason": "x"}, format="json").status_code == 404
    done = api.post(url, {"reason": "Namesake: other father"}, format="json")
    assert done.status_code == 200
    assert done.json()["remembered"] is True and done.json()["hit"]["status"] == "dismissed"
    assert DismissedPair.objects.count() == 1
    assert api.post(CHECK, query, format="json").json()["hits"] == []
    again = api.post(f"/api/v1/screening/hits/{hit_id}/confirm", {}, format="json")
    assert again.status_code == 400
    assert (
        api.post("/api/v1/screening/hits/not-a-uuid/confirm", {}, format="json").status_code == 404
    )
    assert Hit.objects.get(pk=hit_id).status == "dismissed"
