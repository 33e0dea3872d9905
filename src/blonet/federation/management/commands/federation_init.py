"""`blonet federation_init`: make this node's keys (or rotate them) and print its public card."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from blonet.audit.services import audit_event_record
from blonet.federation import node, signing
from blonet.federation.models import NodeKey


def card() -> dict[str, Any]:
    """This node's public keys with their validity: what its peers import."""
    return {
        "node": node.code(),
        "keys": [
            {
                "key_id": k.key_id,
                "sign_public": k.sign_public,
                "box_public": k.box_public,
                "valid_from": k.valid_from.isoformat(),
                "valid_until": k.valid_until.isoformat() if k.valid_until else None,
                "revoked_at": k.revoked_at.isoformat() if k.revoked_at else None,
            }
            for k in NodeKey.objects.order_by("valid_from")
        ],
    }


class Command(BaseCommand):
    help = "Generate this node's Ed25519 and X25519 keys (files outside the database)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rotate", action="store_true", help="Replace the current key.")
        parser.add_argument(
            "--revoke", action="store_true",
            help="With --rotate: the old key is revoked, not just retired.",
        )  # fmt: skip
        parser.add_argument("--card", metavar="FILE", help="Also write the public card here.")

    def handle(self, *args: Any, **opts: Any) -> None:
        directory = node.key_dir()
        path = directory / signing.KEY_FILE
        now = timezone.now()
        if path.exists() and not opts["rotate"]:
            pair = signing.load(directory)
            if pair.node != node.code():
                raise CommandError(
                    f"{path} holds the key of node {pair.node}; this node is {node.code()}."
                )
            if not NodeKey.objects.filter(key_id=pair.key_id).exists():
                self._publish(pair, now)
            self.stdout.write(f"Node {node.code()} already has key {pair.key_id} ({path}).")
        else:
            with transaction.atomic():
                old = NodeKey.objects.filter(valid_until__isnull=True, revoked_at__isnull=True)
                if opts["revoke"]:
                    old.update(revoked_at=now)
                else:
                    old.update(valid_until=now)
                if path.exists():
                    previous = signing.load(directory)
                    signing.save(
                        previous, directory / "retired" / previous.key_id.replace(":", "-")
                    )
                pair = signing.generate(node.code())
                signing.save(pair, directory)
                self._publish(pair, now)
                audit_event_record(
                    actor=None, action="federation.key_created", target_type="federation.nodekey",
                    target_id=pair.key_id, data={"rotated": bool(opts["rotate"]),
                                                 "revoked": bool(opts["revoke"])},
                )  # fmt: skip
            self.stdout.write(f"Node {node.code()}: new key {pair.key_id} written to {path}.")
        if opts["card"]:
            with open(opts["card"], "w", encoding="utf-8") as fh:
                json.dump(card(), fh, indent=2)
            self.stdout.write(f"Public card written to {opts['card']}.")

    def _publish(self, pair: signing.KeyPair, now: Any) -> None:
        public = pair.public()
        NodeKey.objects.create(
            key_id=public["key_id"], sign_public=public["sign_public"],
            box_public=public["box_public"], valid_from=now,
        )  # fmt: skip
