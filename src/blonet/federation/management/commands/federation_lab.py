"""`blonet federation_lab`: four nodes (REG, KZ, KG, UZ) on this machine, each with its own
database, web server, nats-server, relay and consumer. Stop it with Ctrl-C."""

from __future__ import annotations

import shutil
import signal
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from blonet.demo.management.commands.demo_setup import DEMO_PASSWORD, NODE_USERS
from blonet.federation.lab import FederationLab


class Command(BaseCommand):
    help = "Run a four-node federation lab (regional centre, Kazakhstan, Kyrgyzstan, Uzbekistan)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--base", default=str(Path(settings.VAR_DIR) / "lab"))
        parser.add_argument("--first-port", type=int, default=8101)
        parser.add_argument("--fresh", action="store_true", help="Start from empty databases.")

    def handle(self, *args: Any, **opts: Any) -> None:
        base = Path(opts["base"])
        if opts["fresh"] and base.exists():
            shutil.rmtree(base)
        lab = FederationLab(base, first_port=opts["first_port"])
        self.stdout.write("Setting up four nodes (databases, directory, keys, peers)…")
        started = time.monotonic()
        try:
            lab.setup()
            lab.start()
            self.stdout.write(f"Ready in {time.monotonic() - started:.0f} s.\n")
            for code, node in lab.nodes.items():
                logins = ", ".join(u[0] for u in NODE_USERS[code])
                self.stdout.write(f"  {code:<4} {node.url}  nats {node.nats_url}  logins: {logins}")
            self.stdout.write(f"\nPassword for every login: {DEMO_PASSWORD}")
            self.stdout.write(
                "Try: as officer.kordai on KZ, send an alert to Ak-Zhol BLO (KG) — it appears on "
                "the KG node only; record a seizure with distribution 'regional' — it appears on "
                "all four. Node administrators see the federation page at /federation/."
            )
            self.stdout.write(f"Logs: {base}/<node>/logs/. Ctrl-C stops the lab.")
            stop = {"now": False}
            signal.signal(signal.SIGTERM, lambda *_: stop.update(now=True))
            while not stop["now"]:
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            self.stdout.write("Stopping the lab…")
            lab.stop()
