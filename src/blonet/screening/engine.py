"""The process-wide, in-memory index of the node's watchlist entries.

Built lazily on the first check from every alive entry stored on the node, then kept current
two ways: the services add or remove an entry on commit (`transaction.on_commit`), and every
check first reads the entries changed since the index last looked (one indexed query on
`updated_at`), so that other processes' writes (another gunicorn worker, a command) are seen
too. The index knows nothing of users: every candidate it returns is filtered through
`WatchlistEntry.objects.visible_to(user).active()` before anyone sees it.
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max
from django.utils import timezone

from blonet.screening.choices import WatchlistKind
from blonet.screening.matching import ScreeningIndex, make_subject
from blonet.screening.matching.keys import (
    KeyIndex,
    OrgIndex,
    container_key,
    document_key,
    phone_key,
    plate_key,
    vin_key,
)
from blonet.screening.matching.score import HIT_THRESHOLD
from blonet.screening.models import WatchlistEntry
from blonet.screening.queries import Query

log = logging.getLogger(__name__)

CANDIDATES = 50  # scored candidates read per query before the access filter
_SYNC_MARGIN = dt.timedelta(seconds=5)  # writes that commit late are read again ...
_SETTLE = dt.timedelta(seconds=30)  # ... while the last write is this recent
_MIN_SCORE = HIT_THRESHOLD


@dataclass(slots=True)
class Candidate:
    entry_id: str
    score: float
    explanation: list[str] = field(default_factory=list)


class LiveIndex:
    """One index per kind of list, behind one lock (requests and batch threads share it)."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.persons = ScreeningIndex()
            self.plates = KeyIndex("plate", plate_key)
            self.vins = KeyIndex("VIN", vin_key, min_length=5)
            self.containers = KeyIndex("container", container_key, min_length=4)
            self.phones = KeyIndex("phone", phone_key, tail=9, min_length=5)
            self.documents = KeyIndex("document", document_key, min_length=3)
            self.orgs = OrgIndex()
            self.versions: dict[str, int] = {}
            self.watermark: dt.datetime | None = None
            self.built = False
            self.build_seconds = 0.0

    # --- keeping it current -----------------------------------------------------------

    def _indexes(self) -> list[Any]:
        return [
            self.persons, self.plates, self.vins, self.containers, self.phones, self.documents,
            self.orgs,
        ]  # fmt: skip

    def add(self, entry: WatchlistEntry, kind: str) -> None:
        """Add or replace an entry (of a list of `kind`)."""
        eid = str(entry.pk)
        with self.lock:
            self._remove(eid)
            if kind == WatchlistKind.PERSON:
                subject = make_subject(
                    eid, entry.name, entry.aliases or (), entry.dob, entry.nationality,
                    entry.doc_number,
                )  # fmt: skip
                if subject.names:
                    self.persons.add(subject)
            elif kind == WatchlistKind.VEHICLE:
                self.plates.add(eid, [entry.plate] if entry.plate else [])
                self.vins.add(eid, [entry.vin] if entry.vin else [])
            elif kind == WatchlistKind.CONTAINER:
                self.containers.add(eid, [entry.container_number])
            elif kind == WatchlistKind.ORGANISATION:
                self.orgs.add(eid, [entry.org_name, *(entry.aliases or ())])
            elif kind == WatchlistKind.PHONE:
                self.phones.add(eid, [entry.phone])
            elif kind == WatchlistKind.DOCUMENT:
                self.documents.add(eid, [entry.doc_number])
            self.versions[eid] = entry.version

    def _remove(self, eid: str) -> None:
        if self.versions.pop(eid, None) is None:
            return
        self.persons.remove(eid)
        for index in self._indexes()[1:]:
            index.remove(eid)

    def remove(self, entry_id: Any) -> None:
        with self.lock:
            self._remove(str(entry_id))

    def apply(self, entries: Iterable[WatchlistEntry]) -> int:
        """Bring the given rows into the index (alive ones added, tombstoned ones removed)."""
        n = 0
        with self.lock:
            for entry in entries:
                eid = str(entry.pk)
                alive = entry.deleted_at is None and entry.watchlist.deleted_at is None
                if not alive:
                    self._remove(eid)
                elif self.versions.get(eid) != entry.version:
                    self.add(entry, entry.watchlist.kind)
                n += 1
                if self.watermark is None or entry.updated_at > self.watermark:
                    self.watermark = entry.updated_at
        return n

    def build(self) -> None:
        started = time.perf_counter()
        with self.lock:
            self.reset()
            rows = WatchlistEntry.objects.filter(
                deleted_at__isnull=True, watchlist__deleted_at__isnull=True
            ).select_related("watchlist")
            # building allocates millions of long-lived objects: the cyclic collector would
            # rescan all of them again and again meanwhile (run_match builds the same way)
            gc_was_enabled = gc.isenabled()
            gc.disable()
            try:
                self.apply(rows.iterator(chunk_size=2000))
            finally:
                if gc_was_enabled:
                    gc.enable()
            if self.watermark is None:
                self.watermark = WatchlistEntry.objects.aggregate(m=Max("updated_at"))["m"]
            self.built = True
            self.build_seconds = time.perf_counter() - started
        log.info("screening index built: %s entries in %.2f s", len(self.versions),
                 self.build_seconds)  # fmt: skip

    def sync(self) -> None:
        """Build on first use; afterwards read only the entries changed since last time."""
        with self.lock:
            if not self.built:
                self.build()
                return
            rows = WatchlistEntry.objects.select_related("watchlist")
            mark = self.watermark
            if mark is not None:
                if timezone.now() - mark < _SETTLE:
                    # a write that committed late may carry an earlier time: look back a little
                    rows = rows.filter(updated_at__gte=mark - _SYNC_MARGIN)
                else:
                    rows = rows.filter(updated_at__gt=mark)
            self.apply(rows.order_by("updated_at"))

    # --- searching --------------------------------------------------------------------

    def search(self, query: Query, *, limit: int = CANDIDATES) -> list[tuple[str, Candidate]]:
        """(kind, candidate) pairs scoring at least the hit threshold, best first."""
        out: list[tuple[str, Candidate]] = []
        with self.lock:
            if query.kind == WatchlistKind.PERSON and query.subject is not None:
                for m in self.persons.search(query.subject, top_k=limit, min_score=_MIN_SCORE):
                    out.append((WatchlistKind.PERSON, Candidate(m.entry_id, m.score,
                                                                m.explanation)))  # fmt: skip
                doc = query.subject.doc_number
                if doc:
                    for h in self.documents.search(doc):
                        out.append((WatchlistKind.DOCUMENT, Candidate(h.entry_id, h.score,
                                                                      h.explanation)))  # fmt: skip
            for name, value in query.values.items():
                index: Any = {
                    "plate": self.plates, "vin": self.vins, "container": self.containers,
                    "phone": self.phones, "doc_number": self.documents, "organisation": self.orgs,
                }[name]  # fmt: skip
                for h in index.search(value)[:limit]:
                    out.append((query.kind, Candidate(h.entry_id, h.score, h.explanation)))
        best: dict[str, tuple[str, Candidate]] = {}
        for kind, cand in out:
            if cand.entry_id not in best or best[cand.entry_id][1].score < cand.score:
                best[cand.entry_id] = (kind, cand)
        return sorted(best.values(), key=lambda kc: (-kc[1].score, kc[1].entry_id))

    def stats(self) -> dict[str, Any]:
        return {
            "entries": len(self.versions),
            "persons": len(self.persons),
            "build_seconds": round(self.build_seconds, 3),
        }


LIVE = LiveIndex()


def live_index() -> LiveIndex:
    """The process-wide index, current with the database."""
    LIVE.sync()
    return LIVE
