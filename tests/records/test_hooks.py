"""Higher contexts hear of saved records on commit, and add sections to a record's page."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from blonet.records import hooks

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard(monkeypatch):
    calls: list[tuple[str, str]] = []
    monkeypatch.setattr(hooks, "RECORD_SAVED", [])
    hooks.register_record_saved(
        lambda *, actor, record: calls.append((actor.username, record.reference))
    )
    return calls


def test_handlers_run_after_commit_only(
    kz_officer, record_seizure, heard, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        seizure = record_seizure(kz_officer)
    assert heard == []
    for callback in callbacks:
        callback()
    assert heard == [("kz.officer", seizure.reference)]


def test_a_failing_handler_never_undoes_the_record(
    kz_officer, record_seizure, monkeypatch, django_capture_on_commit_callbacks
):
    from blonet.records.models import Seizure

    def boom(**kwargs):
        raise RuntimeError("listener down")

    monkeypatch.setattr(hooks, "RECORD_SAVED", [boom])
    with django_capture_on_commit_callbacks(execute=True):
        seizure = record_seizure(kz_officer)
    assert Seizure.objects.filter(pk=seizure.pk).exists()


@pytest.fixture
def sections(monkeypatch):
    """Record and entity sections of this test only; `calls` counts the section calls."""
    calls: list[str] = []
    monkeypatch.setattr(hooks, "RECORD_SECTIONS", {})
    monkeypatch.setattr(hooks, "ENTITY_SECTIONS", {})

    def shown(user, record):
        calls.append("shown")
        return {"template": "records/_history.html", "history": [], "record": record}

    def hidden(user, record):
        calls.append("hidden")
        return None

    hooks.register_record_section(shown, name="shown")
    hooks.register_record_section(hidden, name="hidden")
    hooks.register_entity_section(shown, name="shown")
    return calls


def _placeholders(html: str) -> list[tuple[str, str]]:
    return re.findall(r'data-section="([^"]+)" hx-get="([^"]+)" hx-trigger="load"', html)


def test_the_page_holds_a_placeholder_per_section_and_calls_none(
    client, kz_officer, record_seizure, sections
):
    seizure = record_seizure(kz_officer)
    client.force_login(kz_officer)
    html = client.get(seizure.get_absolute_url()).content.decode()
    base = f"/records/seizures/{seizure.pk}/section"
    assert _placeholders(html) == [("shown", f"{base}/shown/"), ("hidden", f"{base}/hidden/")]
    assert "Loading…" in html and 'aria-busy="true"' in html
    assert f'<noscript><a href="{base}/shown/" data-testid="section-link">' in html
    assert sections == []  # the page never pays for its sections


def test_a_section_url_renders_that_section_only(client, kz_officer, record_seizure, sections):
    seizure = record_seizure(kz_officer)
    client.force_login(kz_officer)
    url = reverse("records:seizure_section", args=[seizure.pk, "shown"])
    response = client.get(url, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and sections == ["shown"]
    assert 'data-testid="history"' in html and "<html" not in html
    assert "HX-Request" in response.headers["Vary"]
    empty = client.get(
        reverse("records:seizure_section", args=[seizure.pk, "hidden"]), HTTP_HX_REQUEST="true"
    )
    assert empty.status_code == 200 and empty.content == b""  # the placeholder goes away


def test_without_javascript_a_section_is_a_page_of_its_own(
    client, kz_officer, record_seizure, sections
):
    seizure = record_seizure(kz_officer)
    client.force_login(kz_officer)
    page = client.get(reverse("records:seizure_section", args=[seizure.pk, "shown"]))
    html = page.content.decode()
    assert page.status_code == 200 and "<html" in html and 'data-testid="history"' in html
    assert f'href="{seizure.get_absolute_url()}"' in html
    nothing = client.get(reverse("records:seizure_section", args=[seizure.pk, "hidden"]))
    assert nothing.status_code == 200 and 'data-testid="section-empty"' in nothing.content.decode()


def test_a_section_follows_the_record_visibility(
    client, kz_officer, uz_officer, record_seizure, sections
):
    seizure = record_seizure(kz_officer)  # bilateral KZ-KG: not for Uzbekistan
    client.force_login(uz_officer)
    for name in ("shown", "hidden"):
        url = reverse("records:seizure_section", args=[seizure.pk, name])
        assert client.get(url, HTTP_HX_REQUEST="true").status_code == 404
        assert client.get(url).status_code == 404
    assert sections == []
    client.force_login(kz_officer)
    unknown = reverse("records:seizure_section", args=[seizure.pk, "nosuch"])
    assert client.get(unknown, HTTP_HX_REQUEST="true").status_code == 404
    client.logout()
    url = reverse("records:seizure_section", args=[seizure.pk, "shown"])
    assert client.get(url).status_code == 302  # to the sign-in page


def test_incident_and_entity_pages_load_their_sections_too(
    client, kz_officer, uz_officer, record_seizure, sections
):
    from blonet.records.services import incident_record

    incident = incident_record(
        actor=kz_officer,
        office="kz-kordai-blo",
        data={"occurred_at": "2026-11-29 03:10", "kind": "attempted_crossing"},
    )
    person = record_seizure(kz_officer).involvements.get(role="driver").person
    client.force_login(kz_officer)
    html = client.get(incident.get_absolute_url()).content.decode()
    url = f"/records/incidents/{incident.pk}/section/shown/"
    assert ("shown", url) in _placeholders(html)
    assert 'data-testid="history"' in client.get(url, HTTP_HX_REQUEST="true").content.decode()
    html = client.get(person.get_absolute_url()).content.decode()
    url = f"/records/entities/person/{person.pk}/section/shown/"
    assert _placeholders(html) == [("shown", url)]
    assert 'data-testid="history"' in client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert sections == ["shown", "shown"]
    client.force_login(uz_officer)
    assert client.get(url, HTTP_HX_REQUEST="true").status_code == 404


def test_section_names():
    from blonet.screening.views.sections import record_section

    assert hooks.section_name(record_section) == "screening-views-sections-record-section"
    # what the apps register, under those names, in that order
    assert "screening-views-sections-record-section" in hooks.RECORD_SECTIONS
    assert "screening-views-sections-entity-section" in hooks.ENTITY_SECTIONS


def test_one_name_one_section(sections):
    with pytest.raises(ValueError, match="shown"):
        hooks.register_record_section(lambda user, record: None, name="shown")
    assert hooks.register_record_section(hooks.RECORD_SECTIONS["shown"], name="shown")
