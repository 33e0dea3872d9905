"""The records API: incidents, entities, persons' appearances (audited) and likely duplicates."""

from __future__ import annotations

import pytest

from blonet.audit.models import AuditEvent
from blonet.records.models import Person, Phone, Vehicle
from tests.records.api_common import (
    BASE,
    client_for,
    error_fields,
    ids,
    new_entity,
)

pytestmark = pytest.mark.django_db


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
