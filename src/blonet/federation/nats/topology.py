"""Subjects, streams and sources of the federation transport (pure Python, no Django).

Every node has, in its own JetStream domain (the node code):

* ``OUT_<NODE>``: captures ``blonet.*.<NODE>.>``, everything this node originates. The relay
  publishes there and gets its PubAck from the local server, link to the hub up or down.
* ``IN_<NODE>``: no subjects of its own; it *sources* each peer's ``OUT_<PEER>`` through the
  peer's domain API (``$JS.<PEER>.API``), filtered to the relationships that include this node:
  ``blonet.<bilateral>.<PEER>.>`` and ``blonet.regional.<PEER>.>``.
* the durable pull consumer ``CONSUMER_NAME`` on ``IN_<NODE>`` that the consume command reads.

See docs/architecture/federation.md, "Transport and topology".
"""

from __future__ import annotations

import re
import time
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from nats.js import JetStreamContext
from nats.js.api import (
    AckPolicy,
    ConsumerConfig,
    DeliverPolicy,
    DiscardPolicy,
    ExternalStream,
    RetentionPolicy,
    StorageType,
    StreamConfig,
    StreamSource,
    SubjectTransform,
)
from nats.js.errors import NotFoundError

SUBJECT_ROOT = "blonet"
REGIONAL = "regional"
CONSUMER_NAME = "federation-consume"

DUPLICATE_WINDOW = (
    2 * 60 * 60
)  # seconds: a re-publish with the same Nats-Msg-Id within 2 h is a no-op
MAX_AGE = 30 * 24 * 60 * 60  # seconds: streams are a pipe, not the system of record
ACK_WAIT = 30.0  # seconds before an unacknowledged message is redelivered
MAX_ACK_PENDING = 1000  # messages handed to the consumer and not yet acknowledged
SOURCE_IDLE = 5.0  # seconds without a heartbeat after which a source counts as stalled
_PLACEHOLDER_SOURCE = "NONE"

_NODE_CODE = re.compile(r"^[A-Z][A-Z0-9]{1,15}$")
_TOKEN = re.compile(r"^[a-z0-9_-]+$")
_BILATERAL = re.compile(r"^bi-([a-z][a-z0-9]{1,15})-([a-z][a-z0-9]{1,15})$")

Outcome = Literal["created", "updated", "unchanged"]


def node_code(code: str) -> str:
    """A node code as subjects and stream names carry it: upper case (``KZ``, ``REG``)."""
    upper = code.strip().upper()
    if not _NODE_CODE.match(upper):
        raise ValueError(f"not a node code: {code!r}")
    return upper


def bilateral(a: str, b: str) -> str:
    """The bilateral relationship of two nodes: ``bilateral("KZ", "KG") == "bi-kg-kz"``."""
    first, second = sorted((node_code(a).lower(), node_code(b).lower()))
    if first == second:
        raise ValueError(f"a bilateral relationship needs two different nodes, not {a!r} twice")
    return f"bi-{first}-{second}"


def relationship_members(relationship: str) -> frozenset[str] | None:
    """The two node codes of a bilateral relationship; None for ``regional`` (every node)."""
    if relationship == REGIONAL:
        return None
    match = _BILATERAL.match(relationship)
    if not match or match.group(1) >= match.group(2):
        raise ValueError(
            f"not a relationship (bi-<a>-<b> sorted, or {REGIONAL!r}): {relationship!r}"
        )
    return frozenset({match.group(1).upper(), match.group(2).upper()})


def subject(relationship: str, origin: str, record_type: str) -> str:
    """``blonet.<relationship>.<origin>.<record_type>``, e.g. ``blonet.bi-kg-kz.KZ.seizure``.

    ``record_type`` may have several dot-separated tokens (``records.seizure``); each token is
    lower-case letters, digits, ``_`` or ``-`` (no wildcards, no spaces).
    """
    relationship_members(relationship)
    tokens = record_type.split(".")
    if not all(_TOKEN.match(token) for token in tokens):
        raise ValueError(f"not a record type for a subject: {record_type!r}")
    return f"{SUBJECT_ROOT}.{relationship}.{node_code(origin)}.{record_type}"


relationship_subject = subject


