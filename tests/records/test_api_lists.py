"""The records API lists: the UI's filters and ordering, a constant query count."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from blonet.records.filters import SeizureFilter
from blonet.records.selectors import seizure_list_visible_to
from tests.records.api_common import (
    BASE,
    ids,
)

pytestmark = pytest.mark.django_db


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
