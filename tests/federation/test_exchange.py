"""Messages between nodes: an alert from Kordai (KZ) reaches the Kyrgyz node only, sealed; the
read receipt and the answer come back to the Kazakh node."""

from __future__ import annotations

import json

import pytest

from blonet.exchange.models import Message, Recipient
from blonet.exchange.services import message_send, rfi_answer
from blonet.exchange.services.receipts import mark_read
from blonet.federation.models import OutboxEntry
from blonet.federation.services.inbox import receive
from tests.federation.nodes import Nodes

pytestmark = pytest.mark.django_db
KORDAI, AK_ZHOL = "kz-kordai-blo", "kg-ak-zhol-blo"


@pytest.fixture
def nodes(directory, tmp_path):
    n = Nodes(tmp_path)
    n.peers()
    return n


def alert(actor, **extra):
    return message_send(
        actor=actor, office=KORDAI, recipients=[AK_ZHOL], kind=extra.pop("kind", "alert"),
        subject="Truck towards Ak-Zhol", body="Please check the trailer of 01 KG 123 ABC.", **extra,
    )  # fmt: skip


def test_an_alert_to_ak_zhol_is_sealed_to_kg_and_applied_there_only(nodes, kz_officer, kg_officer):
    made = {}
    envs = nodes.envelopes("KZ", lambda: made.update(m=alert(kz_officer)))
    assert len(envs) == 1
    env = json.loads(envs[0])
    assert env["record_type"] == "message" and env["recipients"] == ["KG"]
    assert "trailer" not in envs[0].decode() and "ciphertext" in env
    with nodes.as_node("UZ"):
        assert receive(envs[0]).reason == "not_recipient"
    assert not Message.objects.exists()
    with nodes.as_node("KG"):
        assert receive(envs[0]).state == "applied"
        copy = Message.objects.get(pk=made["m"].pk)
        assert copy.origin_node == "KZ" and copy.thread.subject == "Truck towards Ak-Zhol"
        assert Message.objects.visible_to(kg_officer).filter(pk=copy.pk).exists()
        assert list(Recipient.objects.values_list("office_id", flat=True)) == [AK_ZHOL]


def test_a_read_receipt_at_kg_reaches_the_kazakh_node(nodes, kz_officer, kg_officer):
    with nodes.as_node("KZ"):
        message = alert(kz_officer)
    OutboxEntry.objects.all().delete()

    def read_at_kg():
        mark_read(actor=kg_officer, messages=[message])

    envs = nodes.envelopes("KG", read_at_kg)
    assert [json.loads(e)["record_type"] for e in envs] == ["message_state"]
    assert Recipient.objects.get(message=message).read_at is None
    with nodes.as_node("KZ"):
        assert receive(envs[0]).state == "applied"
        assert Recipient.objects.get(message=message).read_at is not None
        assert receive(envs[0]).state == "duplicate"


def test_an_answer_from_kg_marks_the_request_answered_on_the_kazakh_node(
    nodes, kz_officer, kg_officer
):
    with nodes.as_node("KZ"):
        request = alert(kz_officer, kind="rfi", due_at="2026-12-30 12:00")
    OutboxEntry.objects.all().delete()
    envs = nodes.envelopes(
        "KG",
        lambda: rfi_answer(
            actor=kg_officer, message=request, office=AK_ZHOL, body="Checked: nothing found."
        ),
    )
    answer_env = [e for e in envs if json.loads(e)["record_type"] == "message"]
    assert len(answer_env) == 1 and json.loads(answer_env[0])["recipients"] == ["KZ"]
    with nodes.as_node("KZ"):
        assert receive(answer_env[0]).state == "applied"
        receipt = Recipient.objects.get(message=request, office_id=AK_ZHOL)
        assert receipt.answered_at is not None and receipt.answer.body == "Checked: nothing found."
