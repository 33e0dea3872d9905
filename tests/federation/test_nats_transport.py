"""The federation transport on real nats-servers: hub REG, leaves KZ, KG, UZ, one domain each.

Every wait is a poll with a deadline (what must happen, by when at the latest), never a fixed
sleep followed by an expectation.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from nats.aio.client import Client
from nats.js import JetStreamContext
from nats.js.errors import NotFoundError

from blonet.federation.nats import client, server, topology
from blonet.federation.nats.lab import Lab, peer_specs
from blonet.federation.nats.topology import (
    CONSUMER_NAME,
    REGIONAL,
    PeerSpec,
    bilateral,
    ensure_streams,
    in_stream,
    out_stream,
    resume_stalled_sources,
    subject,
)

pytestmark = pytest.mark.nats

BI_KG_KZ = bilateral("KZ", "KG")
RELATIONSHIPS = {("KZ", "KG"): BI_KG_KZ}
DEADLINE = 20.0  # seconds: the longest any expected delivery may take in these tests


async def eventually(
    check: Callable[[], Awaitable[bool]], what: str, timeout: float = DEADLINE
) -> None:
    deadline = time.monotonic() + timeout
    while not await check():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout} s: {what}")
        await asyncio.sleep(0.05)


async def count(js: JetStreamContext, stream: str) -> int:
    return int((await js.stream_info(stream)).state.messages)


async def contents(js: JetStreamContext, stream: str) -> list[tuple[str, bytes, str]]:
    """(subject, data, Nats-Msg-Id) of every message in the stream, in stream order."""
    state = (await js.stream_info(stream)).state
    found = []
    for seq in range(state.first_seq, state.last_seq + 1) if state.messages else ():
        msg = await js.get_msg(stream, seq)
        headers = msg.headers or {}
        found.append((str(msg.subject), bytes(msg.data or b""), str(headers.get("Nats-Msg-Id"))))
    return found


class Nodes:
    """One client connection per node of the lab."""

    def __init__(self, lab: Lab) -> None:
        self.lab = lab
        self.conns: dict[str, tuple[Client, JetStreamContext]] = {}

    async def __aenter__(self) -> Nodes:
        for code in self.lab.nodes:
            self.conns[code] = await client.connect(self.lab.url(code), f"test-{code}")
        return self

    async def __aexit__(self, *exc: object) -> None:
        for nc, _ in self.conns.values():
            await nc.close()

    def js(self, code: str) -> JetStreamContext:
        return self.conns[code][1]


async def _publish_n(
    js: JetStreamContext, relationship: str, origin: str, n: int, tag: str
) -> list[int]:
    seqs = []
    for i in range(1, n + 1):
        data = f"{tag}-{i}".encode()
        seqs.append(
            await client.publish(
                js, subject(relationship, origin, "seizure"), data, f"{origin}:{tag}-{i}:1"
            )
        )
    return seqs


# -- names and subjects (no server needed) --------------------------------------------------


def test_names_and_subjects() -> None:
    assert bilateral("KZ", "KG") == bilateral("kg", "kz") == "bi-kg-kz"
    assert bilateral("REG", "UZ") == "bi-reg-uz"
    assert subject("bi-kg-kz", "KZ", "seizure") == "blonet.bi-kg-kz.KZ.seizure"
    assert topology.relationship_subject(REGIONAL, "uz", "alert") == "blonet.regional.UZ.alert"
    assert out_stream("kz") == "OUT_KZ" and in_stream("KG") == "IN_KG"
    for bad in (
        lambda: bilateral("KZ", "KZ"),
        lambda: subject("bi-kz-kg", "KZ", "x1"),
        lambda: subject(REGIONAL, "KZ", "sei*"),
        lambda: subject(REGIONAL, "K.Z", "x1"),
    ):
        with pytest.raises(ValueError, match=r"^not a|two different"):
            bad()
    # IN_KG takes from KZ only their own bilateral and the regional subjects; a bilateral of
    # two other nodes is refused, not filtered in.
    assert topology.source_filters("KG", PeerSpec("KZ", [BI_KG_KZ, REGIONAL])) == [
        "blonet.bi-kg-kz.KZ.>",
        "blonet.regional.KZ.>",
    ]
    with pytest.raises(ValueError, match="is not a relationship between UZ and KZ"):
        topology.source_filters("UZ", PeerSpec("KZ", [BI_KG_KZ]))
    assert peer_specs("KG", ("REG", "KZ", "KG"), RELATIONSHIPS) == [
        PeerSpec("REG", [REGIONAL]),
        PeerSpec("KZ", [REGIONAL, BI_KG_KZ]),
    ]


def test_server_binary_ports_and_restart(tmp_path: Path) -> None:
    assert server.nats_server_binary().is_file()
    with server.NatsServer("KZ", tmp_path / "KZ", "KZ") as kz:
        assert kz.running and kz.url == f"nats://127.0.0.1:{kz.port}" and kz.leaf_url is None
        port = kz.port
        assert 'domain: "KZ"' in kz.config_path.read_text()
        assert "sync_interval: always" in kz.config_path.read_text()
        kz.restart()
        assert kz.running and kz.port == port
    assert not kz.running


def test_a_port_taken_before_the_first_start_is_chosen_again(tmp_path: Path) -> None:
    import socket

    kz = server.NatsServer("KZ", tmp_path / "KZ", "KZ", leaf_listen_port=0)
    taken_client, taken_leaf = kz.port, kz.leaf_listen_port
    with socket.socket() as squatter, socket.socket() as squatter2:
        squatter.bind(("127.0.0.1", taken_client))
        squatter.listen()
        squatter2.bind(("127.0.0.1", taken_leaf))
        squatter2.listen()
        with kz:
            assert kz.running
            assert kz.port != taken_client and kz.leaf_listen_port != taken_leaf
            assert b"address already in use" in kz.log_path.read_bytes()
            port = kz.port
            kz.restart()  # once started, its ports are kept
            assert kz.running and kz.port == port
    # A port given by the caller is never changed behind its back.
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        given = squatter.getsockname()[1]
        fixed = server.NatsServer("KG", tmp_path / "KG", "KG", port=given)
        with pytest.raises(server.NatsServerError, match="exited"):
            fixed.start()
        assert fixed.port == given and not fixed.running


def test_a_lab_that_fails_to_start_stops_the_servers_it_started(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from blonet.federation.nats.lab import Lab

    real_start = server.NatsServer.start

    def start(self: server.NatsServer, timeout: float = 10) -> server.NatsServer:
        if self.name == "UZ":
            raise server.NatsServerError("nats-server UZ exited with 1")
        return real_start(self, timeout)

    monkeypatch.setattr(server.NatsServer, "start", start)
    lab = Lab(tmp_path / "nats", nodes=("REG", "KZ", "UZ"), hub="REG", start=False)
    with pytest.raises(server.NatsServerError):
        lab.start()
    assert not any(s.running for s in lab.servers.values())


def test_a_leaf_link_needs_its_password_and_the_hubs_certificate(tmp_path: Path) -> None:
    from blonet.federation.nats.tls import make_lab_tls

    tls = make_lab_tls(tmp_path / "tls")
    hub = server.NatsServer(
        "REG", tmp_path / "REG", "REG", leaf_listen_port=server.free_port(),
        leaf_users={"KZ": "right-password"}, leaf_tls=tls,
    )  # fmt: skip
    assert hub.leaf_url is not None
    with hub:
        assert hub.config_path.stat().st_mode & 0o777 == 0o600  # it holds the passwords
        intruders = [
            server.NatsServer("KZ", tmp_path / "bad", "KZ", leaf_remotes=[hub.leaf_url],
                              leaf_user=("KZ", "wrong"), leaf_tls=tls),
            # The right password, but no TLS: the hub's TLS handshake fails.
            server.NatsServer("KZ", tmp_path / "plain", "KZ", leaf_remotes=[hub.leaf_url],
                              leaf_user=("KZ", "right-password")),
        ]  # fmt: skip
        for intruder in intruders:
            with intruder:
                time.sleep(2.5)  # leaves re-dial every second: a few attempts
                assert hub.leaf_count() == 0
        good = server.NatsServer(
            "KZ", tmp_path / "KZ", "KZ", leaf_remotes=[hub.leaf_url],
            leaf_user=("KZ", "right-password"), leaf_tls=tls,
        )  # fmt: skip
        with good:
            deadline = time.monotonic() + DEADLINE
            while hub.leaf_count() < 1:
                assert time.monotonic() < deadline, "the leaf with the right password got no link"
                time.sleep(0.05)
        assert "right-password" not in hub.log_path.read_text()


# -- routing ----------------------------------------------------------------------------------


def test_bilateral_reaches_the_counterpart_only(nats_lab: Lab) -> None:
    async def scenario() -> None:
        await nats_lab.ensure_all(RELATIONSHIPS)
        async with Nodes(nats_lab) as n:
            await client.publish(n.js("KZ"), subject(BI_KG_KZ, "KZ", "seizure"), b"bi", "KZ:u1:1")
            # A regional message after it, from the same OUT stream: once it is in IN_UZ and
            # IN_REG, the bilateral one would be there too if it were ever going to be.
            await client.publish(n.js("KZ"), subject(REGIONAL, "KZ", "alert"), b"marker", "KZ:u2:1")
            for code in ("KG", "UZ", "REG"):
                await eventually(
                    lambda c=code: _has(n.js(c), in_stream(c), b"marker"), f"marker in IN_{code}"
                )
            assert [m[1] for m in await contents(n.js("KG"), "IN_KG")] == [b"bi", b"marker"]
            for code in ("UZ", "REG"):
                assert [m[1] for m in await contents(n.js(code), in_stream(code))] == [b"marker"]
            assert await count(n.js("KZ"), "IN_KZ") == 0  # a node never sources itself
            assert await count(n.js("KZ"), "OUT_KZ") == 2

    asyncio.run(scenario())


async def _has(js: JetStreamContext, stream: str, data: bytes) -> bool:
    return any(m[1] == data for m in await contents(js, stream))


def test_regional_reaches_every_other_node(nats_lab: Lab) -> None:
    async def scenario() -> None:
        await nats_lab.ensure_all(RELATIONSHIPS)
        async with Nodes(nats_lab) as n:
            seq = await client.publish(
                n.js("KG"), subject(REGIONAL, "KG", "alert"), b"r", "KG:a1:1"
            )
            assert seq == 1
            for code in ("KZ", "UZ", "REG"):
                await eventually(
                    lambda c=code: _has(n.js(c), in_stream(c), b"r"), f"regional in IN_{code}"
                )
                [(subj, data, msg_id)] = await contents(n.js(code), in_stream(code))
                assert (subj, data, msg_id) == ("blonet.regional.KG.alert", b"r", "KG:a1:1")
            assert await count(n.js("KG"), "IN_KG") == 0

    asyncio.run(scenario())


def test_same_msg_id_is_stored_once(nats_lab: Lab) -> None:
    async def scenario() -> None:
        await nats_lab.ensure_all(RELATIONSHIPS)
        async with Nodes(nats_lab) as n:
            kz = n.js("KZ")
            first = await client.publish(kz, subject(BI_KG_KZ, "KZ", "seizure"), b"v1", "KZ:u1:1")
            again = await client.publish(kz, subject(BI_KG_KZ, "KZ", "seizure"), b"v1", "KZ:u1:1")
            other = await client.publish(kz, subject(BI_KG_KZ, "KZ", "seizure"), b"v2", "KZ:u1:2")
            assert (first, again, other) == (1, 1, 2)
            assert await count(kz, "OUT_KZ") == 2
            await eventually(lambda: _has(n.js("KG"), "IN_KG", b"v2"), "v2 in IN_KG")
            assert [m[2] for m in await contents(n.js("KG"), "IN_KG")] == ["KZ:u1:1", "KZ:u1:2"]

    asyncio.run(scenario())


def test_publish_without_an_ack_raises(nats_lab: Lab) -> None:
    async def scenario() -> None:
        await nats_lab.ensure_all(RELATIONSHIPS)
        async with Nodes(nats_lab) as n:
            # KG's clients cannot store into OUT_KZ: federation subjects do not cross leaf links.
            with pytest.raises(client.PublishNotAcked):
                await client.publish(
                    n.js("KG"), subject(REGIONAL, "KZ", "alert"), b"forged", "KZ:f:1", timeout=1
                )
            assert await count(n.js("KZ"), "OUT_KZ") == 0
            nats_lab.servers["KZ"].stop()
            with pytest.raises(client.PublishNotAcked):
                await client.publish(
                    n.js("KZ"), subject(REGIONAL, "KZ", "alert"), b"x", "KZ:x:1", timeout=1
                )

    asyncio.run(scenario())


# -- consuming --------------------------------------------------------------------------------


def test_fetch_and_ack(nats_lab: Lab) -> None:
    async def scenario() -> None:
        await nats_lab.ensure_all(RELATIONSHIPS)
        async with Nodes(nats_lab) as n:
            kg = n.js("KG")
            assert await client.fetch(kg, "KG", timeout=0.3) == []
            await _publish_n(n.js("KZ"), BI_KG_KZ, "KZ", 5, "f")
            await eventually(lambda: _eq(count(kg, "IN_KG"), 5), "5 in IN_KG")
            got = []
            while len(got) < 5:
                batch = await client.fetch(kg, "KG", batch=2, timeout=1.0)
                assert batch, "fetch returned nothing while 5 were waiting"
                assert len(batch) <= 2
                got += batch
            assert [m.data for m in got] == [f"f-{i}".encode() for i in range(1, 6)]
            assert got[0].subject == "blonet.bi-kg-kz.KZ.seizure"
            assert got[0].headers is not None and got[0].headers["Nats-Msg-Id"] == "KZ:f-1:1"
            for m in got[:4]:
                await m.ack()
            # The fifth, not acknowledged, is handed out again after the ack wait; the acked
            # four never are.
            # (ack() does not wait for the server: poll its view.)
            await eventually(lambda: _ack_pending(kg, 1), "4 of 5 acknowledged")
            await got[4].ack()
            assert await client.fetch(kg, "KG", timeout=0.3) == []

    asyncio.run(scenario())


async def _ack_pending(js: JetStreamContext, expected: int) -> bool:
    info = await js.consumer_info("IN_KG", CONSUMER_NAME)
    return info.num_ack_pending == expected and info.num_pending == 0


async def _eq(value: Awaitable[int], expected: int) -> bool:
    return await value == expected


# -- failures ---------------------------------------------------------------------------------


def test_recipient_down_sender_keeps_getting_pubacks(nats_lab: Lab) -> None:
    async def scenario() -> None:
        await nats_lab.ensure_all(RELATIONSHIPS)
        async with Nodes(nats_lab) as n:
            nats_lab.servers["KG"].stop()
            seqs = await _publish_n(n.js("KZ"), BI_KG_KZ, "KZ", 20, "p")
            assert seqs == list(range(1, 21))
            assert await count(n.js("KZ"), "OUT_KZ") == 20
            nats_lab.restart("KG")
            kg = n.js("KG")  # the client reconnects on its own
            await eventually(lambda: _eq(count(kg, "IN_KG"), 20), "20 in IN_KG after KG restarts")
            assert [m[1] for m in await contents(kg, "IN_KG")] == [
                f"p-{i}".encode() for i in range(1, 21)
            ]

    asyncio.run(scenario())


def test_cut_link_store_and_forward_then_resume(nats_lab: Lab) -> None:
    async def scenario() -> None:
        await nats_lab.ensure_all(RELATIONSHIPS)
        async with Nodes(nats_lab) as n:
            kz, kg = n.js("KZ"), n.js("KG")
            await _publish_n(kz, BI_KG_KZ, "KZ", 2, "before")
            await eventually(lambda: _eq(count(kg, "IN_KG"), 2), "2 in IN_KG")
            nats_lab.cut_leaf("KZ")
            assert nats_lab.servers["KZ"].running
            # KZ's own server still answers its relay: PubAcks with the link down.
            assert await _publish_n(kz, BI_KG_KZ, "KZ", 3, "during") == [3, 4, 5]
            # IN_KG's source hears no heartbeat. Past 10 s the consumer it had on OUT_KZ
            # expires (inactive threshold): catching up needs a new one, created across the link,
            # which the server itself retries only with a 30 s wait and a back-off.
            await eventually(
                lambda: _stalled(kg, "OUT_KZ", 11.0), "the OUT_KZ source of IN_KG stalled"
            )
            assert await count(kg, "IN_KG") == 2
            nats_lab.heal_leaf("KZ")
            restarted = await resume_stalled_sources(kg, "KG")
            # Restarted, unless the server's own retry happened to land in the last few ms.
            assert restarted == ["OUT_KZ"] or not await _stalled(kg, "OUT_KZ", 1.0)
            # Just restarted: left alone by an immediate second call.
            assert await resume_stalled_sources(kg, "KG") == []
            await eventually(
                lambda: _eq(count(kg, "IN_KG"), 5), "5 in IN_KG after the link is back"
            )
            assert [m[1] for m in await contents(kg, "IN_KG")] == [
                b"before-1",
                b"before-2",
                b"during-1",
                b"during-2",
                b"during-3",
            ]

    asyncio.run(scenario())


async def _stalled(js: JetStreamContext, source: str, idle: float) -> bool:
    """Whether IN_KG's source has heard nothing (no message, no heartbeat) for ``idle`` s."""
    info = await js.stream_info("IN_KG")
    state = next(s for s in info.sources or () if s.name == source)
    return state.active is not None and state.active > idle * 1_000_000_000


