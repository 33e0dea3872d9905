"""The access matrix of records: who sees what, for every distribution level."""

from __future__ import annotations

import pytest

from blonet.core.errors import NotFound
from blonet.records.models import Person, Seizure, SeizureItem
from blonet.records.selectors import (
    entity_appearances,
    entity_get_for,
    seizure_get_for,
    seizure_list_visible_to,
)

pytestmark = pytest.mark.django_db

LEVELS = ["office", "agency", "national", "bilateral", "regional", "all"]
# viewer -> the levels of a Kordai (KZ) record they see; the KG officer is the bilateral partner.
EXPECTED = {
    "kz_same_office": {"office", "agency", "national", "bilateral", "regional", "all"},
    "kz_same_agency": {"agency", "national", "bilateral", "regional", "all"},
    "kz_other_agency": {"national", "bilateral", "regional", "all"},
    "kg_counterpart": {"bilateral", "regional", "all"},
    "uz_third_country": {"regional", "all"},
    "programme_viewer": set(),
    "programme_manager": set(),
    "anonymous": set(),
}


@pytest.fixture
def viewers(directory, make_user, kz_officer, kg_officer, uz_officer):
    from django.contrib.auth.models import AnonymousUser

    from blonet.directory.models import Office

    kordai = Office.objects.get(pk="kz-kordai-blo")
    same_agency = Office.objects.filter(agency=kordai.agency).exclude(pk=kordai.pk).first()
    other_agency = Office.objects.filter(country="KZ").exclude(agency=kordai.agency).first()
    assert same_agency is not None and other_agency is not None
    return {
        "kz_same_office": kz_officer,
        "kz_same_agency": make_user("kz.agency", office=same_agency.pk),
        "kz_other_agency": make_user("kz.other", office=other_agency.pk),
        "kg_counterpart": kg_officer,
        "uz_third_country": uz_officer,
        "programme_viewer": make_user("pv", office="uz-unodc-roca-hq", role="programme_viewer"),
        "programme_manager": make_user("pm", office="kz-kordai-blo", role="programme_manager"),
        "anonymous": AnonymousUser(),
    }


@pytest.fixture
def by_level(kz_officer, record_seizure):
    return {
        level: record_seizure(
            kz_officer,
            distribution=level,
            counterpart_country="KG" if level == "bilateral" else None,
            narrative=level,
        )
        for level in LEVELS
    }


@pytest.mark.parametrize("viewer", list(EXPECTED))
def test_list_and_detail_matrix(viewers, by_level, viewer):
    user = viewers[viewer]
    seen = set(seizure_list_visible_to(user=user).values_list("narrative", flat=True))
    assert seen == EXPECTED[viewer]
    for level, seizure in by_level.items():
        if level in EXPECTED[viewer]:
            assert seizure_get_for(user=user, pk=seizure.pk) == seizure
        else:
            with pytest.raises(NotFound):
                seizure_get_for(user=user, pk=seizure.pk)


@pytest.mark.parametrize("viewer", list(EXPECTED))
def test_children_follow_their_record(viewers, by_level, viewer):
    user = viewers[viewer]
    items = SeizureItem.objects.visible_to(user)
    assert set(items.values_list("seizure__narrative", flat=True)) == EXPECTED[viewer]
    people = set(Person.objects.visible_to(user).values_list("distribution", flat=True))
    assert people == EXPECTED[viewer]


def test_missing_and_hidden_are_the_same(uz_officer, by_level):
    import uuid

    for pk in (uuid.uuid4(), by_level["national"].pk, "not-a-uuid"):
        with pytest.raises(NotFound):
            seizure_get_for(user=uz_officer, pk=pk)


def test_classification_above_clearance_is_hidden(kz_officer, kg_officer, record_seizure):
    secret = record_seizure(kz_officer, classification=3, narrative="secret")
    assert kz_officer.clearance == 1
    assert list(seizure_list_visible_to(user=kz_officer).filter(pk=secret.pk)) == []
    with pytest.raises(NotFound):
        seizure_get_for(user=kg_officer, pk=secret.pk)


def test_tombstones_leave_the_list(kz_officer, record_seizure):
    from blonet.records.services import seizure_delete

    seizure = record_seizure(kz_officer)
    seizure_delete(actor=kz_officer, seizure=seizure, reason="duplicate")
    assert list(seizure_list_visible_to(user=kz_officer)) == []
    assert seizure_get_for(user=kz_officer, pk=seizure.pk).is_deleted


def test_entity_pages_show_only_visible_appearances(kz_officer, kg_officer, record_seizure):
    bilateral = record_seizure(kz_officer, narrative="shared")
    person = bilateral.involvements.get(role="driver").person
    national = record_seizure(
        kz_officer,
        distribution="national",
        narrative="kz only",
        involvements=[{"kind": "person", "role": "courier", "entity": str(person.pk)}],
    )
    mine = entity_appearances(user=kz_officer, entity=person)
    theirs = entity_appearances(
        user=kg_officer, entity=entity_get_for(user=kg_officer, kind="person", pk=person.pk)
    )
    assert set(mine["seizures"]) == {bilateral, national}
    assert set(theirs["seizures"]) == {bilateral}
    assert Seizure.objects.count() == 2
