"""The calls the relay and the consumer make on their node's own nats-server (no Django).

``connect`` gives a connection that reconnects forever; ``publish`` stores one envelope in the
node's ``OUT_<NODE>`` stream and returns its stream sequence once the local server has written
it (PubAck); ``fetch`` pulls a batch from the durable consumer on ``IN_<NODE>``; the caller
acknowledges each message (``await msg.ack()``) once it has applied it.
"""

from __future__ import annotations

import asyncio
import logging
import weakref

import nats
import nats.errors
import nats.js.errors
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.js import JetStreamContext

from .topology import CONSUMER_NAME, SUBJECT_ROOT, in_stream, node_code, out_stream

logger = logging.getLogger(__name__)

MSG_ID_HEADER = "Nats-Msg-Id"


class TransportError(RuntimeError):
    """The node's nats-server could not be reached, or did not take a message."""


class PublishNotAcked(TransportError):
    """No PubAck: the message may or may not be stored; publish again with the same msg_id."""


async def _log_error(exc: Exception) -> None:
    # Connection-level trouble only (no payloads, no subjects with personal data).
    logger.warning("nats connection error: %s", type(exc).__name__)


async def connect(
    url: str, name: str, *, connect_timeout: float = 10.0
) -> tuple[Client, JetStreamContext]:
    """Connect to ``url`` as ``name``; (connection, JetStream context of the local domain).

    Once connected, the client reconnects forever (every 0.5 s) while the server is away;
    publishes made meanwhile fail with ``PublishNotAcked`` after their own timeout. The first
    connection is given ``connect_timeout`` seconds, then ``TransportError`` is raised.
    """
    nc = Client()
    try:
        await asyncio.wait_for(
            nc.connect(
                servers=[url],
                name=name,
                connect_timeout=2,
                reconnect_time_wait=0.5,  # type: ignore[arg-type]  # nats-py annotates int
                max_reconnect_attempts=-1,
                ping_interval=10,
                max_outstanding_pings=2,
                error_cb=_log_error,
            ),
            connect_timeout,
        )
    except (TimeoutError, OSError, nats.errors.Error) as exc:
        await nc.close()
        raise TransportError(f"cannot connect to nats-server at {url}: {exc!r}") from exc
    return nc, nc.jetstream(timeout=5)


def _origin(subject: str) -> str:
    parts = subject.split(".")
    if len(parts) < 4 or parts[0] != SUBJECT_ROOT:
        raise ValueError(f"not a federation subject: {subject!r}")
    return node_code(parts[2])


async def publish(
    js: JetStreamContext, subject: str, data: bytes, msg_id: str, timeout: float = 5
) -> int:
    """Store ``data`` in the origin's ``OUT_<ORIGIN>`` stream; its stream sequence on PubAck.

    ``msg_id`` (``origin:uuid:version``) is sent as ``Nats-Msg-Id``: a second publish with the
    same id within the duplicate window is not stored again and returns the first sequence.
    Raises ``PublishNotAcked`` if no PubAck came (server away, timeout, stream missing).
    """
    origin = _origin(subject)
    stream = out_stream(origin)
    try:
        ack = await js.publish(
            subject, data, timeout=timeout, stream=stream, headers={MSG_ID_HEADER: msg_id}
        )
    except (
        TimeoutError,
        nats.errors.Error,
        nats.js.errors.Error,
    ) as exc:
        raise PublishNotAcked(f"no PubAck for {msg_id!r} from {stream}: {exc!r}") from exc
    if ack.domain is not None and ack.domain != origin:
        # Stored by another node's server across a leaf link: this connection is not the
        # origin's own server (a misconfigured relay).
        raise PublishNotAcked(f"{msg_id!r} was stored in domain {ack.domain}, not {origin}")
    return int(ack.seq)


_pull_subscriptions: weakref.WeakKeyDictionary[
    JetStreamContext, dict[str, JetStreamContext.PullSubscription]
] = weakref.WeakKeyDictionary()


async def _pull_subscription(js: JetStreamContext, node: str) -> JetStreamContext.PullSubscription:
    per_js = _pull_subscriptions.setdefault(js, {})
    stream = in_stream(node)
    sub = per_js.get(stream)
    if sub is None:
        sub = await js.pull_subscribe_bind(durable=CONSUMER_NAME, stream=stream)
        per_js[stream] = sub
    return sub


async def fetch(
    js: JetStreamContext, node: str, batch: int = 100, timeout: float = 1.0
) -> list[Msg]:
    """Up to ``batch`` messages from the durable consumer on ``IN_<NODE>``; [] after ``timeout``.

    Each message must be acknowledged by the caller (``await msg.ack()``) once applied;
    an unacknowledged one is redelivered after the consumer's ack wait (30 s).
    ``msg.metadata.sequence.stream`` is its sequence in ``IN_<NODE>``, ``msg.subject`` the
    original subject, ``msg.headers["Nats-Msg-Id"]`` the origin's message id.
    """
    sub = await _pull_subscription(js, node)
    try:
        return await sub.fetch(batch, timeout=timeout)
    except (TimeoutError, nats.errors.TimeoutError):
        return []