def test_kill_9_after_puback_loses_nothing(nats_lab: Lab) -> None:
    async def scenario() -> None:
        await nats_lab.ensure_all(RELATIONSHIPS)
        nats_lab.cut_leaf("KZ")  # nothing leaves KZ before the crash: only its disk has them
        nc, kz = await client.connect(nats_lab.url("KZ"), "relay-KZ")
        try:
            assert await _publish_n(kz, BI_KG_KZ, "KZ", 10, "k") == list(range(1, 11))
        finally:
            await nc.close()
        nats_lab.kill("KZ")  # SIGKILL right after the last PubAck
        nats_lab.restart("KZ")
        async with Nodes(nats_lab) as n:
            expected = [f"k-{i}".encode() for i in range(1, 11)]
            assert [m[1] for m in await contents(n.js("KZ"), "OUT_KZ")] == expected
            nats_lab.heal_leaf("KZ")
            kg = n.js("KG")

            async def arrived() -> bool:
                await resume_stalled_sources(kg, "KG")
                return await count(kg, "IN_KG") == 10

            await eventually(arrived, "10 in IN_KG after KZ's restart")
            assert [m[1] for m in await contents(kg, "IN_KG")] == expected

    asyncio.run(scenario())


# -- configuration ----------------------------------------------------------------------------


