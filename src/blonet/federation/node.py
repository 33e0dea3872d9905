"""This node: its code, whether federation is on, its keys and what it knows of its peers."""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from blonet.federation import envelope, signing


def enabled() -> bool:
    return bool(getattr(settings, "BLONET_FEDERATION", False))


def code() -> str:
    return str(settings.BLONET_NODE)


def key_dir() -> Path:
    return Path(settings.BLONET_FEDERATION_KEY_DIR)


@functools.cache
def _load(directory: str, mtime: float) -> signing.KeyPair:
    return signing.load(Path(directory))


def keypair() -> signing.KeyPair:
    """The node's secret keys, read from the key file (cached until the file changes)."""
    path = key_dir() / signing.KEY_FILE
    try:
        mtime = path.stat().st_mtime
    except FileNotFoundError:
        raise ImproperlyConfigured(
            f"No node key in {key_dir()}: run 'blonet federation_init' first."
        ) from None
    pair = _load(str(key_dir()), mtime)
    if pair.node != code():
        raise ImproperlyConfigured(
            f"The key file in {key_dir()} is for node {pair.node}, this node is {code()}."
        )
    return pair


def peer_key(origin: str, key_id: str) -> envelope.PeerKeyInfo | None:
    from blonet.federation.models import PeerKey

    row = PeerKey.objects.filter(peer_id=origin, key_id=key_id).first()
    if row is None:
        return None
    return envelope.PeerKeyInfo(
        sign_public=signing.unb64(row.sign_public), valid_from=row.valid_from,
        valid_until=row.valid_until, revoked_at=row.revoked_at,
    )  # fmt: skip


def box_public_of(peer: str, at: dt.datetime) -> bytes | None:
    """The X25519 key of `peer` valid at `at` (its newest valid key)."""
    from blonet.federation.models import PeerKey

    for row in PeerKey.objects.filter(peer_id=peer).order_by("-valid_from"):
        if row.valid_at(at):
            return signing.unb64(row.box_public)
    return None
