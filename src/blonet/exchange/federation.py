"""How messages and their receipt states travel between nodes (registered with federation).

A message goes to the nodes of its recipient offices, sealed to them whatever its distribution:
an alert from Kordai (KZ) to Ak-Zhol (KG) is readable on the KG node only. The receiving node
writes a read-only copy of the message, its thread and its receipt rows; an answer marks the
request answered on the requester's node as it would locally. Read and acknowledgement times
travel back to the sender's node as `message_state`, merged (the first time counts).
"""

from __future__ import annotations

import datetime as dt
import uuid
from types import SimpleNamespace
from typing import Any

from django.db.models import F
from django.utils import timezone

from blonet.directory.models import Office
from blonet.exchange.models import Message, Recipient, Thread
from blonet.federation import node, registry, serial
from blonet.federation.services.outbox import outbox_enqueue

STATE_NS = uuid.UUID("0c6a8d4e-3b1f-4e7a-9a55-2f1d8c7b6e10")
MESSAGE_LOCAL = frozenset({"thread", "in_reply_to", "forwarded_from", "seizure"})
THREAD_FIELDS = ("subject", "opened_by_office_id", "opened_at")


def _nodes_of(office_ids: list[str]) -> list[str]:
    return sorted(
        set(Office.objects.filter(pk__in=office_ids).values_list("country_id", flat=True))
    )


def route_message(message: Message) -> tuple[list[str], str, bool]:
    offices = list(message.recipients.values_list("office_id", flat=True))  # type: ignore[attr-defined]
    nodes = [n for n in _nodes_of(offices) if n != node.code()]
    return nodes, "bilateral" if len(nodes) == 1 else "regional", True


def serialise_message(message: Message) -> dict[str, Any]:
    body = serial.dump(message, exclude=MESSAGE_LOCAL)
    thread = message.thread
    body["thread"] = {
        "id": str(thread.pk),
        "origin_node": thread.origin_node,
        **{f: serial._value(None, getattr(thread, f)) for f in THREAD_FIELDS},
    }
    body["in_reply_to"] = str(message.in_reply_to_id) if message.in_reply_to_id else None
    body["forwarded_from"] = str(message.forwarded_from_id) if message.forwarded_from_id else None
    body["seizure"] = str(message.seizure_id) if message.seizure_id else None
    body["recipients"] = [
        serial.dump(r, exclude=frozenset({"message", "thread", "answer", "read_by",
                                          "acknowledged_by", "answered_by"}))
        for r in message.recipients.all()  # type: ignore[attr-defined]
    ]  # fmt: skip
    return body


def _local(model: Any, pk: Any) -> Any:
    return model.objects.filter(pk=pk).first() if pk else None


def apply_message(body: dict[str, Any], meta: registry.Meta) -> Message:
    existing = _local(Message, meta.record_uuid)
    if existing is not None and existing.origin_node != meta.origin_node:
        raise registry.NotOwner(meta.record_uuid)
    t = body["thread"]
    thread = _local(Thread, t["id"])
    if thread is None:
        thread = Thread(pk=t["id"], origin_node=t.get("origin_node") or meta.origin_node,
                        last_message_at=dt.datetime.fromisoformat(body["sent_at"]),
                        message_count=0)  # fmt: skip
        serial.load(thread, {k: t[k] for k in THREAD_FIELDS if k in t})
        thread.save(force_insert=True)
    message = existing or Message(pk=meta.record_uuid)
    serial.load(message, body, exclude=MESSAGE_LOCAL)
    message.origin_node, message.version, message.thread = meta.origin_node, meta.version, thread
    message.in_reply_to = _local(Message, body.get("in_reply_to"))
    message.forwarded_from = _local(Message, body.get("forwarded_from"))
    from blonet.records.models import Seizure

    message.seizure = _local(Seizure, body.get("seizure"))
    message.save()
    if existing is None:
        Thread.objects.filter(pk=thread.pk).update(
            message_count=F("message_count") + 1, last_message_at=message.sent_at
        )
    Recipient.objects.filter(message=message).delete()
    for row in body.get("recipients") or []:
        r = Recipient(message=message, thread=thread)
        serial.load(r, row, exclude=frozenset({"message", "thread", "answer"}))
        r.save()
    request = message.in_reply_to
    if request is not None and message.kind == "answer":
        now = message.sent_at
        for receipt in Recipient.objects.filter(
            message=request, office_id=message.owner_office_id, answered_at__isnull=True
        ):
            seconds = max(int((now - receipt.sent_at).total_seconds()), 0)
            Recipient.objects.filter(pk=receipt.pk).update(
                answered_at=now, answer=message, response_seconds=seconds,
                read_at=receipt.read_at or now, acknowledged_at=receipt.acknowledged_at or now,
                ack_seconds=receipt.ack_seconds if receipt.ack_seconds is not None else seconds,
                changed_at=timezone.now(),
            )  # fmt: skip
    return message


# --- receipt states (read, acknowledged) back to the sender's node --------------------------

STATE_FIELDS = ("read_at", "acknowledged_at", "ack_seconds")


def serialise_state(state: Any) -> dict[str, Any]:
    return dict(state.body)


def route_state(state: Any) -> tuple[list[str], str, bool]:
    return [state.to], "bilateral", True


def apply_state(body: dict[str, Any], meta: registry.Meta) -> None:
    receipt = Recipient.objects.filter(
        message_id=str(body.get("message")), office_id=str(body.get("office"))
    ).first()
    if receipt is None or receipt.office_country != meta.origin_node:
        raise registry.NotOwner(meta.record_uuid)  # only the recipient's node reports it
    changes: dict[str, Any] = {}
    for name in STATE_FIELDS:
        value = body.get(name)
        if value is not None and getattr(receipt, name) is None:
            changes[name] = dt.datetime.fromisoformat(value) if name.endswith("_at") else int(value)
    if changes:
        Recipient.objects.filter(pk=receipt.pk).update(**changes, changed_at=timezone.now())


def share_message(message: Message) -> None:
    outbox_enqueue(record_type="message", record=message)


def share_states(receipts: list[Recipient]) -> None:
    """After read or acknowledged receipts change here: tell the senders' nodes."""
    if not node.enabled():
        return
    for r in receipts:
        origin = (
            Message.objects.filter(pk=r.message_id).values_list("origin_node", flat=True).first()
        )
        if not origin or origin == node.code():
            continue
        version = 2 if r.acknowledged_at else 1
        state = SimpleNamespace(
            pk=uuid.uuid5(STATE_NS, f"{r.message_id}:{r.office_id}"), version=version,
            origin_node=node.code(), handling_codes=[], to=origin,
            body={"message": str(r.message_id), "office": r.office_id,
                  **{n: serial._value(None, getattr(r, n)) for n in STATE_FIELDS}},
        )  # fmt: skip
        outbox_enqueue(record_type="message_state", record=state)


def register() -> None:
    registry.register("message", serialise=serialise_message, apply=apply_message,
                      route=route_message)  # fmt: skip
    registry.register("message_state", serialise=serialise_state, apply=apply_state,
                      route=route_state, ordered=False)  # fmt: skip
