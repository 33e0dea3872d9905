"""Fixtures for records: a seizure recorded through the real service."""

from __future__ import annotations

from typing import Any

import pytest


def seizure_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "occurred_at": "2026-11-30 14:00",
        "site": "kz-kordai-bcp",
        "conveyance": "truck",
        "detection_method": "scanner",
        "distribution": "bilateral",
        "counterpart_country": "KG",
        "origin_country": "AF",
        "transit_countries": ["TJ", "KG"],
        "destination_country": "RU",
    }
    data.update(overrides)
    return data


DEFAULT_ITEMS = [
    {"commodity": "heroin", "quantity": "12.5", "unit": "kg"},
    {"commodity": "hashish", "quantity": "800", "unit": "g", "markings": "scorpion logo"},
]
DEFAULT_PEOPLE = [
    {
        "kind": "person",
        "role": "driver",
        "data": {"full_name": "Qurbonov Yusuf", "dob": "1985-03-02", "nationality": "TJ"},
    },
    {"kind": "vehicle", "role": "used", "data": {"plate": "01 KG 123 ABC", "country": "KG"}},
]


@pytest.fixture
def record_seizure():
    """record_seizure(user, office=..., items=..., involvements=..., **data) -> Seizure."""
    from blonet.records.services import seizure_record

    def record(
        user: Any,
        *,
        office: str = "kz-kordai-blo",
        items: list[dict[str, Any]] | None = None,
        involvements: list[dict[str, Any]] | None = None,
        **data: Any,
    ) -> Any:
        return seizure_record(
            actor=user,
            office=office,
            data=seizure_data(**data),
            items=items if items is not None else DEFAULT_ITEMS,
            involvements=involvements if involvements is not None else DEFAULT_PEOPLE,
        )

    return record


@pytest.fixture
def kz_api(kz_officer):
    """An API client with the KZ officer's token."""
    from tests.records.api_common import client_for

    return client_for(kz_officer)


@pytest.fixture
def programme_viewer(directory, make_user):
    return make_user("programme.viewer", office="uz-unodc-roca-hq", role="programme_viewer")
