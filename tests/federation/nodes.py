"""Two nodes in one test database: act as KZ to make real envelopes, then as KG to receive them.

What KZ writes is rolled back before KG receives it, so KG starts as a node that has never seen
the records, exactly as a separate installation would.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.db import transaction
from django.test import override_settings

from blonet.federation import signing
from blonet.federation.management.commands.federation_peer import peer_import
from blonet.federation.models import NodeKey, OutboxEntry

CODES = ("KZ", "KG", "UZ", "REG")


class _Rollback(Exception):
    pass


class Nodes:
    def __init__(self, base: Path) -> None:
        self.base = base
        self.pairs = {code: signing.generate(code) for code in CODES}
        for code, pair in self.pairs.items():
            signing.save(pair, base / code)

    def card(self, code: str) -> dict[str, Any]:
        public = self.pairs[code].public()
        return {"node": code, "keys": [{**public, "valid_from": "2020-01-01T00:00:00+00:00"}]}

    @contextlib.contextmanager
    def as_node(self, code: str) -> Iterator[None]:
        with override_settings(
            BLONET_NODE=code,
            BLONET_FEDERATION=True,
            BLONET_FEDERATION_KEY_DIR=str(self.base / code),
        ):
            yield

    def peers(self, *, bilateral: tuple[str, ...] = ("KZ", "KG", "UZ")) -> None:
        """Every node knows every other (one shared table here; each node skips itself)."""
        for code in CODES:
            rels = ["regional", *(["bilateral"] if code in bilateral else [])]
            peer_import(self.card(code), rels)
            pair = self.pairs[code]
            NodeKey.objects.get_or_create(
                key_id=pair.key_id,
                defaults={"sign_public": pair.public()["sign_public"],
                          "box_public": pair.public()["box_public"],
                          "valid_from": "2020-01-01T00:00:00+00:00"},
            )  # fmt: skip

    def envelopes(self, code: str, act: Callable[[], Any]) -> list[bytes]:
        """What `act`, run on node `code`, puts in the outbox (then rolled back)."""
        out: list[bytes] = []
        with self.as_node(code):
            try:
                with transaction.atomic():
                    act()
                    out = [
                        e.envelope.encode()
                        for e in OutboxEntry.objects.order_by("id")
                        if e.record_type not in ("receipt",)
                    ]
                    raise _Rollback
            except _Rollback:
                pass
        return out
