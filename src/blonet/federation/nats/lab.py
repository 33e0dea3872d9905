"""A whole federation of nats-servers on one machine, for tests, benchmarks and the demo.

The hub (the regional centre) listens for leaf node connections; every other node's server
dials it as a leaf. Each server has its own store directory ``<base_dir>/<CODE>/`` and its own
free loopback ports, kept across restarts. Leaf links use TLS (a certificate authority and a
hub certificate made for the lab under ``<base_dir>/tls/``) and a random password per leaf.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import TracebackType

from nats.aio.client import Client

from .client import connect
from .server import NatsServer, NatsServerError
from .tls import leaf_password, make_lab_tls
from .topology import (
    REGIONAL,
    Outcome,
    PeerSpec,
    bilateral,
    ensure_out_stream,
    ensure_streams,
    node_code,
    out_stream,
)

Relationships = Mapping[tuple[str, str], str]


def peer_specs(node: str, nodes: Iterable[str], relationships: Relationships) -> list[PeerSpec]:
    """Every other node as a peer of ``node``: ``regional`` plus their bilateral relationship."""
    me = node_code(node)
    bilaterals: dict[str, list[str]] = {}
    for (a, b), relationship in relationships.items():
        if relationship != bilateral(a, b):
            raise ValueError(f"{relationship!r} is not the bilateral relationship of {a} and {b}")
        a, b = node_code(a), node_code(b)
        if me in (a, b):
            bilaterals.setdefault(b if a == me else a, []).append(relationship)
    return [
        PeerSpec(code, [REGIONAL, *bilaterals.get(code, [])])
        for code in (node_code(n) for n in nodes)
        if code != me
    ]


class Lab:
    """Servers for ``nodes``; ``hub`` listens for leaf nodes, the others connect to it.

    Started on construction (hub first, then the leaves, until every leaf link is up) unless
    ``start=False``; ``stop()`` or the context manager stops them all.

    ``cut_leaf(code)`` drops only that node's link to the hub (its server keeps running and
    keeps answering its own clients) by reloading its configuration without the leaf remote;
    ``heal_leaf(code)`` reloads it with the remote again. ``kill``/``restart`` act on a server.
    """

    def __init__(
        self,
        base_dir: Path,
        nodes: Iterable[str] = ("REG", "KZ", "KG", "UZ"),
        hub: str = "REG",
        *,
        start: bool = True,
    ) -> None:
        self.base_dir = Path(base_dir)
        self.hub = node_code(hub)
        self.nodes = tuple(node_code(n) for n in nodes)
        if self.hub not in self.nodes:
            raise ValueError(f"the hub {hub!r} is not among the nodes {self.nodes}")
        tls_dir = self.base_dir / "tls"
        leaf_tls = make_lab_tls(tls_dir)
        passwords = {
            code: leaf_password(tls_dir / f"leaf-{code}.password")
            for code in self.nodes
            if code != self.hub
        }
        hub_server = NatsServer(
            self.hub, self.base_dir / self.hub, self.hub, leaf_listen_port=0,
            leaf_users=passwords, leaf_tls=leaf_tls,
        )  # fmt: skip
        assert hub_server.leaf_url is not None
        self.hub_leaf_url: str = hub_server.leaf_url
        self.servers: dict[str, NatsServer] = {self.hub: hub_server}
        for code in self.nodes:
            if code != self.hub:
                self.servers[code] = NatsServer(
                    code, self.base_dir / code, code, leaf_remotes=[self.hub_leaf_url],
                    leaf_user=(code, passwords[code]), leaf_tls=leaf_tls,
                )  # fmt: skip
        if start:
            self.start()

    @property
    def leaves(self) -> tuple[str, ...]:
        return tuple(code for code in self.nodes if code != self.hub)

    def url(self, code: str) -> str:
        return self.servers[node_code(code)].url

    # -- lifecycle -----------------------------------------------------------------------------

    def start(self, timeout: float = 10) -> Lab:
        """Start the hub, then the leaves, and wait until every leaf link is up. If one does
        not start, those already started are stopped before the error is raised (a fixture
        that fails in its set-up never gets the lab to stop)."""
        try:
            hub = self.servers[self.hub].start(timeout)
            if hub.leaf_url != self.hub_leaf_url:  # the hub had to choose another leaf port
                assert hub.leaf_url is not None
                self.hub_leaf_url = hub.leaf_url
                for code in self.leaves:
                    self.servers[code].leaf_remotes = [self.hub_leaf_url]
            for code in self.leaves:
                self.servers[code].start(timeout)
            self.wait_leaves(timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def wait_leaves(self, timeout: float = 10) -> None:
        """Wait until the hub has a leaf connection from every leaf that should have one."""
        hub = self.servers[self.hub]
        deadline = time.monotonic() + timeout
        while True:
            expected = sum(
                1
                for code in self.leaves
                if self.servers[code].running and self.servers[code].leaf_remotes
            )
            if not hub.running or hub.leaf_count() >= expected:
                return
            if time.monotonic() > deadline:
                raise NatsServerError(
                    f"only {hub.leaf_count()} of {expected} leaf links up after {timeout} s"
                )
            time.sleep(0.05)

    def stop(self) -> None:
        """Stop the leaves, then the hub."""
        for code in self.leaves:
            self.servers[code].stop()
        self.servers[self.hub].stop()

    def kill(self, code: str) -> None:
        self.servers[node_code(code)].kill()

    def restart(self, code: str, timeout: float = 10) -> None:
        """(Re)start one server (after ``kill`` or ``stop`` too); wait for its leaf link(s)."""
        server = self.servers[node_code(code)]
        server.stop()
        server.start(timeout)
        self.wait_leaves(timeout)

    def cut_leaf(self, code: str) -> None:
        """Drop the node's leaf link to the hub; its own server stays up for its own clients."""
        code = node_code(code)
        if code == self.hub:
            raise ValueError("the hub has no leaf link of its own: cut its leaves, or stop it")
        self.servers[code].set_leaf_remotes([])
        deadline = time.monotonic() + 10
        while self._hub_sees(code):
            if time.monotonic() > deadline:
                raise NatsServerError(f"the leaf link of {code} is still up after 10 s")
            time.sleep(0.05)

    def heal_leaf(self, code: str, timeout: float = 10) -> None:
        """Give the node its leaf link to the hub back; wait until the hub sees it."""
        code = node_code(code)
        self.servers[code].set_leaf_remotes([self.hub_leaf_url])
        deadline = time.monotonic() + timeout
        while not self._hub_sees(code):
            if time.monotonic() > deadline:
                raise NatsServerError(f"the leaf link of {code} is not back after {timeout} s")
            time.sleep(0.05)

    def _hub_sees(self, code: str) -> bool:
        hub = self.servers[self.hub]
        if not hub.running:
            return False
        leafs = hub.monitor("leafz").get("leafs") or []
        assert isinstance(leafs, list)
        return any(isinstance(leaf, dict) and leaf.get("name") == code for leaf in leafs)

    # -- streams -------------------------------------------------------------------------------

    async def ensure_all(self, relationships: Relationships) -> dict[str, dict[str, Outcome]]:
        """``ensure_streams`` on every node: regional with everyone, plus the bilaterals given
        as ``{("KZ", "KG"): "bi-kg-kz", ...}``. Every OUT stream is made before any IN stream,
        so that no source starts by finding its peer's stream missing."""
        conns = {code: await connect(self.url(code), f"lab-ensure-{code}") for code in self.nodes}
        try:
            made = {code: await ensure_out_stream(js, code) for code, (_, js) in conns.items()}
            results: dict[str, dict[str, Outcome]] = {}
            for code, (_, js) in conns.items():
                results[code] = await ensure_streams(
                    js, code, peer_specs(code, self.nodes, relationships)
                )
                results[code][out_stream(code)] = made[code]  # what the first pass did
        finally:
            for nc, _ in conns.values():
                await nc.close()
        return results

    async def connect(self, code: str, name: str | None = None) -> Client:
        """A plain connection to one node's server (JetStream via ``nc.jetstream()``)."""
        nc, _ = await connect(self.url(code), name or f"lab-{code}")
        return nc

    # -- context manager -----------------------------------------------------------------------

    def __enter__(self) -> Lab:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
