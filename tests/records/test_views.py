"""The records pages: lists, details and forms, in two languages, through the one access rule."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from blonet.audit.models import AuditEvent
from blonet.records.models import Attachment, Involvement, Person, Seizure, SeizureItem, Vehicle

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99"
    b"=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)


def post_data(**overrides: Any) -> dict[str, Any]:
    """What the seizure form posts for two items, a driver and a truck."""
    data: dict[str, Any] = {
        "owner_office": "kz-kordai-blo",
        "occurred_at": "2026-11-30T14:00",
        "site": "kz-kordai-bcp",
        "agencies": ["kz-border-service"],
        "conveyance": "truck",
        "detection_method": "scanner",
        "origin_country": "AF",
        "transit_countries": "TJ, KG",
        "destination_country": "RU",
        "distribution": "national",
        "source_reliability": "X",
        "information_accuracy": "4",
        "classification": "1",
        "items-TOTAL_FORMS": "2",
        "items-INITIAL_FORMS": "1",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
        "items-0-commodity": "heroin",
        "items-0-quantity": "12.5",
        "items-0-unit": "kg",
        "items-1-commodity": "hashish",
        "items-1-quantity": "800",
        "items-1-unit": "g",
        "items-1-markings": "scorpion logo",
        "involvements-TOTAL_FORMS": "2",
        "involvements-INITIAL_FORMS": "0",
        "involvements-MIN_NUM_FORMS": "0",
        "involvements-MAX_NUM_FORMS": "1000",
        "involvements-0-kind": "person",
        "involvements-0-role": "driver",
        "involvements-0-person_full_name": "Qurbonov Yusuf",
        "involvements-0-person_dob": "1985-03-02",
        "involvements-0-person_nationality": "TJ",
        "involvements-1-kind": "vehicle",
        "involvements-1-role": "used",
        "involvements-1-vehicle_plate": "01 KG 123 ABC",
        "involvements-1-vehicle_country": "KG",
        "involvements-1-vehicle_make": "Volvo",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def text(response) -> str:
    return response.content.decode()


def value_of(html: str, name: str) -> str:
    """The value an input named `name` shows."""
    match = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', html)
    assert match, f"no input {name}"
    found = re.search(r'value="([^"]*)"', match.group(0))
    return found.group(1) if found else ""


def selected(html: str, name: str) -> list[str]:
    match = re.search(rf'<select[^>]*name="{re.escape(name)}"[^>]*>(.*?)</select>', html, re.S)
    assert match, f"no select {name}"
    return re.findall(r'<option value="([^"]*)"[^>]*selected', match.group(1))


def errors_of(html: str, name: str) -> list[str]:
    match = re.search(rf'data-error-for="{re.escape(name)}">(.*?)</div></div>', html, re.S)
    return re.findall(r"<div>(.*?)</div>", match.group(1) + "</div>") if match else []


# --- pages in two languages -------------------------------------------------------------------


def test_pages_in_english_and_russian(client, kz_officer, record_seizure):
    from blonet.records.services import incident_record

    seizure = record_seizure(kz_officer)
    incident = incident_record(
        actor=kz_officer,
        office="kz-kordai-blo",
        data={"occurred_at": "2026-11-29 03:10", "kind": "attempted_crossing", "place": "km 3"},
    )
    person = seizure.involvements.get(role="driver").person
    client.force_login(kz_officer)
    pages = [
        (reverse("records:seizure_list"), "Record a seizure"),
        (reverse("records:seizure_create"), "What was seized"),
        (seizure.get_absolute_url(), "History"),
        (reverse("records:seizure_edit", args=[seizure.pk]), "What was seized"),
        (reverse("records:incident_list"), "Record an incident"),
        (reverse("records:incident_create"), "People, vehicles and other entities"),
        (incident.get_absolute_url(), "Attempted illegal crossing"),
        (reverse("records:entity_list", args=["person"]), "Qurbonov Yusuf"),
        (person.get_absolute_url(), "Appears in"),
        (reverse("records:entity_edit", args=["person", person.pk]), "Name as written"),
    ]
    for url, english in pages:
        en = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert en.status_code == 200, url
        assert english in text(en), url
        assert '<html lang="en">' in text(en)
    client.cookies["django_language"] = "ru"
    for url, _english in pages:
        ru = client.get(url)
        assert ru.status_code == 200, url
        assert '<html lang="ru">' in text(ru), url
        assert ">Главная<" in text(ru), url  # the navigation, in Russian


def test_nav_links_only_for_operational_roles(client, kz_officer, make_user):
    client.force_login(kz_officer)
    home = text(client.get("/"))
    assert f'href="{reverse("records:seizure_list")}"' in home
    assert f'href="{reverse("records:entity_list", args=["person"])}">Persons<' in home
    assert f'href="{reverse("records:seizure_create")}"' in home
    viewer = make_user("prog.viewer", office="uz-unodc-roca-hq", role="programme_viewer")
    client.force_login(viewer)
    home = text(client.get("/"))
    assert "/records/" not in home


def test_programme_roles_get_404_and_a_clear_403_on_the_form(
    client, kz_officer, make_user, record_seizure
):
    seizure = record_seizure(kz_officer, distribution="all")
    manager = make_user("prog.manager", office="uz-unodc-roca-hq", role="programme_manager")
    client.force_login(manager)
    for url in (
        reverse("records:seizure_list"),
        reverse("records:incident_list"),
        reverse("records:entity_list", args=["person"]),
        seizure.get_absolute_url(),
    ):
        assert client.get(url).status_code == 404, url
    for url in (reverse("records:seizure_create"), reverse("records:incident_create")):
        response = client.get(url)
        assert response.status_code == 403
        assert "Recording needs an operational posting" in text(response)
    before = Seizure.objects.count()
    assert client.post(reverse("records:seizure_create"), post_data()).status_code == 403
    assert Seizure.objects.count() == before
    nobody = make_user("no.posting")
    client.force_login(nobody)
    assert client.get(reverse("records:seizure_create")).status_code == 403


def test_anonymous_is_sent_to_login(client, directory):
    for url in (reverse("records:seizure_list"), reverse("records:seizure_create")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


# --- the form ---------------------------------------------------------------------------------


def test_the_form_starts_from_the_posting(client, kz_officer):
    client.force_login(kz_officer)
    html = text(client.get(reverse("records:seizure_create")))
    assert selected(html, "owner_office") == ["kz-kordai-blo"]
    assert selected(html, "site") == ["kz-kordai-bcp"]
    assert selected(html, "agencies") == ["kz-border-service"]
    assert selected(html, "distribution") == ["national"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d", value_of(html, "occurred_at"))
    assert 'type="datetime-local"' in html
    assert value_of(html, "items-TOTAL_FORMS") == "1"
    assert value_of(html, "involvements-TOTAL_FORMS") == "0"
    assert 'id="items-template"' in html
    assert 'id="involvements-template"' in html
    assert 'data-add-row="involvements" data-kind="person"' in html


def test_create_with_two_items_a_driver_and_a_truck(client, kz_officer):
    client.force_login(kz_officer)
    before = AuditEvent.objects.count()
    response = client.post(reverse("records:seizure_create"), post_data())
    assert response.status_code == 302
    seizure = Seizure.objects.get()
    assert response["Location"] == seizure.get_absolute_url()
    assert seizure.owner_office_id == "kz-kordai-blo"
    assert seizure.conveyance == "truck"
    assert seizure.route == ["AF", "TJ", "KG", "RU"]
    assert seizure.occurred_at.isoformat() == "2026-11-30T09:00:00+00:00"  # 14:00 in Almaty
    items = [
        (i.commodity, i.quantity, i.unit, i.quantity_kg, i.markings)
        for i in SeizureItem.objects.filter(seizure=seizure).order_by("position")
    ]
    assert items == [
        ("heroin", Decimal("12.500"), "kg", Decimal("12.500"), ""),
        ("hashish", Decimal("800.000"), "g", Decimal("0.800"), "scorpion logo"),
    ]
    links = [(link.role, link.entity_kind, str(link.entity)) for link in seizure.involvements.all()]
    assert links == [
        ("driver", "person", "Qurbonov Yusuf"),
        ("used", "vehicle", "01 KG 123 ABC · KG · Volvo"),
    ]
    assert Person.objects.count() == 1
    assert Vehicle.objects.count() == 1
    history = seizure.history.get()
    assert history.history_user == kz_officer
    actions = list(
        AuditEvent.objects.filter(seq__gt=0).order_by("seq").values_list("action", flat=True)
    )
    assert actions[-3:] == [
        "records.person.created",
        "records.vehicle.created",
        "records.seizure.recorded",
    ]
    assert AuditEvent.objects.count() == before + 3
    detail = client.get(response["Location"])
    assert f"Seizure {seizure.reference} is recorded." in text(detail)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"items-1-quantity": "eight hundred"},
            "items-1-quantity",
            "The quantity is not a number.",
        ),
        ({"items-1-quantity": "NaN"}, "items-1-quantity", "The quantity is not a number."),
        ({"items-0-quantity": "-3"}, "items-0-quantity", "The quantity must be more than zero."),
        ({"occurred_at": "2099-01-01T10:00"}, "occurred_at", "The date is in the future."),
        (
            {
                "involvements-TOTAL_FORMS": "3",
                "involvements-2-kind": "container",
                "involvements-2-role": "used",
                "involvements-2-container_number": "CSQU3054384",
            },
            "involvements-2-container_number",
            "check digit 4 is wrong: expected 3",
        ),
        (
            {"involvements-0-person_dob": "03/1985"},
            "involvements-0-person_dob",
            "Write the date of birth as YYYY, YYYY-MM or YYYY-MM-DD.",
        ),
        (
            {"distribution": "bilateral"},
            "counterpart_country",
            "Bilateral distribution needs the other country.",
        ),
        (
            {"handling_codes": ["H3"]},
            "handling_conditions",
            "H3 needs its restrictions written out.",
        ),
    ],
)
def test_bad_input_shows_the_field_error_and_keeps_the_rest(
    client, kz_officer, overrides, field, message
):
    client.force_login(kz_officer)
    response = client.post(reverse("records:seizure_create"), post_data(**overrides))
    assert response.status_code == 400
    html = text(response)
    assert errors_of(html, field) == [message]
    assert "Nothing you typed is lost." in html
    assert Seizure.objects.count() == 0
    assert Person.objects.count() == 0
    # everything else is as typed
    assert value_of(html, "involvements-0-person_full_name") == "Qurbonov Yusuf"
    assert value_of(html, "involvements-1-vehicle_plate") == "01 KG 123 ABC"
    assert value_of(html, "items-1-markings") == "scorpion logo"
    assert selected(html, "items-1-commodity") == ["hashish"]
    assert selected(html, "conveyance") == ["truck"]
    assert value_of(html, "transit_countries") == "TJ, KG"
    if field != "occurred_at":
        assert value_of(html, "occurred_at") == "2026-11-30T14:00"


def test_required_fields_and_tampered_input_never_fail(client, kz_officer):
    client.force_login(kz_officer)
    cases = [
        post_data(**{"items-0-commodity": "", "items-0-quantity": ""}),
        post_data(**{"items-0-commodity": "plutonium"}),
        post_data(**{"involvements-0-entity": "not-a-uuid"}),
        post_data(**{"involvements-0-entity": "6f1d3c2e-0000-4000-8000-000000000000"}),
        post_data(**{"items-TOTAL_FORMS": None}),
        post_data(**{"owner_office": "kg-ak-zhol-blo"}),
        post_data(**{"items-0-quantity": "1e400", "lat": "nan", "lon": "1"}),
        post_data(occurred_at="yesterday", classification="9", site="nowhere"),
    ]
    for data in cases:
        response = client.post(reverse("records:seizure_create"), data)
        assert response.status_code == 400, data
        assert "Nothing you typed is lost." in text(response)
    assert Seizure.objects.count() == 0
    html = text(client.post(reverse("records:seizure_create"), cases[0]))
    assert errors_of(html, "items-0-commodity") == ["This field is required."]
    html = text(client.post(reverse("records:seizure_create"), cases[3]))
    assert "This entry does not exist or you may not see it." in html


def test_removing_every_item_says_a_seizure_needs_one(client, kz_officer):
    client.force_login(kz_officer)
    data = post_data(**{"items-0-DELETE": "on", "items-1-DELETE": "on"})
    response = client.post(reverse("records:seizure_create"), data)
    assert response.status_code == 400
    assert "A seizure has at least one item." in text(response)


def test_likely_duplicates_while_typing_and_linking_the_existing_person(
    client, kz_officer, record_seizure
):
    first = record_seizure(kz_officer)
    person = first.involvements.get(role="driver").person
    client.force_login(kz_officer)
    url = reverse("records:person_duplicates")
    found = client.get(
        url,
        {
            "prefix": "involvements-4",
            "involvements-4-person_full_name": "Курбонов Юсуф",
            "involvements-4-person_dob": "1985",
        },
        HTTP_HX_REQUEST="true",
    )
    html = text(found)
    assert "Possibly already recorded:" in html
    assert f'data-entity="{person.pk}"' in html
    assert person.get_absolute_url() in html
    assert "<html" not in html
    other_year = client.get(
        url,
        {
            "prefix": "involvements-4",
            "involvements-4-person_full_name": "Курбонов Юсуф",
            "involvements-4-person_dob": "1960",
        },
    )
    assert text(other_year).strip() == ""
    assert text(client.get(url, {"prefix": "x'><script>", "x": "y"})) == ""
    # "use this person": the row sends the person's key instead of new data
    response = client.post(
        reverse("records:seizure_create"),
        post_data(
            **{
                "involvements-0-entity": str(person.pk),
                "involvements-0-person_full_name": "Курбонов Юсуф",
            }
        ),
    )
    assert response.status_code == 302
    second = Seizure.objects.exclude(pk=first.pk).get()
    assert second.involvements.get(role="driver").person_id == person.pk
    assert Person.objects.count() == 1


def test_search_by_the_driver_in_the_other_script(client, kz_officer, record_seizure):
    seizure = record_seizure(kz_officer)
    record_seizure(
        kz_officer,
        involvements=[{"kind": "person", "role": "driver", "data": {"full_name": "Ivanov Petr"}}],
    )
    client.force_login(kz_officer)
    url = reverse("records:seizure_list")
    page = text(client.get(url, {"q": "Курбонов"}))
    assert seizure.reference in page
    assert 'data-testid="result-count">1 result<' in page
    rows = text(client.get(url, {"q": "курбонов юсуф"}, HTTP_HX_REQUEST="true"))
    assert "<html" not in rows
    assert seizure.reference in rows
    assert 'data-testid="result-count">1 result<' in rows
    everything = text(client.get(url))
    assert 'data-testid="result-count">2 results<' in everything
    persons = text(client.get(reverse("records:entity_list", args=["person"]), {"q": "Курбонов"}))
    assert "Qurbonov Yusuf" in persons
    assert "Ivanov" not in persons


def test_list_filters_and_bad_filters(client, kz_officer, record_seizure):
    heroin = record_seizure(kz_officer)
    cash = record_seizure(
        kz_officer,
        conveyance="private_car",
        items=[{"commodity": "cash", "quantity": "5000", "unit": "currency", "currency": "USD"}],
    )
    client.force_login(kz_officer)
    url = reverse("records:seizure_list")
    only_cash = text(client.get(url, {"commodity": "cash"}))
    assert cash.reference in only_cash
    assert heroin.reference not in only_cash
    assert "5000 USD" in only_cash
    trucks = text(client.get(url, {"conveyance": "truck", "date_from": "2026-11-01"}))
    assert heroin.reference in trucks
    assert cash.reference not in trucks
    bad = client.get(url, {"commodity": "plutonium", "date_from": "not a date"})
    assert bad.status_code == 200
    assert "Select a valid choice" in text(bad)
    assert "No seizure matches these filters." in text(bad)
    ordered = text(client.get(url, {"ordering": "-total_kg"}))
    assert ordered.index(cash.reference) > ordered.index(heroin.reference)


def test_list_query_count_is_constant(
    client, kz_officer, record_seizure, django_assert_max_num_queries
):
    for _ in range(5):
        record_seizure(kz_officer)
    client.force_login(kz_officer)
    url = reverse("records:seizure_list")
    client.get(url)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as five:
        assert text(client.get(url)).count("<tr>") == 6
    for _ in range(20):
        record_seizure(kz_officer)
    with django_assert_max_num_queries(len(five.captured_queries)):
        assert text(client.get(url)).count("<tr>") == 26


# --- detail, edit, history, delete ------------------------------------------------------------


def test_detail_shows_everything_and_audits_the_persons_read(client, kz_officer, record_seizure):
    seizure = record_seizure(
        kz_officer, handling_codes=["H1", "H3"], handling_conditions="Not for court"
    )
    person = seizure.involvements.get(role="driver").person
    client.force_login(kz_officer)
    before = AuditEvent.objects.count()
    html = text(client.get(seizure.get_absolute_url()))
    assert seizure.reference in html
    assert "AF → TJ → KG → RU" in html
    assert "12.5 kg" in html
    assert "scorpion logo" in html
    assert "Qurbonov Yusuf" in html
    assert person.get_absolute_url() in html
    assert "Driver" in html
    assert "Not for court" in html
    assert "Kyrgyzstan" in html  # the counterpart of the bilateral distribution
    assert 'data-testid="version">1<' in html
    assert "Version 1" in html
    event = AuditEvent.objects.order_by("-seq").first()
    assert AuditEvent.objects.count() == before + 1
    assert event.action == "records.seizure.viewed"
    assert event.target_id == str(seizure.pk)
    assert event.data == {"persons": [str(person.pk)]}
    assert event.actor == kz_officer


def test_edit_then_history_shows_two_versions(client, kz_officer, record_seizure):
    seizure = record_seizure(kz_officer)
    person_pk = seizure.involvements.get(role="driver").person_id
    client.force_login(kz_officer)
    edit_url = reverse("records:seizure_edit", args=[seizure.pk])
    html = text(client.get(edit_url))
    assert "owner_office" not in html
    assert value_of(html, "items-INITIAL_FORMS") == "2"
    assert value_of(html, "items-0-quantity") == "12.5"
    assert value_of(html, "items-1-quantity") == "800"
    assert value_of(html, "involvements-0-entity") == str(person_pk)
    assert value_of(html, "transit_countries") == "TJ, KG"
    assert selected(html, "distribution") == ["bilateral"]
    assert "Linked to the existing record:" in html
    data = post_data(
        owner_office=None,
        distribution="bilateral",
        counterpart_country="KG",
        conveyance="bus",
        **{
            "items-INITIAL_FORMS": "2",
            "items-0-quantity": "13",
            "involvements-TOTAL_FORMS": "2",
            "involvements-INITIAL_FORMS": "2",
            "involvements-0-entity": str(person_pk),
            "involvements-1-entity": str(seizure.involvements.get(role="used").vehicle_id),
        },
    )
    response = client.post(edit_url, data)
    assert response.status_code == 302
    seizure.refresh_from_db()
    assert seizure.version == 2
    assert seizure.conveyance == "bus"
    assert seizure.total_kg == Decimal("13.800")
    assert seizure.involvements.get(role="driver").person_id == person_pk
    assert Person.objects.count() == 1
    assert seizure.history.count() == 2
    page = client.get(seizure.get_absolute_url())
    html = text(page)
    assert f"Seizure {seizure.reference} is saved as version 2." in html
    assert html.count('data-testid="history-entry"') == 2
    assert html.index("Version 2") < html.index("Version 1")
    change = '<span class="change-old">Truck</span> → <span class="change-new">Bus</span>'
    assert f"Conveyance</span>: {change}" in html
    assert "Total kg" in html
    assert str(kz_officer) in html


def test_delete_with_a_reason_makes_a_tombstone(client, kz_officer, record_seizure):
    seizure = record_seizure(kz_officer)
    client.force_login(kz_officer)
    url = reverse("records:seizure_delete", args=[seizure.pk])
    refused = client.post(url, {"reason": "  "})
    assert refused.status_code == 400
    assert "Say why the record is deleted." in text(refused)
    seizure.refresh_from_db()
    assert not seizure.is_deleted
    response = client.post(url, {"reason": "Entered twice"})
    assert response.status_code == 302
    seizure.refresh_from_db()
    assert seizure.is_deleted
    assert seizure.deleted_reason == "Entered twice"
    html = text(client.get(seizure.get_absolute_url()))
    assert 'data-testid="tombstone"' in html
    assert "Entered twice" in html
    assert 'data-testid="edit"' not in html
    assert 'data-testid="delete"' not in html
    assert "Version 2" in html
    listing = text(client.get(reverse("records:seizure_list")))
    assert seizure.reference not in listing
    edit = client.get(reverse("records:seizure_edit", args=[seizure.pk]))
    assert edit.status_code == 302


def test_other_country_sees_only_what_distribution_allows(
    client, kz_officer, kg_officer, uz_officer, record_seizure
):
    national = record_seizure(kz_officer, distribution="national")
    bilateral = record_seizure(kz_officer)  # bilateral with KG
    client.force_login(kg_officer)
    assert client.get(national.get_absolute_url()).status_code == 404
    assert client.get(reverse("records:seizure_edit", args=[national.pk])).status_code == 404
    assert client.get(bilateral.get_absolute_url()).status_code == 200
    listing = text(client.get(reverse("records:seizure_list")))
    assert bilateral.reference in listing
    assert national.reference not in listing
    # seen, but not theirs to change
    edit = client.get(reverse("records:seizure_edit", args=[bilateral.pk]))
    assert edit.status_code == 403
    assert "Only the owner office may change this record." in text(edit)
    delete = client.post(reverse("records:seizure_delete", args=[bilateral.pk]), {"reason": "x"})
    assert delete.status_code == 403
    bilateral.refresh_from_db()
    assert not bilateral.is_deleted
    assert 'data-testid="edit"' not in text(client.get(bilateral.get_absolute_url()))
    client.force_login(uz_officer)
    for record in (national, bilateral):
        assert client.get(record.get_absolute_url()).status_code == 404
    missing = client.get(
        reverse("records:seizure_detail", args=["6f1d3c2e-0000-4000-8000-000000000000"])
    )
    assert missing.status_code == 404
    assert client.get("/records/seizures/not-a-uuid/").status_code == 404


def test_attachments_upload_download_and_refusals(
    client, kz_officer, uz_officer, record_seizure, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    seizure = record_seizure(kz_officer)
    client.force_login(kz_officer)
    url = reverse("records:seizure_attachment_add", args=[seizure.pk])
    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 not an image", content_type="image/jpeg")
    refused = client.post(url, {"kind": "photo", "file": fake})
    assert refused.status_code == 400
    assert "This is not a photo: attach a JPEG, PNG or WebP image." in text(refused)
    assert Attachment.objects.count() == 0
    empty = client.post(url, {"kind": "photo"})
    assert empty.status_code == 400
    assert errors_of(text(empty), "file") == ["This field is required."]
    photo = SimpleUploadedFile("scan.png", PNG, content_type="application/octet-stream")
    response = client.post(url, {"kind": "photo", "file": photo, "description": "the truck"})
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert (attachment.content_type, attachment.size) == ("image/png", len(PNG))
    html = text(client.get(seizure.get_absolute_url()))
    download = reverse("records:attachment_download", args=[attachment.pk])
    assert download in html
    got = client.get(download)
    assert got.status_code == 200
    assert got["Content-Type"] == "image/png"
    assert b"".join(got.streaming_content) == PNG
    assert AuditEvent.objects.order_by("-seq").first().action == "records.attachment.downloaded"
    client.force_login(uz_officer)
    assert client.get(download).status_code == 404
    assert client.post(url, {"kind": "photo", "file": photo}).status_code == 404


# --- incidents and entities -------------------------------------------------------------------


def test_incident_create_and_detail(client, kz_officer):
    client.force_login(kz_officer)
    data = {
        "owner_office": "kz-kordai-blo",
        "kind": "attempted_crossing",
        "occurred_at": "2026-11-29T03:10",
        "site": "kz-kordai-bcp",
        "place": "green border, 3 km east",
        "narrative": "Two persons turned back.",
        "distribution": "national",
        "source_reliability": "X",
        "information_accuracy": "4",
        "classification": "1",
        "involvements-TOTAL_FORMS": "1",
        "involvements-INITIAL_FORMS": "0",
        "involvements-0-kind": "phone",
        "involvements-0-role": "used",
        "involvements-0-phone_number": "+996 555 12-34-56",
    }
    response = client.post(reverse("records:incident_create"), data)
    assert response.status_code == 302
    from blonet.records.models import Incident

    incident = Incident.objects.get()
    assert incident.kind == "attempted_crossing"
    assert incident.involvements.get().phone.number_normalised == "996555123456"
    html = text(client.get(incident.get_absolute_url()))
    assert "Attempted illegal crossing" in html
    assert "green border, 3 km east" in html
    assert "+996 555 12-34-56" in html
    missing_kind = client.post(reverse("records:incident_create"), {**data, "kind": ""})
    assert missing_kind.status_code == 400
    assert errors_of(text(missing_kind), "kind") == ["This field is required."]


def test_person_page_shows_appearances_with_roles_and_audits(
    client, kz_officer, kg_officer, record_seizure
):
    seizure = record_seizure(kz_officer)
    person = seizure.involvements.get(role="driver").person
    hidden = record_seizure(
        kz_officer,
        distribution="national",
        involvements=[{"kind": "person", "role": "courier", "entity": person.pk}],
    )
    client.force_login(kz_officer)
    html = text(client.get(person.get_absolute_url()))
    assert seizure.reference in html
    assert hidden.reference in html
    assert "Driver" in html
    assert "Courier" in html
    event = AuditEvent.objects.order_by("-seq").first()
    assert (event.action, event.target_id, event.data) == (
        "records.person.viewed",
        str(person.pk),
        {},
    )
    client.force_login(kg_officer)  # the person is bilateral with KG; one seizure is national
    html = text(client.get(person.get_absolute_url()))
    assert seizure.reference in html
    assert hidden.reference not in html


def test_entity_edit_keeps_history(client, kz_officer, record_seizure):
    seizure = record_seizure(kz_officer)
    vehicle = seizure.involvements.get(role="used").vehicle
    client.force_login(kz_officer)
    url = reverse("records:entity_edit", args=["vehicle", vehicle.pk])
    data = {
        "plate": "01 KG 123 ABC",
        "country": "KG",
        "make": "Volvo",
        "model": "FH16",
        "vin": "",
        "distribution": "bilateral",
        "counterpart_country": "KG",
        "source_reliability": "X",
        "information_accuracy": "4",
        "classification": "1",
    }
    bad = client.post(url, {**data, "vin": "IOQ"})
    assert bad.status_code == 400
    assert errors_of(text(bad), "vin") == ["a VIN has 17 letters and digits, without I, O or Q"]
    assert value_of(text(bad), "model") == "FH16"
    response = client.post(url, data)
    assert response.status_code == 302
    vehicle.refresh_from_db()
    assert (vehicle.make, vehicle.model, vehicle.version) == ("Volvo", "FH16", 2)
    html = text(client.get(vehicle.get_absolute_url()))
    assert html.count('data-testid="history-entry"') == 2
    assert seizure.reference in html
    assert client.get(reverse("records:entity_list", args=["spaceship"])).status_code == 404


def test_admin_is_read_only_and_filtered(client, kz_officer, record_seizure, make_user):
    record_seizure(kz_officer)
    admin_user = make_user("root", is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    changelist = client.get(reverse("admin:records_seizure_changelist"))
    assert changelist.status_code == 200
    assert "0 seizures" in text(changelist)  # no posting: the access rule shows nothing
    assert client.get(reverse("admin:records_seizure_add")).status_code == 403
    assert Involvement.objects.count() == 2
