"""The detail selectors: what they fetch, and the visibility of linked entities they flag."""

from __future__ import annotations

import pytest

from blonet.records.models import ENTITY_MODELS
from blonet.records.selectors import entity_visible, seizure_get_for
from blonet.records.services import entity_create
from blonet.records.views.common import visible_links

pytestmark = pytest.mark.django_db


def test_linked_entities_carry_the_readers_visibility(kz_officer, kg_officer, record_seizure):
    hidden = entity_create(
        actor=kz_officer, kind="phone", office="kz-kordai-blo",
        data={"number": "+7 701 555 0101", "distribution": "office"},
    )  # fmt: skip
    seizure = record_seizure(
        kz_officer,
        involvements=[
            {"kind": "person", "role": "driver", "data": {"full_name": "Qurbonov Yusuf"}},
            {"kind": "phone", "role": "used", "entity": str(hidden.pk)},
        ],
    )  # bilateral with KG: the seizure and its new person are shared, the phone is not
    for user in (kz_officer, kg_officer):
        record = seizure_get_for(user=user, pk=seizure.pk)
        links = list(record.involvements.all())
        for link in links:
            model = ENTITY_MODELS[link.entity_kind]
            expected = model.objects.visible_to(user).filter(pk=link.entity.pk).exists()
            assert entity_visible(link.entity) is expected
        shown = {row["kind"]: row["entity"] for row in visible_links(user, links)}
        assert shown["person"] is not None
        assert (shown["phone"] is not None) is (user == kz_officer)


def test_the_detail_reads_the_record_in_a_constant_number_of_queries(
    kz_officer, record_seizure, django_assert_num_queries
):
    seizure = record_seizure(kz_officer)
    # the seizure joined with its owner office, country, site and agency; its counterpart
    # country and creator; agencies, items, attachments, links, persons, vehicles (each
    # entity with its visibility: no query per kind afterwards)
    with django_assert_num_queries(9):
        record = seizure_get_for(user=kz_officer, pk=seizure.pk)
    with django_assert_num_queries(0):
        assert record.owner_office.pk == "kz-kordai-blo"
        assert record.site.pk == "kz-kordai-bcp"
        assert record.owner_agency.pk and record.owner_country.pk == "KZ"
        assert record.counterpart_country.pk == "KG"
        visible_links(kz_officer, list(record.involvements.all()))