def test_ensure_streams_is_idempotent(nats_lab: Lab) -> None:
    async def scenario() -> None:
        first = await nats_lab.ensure_all(RELATIONSHIPS)
        assert set(first["KG"].values()) == {"created"}
        async with Nodes(nats_lab) as n:
            await client.publish(n.js("KZ"), subject(BI_KG_KZ, "KZ", "seizure"), b"one", "KZ:u1:1")
            await eventually(lambda: _eq(count(n.js("KG"), "IN_KG"), 1), "1 in IN_KG")
            [msg] = await client.fetch(n.js("KG"), "KG", batch=1)
            await msg.ack()

            again = await nats_lab.ensure_all(RELATIONSHIPS)
            assert all(set(r.values()) == {"unchanged"} for r in again.values()), again
            assert await count(n.js("KG"), "IN_KG") == 1 and await count(n.js("KZ"), "OUT_KZ") == 1
            info = await n.js("KG").consumer_info("IN_KG", CONSUMER_NAME)
            assert info.ack_floor.stream_seq == 1  # the consumer kept its place

            # A new bilateral relationship updates only the two nodes' IN streams.
            widened = {**RELATIONSHIPS, ("KZ", "UZ"): bilateral("KZ", "UZ")}
            changed = await nats_lab.ensure_all(widened)
            assert changed["UZ"]["IN_UZ"] == changed["KZ"]["IN_KZ"] == "updated"
            assert changed["KG"]["IN_KG"] == changed["REG"]["IN_REG"] == "unchanged"
            assert changed["UZ"]["OUT_UZ"] == "unchanged"
            await client.publish(n.js("KZ"), subject("bi-kz-uz", "KZ", "seizure"), b"uz", "KZ:u2:1")
            await eventually(lambda: _has(n.js("UZ"), "IN_UZ", b"uz"), "bi-kz-uz in IN_UZ")
            assert await count(n.js("KG"), "IN_KG") == 1

            # Run on a single node directly, too.
            direct = await ensure_streams(
                n.js("UZ"), "UZ", peer_specs("UZ", nats_lab.nodes, widened)
            )
            assert set(direct.values()) == {"unchanged"}
            with pytest.raises(NotFoundError):
                await n.js("UZ").stream_info("IN_XX")

    asyncio.run(scenario())


