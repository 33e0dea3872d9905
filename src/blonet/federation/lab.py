"""The federation lab: several blonet nodes on one machine, each with its own database,
web server, key, relay, consumer and nats-server (`blonet federation_lab`, `make demo-federation`).

Used by the demo and by the end-to-end tests; every node runs in its own processes with its own
environment, exactly as separate installations would.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from blonet.federation.nats.lab import Lab

COUNTRIES = ("KZ", "KG", "UZ", "TJ", "TM")


def blonet_bin() -> str:
    candidate = Path(sys.executable).parent / "blonet"
    return str(candidate) if candidate.exists() else "blonet"


class LabNode:
    def __init__(
        self,
        code: str,
        base: Path,
        nats_url: str,
        port: int,
        *,
        database_url: str | None = None,
        static_root: Path | None = None,
    ) -> None:
        self.code = code
        self.dir = base / code.lower()
        self.port = port
        self.nats_url = nats_url
        self.env = {
            **os.environ,
            "BLONET_NODE": code,
            "BLONET_VAR_DIR": str(self.dir / "var"),
            "BLONET_FEDERATION": "1",
            "BLONET_NATS_URL": nats_url,
            "BLONET_REQUIRE_MFA": "0",
            "BLONET_SECURE_COOKIES": "0",
            "BLONET_FEDERATION_RESEND_SECONDS": os.environ.get(
                "BLONET_FEDERATION_RESEND_SECONDS", "20"
            ),
            "BLONET_FEDERATION_DIGEST_SECONDS": os.environ.get(
                "BLONET_FEDERATION_DIGEST_SECONDS", "30"
            ),
        }
        if database_url:
            self.env["BLONET_DATABASE_URL"] = database_url
        else:
            self.env.pop("BLONET_DATABASE_URL", None)
        if static_root is not None:
            self.env["BLONET_STATIC_ROOT"] = str(static_root)
        self.procs: dict[str, subprocess.Popen[bytes]] = {}

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def card(self) -> Path:
        return self.dir / "card.json"

    def run(self, *args: str, check: bool = True) -> str:
        out = subprocess.run(  # noqa: S603 - our own command, fixed arguments
            [blonet_bin(), *args], env=self.env, capture_output=True, text=True, check=False
        )
        if check and out.returncode != 0:
            raise RuntimeError(
                f"{self.code}: blonet {' '.join(args)} failed:\n{out.stderr[-2000:]}"
            )
        return out.stdout

    @property
    def sqlite_file(self) -> Path | None:
        return None if "BLONET_DATABASE_URL" in self.env else self.dir / "var" / "blonet.sqlite3"

    def setup(self, users: bool = True, template: Path | None = None) -> None:
        """Migrate and load the directory (or copy a SQLite file that has), users, keys."""
        self.dir.mkdir(parents=True, exist_ok=True)
        if template is not None and self.sqlite_file is not None:
            self.sqlite_file.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(template, self.sqlite_file)
        else:
            self.run("migrate", "--no-input", "-v", "0")
            self.run("directory_load")
        steps = [f"call_command('federation_init', card={str(self.card)!r}, verbosity=0)"]
        if users:
            steps.insert(0, f"call_command('demo_setup', node={self.code!r}, verbosity=0)")
        self.call(steps)

    def call(self, steps: list[str]) -> None:
        """Several management commands in one process (a Django start costs seconds)."""
        code = "from django.core.management import call_command\n" + "\n".join(steps)
        self.run("shell", "-c", code)

    def add_peers(self, others: Iterable[LabNode]) -> None:
        steps = []
        for other in others:
            relationships = ["regional"]
            if self.code in COUNTRIES and other.code in COUNTRIES:
                relationships.append("bilateral")
            steps.append(
                f"call_command('federation_peer', {str(other.card)!r}, "
                f"relationship={relationships!r}, verbosity=0)"
            )
        self.call(steps)

    def start(self, *, web: bool = True) -> None:
        log_dir = self.dir / "logs"
        log_dir.mkdir(parents=True, exist_ok=True)
        commands = {"relay": ["federation_relay"], "consume": ["federation_consume"]}
        if web:
            commands["web"] = ["runserver", f"127.0.0.1:{self.port}", "--noreload"]
        for name, args in commands.items():
            self.start_one(name, args, log_dir)

    def start_one(self, name: str, args: list[str], log_dir: Path | None = None) -> None:
        log_dir = log_dir or self.dir / "logs"
        log_dir.mkdir(parents=True, exist_ok=True)
        log = (log_dir / f"{name}.log").open("ab")
        self.procs[name] = subprocess.Popen(  # noqa: S603 - our own command
            [blonet_bin(), *args], env=self.env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

    def kill(self, name: str) -> None:
        proc = self.procs.get(name)
        if proc is not None and proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)

    def stop(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs.values():
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
        self.procs.clear()

    def shell(self, code: str) -> Any:
        """Run Python in this node's environment; the code prints one JSON value (the result)."""
        out = self.run("shell", "-c", code)
        return json.loads(out.strip().splitlines()[-1]) if out.strip() else None


class FederationLab:
    """nats-servers (hub = the regional centre) and one blonet node per code."""

    def __init__(
        self,
        base: Path,
        nodes: Iterable[str] = ("REG", "KZ", "KG", "UZ"),
        *,
        first_port: int = 8101,
        database_urls: dict[str, str] | None = None,
    ) -> None:
        self.base = Path(base)
        self.codes = tuple(nodes)
        self.nats = Lab(self.base / "nats", nodes=self.codes, hub=self.codes[0], start=False)
        static = self.base / "static"
        self.nodes = {
            code: LabNode(code, self.base, self.nats.url(code), first_port + i,
                          database_url=(database_urls or {}).get(code), static_root=static)
            for i, code in enumerate(self.codes)
        }  # fmt: skip

    def setup(self, *, users: bool = True, collectstatic: bool = True) -> None:
        self.nats.start()
        for code, node in self.nodes.items():  # a server may have had to choose another port
            node.nats_url = node.env["BLONET_NATS_URL"] = self.nats.url(code)
        template = None
        if all(n.sqlite_file is not None for n in self.nodes.values()):
            # One migrated database with the directory; every node starts from a copy of it.
            maker = LabNode("XX", self.base / "template", "", 0)
            maker.env["BLONET_VAR_DIR"] = str(maker.dir)
            maker.dir.mkdir(parents=True, exist_ok=True)
            maker.run("migrate", "--no-input", "-v", "0")
            maker.run("directory_load")
            template = maker.dir / "blonet.sqlite3"
        for node in self.nodes.values():
            node.setup(users=users, template=template)
        for node in self.nodes.values():
            node.add_peers(n for n in self.nodes.values() if n is not node)
        if collectstatic:
            next(iter(self.nodes.values())).run("collectstatic", "--no-input", "-v", "0")

    def start(self, *, web: bool = True) -> None:
        for node in self.nodes.values():
            node.start(web=web)

    def stop(self) -> None:
        for node in self.nodes.values():
            node.stop()
        self.nats.stop()

    def wait(self, predicate: Any, timeout: float = 60.0, interval: float = 0.5) -> Any:
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()
            if value:
                return value
            if time.monotonic() > deadline:
                return value
            time.sleep(interval)
