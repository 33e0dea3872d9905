"""The federation envelope, pure Python (no Django).

An envelope is a JSON object with the fields of the architecture guide::

    {record_type, record_uuid, version, origin_node, key_id, distribution, recipients,
     handling_codes, created_at, body | ciphertext + sealed_keys, signature}

The signature is Ed25519 over the canonical JSON of every other field (sorted keys, no
whitespace, UTF-8), so changing any byte of a field, or adding or removing one, breaks it.
Bodies of bilateral records are sealed to the recipient nodes (see `signing.seal`).

`verify()` runs every check a receiving node makes before it stores anything, and raises
`Rejected` with a machine-readable reason (stored and audited by the caller).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from blonet.federation import signing

MAX_BYTES = 1_000_000  # an envelope larger than this is refused as "too_large"
FIELDS = (
    "record_type", "record_uuid", "version", "origin_node", "key_id", "distribution",
    "recipients", "handling_codes", "created_at",
)  # fmt: skip
SHARED_DISTRIBUTIONS = ("bilateral", "regional", "all")
_NODE = re.compile(r"^[A-Z]{2,3}$")
_TYPE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")


class Rejected(Exception):
    """An envelope failed a check; `reason` is one of REASONS."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


REASONS = (
    "malformed", "too_large", "unsigned", "bad_signature", "unknown_peer", "unknown_key",
    "key_not_valid", "not_recipient", "distribution", "unknown_type", "sealed",
)  # fmt: skip


def canonical(value: Any) -> bytes:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def signed_part(envelope: dict[str, Any]) -> bytes:
    return canonical({k: v for k, v in envelope.items() if k != "signature"})


@dataclass(frozen=True)
class PeerKeyInfo:
    """What a receiver knows of one key of a peer."""

    sign_public: bytes
    valid_from: dt.datetime
    valid_until: dt.datetime | None = None
    revoked_at: dt.datetime | None = None

    def valid_at(self, moment: dt.datetime) -> bool:
        if moment < self.valid_from:
            return False
        if self.valid_until is not None and moment >= self.valid_until:
            return False
        return not (self.revoked_at is not None and moment >= self.revoked_at)


def build(
    *,
    pair: signing.KeyPair,
    record_type: str,
    record_uuid: str,
    version: int,
    distribution: str,
    recipients: list[str],
    handling_codes: list[str],
    body: dict[str, Any],
    created_at: dt.datetime,
    seal_to: dict[str, bytes] | None = None,
) -> dict[str, Any]:
    """A signed envelope; with `seal_to` ({node: X25519 public key}) the body is sealed."""
    envelope: dict[str, Any] = {
        "record_type": record_type,
        "record_uuid": str(record_uuid),
        "version": int(version),
        "origin_node": pair.node,
        "key_id": pair.key_id,
        "distribution": distribution,
        "recipients": sorted(set(recipients)),
        "handling_codes": sorted(handling_codes),
        "created_at": created_at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
    }
    if seal_to:
        envelope["ciphertext"], envelope["sealed_keys"] = signing.seal(canonical(body), seal_to)
    else:
        envelope["body"] = body
    envelope["signature"] = signing.b64(pair.sign(signed_part(envelope)))
    return envelope


def to_bytes(envelope: dict[str, Any]) -> bytes:
    return canonical(envelope)


def parse(data: bytes) -> dict[str, Any]:
    """Bytes to a structurally valid envelope, or `Rejected` (malformed / too large / unsigned)."""
    if len(data) > MAX_BYTES:
        raise Rejected("too_large", f"{len(data)} bytes, at most {MAX_BYTES}")
    try:
        envelope = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise Rejected("malformed", "not UTF-8 JSON") from exc
    if not isinstance(envelope, dict):
        raise Rejected("malformed", "not a JSON object")
    missing = [f for f in FIELDS if f not in envelope]
    if missing:
        raise Rejected("malformed", "missing " + ", ".join(missing))
    if not isinstance(envelope.get("signature"), str) or not envelope["signature"]:
        raise Rejected("unsigned")
    _check_types(envelope)
    return envelope


