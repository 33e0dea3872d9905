"""Health, errors, security headers, language switch and the HTML pages in English and Russian."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["version"]


def test_security_headers(client):
    response = client.get(reverse("account_login"))
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_anonymous_is_sent_to_login(client, directory):
    for url in ("/", "/directory/", "/directory/offices/", "/directory/map.json"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_missing_page_is_a_clear_404(client, kz_officer):
    client.force_login(kz_officer)
    response = client.get("/directory/offices/no-such-office/")
    assert response.status_code == 404
    assert b"Not found" in response.content
    assert b"Traceback" not in response.content


PAGES = [
    ("home", [], "Border Liaison Offices"),
    ("directory:map", [], "The border network"),
    ("directory:office_list", [], "Offices"),
    ("directory:office_detail", ["kz-kordai-blo"], "Counterpart across the border"),
    ("directory:site_list", [], "Sites"),
    ("directory:site_detail", ["kz-kordai-bcp"], "Offices here"),
    ("directory:agency_list", [], "Agencies"),
    ("directory:agency_detail", ["kz-border-service"], "Offices"),
]


@pytest.mark.parametrize(("name", "args", "english"), PAGES)
def test_pages_in_english_and_russian(client, kz_officer, name, args, english):
    client.force_login(kz_officer)
    url = reverse(name, args=args)
    en = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert en.status_code == 200
    assert english in en.content.decode()
    client.cookies["django_language"] = "ru"
    ru = client.get(url)
    assert ru.status_code == 200
    text = ru.content.decode()
    assert '<html lang="ru">' in text
    assert english not in text, f"untranslated on {url}: {english}"


def test_office_list_filters_and_htmx_rows(client, kz_officer):
    client.force_login(kz_officer)
    url = reverse("directory:office_list")
    page = client.get(url, {"kind": "BLO", "border": "KZ-KG"}).content.decode()
    assert "Kordai" in page
    assert "2 results" in page
    rows = client.get(url, {"q": "kordai"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in rows
    assert "Kordai" in rows
    empty = client.get(url, {"q": "zzzz-nothing"}).content.decode()
    assert "No office matches" in empty
    bad = client.get(url, {"kind": "NOPE"})
    assert bad.status_code == 200
    assert "Select a valid choice" in bad.content.decode()


def test_map_data(client, kz_officer):
    client.force_login(kz_officer)
    data = client.get(reverse("directory:map_data")).json()
    kordai = next(s for s in data["sites"] if s["id"] == "kz-kordai-bcp")
    assert kordai["offices"][0]["id"] == "kz-kordai-blo"
    assert any({p["a"], p["b"]} == {"kz-kordai-blo", "kg-ak-zhol-blo"} for p in data["pairs"])


def test_language_switch(client, kz_officer):
    client.force_login(kz_officer)
    response = client.post(reverse("set_language"), {"language": "ru", "next": "/"})
    assert response.status_code == 302
    assert "Добро пожаловать" in client.get("/").content.decode()
