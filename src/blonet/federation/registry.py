"""Which record types travel between nodes, and how (architecture guide: registration).

Higher contexts (records, exchange) register each shared type with two functions:
`serialise(instance) -> body` (what the envelope carries) and `apply(body, meta) -> instance`
(how a receiving node writes its read-only copy). Federation never imports them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


class NotOwner(Exception):
    """The envelope's origin is not the node that owns the record it would change."""


@dataclass(frozen=True)
class Meta:
    """What the receiver knows of an envelope besides its body."""

    origin_node: str
    record_uuid: str
    version: int
    distribution: str
    handling_codes: list[str]


@dataclass(frozen=True)
class RecordType:
    name: str
    serialise: Callable[[Any], dict[str, Any]]
    apply: Callable[[dict[str, Any], Meta], Any]
    withdraw: Callable[[Meta], Any] | None = None
    # Types whose recipients are not given by the distribution (messages: the recipient
    # offices' nodes): route(instance) -> (nodes, envelope distribution, seal the body).
    route: Callable[[Any], tuple[list[str], str, bool]] | None = None
    # Unordered types are idempotent merges (receipt states): applied as they come.
    ordered: bool = True
    # Many copies at once, one version per record: apply_many([(body, meta), …]). Optional;
    # the consumer falls back to `apply` one by one if it is missing or raises.
    apply_many: Callable[[list[tuple[dict[str, Any], Meta]]], Any] | None = None


TYPES: dict[str, RecordType] = {}
# Types federation itself handles (not records): receipts, digests, requests to re-send.
CONTROL_TYPES = frozenset({"receipt", "digest", "digest_reply", "resend_request"})


def register(
    name: str,
    *,
    serialise: Callable[[Any], dict[str, Any]],
    apply: Callable[[dict[str, Any], Meta], Any],
    withdraw: Callable[[Meta], Any] | None = None,
    route: Callable[[Any], tuple[list[str], str, bool]] | None = None,
    ordered: bool = True,
    apply_many: Callable[[list[tuple[dict[str, Any], Meta]]], Any] | None = None,
) -> None:
    TYPES[name] = RecordType(
        name=name, serialise=serialise, apply=apply, withdraw=withdraw, route=route,
        ordered=ordered, apply_many=apply_many,
    )  # fmt: skip


def known(name: str) -> bool:
    return name in TYPES or name in CONTROL_TYPES or name == "withdrawal"