def _check_types(e: dict[str, Any]) -> None:
    def bad(field: str) -> Rejected:
        return Rejected("malformed", f"bad {field}")

    if not isinstance(e["record_type"], str) or not _TYPE.match(e["record_type"]):
        raise bad("record_type")
    try:
        uuid.UUID(str(e["record_uuid"]))
    except ValueError:
        raise bad("record_uuid") from None
    if type(e["version"]) is not int or e["version"] < 1:
        raise bad("version")
    if not isinstance(e["origin_node"], str) or not _NODE.match(e["origin_node"]):
        raise bad("origin_node")
    if not isinstance(e["key_id"], str):
        raise bad("key_id")
    if e["distribution"] not in SHARED_DISTRIBUTIONS:
        raise Rejected("distribution", f"{e['distribution']!r} is not shared beyond a node")
    recipients = e["recipients"]
    if (
        not isinstance(recipients, list)
        or not recipients
        or not all(isinstance(r, str) and _NODE.match(r) for r in recipients)
    ):
        raise bad("recipients")
    if not isinstance(e["handling_codes"], list) or not all(
        isinstance(c, str) for c in e["handling_codes"]
    ):
        raise bad("handling_codes")
    created_at(e)
    has_body = "body" in e
    has_cipher = "ciphertext" in e
    if has_body == has_cipher:
        raise bad("body")
    if has_body and not isinstance(e["body"], dict):
        raise bad("body")
    if has_cipher and not (
        isinstance(e["ciphertext"], str) and isinstance(e.get("sealed_keys"), dict)
    ):
        raise bad("ciphertext")


def created_at(envelope: dict[str, Any]) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(str(envelope["created_at"]))
    except ValueError:
        raise Rejected("malformed", "bad created_at") from None
    if moment.tzinfo is None:
        raise Rejected("malformed", "created_at without a time zone")
    return moment


@dataclass(frozen=True)
class Verified:
    envelope: dict[str, Any]
    body: dict[str, Any]

    @property
    def key(self) -> tuple[str, str, int]:
        e = self.envelope
        return (e["origin_node"], e["record_uuid"], e["version"])


def verify(
    data: bytes | dict[str, Any],
    *,
    this_node: str,
    pair: signing.KeyPair,
    lookup: Callable[[str, str], PeerKeyInfo | None],
    known_peer: Callable[[str], bool],
    known_type: Callable[[str], bool],
) -> Verified:
    """Every receiving check, in order; returns the envelope and its (unsealed) body.

    `lookup(origin, key_id)` gives the peer's key or None; `known_peer(origin)` says whether
    the origin is a peer at all; `known_type(record_type)` whether this node applies the type.
    """
    envelope = parse(data) if isinstance(data, bytes | bytearray) else data
    if isinstance(data, dict):
        _check_types(envelope)
    origin = envelope["origin_node"]
    if not known_peer(origin):
        raise Rejected("unknown_peer", origin)
    key = lookup(origin, envelope["key_id"])
    if key is None:
        raise Rejected("unknown_key", envelope["key_id"])
    try:
        signature = signing.unb64(envelope["signature"])
    except ValueError:
        raise Rejected("bad_signature", "not base64") from None
    if not signing.verify(key.sign_public, signed_part(envelope), signature):
        raise Rejected("bad_signature")
    if not key.valid_at(created_at(envelope)):
        raise Rejected("key_not_valid", envelope["key_id"])
    if this_node not in envelope["recipients"]:
        raise Rejected("not_recipient", this_node)
    if envelope["distribution"] == "bilateral" and len(envelope["recipients"]) != 1:
        raise Rejected("distribution", "a bilateral record goes to exactly one other node")
    if not known_type(envelope["record_type"]):
        raise Rejected("unknown_type", envelope["record_type"])
    if "ciphertext" in envelope:
        try:
            raw = signing.unseal(envelope["ciphertext"], envelope["sealed_keys"], pair)
            body = json.loads(raw.decode("utf-8"))
        except (signing.SealError, UnicodeDecodeError, ValueError) as exc:
            raise Rejected("sealed", str(exc)) from exc
        if not isinstance(body, dict):
            raise Rejected("malformed", "sealed body is not an object")
    else:
        body = envelope["body"]
    return Verified(envelope=envelope, body=body)
