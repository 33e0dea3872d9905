"""The records API: the access matrix, hidden entities, update, delete and history."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from blonet.audit.models import AuditEvent
from blonet.records.models import Person, Vehicle
from tests.records.api_common import (
    BASE,
    NEW_SEIZURE,
    client_for,
    error_fields,
    ids,
    post_seizure,
)

pytestmark = pytest.mark.django_db


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
