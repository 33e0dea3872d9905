"""`blonet federation_consume`: verify, store and apply what peers sent; send receipts."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from blonet.federation import node, runner


class Command(BaseCommand):
    help = "Pull envelopes from this node's inbound stream, apply them in order, send receipts."

    def handle(self, *args: Any, **opts: Any) -> None:
        if not node.enabled():
            raise CommandError("Federation is off on this node (set BLONET_FEDERATION=1).")
        node.keypair()
        self.stdout.write(
            f"federation_consume: node {node.code()} → {runner.settings.BLONET_NATS_URL}"
        )
        runner.run(runner.consume)
