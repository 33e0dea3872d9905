"""The audit hash chain, pure Python (no Django).

Each row's hash is SHA-256 over the previous row's hash followed by the canonical JSON of the
row's own fields. Editing, deleting or reordering any row breaks the chain at that row.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64


def canonical_json(value: Any) -> bytes:
    """Deterministic JSON: sorted keys, no whitespace, UTF-8, no NaN."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def link_hash(prev_hash: str, row: Mapping[str, Any]) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + canonical_json(dict(row))).hexdigest()


@dataclass(frozen=True)
class ChainRow:
    seq: int
    prev_hash: str
    hash: str
    content: Mapping[str, Any]  # the hashed fields, seq included


@dataclass(frozen=True)
class Break:
    seq: int
    reason: str

    def __str__(self) -> str:
        return f"audit row {self.seq}: {self.reason}"


def verify(rows: Iterable[ChainRow]) -> Break | None:
    """The first broken link, or None when the whole chain holds.

    Rows must come in ascending `seq` order as stored; sequence numbers start at 1.
    """
    expected_prev = GENESIS
    expected_seq = 1
    for row in rows:
        if row.seq != expected_seq:
            if row.seq > expected_seq:
                return Break(row.seq, f"rows {expected_seq}-{row.seq - 1} are missing (deleted?)")
            return Break(row.seq, f"out of order: expected row {expected_seq}")
        if row.prev_hash != expected_prev:
            return Break(row.seq, "does not link to the row before it (deleted or reordered)")
        if link_hash(row.prev_hash, row.content) != row.hash:
            return Break(row.seq, "content does not match its hash (edited)")
        expected_prev = row.hash
        expected_seq += 1
    return None