def test_in_stream_created_before_the_peer_out_stream(nats_lab: Lab) -> None:
    """KG's node starts first: its source finds no OUT_KZ yet, then is resumed once KZ is up."""

    async def scenario() -> None:
        async with Nodes(nats_lab) as n:
            kg, kz = n.js("KG"), n.js("KZ")
            await ensure_streams(kg, "KG", peer_specs("KG", nats_lab.nodes, RELATIONSHIPS))
            await eventually(
                lambda: _source_error(kg, "OUT_KZ"), "the OUT_KZ source reports stream not found"
            )
            await ensure_streams(kz, "KZ", peer_specs("KZ", nats_lab.nodes, RELATIONSHIPS))
            await client.publish(kz, subject(BI_KG_KZ, "KZ", "seizure"), b"late", "KZ:l:1")

            async def arrived() -> bool:
                await resume_stalled_sources(kg, "KG")
                return await _has(kg, "IN_KG", b"late")

            await eventually(arrived, "the message in IN_KG once OUT_KZ exists")
            assert await count(kg, "IN_KG") == 1

    asyncio.run(scenario())


async def _source_error(js: JetStreamContext, source: str) -> bool:
    info = await js.stream_info("IN_KG")
    state = next(s for s in info.sources or () if s.name == source)
    return bool(state.error) and (state.error or {}).get("err_code") == 10059


def test_connect_fails_cleanly_when_no_server(tmp_path: Path) -> None:
    async def scenario() -> None:
        with pytest.raises(client.TransportError):
            await client.connect(
                f"nats://127.0.0.1:{server.free_port()}", "nobody", connect_timeout=1
            )

    asyncio.run(scenario())