def out_stream(node: str) -> str:
    return f"OUT_{node_code(node)}"


def in_stream(node: str) -> str:
    return f"IN_{node_code(node)}"


def api_prefix(domain: str) -> str:
    """The JetStream API of another node's domain, as reached across leaf node connections."""
    return f"$JS.{node_code(domain)}.API"


@dataclass(frozen=True)
class PeerSpec:
    """A peer node and the relationships this node shares with it (``bi-kg-kz``, ``regional``)."""

    code: str
    relationships: list[str] = field(default_factory=list)


def source_filters(node: str, peer: PeerSpec) -> list[str]:
    """The subjects of ``OUT_<peer>`` that ``IN_<node>`` takes: only relationships with ``node``."""
    me, other = node_code(node), node_code(peer.code)
    if me == other:
        raise ValueError(f"a node is not its own peer: {peer.code!r}")
    filters: list[str] = []
    for relationship in peer.relationships:
        members = relationship_members(relationship)
        if members is not None and members != {me, other}:
            raise ValueError(f"{relationship!r} is not a relationship between {me} and {other}")
        filter_subject = f"{SUBJECT_ROOT}.{relationship}.{other}.>"
        if filter_subject not in filters:
            filters.append(filter_subject)
    return sorted(filters)


def out_stream_config(node: str) -> StreamConfig:
    return StreamConfig(
        name=out_stream(node),
        description=f"Everything node {node_code(node)} originates, for its peers to source",
        subjects=[f"{SUBJECT_ROOT}.*.{node_code(node)}.>"],
        retention=RetentionPolicy.LIMITS,
        discard=DiscardPolicy.OLD,
        storage=StorageType.FILE,
        num_replicas=1,
        max_age=MAX_AGE,
        duplicate_window=DUPLICATE_WINDOW,
    )


def in_stream_config(node: str, peers: Sequence[PeerSpec]) -> StreamConfig:
    sources = []
    for peer in sorted(peers, key=lambda p: node_code(p.code)):
        filters = source_filters(node, peer)
        if not filters:
            continue
        sources.append(
            StreamSource(
                name=out_stream(peer.code),
                external=ExternalStream(api=api_prefix(peer.code)),
                # Several filters on one source (server >= 2.10): identity transforms.
                subject_transforms=[SubjectTransform(src=f, dest=f) for f in filters],
            )
        )
    return StreamConfig(
        name=in_stream(node),
        description=f"What node {node_code(node)}'s peers sent it, sourced from their OUT streams",
        subjects=None,  # sourced only: it must never capture a live subject
        retention=RetentionPolicy.LIMITS,
        discard=DiscardPolicy.OLD,
        storage=StorageType.FILE,
        num_replicas=1,
        max_age=MAX_AGE,
        duplicate_window=DUPLICATE_WINDOW,
        sources=sources,
    )


def consumer_config() -> ConsumerConfig:
    return ConsumerConfig(
        durable_name=CONSUMER_NAME,
        description="federation_consume: verify, apply, then acknowledge",
        deliver_policy=DeliverPolicy.ALL,
        ack_policy=AckPolicy.EXPLICIT,
        ack_wait=ACK_WAIT,
        max_deliver=-1,
        max_ack_pending=MAX_ACK_PENDING,
    )


# -- comparing what the server has with what we want ----------------------------------------


def _sources_key(
    sources: Iterable[StreamSource] | None,
) -> frozenset[tuple[str, str, tuple[str, ...]]]:
    key = set()
    for source in sources or ():
        filters: list[str] = [t.src for t in source.subject_transforms or ()]
        if source.filter_subject:
            filters.append(source.filter_subject)
        api = source.external.api if source.external else ""
        key.add((source.name, api, tuple(sorted(filters))))
    return frozenset(key)


def _stream_key(config: StreamConfig) -> tuple[object, ...]:
    return (
        tuple(sorted(config.subjects or ())),
        config.retention,
        config.discard,
        config.storage,
        config.max_age,
        config.duplicate_window,
        _sources_key(config.sources),
    )


def _consumer_key(config: ConsumerConfig) -> tuple[object, ...]:
    return (
        config.deliver_policy,
        config.ack_policy,
        config.ack_wait,
        config.max_deliver,
        config.max_ack_pending,
        config.filter_subject or None,
    )


