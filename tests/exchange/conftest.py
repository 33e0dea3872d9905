"""Fixtures for the exchange: officers at both ends of the KZ-KG border, the national
situation centres, and a `send` helper that goes through the real service."""

from __future__ import annotations

from typing import Any

import pytest

from tests.records.conftest import record_seizure  # noqa: F401 - the records fixture, reused

KORDAI = "kz-kordai-blo"
AK_ZHOL = "kg-ak-zhol-blo"
DOSTUK = "kg-dostuk-blo"
OYBEK = "uz-oybek-blo"
KZ_SC = "kz-situation-centre-placeholder-sc"
KG_SC = "kg-situation-centre-placeholder-sc"
UZ_SC = "uz-situation-centre-placeholder-sc"
CARICC = "kz-caricc-rc"
UNODC = "uz-unodc-roca-hq"

VEHICLE = {
    "plate": "01 KG 123 ABC",
    "vehicle_country": "KG",
    "make_model": "MAN TGX",
    "driver": "Қурбонов Юсуф",
    "commodity": "heroin",
    "expected_at": "2026-12-02 16:00",
}


@pytest.fixture
def kg_sc_officer(directory, make_user):
    return make_user("kg.sc", office=KG_SC)


@pytest.fixture
def kz_sc_officer(directory, make_user):
    return make_user("kz.sc", office=KZ_SC)


@pytest.fixture
def send():
    """send(actor, **overrides) -> Message: an alert from Kordai to Ak-Zhol by default."""
    from blonet.exchange.services import message_send

    def go(actor: Any, **overrides: Any) -> Any:
        data: dict[str, Any] = {
            "office": KORDAI,
            "recipients": [AK_ZHOL],
            "kind": "alert",
            "subject": "Truck towards Ak-Zhol",
            "body": "Driver nervous at the scanner; please check the trailer.",
            "template": "vehicle_alert",
            "structured": dict(VEHICLE),
        }
        data.update(overrides)
        return message_send(actor=actor, **data)

    return go


@pytest.fixture
def rfi(send):
    """rfi(actor, **overrides): a request for information from Kordai to Ak-Zhol."""

    def go(actor: Any, **overrides: Any) -> Any:
        data: dict[str, Any] = {
            "kind": "rfi",
            "subject": "Driver check",
            "template": "person_check",
            "structured": {"full_name": "Qurbonov Yusuf", "dob": "1985-03-02"},
            "body": "Is he known to you?",
            "priority": "urgent",
        }
        data.update(overrides)
        return send(actor, **data)

    return go


def audit_actions(since: int = 0) -> list[str]:
    from blonet.audit.models import AuditEvent

    return list(AuditEvent.objects.filter(seq__gt=since).values_list("action", flat=True))


def last_seq() -> int:
    from blonet.audit.models import AuditEvent

    row = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()
    return row or 0
