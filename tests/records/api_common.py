"""What the records API tests share: a client with a token, the response checks, a seizure."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

BASE = "/api/v1/records"
UTC = dt.UTC


def client_for(user: Any) -> APIClient:
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


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


def item(**fields: Any) -> dict[str, Any]:
    return {"commodity": "heroin", "quantity": "1", "unit": "kg", **fields}


def new_entity(kind: str, **data: Any) -> dict[str, Any]:
    return {"kind": kind, "role": "used", "data": data}


DRIVER = NEW_SEIZURE["involvements"][0]
