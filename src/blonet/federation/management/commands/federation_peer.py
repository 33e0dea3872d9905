"""`blonet federation_peer`: add or update a peer from its public card; hold or release it."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from blonet.audit.services import audit_event_record
from blonet.federation.models import Peer, PeerKey

RELATIONSHIPS = ("bilateral", "regional")


def _when(value: Any) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def peer_import(card: dict[str, Any], relationships: list[str], name: str = "") -> Peer:
    code = str(card.get("node") or "").upper()
    if not code or not isinstance(card.get("keys"), list):
        raise CommandError("The card has no node code or no keys.")
    bad = [r for r in relationships if r not in RELATIONSHIPS]
    if bad:
        raise CommandError(f"Unknown relationship {bad[0]!r}: use {', '.join(RELATIONSHIPS)}.")
    with transaction.atomic():
        peer, _ = Peer.objects.update_or_create(
            code=code, defaults={"relationships": relationships, "name": name or code}
        )
        for key in card["keys"]:
            PeerKey.objects.update_or_create(
                key_id=key["key_id"],
                defaults={
                    "peer": peer, "sign_public": key["sign_public"],
                    "box_public": key["box_public"],
                    "valid_from": dt.datetime.fromisoformat(key["valid_from"]),
                    "valid_until": _when(key.get("valid_until")),
                    "revoked_at": _when(key.get("revoked_at")),
                },
            )  # fmt: skip
        audit_event_record(
            actor=None, action="federation.peer_updated", target=peer,
            data={"relationships": relationships, "keys": len(card["keys"])},
        )  # fmt: skip
    return peer


class Command(BaseCommand):
    help = "Add or update a peer node from its public card (from 'federation_init --card')."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("card", help="The peer's public card (JSON file).")
        parser.add_argument(
            "--relationship", action="append", choices=RELATIONSHIPS, default=[],
            help="What this relationship allows (repeat for both).",
        )  # fmt: skip
        parser.add_argument("--name", default="")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            with open(opts["card"], encoding="utf-8") as fh:
                card = json.load(fh)
        except (OSError, ValueError) as exc:
            raise CommandError(f"Cannot read the card {opts['card']}: {exc}") from exc
        peer = peer_import(card, opts["relationship"], opts["name"])
        self.stdout.write(
            f"Peer {peer.code}: {', '.join(peer.relationships) or 'no relationship'}, "
            f"{peer.keys.count()} key(s)."
        )
