"""The two long-running loops of a federated node: the relay and the consumer.

Both talk only to the node's own nats-server (`BLONET_NATS_URL`). The relay hands queued
deliveries to the `OUT_<NODE>` stream, a batch in flight at once, and marks each handed over on
its PubAck; the consumer pulls a batch from `IN_<NODE>`, hands it to
`services.inbox.receive_batch` (one transaction) and acks its messages only after that
committed. A crash anywhere repeats work, never loses it: a re-publish with the same
`Nats-Msg-Id` is dropped by JetStream, a redelivered envelope is a duplicate in the inbox.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import time
from dataclasses import dataclass

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections, transaction
from django.db.models import Case, F, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from blonet.federation import node
from blonet.federation.choices import DeliveryState
from blonet.federation.models import Delivery, Peer
from blonet.federation.nats import client, topology
from blonet.federation.services import inbox, outbox

log = logging.getLogger(__name__)


def peer_specs() -> list[topology.PeerSpec]:
    me = node.code()
    return [
        topology.PeerSpec(p.code, [topology.bilateral(me, p.code), topology.REGIONAL])
        for p in Peer.objects.all()
    ]


def msg_id(origin: str, d: Delivery) -> str:
    """`origin:uuid:version` per peer; a re-send after a timeout gets a new id (`#n`)."""
    base = f"{origin}:{d.entry.record_uuid}:{d.entry.version}>{d.peer_id}"
    if d.entry.record_type in ("receipt", "digest", "digest_reply", "resend_request"):
        base = f"{base}:{d.entry.record_type}"
    return f"{base}#{d.attempts}" if d.attempts else base


@dataclass
class Work:
    delivery_id: int
    subject: str
    msg_id: str
    data: bytes


def claim(batch: int) -> list[Work]:
    close_old_connections()
    me = node.code()
    rows = (
        Delivery.objects.filter(state=DeliveryState.QUEUED, peer__held=False)
        .select_related("entry")
        .order_by("entry_id", "peer_id")[:batch]
    )
    return [
        Work(
            delivery_id=d.pk,
            subject=topology.subject(topology.bilateral(me, d.peer_id), me, d.entry.record_type),
            msg_id=msg_id(me, d),
            data=d.entry.envelope.encode("utf-8"),
        )
        for d in rows
    ]


def mark(results: list[tuple[int, int | None, str]]) -> None:
    """Record the PubAcks of a batch: handed over (with its stream sequence) or the error."""
    now = timezone.now()
    acked = {delivery_id: seq for delivery_id, seq, _e in results if seq is not None}
    with transaction.atomic():
        for delivery_id, seq, error in results:
            if seq is None:
                Delivery.objects.filter(pk=delivery_id, state=DeliveryState.QUEUED).update(
                    last_error=error[:300]
                )
        if acked:
            Delivery.objects.filter(pk__in=list(acked), state=DeliveryState.QUEUED).update(
                state=DeliveryState.HANDED_OVER,
                stream_seq=Case(*(When(pk=pk, then=Value(seq)) for pk, seq in acked.items())),
                last_sent_at=now,
                last_error="",
                handed_over_at=Coalesce("handed_over_at", Value(now)),
                attempts=F("attempts") + 1,
            )


def housekeeping(last_digest: float) -> float:
    """Re-queue what no receipt answered; every digest period, send each peer a digest."""
    close_old_connections()
    outbox.resend_unreceipted(dt.timedelta(seconds=settings.BLONET_FEDERATION_RESEND_SECONDS))
    if time.monotonic() - last_digest >= settings.BLONET_FEDERATION_DIGEST_SECONDS:
        with transaction.atomic():
            for peer in Peer.objects.filter(held=False):
                inbox.digest_send(peer.code)
        return time.monotonic()
    return last_digest


async def relay(stop: asyncio.Event, *, url: str | None = None, batch: int = 500,
                idle: float = 0.05) -> None:  # fmt: skip
    nc, js = await client.connect(url or settings.BLONET_NATS_URL, f"relay-{node.code()}")
    try:
        await topology.ensure_streams(js, node.code(), await sync_to_async(peer_specs)())
        last_digest = time.monotonic()
        last_house = 0.0
        while not stop.is_set():
            if time.monotonic() - last_house > 5:
                last_digest = await sync_to_async(housekeeping)(last_digest)
                last_house = time.monotonic()
            work = await sync_to_async(claim)(batch)
            if not work:
                await _wait(stop, idle)
                continue
            # All of a batch is in flight at once, in order on the one connection; each PubAck
            # (or its failure) is recorded against its own delivery.
            acks = await asyncio.gather(
                *(client.publish(js, w.subject, w.data, w.msg_id) for w in work),
                return_exceptions=True,
            )
            results: list[tuple[int, int | None, str]] = [
                (w.delivery_id, None, str(ack)) if isinstance(ack, BaseException)
                else (w.delivery_id, int(ack), "")
                for w, ack in zip(work, acks, strict=True)
            ]  # fmt: skip
            await sync_to_async(mark)(results)
            if any(seq is None for _d, seq, _e in results):
                await _wait(stop, 1.0)  # the server is away: try again shortly
    finally:
        await nc.close()


def _receive(messages: list[tuple[bytes, str]]) -> list[inbox.Outcome]:
    close_old_connections()
    return inbox.receive_batch(messages)


async def consume(stop: asyncio.Event, *, url: str | None = None, batch: int = 500) -> None:
    nc, js = await client.connect(url or settings.BLONET_NATS_URL, f"consume-{node.code()}")
    try:
        await topology.ensure_streams(js, node.code(), await sync_to_async(peer_specs)())
        next_resume = 0.0
        while not stop.is_set():
            if time.monotonic() >= next_resume:
                # After a link outage nats-server's own retry of a source backs off to minutes;
                # restarting stalled sources brings the backlog across within a second.
                try:
                    await topology.resume_stalled_sources(js, node.code())
                except Exception as exc:  # the server is away: the next round tries again
                    log.warning("federation: could not resume sources (%s)", type(exc).__name__)
                next_resume = time.monotonic() + 2
            msgs = await client.fetch(js, node.code(), batch=batch, timeout=0.5)
            if not msgs:
                continue
            try:
                # One transaction for the batch, acked only once it committed.
                outcomes = await sync_to_async(_receive)([(m.data, m.subject) for m in msgs])
            except Exception:  # the database is away: leave them unacked, they come again
                log.exception("federation: could not store a batch; it will come again")
                await _wait(stop, 1.0)
                continue
            for msg, outcome in zip(msgs, outcomes, strict=True):
                log.debug("federation: %s %s", msg.subject, outcome.state)
                await msg.ack()
    finally:
        await nc.close()


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)


def run(loop_fn: object, **kwargs: object) -> None:
    """Run a loop until SIGINT/SIGTERM."""
    import signal

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await loop_fn(stop, **kwargs)  # type: ignore[operator]

    asyncio.run(main())
