"""The screening pages: the check (full page and htmx answer), hits, lists, entries, statistics,
in English and Russian; garbage never gives a 500."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from blonet.audit.models import AuditEvent
from blonet.screening.models import DismissedPair, Hit, ScreeningRun, WatchlistEntry
from tests.records.sections import page_with_sections
from tests.screening.conftest import td3_mrz

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def officer_client(client, kz_officer):
    client.force_login(kz_officer)
    return client


def _check(client, **data):
    return client.post(reverse("screening:index"), {"kind": "person", **data}, **HTMX)


def test_check_page_and_tabs(officer_client):
    response = officer_client.get(reverse("screening:index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="check-form"' in html
    assert [m for m in re.findall(r'data-testid="tab-(\w+)"', html)] == [
        "person", "vehicle", "container", "organisation", "phone", "document",
    ]  # fmt: skip
    vehicle = officer_client.get(reverse("screening:index") + "?kind=vehicle")
    assert 'name="plate"' in vehicle.content.decode()
    assert 'name="name"' not in vehicle.content.decode()


def test_pasted_mrz_answers_with_the_hit_and_its_explanation(person_list, officer_client):
    response = _check(officer_client, name=td3_mrz())
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith('<div id="check"')  # the fragment, not the page
    assert "Курбонов Юсуф Абдуллоевич" in html
    assert "family name Курбонов = QURBONOV (Tajik Cyrillic → ICAO MRZ)" in html
    assert "date of birth 1985-03-12 exact" in html
    assert 'data-testid="mrz"' in html and "A12345678" in html
    assert Hit.objects.count() == 1


def test_full_page_post_without_htmx(person_list, officer_client):
    response = officer_client.post(
        reverse("screening:index"), {"kind": "person", "name": "Qurbonov Yusuf", "dob": "1985"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html and 'data-testid="hit"' in html


def test_russian_answer(person_list, officer_client):
    officer_client.cookies["django_language"] = "ru"
    page = officer_client.get(reverse("screening:index"), HTTP_ACCEPT_LANGUAGE="ru")
    assert page.status_code == 200
    assert '<html lang="ru"' in page.content.decode()
    response = _check(officer_client, name="QURBONOV<<YUSUF")
    assert response.status_code == 200
    assert "Курбонов Юсуф Абдуллоевич" in response.content.decode()


def test_bad_mrz_check_digit_is_reported_on_the_page(person_list, officer_client):
    html = _check(officer_client, name=td3_mrz(bad_dob=True)).content.decode()
    assert 'data-testid="warning"' in html
    assert "MRZ check digit of the date of birth is wrong (8, expected 7)" in html
    assert 'data-testid="hit"' in html


@pytest.mark.parametrize(
    "name",
    [
        "",
        "a",
        "محمد علي",
        "王小明",
        "\x00\x01\x1b[31m",
        "Курбoнов Yusuf",
        "<<<<",
        "P<TJK<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<\n" + "<" * 44,
        "x" * 5000,
        "'; DROP TABLE screening_hit; --",
    ],
)
def test_garbage_never_gives_a_500(person_list, officer_client, name):
    response = _check(officer_client, name=name, dob="99.99.9999", nationality="??")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-error-for="dob"' in html
    assert 'data-error-for="nationality"' in html


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Type a name, or paste the two or three lines of the MRZ."),
        ("a", "Type at least two letters of the name."),
        ("محمد علي", "Names written in this script (Arabic) cannot be screened yet"),
        ("王小明", "Names written in this script (Chinese, Japanese or Korean) cannot be"),
    ],
)
def test_unscreenable_names_get_a_clear_message(person_list, officer_client, name, message):
    html = _check(officer_client, name=name).content.decode()
    assert message in html
    assert ScreeningRun.objects.count() == 0


@pytest.mark.parametrize(
    ("kind", "data"),
    [
        ("vehicle", {"plate": "\x00"}),
        ("container", {"container": "???"}),
        ("organisation", {"organisation": "«»"}),
        ("phone", {"phone": "abc"}),
        ("document", {"doc_number": "-"}),
        ("spaceship", {"name": "x"}),
    ],
)
def test_garbage_in_other_tabs(officer_client, kind, data):
    response = officer_client.post(reverse("screening:index"), {"kind": kind, **data}, **HTMX)
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()


def test_dismiss_then_check_again_is_not_alerted(person_list, officer_client):
    query = {"name": td3_mrz()}
    _check(officer_client, **query)
    hit = Hit.objects.get()
    url = reverse("screening:hit_decide", args=[hit.pk, "dismiss"])
    refused = officer_client.post(url, {"reason": ""}, **HTMX)
    assert refused.status_code == 200
    assert "Say why this is not the listed subject." in refused.content.decode()
    done = officer_client.post(url, {"reason": "Father's name differs"}, **HTMX)
    html = done.content.decode()
    assert 'data-status="dismissed"' in html and 'data-testid="remembered"' in html
    assert DismissedPair.objects.count() == 1
    again = _check(officer_client, **query).content.decode()
    assert 'data-testid="no-hit"' in again
    assert 'data-testid="suppressed"' in again and "Father&#x27;s name differs" in again


def test_confirm_without_htmx_redirects_to_the_hit(person_list, officer_client):
    _check(officer_client, name=td3_mrz())
    hit = Hit.objects.get()
    response = officer_client.post(reverse("screening:hit_decide", args=[hit.pk, "confirm"]))
    assert response.status_code == 302
    assert response["Location"] == reverse("screening:hit_detail", args=[hit.pk])
    page = officer_client.get(response["Location"])
    assert 'data-status="confirmed"' in page.content.decode()


def test_another_post_cannot_see_or_decide_our_hit(person_list, officer_client, client, uz_officer):
    _check(officer_client, name=td3_mrz())
    hit = Hit.objects.get()
    client.force_login(uz_officer)
    assert client.get(reverse("screening:hit_detail", args=[hit.pk])).status_code == 404
    url = reverse("screening:hit_decide", args=[hit.pk, "confirm"])
    assert client.post(url, {"reason": "x"}).status_code == 404
    assert Hit.objects.get().status == "open"


def test_programme_roles_get_404(client, directory, make_user):
    viewer = make_user("viewer", office="uz-unodc-roca-hq", role="programme_viewer")
    client.force_login(viewer)
    for name in ("screening:index", "screening:batch", "screening:watchlist_list"):
        assert client.get(reverse(name)).status_code == 404


def test_anonymous_is_sent_to_login(client, directory):
    response = client.get(reverse("screening:index"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_watchlist_pages(person_list, client, analyst):
    client.force_login(analyst)
    lists = client.get(reverse("screening:watchlist_list"))
    assert lists.status_code == 200 and "CARICC couriers" in lists.content.decode()
    detail = client.get(person_list.get_absolute_url())
    html = detail.content.decode()
    assert detail.status_code == 200 and "Курбонов Юсуф Абдуллоевич" in html
    assert 'data-testid="add-entry"' in html  # the owner office edits
    assert AuditEvent.objects.filter(action="screening.watchlist.viewed").count() == 1
    added = client.post(
        reverse("screening:watchlist_entry_add", args=[person_list.pk]),
        {"name": "Tashkentov Ali", "dob": "1990-02-03", "nationality": "UZ", "reason": "RFI 12"},
    )
    assert added.status_code == 302
    refused = client.post(
        reverse("screening:watchlist_entry_add", args=[person_list.pk]),
        {"name": "", "dob": "soon", "reason": ""},
    )
    assert refused.status_code == 400
    assert 'data-error-for="name"' in refused.content.decode()
    entry = WatchlistEntry.objects.get(name="Tashkentov Ali")
    page = client.get(entry.get_absolute_url())
    assert page.status_code == 200 and "RFI 12" in page.content.decode()
    removed = client.post(reverse("screening:entry_remove", args=[entry.pk]), {"reason": "Done"})
    assert removed.status_code == 302
    entry.refresh_from_db()
    assert entry.is_deleted


def test_a_watchlist_is_created_from_the_page(client, analyst):
    client.force_login(analyst)
    assert client.get(reverse("screening:watchlist_new")).status_code == 200
    response = client.post(
        reverse("screening:watchlist_new"),
        {"name": "Trucks", "kind": "vehicle", "owner_office": "kz-caricc-rc",
         "distribution": "regional", "source_reliability": "B", "information_accuracy": "2",
         "classification": "1"},
    )  # fmt: skip
    assert response.status_code == 302
    bad = client.post(reverse("screening:watchlist_new"), {"name": "", "kind": "vehicle"})
    assert bad.status_code == 200 and "invalid-feedback" in bad.content.decode()


def test_a_foreign_officer_sees_a_regional_list_but_cannot_edit(person_list, client, uz_officer):
    client.force_login(uz_officer)
    html = client.get(person_list.get_absolute_url()).content.decode()
    assert "Курбонов" in html and 'data-testid="add-entry"' not in html
    response = client.post(
        reverse("screening:watchlist_entry_add", args=[person_list.pk]),
        {"name": "X Y", "reason": "r"},
    )
    assert response.status_code == 403
    assert WatchlistEntry.objects.count() == 3


def test_a_national_list_is_hidden_abroad(make_list, client, kg_officer):
    national = make_list("person", office="kz-kordai-blo", distribution="national")
    client.force_login(kg_officer)
    assert client.get(national.get_absolute_url()).status_code == 404


def test_hit_list_and_statistics(person_list, officer_client):
    _check(officer_client, name=td3_mrz())
    hits = officer_client.get(reverse("screening:hit_list"))
    assert hits.status_code == 200 and 'data-testid="hit"' in hits.content.decode()
    stats = officer_client.get(reverse("screening:statistics"))
    html = stats.content.decode()
    assert stats.status_code == 200
    assert "CARICC couriers" in html
    assert re.search(r"Kordai[^<]*</td><td class=\"text-end\">1</td><td class=\"text-end\">1", html)


def test_put_a_records_person_on_a_list_in_one_step(person_list, client, analyst, record_seizure):
    from blonet.records.models import Person

    kz = analyst  # CARICC analyst records at CARICC
    seizure = record_seizure(kz, office="kz-caricc-rc", distribution="regional")
    person = Person.objects.get(involvements__seizure=seizure)
    client.force_login(kz)
    html = page_with_sections(client, person.get_absolute_url())
    assert 'data-testid="screening-section"' in html
    url = reverse("screening:entry_from_entity", args=["person", person.pk])
    assert url in html
    form = client.get(url)
    assert form.status_code == 200 and "CARICC couriers" in form.content.decode()
    response = client.post(url, {"watchlist": str(person_list.pk), "reason": "Driver, 12 kg"})
    assert response.status_code == 302
    entry = WatchlistEntry.objects.get(entity_id=person.pk)
    assert (entry.name, entry.dob, entry.entity_kind) == ("Qurbonov Yusuf", "1985-03-02", "person")
    assert entry.distribution == "regional"
    again = client.post(url, {"watchlist": str(person_list.pk), "reason": "twice"})
    assert again.status_code == 400 and "Already on this list." in again.content.decode()
    assert (
        client.get(
            reverse("screening:entry_from_entity", args=["spaceship", person.pk])
        ).status_code
        == 404
    )


def test_record_hits_notice(person_list, rf, analyst, record_seizure):
    from django.contrib.messages import get_messages
    from django.contrib.messages.storage.fallback import FallbackStorage

    from blonet.screening.services import screen_record_entities
    from blonet.screening.views.notices import notify_record_hits

    seizure = record_seizure(analyst, office="kz-caricc-rc")
    hits = screen_record_entities(actor=analyst, record=seizure)
    request = rf.post("/records/seizures/new/")
    request.session = {}
    request._messages = FallbackStorage(request)
    notify_record_hits(request, hits)
    notify_record_hits(request, [])
    [message] = [str(m) for m in get_messages(request)]
    url = reverse("screening:run_detail", args=[hits[0].run_id])
    assert message == (
        f'<a href="{url}">1 watchlist hit on the people, vehicles or containers of this record: '
        "review it.</a>"
    )
