"""Helper of `exchange_inbox.py`, run in a child process with Django set up on the bench database.

  generate N_MESSAGES N_THREADS   fill the exchange tables (PostgreSQL COPY, indexes rebuilt after)
  send N                          time `message_send` with 3 recipients, N times, in-process
  stamp OFFICE USER               print the inbox stamp of OFFICE as USER (for the 204 poll)

The data: threads of 10 messages between two offices of different countries, 60 % of them
between the counterpart pairs of the directory, spread over the last 365 days; each message goes
to the other office and, sometimes, to the recipient country's situation centre and to CARICC
(about 1.4 recipients per message). Alerts, RFIs answered by the next message, correspondence,
seizure notifications and joint-action requests; the last two days hold unread messages and
open requests; older open requests are flagged overdue and escalated, as the scan would have.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import sys
import time
import uuid
from typing import Any

import django

django.setup()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

MESSAGE_COLUMNS = (
    "id", "origin_node", "version", "owner_office_id", "owner_agency_id", "owner_country_id",
    "distribution", "counterpart_country_id", "handling_codes", "handling_conditions",
    "source_reliability", "information_accuracy", "classification", "created_by_id",
    "created_at", "updated_at", "deleted_at", "deleted_by_id", "deleted_reason", "search_text",
    "thread_id", "kind", "priority", "body", "template", "structured", "language",
    "in_reply_to_id", "forwarded_from_id", "originator_office_id", "seizure_id", "due_at",
    "sent_at", "recipient_count",
)  # fmt: skip
RECIPIENT_COLUMNS = (
    "message_id", "thread_id", "office_id", "office_country", "sender_office_id",
    "sender_country", "kind", "classification", "needs_answer", "due_at", "sent_at",
    "delivered_at", "read_at", "read_by_id", "acknowledged_at", "acknowledged_by_id",
    "answered_at", "answered_by_id", "answer_id", "response_seconds", "ack_seconds",
    "overdue_at", "escalated_at", "escalated_to_id", "changed_at", "priority",
)  # fmt: skip
THREAD_COLUMNS = (
    "id", "origin_node", "subject", "opened_by_office_id", "opened_at", "last_message_at",
    "message_count", "import_key",
)  # fmt: skip
DUE = {"immediate": dt.timedelta(hours=8), "urgent": dt.timedelta(days=3),
       "routine": dt.timedelta(days=7)}  # fmt: skip
ESCALATE_AFTER = dt.timedelta(hours=4)


def _offices() -> tuple[list[Any], list[tuple[Any, Any]], dict[str, Any], Any]:
    from blonet.directory.models import CounterpartPair, Office
    from blonet.exchange.selectors import addressable_offices

    offices = list(addressable_offices())
    by_id = {o.pk: o for o in offices}
    pairs = [
        (by_id[p.office_a_id], by_id[p.office_b_id])
        for p in CounterpartPair.objects.all()
        if p.office_a_id in by_id and p.office_b_id in by_id
    ]
    centres: dict[str, Any] = {}
    for o in Office.objects.filter(kind="SC").order_by("id"):
        centres.setdefault(o.country_id, o)
    caricc = Office.objects.get(pk="kz-caricc-rc")
    return offices, pairs, centres, caricc


def generate(n_messages: int, n_threads: int) -> dict[str, Any]:
    rng = random.Random(20261201)  # test data, not security
    offices, pairs, centres, caricc = _offices()
    now = timezone.now()
    per_thread = max(n_messages // n_threads, 1)
    threads: list[tuple[Any, ...]] = []
    messages: list[tuple[Any, ...]] = []
    receipts: list[tuple[Any, ...]] = []
    t0 = time.monotonic()
    for t in range(n_threads):
        if t % 10 < 6:
            a, b = pairs[t % len(pairs)]
        else:
            a = rng.choice(offices)
            b = rng.choice([o for o in offices if o.country_id != a.country_id][:40])
        tid = uuid.uuid4()
        span = per_thread * 180 * 60 + 60  # the longest a thread's messages can take
        start = now - dt.timedelta(seconds=rng.uniform(span, 365 * 86400))
        sent = start
        first_kind = rng.choices(
            ["alert", "rfi", "seizure_notification", "joint_action"], [4, 4, 1, 1]
        )[0]
        previous: tuple[uuid.UUID, str, Any, dt.datetime] | None = None
        pending_rfi: list[int] = []
        for i in range(per_thread):
            sender, other = (a, b) if i % 2 == 0 else (b, a)
            if i == 0:
                kind = first_kind
            elif previous is not None and previous[1] in ("rfi", "joint_action") and pending_rfi:
                kind = "answer"
            else:
                kind = rng.choices(["rfi", "correspondence", "alert"], [3, 6, 1])[0]
            recent = now - sent < dt.timedelta(days=2)
            if kind == "answer" and recent and rng.random() < 0.3:
                kind = "correspondence"  # an open request in the last days
            priority = rng.choices(["routine", "urgent", "immediate"], [5, 3, 2])[0]
            mid = uuid.uuid4()
            due = sent + DUE[priority] if kind in ("rfi", "joint_action") else None
            to = [other]
            if (
                rng.random() < 0.25
                and other.country_id in centres
                and centres[other.country_id].pk != sender.pk
            ):
                to.append(centres[other.country_id])
            if rng.random() < 0.1 and caricc.pk != sender.pk:
                to.append(caricc)
            to = list({o.pk: o for o in to}.values())
            messages.append((
                mid, "UZ", 1, sender.pk, sender.agency_id, sender.country_id, "office", None,
                "[]", "", "X", "4", 1, None, sent, sent, None, None, "", "",
                tid, kind, priority, f"Message {i} of thread {t}.", "", "{}", "en",
                previous[0] if previous and kind == "answer" else None, None, sender.pk, None,
                due, sent, len(to),
            ))  # fmt: skip
            if kind == "answer" and pending_rfi:
                for idx in pending_rfi:  # the request's receipt for this office: answered
                    row = list(receipts[idx])
                    if row[2] == sender.pk:
                        secs = int((sent - row[10]).total_seconds())
                        row[12] = row[12] or sent
                        row[14] = row[14] or sent
                        row[16], row[18], row[19] = sent, mid, secs
                        row[20] = row[20] if row[20] is not None else secs
                        row[24] = sent
                        receipts[idx] = tuple(row)
                pending_rfi = []
            needs = kind in ("rfi", "joint_action")
            for office in to:
                read = None if recent and rng.random() < 0.5 else sent + dt.timedelta(minutes=5)
                ack = read if kind == "alert" and read else None
                overdue = escalated = target = None
                if needs and due is not None and due < now:
                    overdue = due
                    if due + ESCALATE_AFTER < now and office.country_id in centres:
                        escalated, target = due + ESCALATE_AFTER, centres[office.country_id].pk
                receipts.append((
                    mid, tid, office.pk, office.country_id, sender.pk, sender.country_id, kind,
                    1, needs, due if needs else None, sent, sent, read, None, ack, None, None,
                    None, None, None, 300 if ack else None, overdue, escalated, target,
                    escalated or overdue or read or sent, priority,
                ))  # fmt: skip
                if needs and office.pk == other.pk:
                    pending_rfi.append(len(receipts) - 1)
            previous = (mid, kind, sender, sent)
            sent = sent + dt.timedelta(minutes=rng.uniform(5, 180))
        last = messages[-1][32]
        threads.append((tid, "UZ", f"Bench thread {t}", a.pk, start, last, per_thread, ""))
    # An answered request was flagged overdue only if answered after its due time, and
    # escalated only if answered more than ESCALATE_AFTER after it.
    for idx, row in enumerate(receipts):
        answered, due_at = row[16], row[9]
        if answered is not None and due_at is not None:
            late = answered > due_at
            escalated = answered > due_at + ESCALATE_AFTER and row[23] is not None
            receipts[idx] = (
                *row[:21],
                due_at if late else None,
                row[22] if escalated else None,
                row[23] if escalated else None,
                row[24],
                row[25],
            )
    built = time.monotonic() - t0
    t1 = time.monotonic()
    _load(threads, messages, receipts)
    return {
        "threads": len(threads),
        "messages": len(messages),
        "recipients": len(receipts),
        "build_s": round(built, 1),
        "load_s": round(time.monotonic() - t1, 1),
    }


def _load(threads: list[Any], messages: list[Any], receipts: list[Any]) -> None:
    tables = ("exchange_thread", "exchange_message", "exchange_recipient")
    raw = connection.cursor().connection  # the psycopg connection
    with raw.cursor() as cur:
        cur.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) "
            "AND indexname NOT IN (SELECT conname FROM pg_constraint)",
            [list(tables)],
        )
        indexes = cur.fetchall()
        for name, _ in indexes:
            cur.execute(f'DROP INDEX "{name}"')
        for table, columns, rows in (
            ("exchange_thread", THREAD_COLUMNS, threads),
            ("exchange_message", MESSAGE_COLUMNS, messages),
            ("exchange_recipient", RECIPIENT_COLUMNS, receipts),
        ):
            with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        for _, definition in indexes:
            cur.execute(definition)
    raw.commit()
    raw.autocommit = True
    with raw.cursor() as cur:
        for table in tables:
            cur.execute(f"VACUUM ANALYZE {table}")


def send(n: int) -> dict[str, Any]:
    from blonet.accounts.models import User
    from blonet.exchange.services import message_send

    kordai = User.objects.get(username="officer.kordai")
    recipients = ["kg-ak-zhol-blo", "kg-situation-centre-placeholder-sc", "kz-caricc-rc"]
    thread = None
    samples = []
    for i in range(n + 10):
        user = User.objects.get(pk=kordai.pk)  # a fresh request's user: no cached access
        t0 = time.perf_counter()
        message = message_send(
            actor=user, office="kz-kordai-blo", recipients=recipients,
            kind="alert" if i % 2 else "rfi", thread=thread if i % 3 else None,
            subject=f"Bench send {i}", body="Truck expected at the post.",
            template="vehicle_alert",
            structured={"plate": "01 KG 123 ABC", "driver": "Қурбонов Юсуф",
                        "expected_at": "2026-12-24 16:00"},
            priority="urgent",
        )  # fmt: skip
        elapsed = time.perf_counter() - t0
        thread = message.thread
        if i >= 10:
            samples.append(elapsed * 1000)
    return {"ms": samples}


def stamp(office_id: str, username: str) -> str:
    from blonet.accounts.models import User
    from blonet.directory.models import Office
    from blonet.exchange.selectors import inbox_stamp

    return inbox_stamp(
        user=User.objects.get(username=username), office=Office.objects.get(pk=office_id)
    )


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "generate":
        print(json.dumps(generate(int(sys.argv[2]), int(sys.argv[3]))))
    elif command == "send":
        print(json.dumps(send(int(sys.argv[2]))))
    elif command == "stamp":
        print(json.dumps({"stamp": stamp(sys.argv[2], sys.argv[3])}))
    else:
        raise SystemExit(f"unknown command {command}")
