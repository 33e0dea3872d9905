"""Indexes for identifiers and organisation names (plates, VINs, containers, phones, documents).

Identifiers are matched on a normalised key; organisations through the words of their
script-independent key (legal forms stripped), scored with ``org_similarity``. Both indexes are
incremental, like ``ScreeningIndex``. Explanations are short English lines with fixed shapes,
so that an interface can translate them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from .containers import validate_container
from .orgs import org_key, org_similarity
from .plates import normalize_plate
from .subject import normalize_doc_number

__all__ = [
    "KeyHit",
    "KeyIndex",
    "OrgIndex",
    "container_key",
    "document_key",
    "phone_key",
    "plate_key",
    "vin_key",
]

ORG_MIN_SCORE = 0.8
_PHONE_TAIL = 9  # national significant number length of the region's mobile numbers
_ORG_POSTING_CAP = 5000  # organisation words this common are not used to find candidates


@dataclass(slots=True)
class KeyHit:
    entry_id: str
    score: float
    explanation: list[str] = field(default_factory=list)


def plate_key(plate: str) -> str:
    """A plate with Cyrillic look-alikes in Latin, separators dropped, O read as 0, I as 1."""
    return normalize_plate(plate or "", fold_zero=True)


def vin_key(vin: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", vin or "").upper() if ch.isalnum())


def container_key(number: str) -> str:
    return validate_container(number or "").number


def phone_key(number: str) -> str:
    """Digits only; the international prefix 00 dropped (``+996 555 12-34-56`` -> 996555123456)."""
    digits = "".join(ch for ch in unicodedata.normalize("NFKC", number or "") if ch.isdigit())
    return digits[2:] if digits.startswith("00") else digits


def document_key(number: str) -> str:
    return normalize_doc_number(number)


class KeyIndex:
    """Entries by normalised identifier. ``label`` names the identifier in explanations."""

    def __init__(
        self,
        label: str,
        normalise: Callable[[str], str],
        *,
        tail: int = 0,
        min_length: int = 2,
    ) -> None:
        self.label = label
        self.normalise = normalise
        self.tail = tail  # also match on the last `tail` characters (phones without prefix)
        self.min_length = min_length
        self._by_key: dict[str, set[str]] = {}
        self._by_tail: dict[str, set[str]] = {}
        self._keys: dict[str, list[tuple[str, str]]] = {}  # entry -> [(key, as written)]

    def __len__(self) -> int:
        return len(self._keys)

    def add(self, entry_id: str, values: Iterable[str]) -> None:
        self.remove(entry_id)
        keys: list[tuple[str, str]] = []
        for value in values:
            key = self.normalise(value)
            if len(key) < self.min_length:
                continue
            keys.append((key, value))
            self._by_key.setdefault(key, set()).add(entry_id)
            if self.tail and len(key) >= self.tail:
                self._by_tail.setdefault(key[-self.tail :], set()).add(entry_id)
        if keys:
            self._keys[entry_id] = keys

    def remove(self, entry_id: str) -> bool:
        keys = self._keys.pop(entry_id, None)
        if keys is None:
            return False
        for key, _value in keys:
            self._discard(self._by_key, key, entry_id)
            if self.tail and len(key) >= self.tail:
                self._discard(self._by_tail, key[-self.tail :], entry_id)
        return True

    @staticmethod
    def _discard(postings: dict[str, set[str]], key: str, entry_id: str) -> None:
        ids = postings.get(key)
        if ids is not None:
            ids.discard(entry_id)
            if not ids:
                del postings[key]

    def _written(self, entry_id: str, key: str) -> str:
        return next((v for k, v in self._keys.get(entry_id, []) if k == key), key)

    def search(self, value: str) -> list[KeyHit]:
        key = self.normalise(value)
        if len(key) < self.min_length:
            return []
        hits: dict[str, KeyHit] = {}
        for entry_id in sorted(self._by_key.get(key, ())):
            written = self._written(entry_id, key)
            line = (
                f"{self.label} {written} exact"
                if written.strip() == value.strip()
                else f"{self.label} {written} = {value.strip()} (normalised)"
            )
            hits[entry_id] = KeyHit(entry_id, 1.0, [line])
        if self.tail and len(key) >= self.tail:
            for entry_id in sorted(self._by_tail.get(key[-self.tail :], ())):
                if entry_id in hits:
                    continue
                written = self._written_by_tail(entry_id, key[-self.tail :])
                line = f"{self.label} {written} ≈ {value.strip()} (same last {self.tail} digits)"
                hits[entry_id] = KeyHit(entry_id, 0.9, [line])
        return sorted(hits.values(), key=lambda h: (-h.score, h.entry_id))

    def _written_by_tail(self, entry_id: str, tail: str) -> str:
        return next((v for k, v in self._keys.get(entry_id, []) if k.endswith(tail)), tail)


class OrgIndex:
    """Organisations by the words of their key; candidates scored with ``org_similarity``."""

    def __init__(self, min_score: float = ORG_MIN_SCORE) -> None:
        self.min_score = min_score
        self._words: dict[str, set[str]] = {}
        self._names: dict[str, list[str]] = {}  # entry -> names as written

    def __len__(self) -> int:
        return len(self._names)

    def add(self, entry_id: str, names: Iterable[str]) -> None:
        self.remove(entry_id)
        kept = [n for n in names if org_key(n)]
        if not kept:
            return
        self._names[entry_id] = kept
        for name in kept:
            for word in org_key(name).split():
                self._words.setdefault(word, set()).add(entry_id)

    def remove(self, entry_id: str) -> bool:
        names = self._names.pop(entry_id, None)
        if names is None:
            return False
        for name in names:
            for word in org_key(name).split():
                ids = self._words.get(word)
                if ids is not None:
                    ids.discard(entry_id)
                    if not ids:
                        del self._words[word]
        return True

    def search(self, name: str) -> list[KeyHit]:
        key = org_key(name)
        if not key:
            return []
        candidates: set[str] = set()
        for word in key.split():
            ids = self._words.get(word, set())
            if len(ids) <= _ORG_POSTING_CAP:
                candidates |= ids
        hits: list[KeyHit] = []
        for entry_id in candidates:
            best = max(self._names[entry_id], key=lambda n: org_similarity(n, name))
            score = org_similarity(best, name)
            if score < self.min_score:
                continue
            if org_key(best) == key:
                line = f"organisation {best} = {name.strip()} (legal form and script ignored)"
            else:
                line = f"organisation {best} ≈ {name.strip()} ({score:.0%} similar)"
            hits.append(KeyHit(entry_id, score, [line]))
        hits.sort(key=lambda h: (-h.score, h.entry_id))
        return hits
