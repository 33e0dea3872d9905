"""The read-only directory API: auth, filters, one error shape, constant query count."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db
BASE = "/api/v1/directory"


@pytest.fixture
def api(kz_officer):
    client = APIClient()
    token = Token.objects.create(user=kz_officer)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def test_authentication_required(directory):
    response = APIClient().get(f"{BASE}/offices/")
    assert response.status_code in (401, 403)
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == "not_authenticated"


def test_bad_token_is_refused(directory):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = client.get(f"{BASE}/offices/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"


def test_offices_filter_by_border_and_kind(api):
    response = api.get(f"{BASE}/offices/", {"border": "KG-KZ", "kind": "BLO"})
    assert response.status_code == 200
    rows = response.json()["results"]
    assert sorted(r["id"] for r in rows) == ["kg-ak-zhol-blo", "kz-kordai-blo"]
    kordai = next(r for r in rows if r["id"] == "kz-kordai-blo")
    assert kordai["counterparts"] == ["kg-ak-zhol-blo"]
    assert kordai["opened"] == "2019"


def test_search_and_ordering(api):
    rows = api.get(f"{BASE}/offices/", {"q": "kordai"}).json()["results"]
    assert [r["id"] for r in rows] == ["kz-kordai-blo"]
    names = [
        r["name"]
        for r in api.get(f"{BASE}/sites/", {"ordering": "-name", "page_size": 500}).json()[
            "results"
        ]
    ]
    assert names == sorted(names, reverse=True)


def test_bad_parameters_give_the_error_shape(api):
    response = api.get(f"{BASE}/offices/", {"kind": "SPACESHIP"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert "kind" in error["fields"]
    assert api.get(f"{BASE}/offices/", {"page": "9999"}).status_code == 404
    assert api.get(f"{BASE}/offices/nowhere/").json()["error"]["code"] == "not_found"
    assert api.get(f"{BASE}/offices/", {"border": "nonsense"}).json()["count"] == 0


def test_detail_and_other_lists(api):
    office = api.get(f"{BASE}/offices/kz-kordai-blo/").json()
    assert office["site"] == "kz-kordai-bcp"
    site = api.get(f"{BASE}/sites/kz-kordai-bcp/").json()
    assert sorted(site["border"]) == ["KG", "KZ"]
    countries = api.get(f"{BASE}/countries/").json()["results"]
    assert {c["code"] for c in countries} >= {"KZ", "KG", "TJ", "TM", "UZ"}
    pairs = api.get(f"{BASE}/counterpart-pairs/").json()["results"]
    assert ["kg-ak-zhol-blo", "kz-kordai-blo"] in [p["offices"] for p in pairs]
    assert api.get("/api/v1/accounts/me/").json()["postings"][0]["office"] == "kz-kordai-blo"


def test_country_names_follow_the_language(api):
    ru = api.get(f"{BASE}/countries/KZ/", HTTP_ACCEPT_LANGUAGE="ru").json()
    assert ru["name"] == "Казахстан"


def test_office_list_query_count_is_constant(api, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = api.get(f"{BASE}/offices/", {"page_size": 500})
    assert response.json()["count"] >= 40


def test_schema_and_docs_are_served_offline(api, client, kz_officer):
    assert api.get("/api/schema/").status_code == 200
    client.force_login(kz_officer)
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content
    assert b"cdn" not in docs.content.lower()
