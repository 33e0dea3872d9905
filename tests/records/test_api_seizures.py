"""The records API: authentication, recording and reading back, field-level errors."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from blonet.audit.models import AuditEvent
from blonet.records.models import Person, Seizure, Vehicle
from tests.records.api_common import (
    BASE,
    NEW_SEIZURE,
    UTC,
    client_for,
    error_fields,
    item,
    new_entity,
    post_seizure,
)

pytestmark = pytest.mark.django_db


# --- authentication ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/seizures/"),
        ("post", "/seizures/"),
        ("get", "/seizures/8f0c5a52-5d8e-4b8e-9b59-4d2c3c1e0a11/"),
        ("get", "/incidents/"),
        ("get", "/persons/"),
        ("get", "/persons/duplicates/?name=Ivanov"),
        ("post", "/phones/"),
    ],
)
def test_authentication_required(directory, method, path):
    response = getattr(APIClient(), method)(f"{BASE}{path}", {}, format="json")
    assert response.status_code == 401
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == "not_authenticated"
    assert Seizure.objects.count() == 0


def test_programme_viewer_may_not_record(programme_viewer):
    response = post_seizure(client_for(programme_viewer), owner_office="uz-unodc-roca-hq")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert Seizure.objects.count() == 0


# --- create and read back ---------------------------------------------------------------------


def test_create_with_two_items_a_driver_and_a_truck_and_read_it_back(kz_api, kz_officer):
    response = post_seizure(kz_api)
    assert response.status_code == 201, response.content
    created = response.json()
    seizure = Seizure.objects.get()
    assert created["id"] == str(seizure.pk)
    body = kz_api.get(f"{BASE}/seizures/{seizure.pk}/").json()
    assert body == {**created, "url": body["url"]}
    assert body["url"] == f"http://testserver{BASE}/seizures/{seizure.pk}/"
    assert body["reference"] == seizure.reference
    assert body["reference"].startswith("KZ-2026-")
    assert dt.datetime.fromisoformat(body["occurred_at"]) == dt.datetime(
        2026, 11, 30, 9, 0, tzinfo=UTC
    )
    assert (body["version"], body["origin_node"]) == (1, seizure.origin_node)
    assert (body["site"], body["office"], body["conveyance"]) == ("kz-kordai-bcp", None, "truck")
    assert (body["detection_method"], body["concealment"]) == ("scanner", "cargo")
    assert (body["origin_country"], body["transit_countries"], body["destination_country"]) == (
        "AF",
        ["TJ", "KG"],
        "RU",
    )
    assert body["narrative"] == "Found in a load of dried apricots."
    assert body["total_kg"] == "13.300"
    assert body["agencies"] == [seizure.owner_agency_id]
    assert body["sharing"] == {
        "owner_office": "kz-kordai-blo",
        "owner_agency": seizure.owner_agency_id,
        "owner_country": "KZ",
        "distribution": "bilateral",
        "counterpart_country": "KG",
        "handling_codes": ["H2"],
        "handling_conditions": "",
        "source_reliability": "X",
        "information_accuracy": "4",
        "evaluation": "X4",
        "classification": 1,
    }
    assert body["items"] == [
        {
            "position": 0, "commodity": "heroin", "quantity": "12.500", "unit": "kg",
            "currency": "", "quantity_kg": "12.500", "quantity_units": None, "purity": None,
            "packaging": "24 packets", "markings": "",
        },
        {
            "position": 1, "commodity": "hashish", "quantity": "800.000", "unit": "g",
            "currency": "", "quantity_kg": "0.800", "quantity_units": None, "purity": None,
            "packaging": "", "markings": "scorpion logo",
        },
    ]  # fmt: skip
    person, vehicle = Person.objects.get(), Vehicle.objects.get()
    assert body["involvements"] == [
        {
            "role": "driver",
            "kind": "person",
            "note": "",
            "entity": {
                "id": str(person.pk),
                "kind": "person",
                "label": "Qurbonov Yusuf",
                "url": f"http://testserver{BASE}/persons/{person.pk}/",
                "deleted": False,
            },
        },
        {
            "role": "used",
            "kind": "vehicle",
            "note": "",
            "entity": {
                "id": str(vehicle.pk),
                "kind": "vehicle",
                "label": "01 KG 123 ABC · KG · MAN",
                "url": f"http://testserver{BASE}/vehicles/{vehicle.pk}/",
                "deleted": False,
            },
        },
    ]
    assert (body["created_by"], body["deleted_at"], body["deleted_by"]) == (
        "kz.officer",
        None,
        None,
    )
    assert body["deleted_reason"] == ""
    assert body["attachments"] == []
    # The new entities inherit the seizure's sharing.
    assert (person.distribution, person.counterpart_country_id) == ("bilateral", "KG")
    assert vehicle.plate_normalised == "01KG123ABC"
    assert AuditEvent.objects.filter(action="records.seizure.recorded").count() == 1


def test_the_owner_office_defaults_to_the_only_posting_and_is_needed_otherwise(
    kz_api, make_user, directory
):
    assert post_seizure(kz_api).json()["sharing"]["owner_office"] == "kz-kordai-blo"
    two = make_user("two.posts", office="kz-kordai-blo")
    from blonet.accounts.models import Posting

    Posting.objects.create(user=two, office_id="kg-ak-zhol-blo", role="officer")
    response = post_seizure(client_for(two))
    assert error_fields(response) == {
        "owner_office": ["Say for which of your offices you record it."]
    }
    response = post_seizure(
        client_for(two), owner_office="kg-ak-zhol-blo", site="kg-ak-zhol-bcp",
        distribution="national",
    )  # fmt: skip
    assert response.status_code == 201
    assert response.json()["sharing"]["owner_country"] == "KG"


def test_linking_an_existing_entity_by_id(kz_api, kz_officer, record_seizure):
    first = record_seizure(kz_officer)
    person = Person.objects.get()
    response = post_seizure(
        kz_api, involvements=[{"kind": "person", "role": "courier", "entity": str(person.pk)}]
    )
    assert response.status_code == 201, response.content
    assert response.json()["involvements"][0]["entity"]["id"] == str(person.pk)
    assert Person.objects.count() == 1
    detail = kz_api.get(f"{BASE}/persons/{person.pk}/").json()
    appearances = detail["appearances"]
    # Newest first: the same time, so the one recorded last.
    assert [a["id"] for a in appearances["seizures"]] == [response.json()["id"], str(first.pk)]
    assert {a["id"]: a["roles"] for a in appearances["seizures"]} == {
        str(first.pk): ["driver"],
        response.json()["id"]: ["courier"],
    }
    assert (appearances["seizures_total"], appearances["incidents_total"]) == (2, 0)


# --- bad input ----------------------------------------------------------------------------------


DRIVER = NEW_SEIZURE["involvements"][0]
BAD_INPUT = [
    ({"items": [item(quantity="-5")]}, "items[0].quantity"),
    ({"items": [item(commodity="plutonium")]}, "items[0].commodity"),
    ({"items": [item(quantity="lots")]}, "items[0].quantity"),
    ({"items": [item(quantity="1.2345")]}, "items[0].quantity"),
    ({"items": [item(unit="bags")]}, "items[0].unit"),
    ({"items": [item(), {"commodity": "heroin", "unit": "kg"}]}, "items[1].quantity"),
    ({"items": [item(packaging="x" * 201)]}, "items[0].packaging"),
    ({"items": [item(purity="150")]}, "items[0].purity"),
    ({"items": []}, "items"),
    ({"items": "heroin"}, "items"),
    ({"items": ["heroin"]}, "items[0]"),
    ({"occurred_at": "2030-01-01T00:00:00Z"}, "occurred_at"),
    ({"occurred_at": "yesterday"}, "occurred_at"),
    ({"occurred_at": "1980-01-01T00:00:00Z"}, "occurred_at"),
    ({"involvements": [new_entity("container", number="CSQU3054384")]}, "involvements[0].number"),
    (
        {"involvements": [DRIVER, new_entity("account", number="KZ87125KZT5004100100")]},
        "involvements[1].number",
    ),
    ({"involvements": [{"kind": "person", "entity": "not-a-uuid"}]}, "involvements[0].entity"),
    ({"involvements": [{"kind": "person", "role": "driver"}]}, "involvements[0].entity"),
    ({"involvements": [{"kind": "spaceship", "data": {}}]}, "involvements[0].kind"),
    ({"involvements": [new_entity("person", full_name="A", dob=["1985"])]}, "involvements[0].dob"),
    (
        {"involvements": [new_entity("person", full_name="A", dob="1985-02-30")]},
        "involvements[0].dob",
    ),
    ({"involvements": [new_entity("person", aliases="x")]}, "involvements[0].aliases"),
    ({"involvements": [{**DRIVER, "role": "boss"}]}, "involvements[0].role"),
    ({"involvements": {"kind": "person"}}, "involvements"),
    ({"distribution": "bilateral", "counterpart_country": None}, "counterpart_country"),
    ({"distribution": "everyone"}, "distribution"),
    ({"handling_codes": ["H9"]}, "handling_codes"),
    ({"handling_codes": ["H3"]}, "handling_conditions"),
    ({"classification": "top"}, "classification"),
    ({"transit_countries": ["Narnia"]}, "transit_countries[0]"),
    ({"transit_countries": ["XX"]}, "transit_countries"),
    ({"lat": "91", "lon": "70"}, "lat"),
    ({"lat": "41.5"}, "lon"),
    ({"site": "nowhere"}, "site"),
    ({"conveyance": ["truck"]}, "conveyance"),
    ({"agencies": ["no-such-agency"]}, "agencies"),
]  # fmt: skip


def test_bad_input_names_the_field_and_records_nothing(kz_api):
    # One test over the table (the directory fixture is the slow part of each test); every
    # failing case is reported at once.
    wrong = []
    for overrides, field in BAD_INPUT:
        response = post_seizure(kz_api, **overrides)
        body = response.json()
        fields = body.get("error", {}).get("fields", {})
        ok = (
            response.status_code == 400
            and body["error"]["code"] == "invalid"
            and field in fields
            and all(isinstance(m, str) and m for m in fields[field])
        )
        if not ok:
            wrong.append((overrides, field, response.status_code, body))
    assert wrong == []
    assert (Seizure.objects.count(), Person.objects.count(), Vehicle.objects.count()) == (0, 0, 0)


def test_service_messages_come_through_unchanged(kz_api):
    fields = error_fields(
        post_seizure(kz_api, items=[{"commodity": "heroin", "quantity": "-5", "unit": "kg"}])
    )
    assert fields == {"items[0].quantity": ["The quantity must be more than zero."]}
    fields = error_fields(post_seizure(kz_api, occurred_at="2030-01-01T00:00:00Z"))
    assert fields == {"occurred_at": ["The date is in the future."]}


def test_malformed_requests_give_the_error_shape_never_500(kz_api, kz_officer, record_seizure):
    seizure = record_seizure(kz_officer)
    response = kz_api.post(f"{BASE}/seizures/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parse_error"
    response = kz_api.post(f"{BASE}/seizures/", ["a", "list"], format="json")
    assert "non_field_errors" in error_fields(response)
    response = kz_api.post(f"{BASE}/seizures/", {"occurred_at": "x"}, format="multipart")
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"
    for path in ("/seizures/not-a-uuid/", "/persons/123/", "/seizures/not-a-uuid/history/"):
        response = kz_api.get(f"{BASE}{path}")
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    assert "commodity" in error_fields(kz_api.get(f"{BASE}/seizures/", {"commodity": "gold"}))
    assert "date_from" in error_fields(kz_api.get(f"{BASE}/seizures/", {"date_from": "soon"}))
    assert "ordering" in error_fields(kz_api.get(f"{BASE}/seizures/", {"ordering": "secret"}))
    assert "site" in error_fields(kz_api.get(f"{BASE}/seizures/", {"site": "nowhere"}))
    assert "kind" in error_fields(kz_api.get(f"{BASE}/incidents/", {"kind": "alien"}))
    assert kz_api.get(f"{BASE}/seizures/", {"page": "x"}).status_code == 404
    response = kz_api.patch(f"{BASE}/seizures/{seizure.pk}/", "[", content_type="application/json")
    assert response.status_code == 400
    assert "name" in error_fields(kz_api.get(f"{BASE}/persons/duplicates/"))
