"""`blonet federation_relay`: hand queued outbox deliveries to this node's nats-server."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from blonet.federation import node, runner


class Command(BaseCommand):
    help = "Publish queued outbox rows to JetStream; mark them handed over on PubAck."

    def handle(self, *args: Any, **opts: Any) -> None:
        if not node.enabled():
            raise CommandError("Federation is off on this node (set BLONET_FEDERATION=1).")
        node.keypair()
        self.stdout.write(
            f"federation_relay: node {node.code()} → {runner.settings.BLONET_NATS_URL}"
        )
        runner.run(runner.relay)
