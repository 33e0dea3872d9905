"""The records API: auth, write through the services, field-level errors, the access matrix,
the UI's filters, tombstones, history, audit of personal-data reads, constant query count."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from blonet.audit.models import AuditEvent
from blonet.records.filters import SeizureFilter
from blonet.records.models import Person, Phone, Seizure, Vehicle
from blonet.records.selectors import seizure_list_visible_to

pytestmark = pytest.mark.django_db
BASE = "/api/v1/records"
UTC = dt.UTC


def client_for(user: Any) -> APIClient:
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def kz_api(kz_officer):
    return client_for(kz_officer)


@pytest.fixture
def programme_viewer(directory, make_user):
    return make_user("programme.viewer", office="uz-unodc-roca-hq", role="programme_viewer")


def ids(response: Any) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def error_fields(response: Any) -> dict[str, list[str]]:
    assert response.status_code == 400, response.content
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == "invalid"
    return body["error"]["fields"]


NEW_SEIZURE: dict[str, Any] = {
    "occurred_at": "2026-11-30T14:00:00+05:00",
    "site": "kz-kordai-bcp",
    "conveyance": "truck",
    "detection_method": "scanner",
    "concealment": "cargo",
    "distribution": "bilateral",
    "counterpart_country": "KG",
    "handling_codes": ["H2"],
    "origin_country": "AF",
    "transit_countries": ["TJ", "KG"],
    "destination_country": "RU",
    "narrative": "Found in a load of dried apricots.",
    "items": [
        {"commodity": "heroin", "quantity": "12.5", "unit": "kg", "packaging": "24 packets"},
        {"commodity": "hashish", "quantity": 800, "unit": "g", "markings": "scorpion logo"},
    ],
    "involvements": [
        {
            "kind": "person",
            "role": "driver",
            "data": {"full_name": "Qurbonov Yusuf", "dob": "1985-03-02", "nationality": "TJ"},
        },
        {
            "kind": "vehicle",
            "role": "used",
            "data": {"plate": "01 KG 123 ABC", "country": "KG", "make": "MAN"},
        },
    ],
}


def post_seizure(client: APIClient, **overrides: Any) -> Any:
    return client.post(f"{BASE}/seizures/", {**NEW_SEIZURE, **overrides}, format="json")


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


def item(**fields: Any) -> dict[str, Any]:
    return {"commodity": "heroin", "quantity": "1", "unit": "kg", **fields}


def new_entity(kind: str, **data: Any) -> dict[str, Any]:
    return {"kind": kind, "role": "used", "data": data}


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


# --- the access matrix --------------------------------------------------------------------------

LEVELS = ["office", "agency", "national", "bilateral", "regional"]
SEES = {
    "kz_officer": set(LEVELS),
    "kg_officer": {"bilateral", "regional"},
    "uz_officer": {"regional"},
    "programme_viewer": set(),
}


@pytest.fixture
def by_level(kz_officer, record_seizure):
    return {
        level: record_seizure(
            kz_officer,
            distribution=level,
            counterpart_country="KG" if level == "bilateral" else None,
            narrative=f"level {level}",
        )
        for level in LEVELS
    }


@pytest.mark.parametrize("viewer", sorted(SEES))
def test_the_access_matrix(request, viewer, by_level, kg_officer, uz_officer, programme_viewer):
    client = client_for(request.getfixturevalue(viewer))
    expected = {str(by_level[level].pk) for level in SEES[viewer]}
    assert ids(client.get(f"{BASE}/seizures/", {"page_size": 100})) == expected
    for level, seizure in by_level.items():
        detail = client.get(f"{BASE}/seizures/{seizure.pk}/")
        assert detail.status_code == (200 if level in SEES[viewer] else 404), (level, detail)
        history = client.get(f"{BASE}/seizures/{seizure.pk}/history/")
        assert history.status_code == detail.status_code
    # The persons recorded with each seizure share its distribution.
    persons = {str(p.pk) for p in Person.objects.filter(distribution__in=SEES[viewer]).only("pk")}
    assert ids(client.get(f"{BASE}/persons/", {"page_size": 100})) == persons
    assert len(persons) == len(SEES[viewer])


def test_anonymous_sees_nothing(by_level):
    client = APIClient()
    for seizure in by_level.values():
        response = client.get(f"{BASE}/seizures/{seizure.pk}/")
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "not_authenticated"


def test_a_counterpart_cannot_change_or_delete_a_record_and_nothing_changes(by_level, kg_officer):
    client = client_for(kg_officer)
    shared, hidden = by_level["bilateral"], by_level["office"]
    for seizure, status in ((shared, 403), (hidden, 404)):
        url = f"{BASE}/seizures/{seizure.pk}/"
        patch = client.patch(url, {"narrative": "mine now"}, format="json")
        assert patch.status_code == status
        put = client.put(url, {**NEW_SEIZURE, "narrative": "mine now"}, format="json")
        assert put.status_code == status
        delete = client.delete(f"{url}?reason=mistake")
        assert delete.status_code == status
        assert delete.json()["error"]["code"] == (
            "permission_denied" if status == 403 else "not_found"
        )
        seizure.refresh_from_db()
        assert (seizure.version, seizure.deleted_at, seizure.items.count()) == (1, None, 2)
        assert seizure.narrative.startswith("level ")
    assert AuditEvent.objects.filter(action__in=["records.seizure.updated"]).count() == 0
    assert AuditEvent.objects.filter(action="records.seizure.deleted").count() == 0


def test_a_hidden_entity_cannot_be_linked_and_a_hidden_link_shows_no_entity(
    kz_officer, kg_officer, record_seizure
):
    record_seizure(kz_officer, distribution="office")
    hidden = Person.objects.get()
    response = post_seizure(
        client_for(kg_officer),
        site="kg-ak-zhol-bcp",
        distribution="national",
        involvements=[{"kind": "person", "role": "driver", "entity": str(hidden.pk)}],
    )
    assert error_fields(response) == {
        "involvements[0].entity": ["This entry does not exist or you may not see it."]
    }
    # The owner links its office-only person into a bilateral seizure: KG sees the link only.
    shared = record_seizure(
        kz_officer,
        distribution="bilateral",
        counterpart_country="KG",
        involvements=[{"kind": "person", "role": "organiser", "entity": hidden.pk}],
    )
    body = client_for(kg_officer).get(f"{BASE}/seizures/{shared.pk}/").json()
    assert body["involvements"] == [
        {"role": "organiser", "kind": "person", "note": "", "entity": None}
    ]
    assert not AuditEvent.objects.filter(action="records.seizure.viewed").exists()


# --- update, delete, history --------------------------------------------------------------------


def test_patch_put_delete_and_history(kz_api, kz_officer):
    created = post_seizure(kz_api).json()
    url = f"{BASE}/seizures/{created['id']}/"
    patched = kz_api.patch(url, {"narrative": "Behind the spare wheel."}, format="json").json()
    assert (patched["version"], patched["narrative"]) == (2, "Behind the spare wheel.")
    assert [i["commodity"] for i in patched["items"]] == ["heroin", "hashish"]  # not given: kept
    assert len(patched["involvements"]) == 2
    keep = [
        {"kind": i["kind"], "role": i["role"], "entity": i["entity"]["id"]}
        for i in patched["involvements"]
    ]
    put = kz_api.put(
        url,
        {
            **NEW_SEIZURE,
            "items": [{"commodity": "opium", "quantity": "2", "unit": "kg", "markings": "tiger"}],
            "involvements": keep,
        },
        format="json",
    )
    assert put.status_code == 200, put.content
    body = put.json()
    assert body["version"] == 3
    assert [(i["commodity"], i["quantity"]) for i in body["items"]] == [("opium", "2.000")]
    assert body["total_kg"] == "2.000"
    assert [i["entity"]["id"] for i in body["involvements"]] == [k["entity"] for k in keep]
    assert (Person.objects.count(), Vehicle.objects.count()) == (1, 1)
    # The list finds it by the new item's marking (the search text follows the items).
    assert ids(kz_api.get(f"{BASE}/seizures/", {"q": "tiger"})) == {created["id"]}
    assert ids(kz_api.get(f"{BASE}/seizures/", {"q": "scorpion"})) == set()
    response = kz_api.patch(url, {"owner_office": "kg-ak-zhol-blo"}, format="json")
    assert list(error_fields(response)) == ["owner_office"]

    # Delete needs a reason; then it is a tombstone: a new version, gone from the list.
    assert error_fields(kz_api.delete(url)) == {"reason": ["Say why the record is deleted."]}
    assert error_fields(kz_api.delete(f"{url}?reason=%20")) == {
        "reason": ["Say why the record is deleted."]
    }
    deleted = kz_api.delete(url, {"reason": "Entered twice"}, format="json")
    assert deleted.status_code == 200
    tomb = deleted.json()
    assert (tomb["version"], tomb["deleted_reason"], tomb["deleted_by"]) == (
        4,
        "Entered twice",
        "kz.officer",
    )
    assert tomb["deleted_at"] is not None
    assert ids(kz_api.get(f"{BASE}/seizures/")) == set()
    assert kz_api.get(url).json()["deleted_at"] == tomb["deleted_at"]
    response = kz_api.patch(url, {"narrative": "again"}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "A deleted record cannot be changed."

    history = kz_api.get(f"{url}history/").json()
    assert [(h["version"], h["who"], h["change"]) for h in history] == [
        (1, "kz.officer", "created"),
        (2, "kz.officer", "changed"),
        (3, "kz.officer", "changed"),
        (4, "kz.officer", "deleted"),
    ]
    assert history[0]["changed_fields"] == []
    assert history[1]["changed_fields"] == ["narrative"]
    assert history[2]["changed_fields"] == ["commodities", "narrative", "total_kg"]
    assert history[3]["changed_fields"] == ["deleted_at", "deleted_by", "deleted_reason"]
    assert all(dt.datetime.fromisoformat(h["when"]) for h in history)


def test_delete_reason_in_the_query_string(kz_api, kz_officer, record_seizure):
    seizure = record_seizure(kz_officer)
    response = kz_api.delete(f"{BASE}/seizures/{seizure.pk}/?reason=Test%20entry")
    assert response.status_code == 200
    seizure.refresh_from_db()
    assert (seizure.version, seizure.deleted_reason) == (2, "Test entry")


# --- the UI's filters ---------------------------------------------------------------------------


def _person(name: str) -> list[dict[str, Any]]:
    return [{"kind": "person", "role": "courier", "data": {"full_name": name}}]


@pytest.fixture
def varied(kz_officer, kg_officer, record_seizure):
    return {
        "heroin_truck": record_seizure(
            kz_officer, occurred_at="2026-01-10 10:00", conveyance="truck",
            items=[{"commodity": "heroin", "quantity": "3", "unit": "kg"}],
            involvements=_person("Qurbonov Yusuf"),
        ),
        "hashish_car": record_seizure(
            kz_officer, occurred_at="2026-03-05 10:00", conveyance="private_car",
            origin_country="KG", transit_countries=[], destination_country="KZ",
            items=[{"commodity": "hashish", "quantity": "40", "unit": "kg"}],
            involvements=_person("Ivanov Petr"),
        ),
        "tramadol_bus": record_seizure(
            kz_officer, occurred_at="2026-06-20 10:00", conveyance="bus",
            origin_country="IN", transit_countries=["UZ"], destination_country="KZ",
            items=[
                {"commodity": "tramadol", "quantity": "5000", "unit": "tablets"},
                {"commodity": "heroin", "quantity": "0.5", "unit": "kg"},
            ],
            involvements=_person("Karimova Dilnoza"),
        ),
        "kg_heroin_truck": record_seizure(
            kg_officer, office="kg-ak-zhol-blo", site="kg-ak-zhol-bcp", distribution="regional",
            counterpart_country=None, occurred_at="2026-08-01 10:00", conveyance="truck",
            items=[{"commodity": "heroin", "quantity": "1", "unit": "kg"}],
            involvements=_person("Асанов Бакыт"),
        ),
    }  # fmt: skip


FILTERS = [
    ({"commodity": "heroin"}, {"heroin_truck", "tramadol_bus", "kg_heroin_truck"}),
    ({"commodity": "tramadol"}, {"tramadol_bus"}),
    ({"conveyance": "truck"}, {"heroin_truck", "kg_heroin_truck"}),
    ({"date_from": "2026-03-01", "date_to": "2026-06-30"}, {"hashish_car", "tramadol_bus"}),
    ({"date_to": "2026-01-10"}, {"heroin_truck"}),
    ({"country": "KG"}, {"kg_heroin_truck"}),
    ({"country": "KZ", "commodity": "heroin"}, {"heroin_truck", "tramadol_bus"}),
    ({"route_country": "UZ"}, {"tramadol_bus"}),
    ({"route_country": "AF"}, {"heroin_truck", "kg_heroin_truck"}),
    ({"q": "Курбонов"}, {"heroin_truck"}),
    ({"q": "Иванов Петр"}, {"hashish_car"}),
    ({"q": "Asanov"}, {"kg_heroin_truck"}),
    ({"q": "каримова", "conveyance": "bus"}, {"tramadol_bus"}),
    ({"site": "kg-ak-zhol-bcp"}, {"kg_heroin_truck"}),
    ({"distribution": "regional"}, {"kg_heroin_truck"}),
    ({}, {"heroin_truck", "hashish_car", "tramadol_bus", "kg_heroin_truck"}),
]


def test_filters_are_the_uis(kz_api, kz_officer, varied):
    wrong = []
    for params, expected in FILTERS:
        api = ids(kz_api.get(f"{BASE}/seizures/", params))
        ui = SeizureFilter(params, queryset=seizure_list_visible_to(user=kz_officer))
        assert ui.is_valid()
        from_ui = {str(pk) for pk in ui.qs.values_list("pk", flat=True)}
        names = {name for name, seizure in varied.items() if str(seizure.pk) in api}
        if names != expected or api != from_ui:
            wrong.append((params, sorted(names), sorted(expected), api == from_ui))
    assert wrong == []


def test_ordering_is_the_filtersets(kz_api, varied):
    by_kg = kz_api.get(f"{BASE}/seizures/", {"ordering": "-total_kg"}).json()["results"]
    assert [r["total_kg"] for r in by_kg] == ["40.000", "3.000", "1.000", "0.500"]
    oldest = kz_api.get(f"{BASE}/seizures/", {"ordering": "occurred_at"}).json()["results"]
    assert [r["id"] for r in oldest] == [
        str(varied[n].pk)
        for n in ("heroin_truck", "hashish_car", "tramadol_bus", "kg_heroin_truck")
    ]
    newest = kz_api.get(f"{BASE}/seizures/").json()["results"]
    assert [r["id"] for r in newest] == [r["id"] for r in reversed(oldest)]


# --- incidents ----------------------------------------------------------------------------------


def test_incident_crud(kz_api, kz_officer):
    response = kz_api.post(
        f"{BASE}/incidents/",
        {
            "kind": "document_fraud",
            "occurred_at": "2026-11-29T08:30:00+05:00",
            "site": "kz-kordai-bcp",
            "narrative": "Forged visa.",
            "involvements": [
                new_entity("document", document_kind="passport", number="N 1234567"),
            ],
        },
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kind"], body["narrative"], body["sharing"]["distribution"]) == (
        "document_fraud",
        "Forged visa.",
        "national",
    )
    assert body["involvements"][0]["entity"]["label"] == "Passport N 1234567"
    url = f"{BASE}/incidents/{body['id']}/"
    assert ids(kz_api.get(f"{BASE}/incidents/", {"kind": "document_fraud"})) == {body["id"]}
    assert ids(kz_api.get(f"{BASE}/incidents/", {"kind": "shooting"})) == set()
    assert kz_api.patch(url, {"kind": "other"}, format="json").json()["version"] == 2
    fields = error_fields(kz_api.patch(url, {"kind": "alien"}, format="json"))
    assert list(fields) == ["kind"]
    assert kz_api.delete(url, {"reason": "duplicate"}, format="json").json()["version"] == 3
    assert ids(kz_api.get(f"{BASE}/incidents/")) == set()
    assert [h["change"] for h in kz_api.get(f"{url}history/").json()] == [
        "created",
        "changed",
        "deleted",
    ]
    missing = kz_api.post(f"{BASE}/incidents/", {"kind": "other"}, format="json")
    assert "occurred_at" in error_fields(missing)


# --- entities -----------------------------------------------------------------------------------


def test_entity_create_update_delete(kz_api):
    response = kz_api.post(
        f"{BASE}/phones/", {"number": "+996 555 123 456", "country": "KG"}, format="json"
    )
    assert response.status_code == 201, response.content
    phone = response.json()
    assert (phone["kind"], phone["number_normalised"], phone["version"]) == (
        "phone",
        "996555123456",
        1,
    )
    assert phone["sharing"]["owner_office"] == "kz-kordai-blo"
    assert phone["appearances"] == {
        "seizures": [],
        "seizures_total": 0,
        "incidents": [],
        "incidents_total": 0,
    }
    url = f"{BASE}/phones/{phone['id']}/"
    assert ids(kz_api.get(f"{BASE}/phones/", {"q": "996555123456"})) == {phone["id"]}
    patched = kz_api.patch(url, {"distribution": "regional"}, format="json").json()
    assert (patched["version"], patched["sharing"]["distribution"]) == (2, "regional")
    assert error_fields(kz_api.patch(url, {"number": "12"}, format="json")) == {
        "number": ["A phone number has 5 to 15 digits."]
    }
    assert error_fields(kz_api.delete(url)) == {"reason": ["Say why the record is deleted."]}
    assert kz_api.delete(url, {"reason": "wrong number"}, format="json").json()["version"] == 3
    assert ids(kz_api.get(f"{BASE}/phones/")) == set()
    assert Phone.objects.get().deleted_reason == "wrong number"
    history = kz_api.get(f"{url}history/").json()
    assert [(h["version"], h["change"]) for h in history] == [
        (1, "created"),
        (2, "changed"),
        (3, "deleted"),
    ]
    assert history[1]["changed_fields"] == ["distribution"]


ENTITY_INPUT = [
    ("/accounts/", {"number": "KZ86125KZT5004100100"}, None),
    ("/accounts/", {"number": "KZ87125KZT5004100100"}, "number"),
    ("/containers/", {"number": "CSQU3054383"}, None),
    ("/containers/", {"number": "CSQU3054384"}, "number"),
    ("/vehicles/", {"plate": "", "vin": ""}, "plate"),
    ("/persons/", {"full_name": "Ivanov Ivan", "dob": "31-12-1980"}, "dob"),
    ("/persons/", {"full_name": "Ivanov Ivan", "nationality": "Atlantis"}, "nationality"),
    ("/documents/", {"document_kind": "passport", "valid_from": "2020-13-01"}, "valid_from"),
    ("/documents/", {"document_kind": "visa", "number": "N1"}, "document_kind"),
    ("/organisations/", {"name": "Silk Road Trans LLP", "country": "KZ"}, None),
    ("/persons/", {"full_name": "A", "distribution": "bilateral"}, "counterpart_country"),
]  # fmt: skip


def test_entity_validation(kz_api):
    wrong = []
    for path, data, field in ENTITY_INPUT:
        response = kz_api.post(f"{BASE}{path}", data, format="json")
        fields = response.json().get("error", {}).get("fields", {})
        ok = response.status_code == 201 if field is None else field in fields
        if not ok:
            wrong.append((path, data, field, response.status_code, fields))
    assert wrong == []


def test_person_detail_lists_appearances_and_is_audited(kz_api, kz_officer, record_seizure):
    seizure = record_seizure(kz_officer)
    person = Person.objects.get()
    before = AuditEvent.objects.count()
    body = kz_api.get(f"{BASE}/persons/{person.pk}/").json()
    assert (body["full_name"], body["dob"], body["nationality"]) == (
        "Qurbonov Yusuf",
        "1985-03-02",
        "TJ",
    )
    assert body["appearances"]["seizures"] == [
        {
            "id": str(seizure.pk),
            "url": f"http://testserver{BASE}/seizures/{seizure.pk}/",
            "reference": seizure.reference,
            "occurred_at": body["appearances"]["seizures"][0]["occurred_at"],
            "roles": ["driver"],
        }
    ]
    viewed = AuditEvent.objects.order_by("seq")[before:]
    assert [(e.action, e.target_id, e.data, e.actor_label) for e in viewed] == [
        ("records.person.viewed", str(person.pk), {"via": "api"}, "kz.officer")
    ]
    # A seizure detail with persons leaves one trace naming them; the list leaves none.
    kz_api.get(f"{BASE}/seizures/")
    kz_api.get(f"{BASE}/seizures/{seizure.pk}/")
    last = AuditEvent.objects.order_by("-seq").first()
    assert AuditEvent.objects.count() == before + 2
    assert (last.action, last.target_id, last.data) == (
        "records.seizure.viewed",
        str(seizure.pk),
        {"persons": [str(person.pk)], "via": "api"},
    )
    # A vehicle holds no personal data in this sense: no trace.
    kz_api.get(f"{BASE}/vehicles/{Vehicle.objects.get().pk}/")
    assert AuditEvent.objects.count() == before + 2


def test_person_search_and_likely_duplicates(kz_api, kg_officer, kz_officer, record_seizure):
    record_seizure(kz_officer)  # bilateral with KG
    person = Person.objects.get()
    assert ids(kz_api.get(f"{BASE}/persons/", {"q": "Курбонов"})) == {str(person.pk)}
    assert ids(kz_api.get(f"{BASE}/persons/", {"q": "Petrov"})) == set()
    kg = client_for(kg_officer)
    found = kg.get(f"{BASE}/persons/duplicates/", {"name": "Курбонов Юсуф", "dob": "1985"})
    assert found.status_code == 200
    assert [r["id"] for r in found.json()["results"]] == [str(person.pk)]
    wrong_year = kg.get(f"{BASE}/persons/duplicates/", {"name": "Qurbonov Yusuf", "dob": "1970"})
    assert wrong_year.json() == {"results": []}
    other = client_for(None)
    assert other.get(f"{BASE}/persons/duplicates/", {"name": "Qurbonov"}).status_code == 401


# --- query count --------------------------------------------------------------------------------


def _list_queries(client: APIClient, path: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, {"page_size": 100})
    assert response.status_code == 200
    return len(ctx.captured_queries), response.json()["count"]


def test_list_query_count_is_constant(
    kz_api, kz_officer, record_seizure, django_assert_max_num_queries
):
    # token, postings, count, rows, items, agencies: the same for 3 rows and for 20.
    for _ in range(3):
        record_seizure(kz_officer)
    with django_assert_max_num_queries(6):
        few, count = _list_queries(kz_api, f"{BASE}/seizures/")
    assert count == 3
    for _ in range(17):
        record_seizure(kz_officer, items=[{"commodity": "opium", "quantity": "1", "unit": "kg"}])
    with django_assert_max_num_queries(6):
        many, count = _list_queries(kz_api, f"{BASE}/seizures/")
    assert count == 20
    assert many == few
    with django_assert_max_num_queries(4):
        _, count = _list_queries(kz_api, f"{BASE}/persons/")
    assert count == 20