async def _ensure_stream(js: JetStreamContext, wanted: StreamConfig) -> Outcome:
    assert wanted.name is not None
    try:
        info = await js.stream_info(wanted.name)
    except NotFoundError:
        await js.add_stream(wanted)
        return "created"
    if _stream_key(info.config) == _stream_key(wanted):
        return "unchanged"
    await js.update_stream(wanted)
    return "updated"


async def _ensure_consumer(js: JetStreamContext, stream: str, wanted: ConsumerConfig) -> Outcome:
    assert wanted.durable_name is not None
    try:
        info = await js.consumer_info(stream, wanted.durable_name)
    except NotFoundError:
        await js.add_consumer(stream, wanted)
        return "created"
    if _consumer_key(info.config) == _consumer_key(wanted):
        return "unchanged"
    # Consumer create with the same durable name and a changed config is an update (>= 2.10).
    await js.add_consumer(stream, wanted)
    return "updated"


async def ensure_out_stream(js: JetStreamContext, node: str) -> Outcome:
    """Create or bring up to date the node's ``OUT_<NODE>`` stream only.

    When several nodes are set up together, create every OUT stream first: an IN stream whose
    peer's OUT stream does not exist yet has its source retried by the server only after a
    back-off (or by ``resume_stalled_sources``).
    """
    return await _ensure_stream(js, out_stream_config(node))


async def ensure_streams(
    js: JetStreamContext, node: str, peers: Sequence[PeerSpec]
) -> dict[str, Outcome]:
    """Create or bring up to date, on the node's own server, its OUT and IN streams and consumer.

    Idempotent: run it at every start and whenever the peer list changes. Returns what happened
    to each object (``OUT_KZ``, ``IN_KZ``, ``IN_KZ/federation-consume``).
    """
    out_name, in_name = out_stream(node), in_stream(node)
    result: dict[str, Outcome] = {}
    result[out_name] = await ensure_out_stream(js, node)
    result[in_name] = await _ensure_stream(js, in_stream_config(node, peers))
    result[f"{in_name}/{CONSUMER_NAME}"] = await _ensure_consumer(js, in_name, consumer_config())
    return result


async def resume_stalled_sources(
    js: JetStreamContext, node: str, idle: float = SOURCE_IDLE
) -> list[str]:
    """Restart the sources of ``IN_<NODE>`` that have heard nothing for ``idle`` seconds.

    A healthy source hears a heartbeat every second. After a link outage longer than about 10 s
    nats-server retries a stalled source on its own, but waits 30 s for each unanswered
    consumer-create request and backs off up to 2 minutes between attempts, so catching up can
    take minutes after the link is back. Removing the stalled sources and adding them back (two
    stream updates) restarts them at once; each resumes after the last message it delivered
    (the server finds it from the ``Nats-Stream-Source`` headers in ``IN_<NODE>``), so nothing
    is skipped or repeated. A source restarted less than ``idle`` seconds ago through the same
    ``js`` is left alone, so that its new consumer has time to start. Call it every second or
    few from the consumer loop; returns the names of the sources it restarted.
    """
    info = await js.stream_info(in_stream(node))
    sources = list(info.config.sources or ())
    now = time.monotonic()
    recent = _resumed.setdefault(js, {})
    stalled = [
        state.name
        for state in info.sources or ()
        if (state.active is None or state.active < 0 or state.active > idle * 1_000_000_000)
        and now - recent.get((info.config.name or "", state.name), -idle) >= idle
    ]
    if not stalled:
        return []
    config = info.config
    config.sources = [source for source in sources if source.name not in stalled]
    if not config.sources:
        # A stream needs a subject or a source: keep a placeholder source for the gap.
        config.sources = [StreamSource(name=_PLACEHOLDER_SOURCE)]
    await js.update_stream(config)
    config.sources = sources
    await js.update_stream(config)
    for name in stalled:
        recent[(info.config.name or "", name)] = time.monotonic()
    return sorted(stalled)


_resumed: weakref.WeakKeyDictionary[JetStreamContext, dict[tuple[str, str], float]] = (
    weakref.WeakKeyDictionary()
)
