"""In-memory inverted index for candidate generation.

Every distinct name token (by skeleton) gets an id in a vocabulary. Tokens are found
fuzzily through a deletion index over their phonetic keys (SymSpell style: a key and the keys
with one or two letters deleted), so a query token reaches spelling variants and typos without
scanning the vocabulary. Names are posted under every *pair* of their tokens (family + given,
family + patronymic, ...), order-free, so a query only reads the postings of people sharing
two name parts with it: the cost follows the number of real namesakes, not the list size.
Names with a single token, and queries that find nothing through pairs, use per-token
postings of bounded length.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from itertools import combinations
from typing import Any

from .names import NameToken, ParsedName
from .score import (
    Match,
    NameCache,
    mismatch_bound,
    score_bounds,
    score_subjects,
    token_similarity,
)
from .subject import Subject

__all__ = ["ScreeningIndex"]

_TOKEN_MIN_SIM = 0.6  # vocabulary tokens below this similarity are not followed
_MAX_TOKENS_PER_QUERY_TOKEN = 10
_MAX_CANDIDATES = 3000  # entries scored in full per query, best estimates first
_SINGLE_POSTING_CAP = 2000  # per-token postings longer than this are not read as a fallback
_RARE_POSTING = 60  # names sharing a rare part are candidates even without a second part
_UNSEEN_PART_SIM = 0.8  # assumed best similarity of a name part the lookup did not find
_SHIFT = 24
# A name pair posted for more entries than this is also kept by year of birth, so that a query
# with a date reads the entries born within a year of it (and those without a date) first.
_YEAR_SPLIT = 256


def _deletions(key: str) -> set[str]:
    """The key and its variants with up to one (length 4-6) or two (7+) letters deleted."""
    n = len(key)
    out = {key}
    if n < 4:
        return out
    first = {key[:i] + key[i + 1 :] for i in range(n)}
    out |= first
    if n >= 7:
        for k in first:
            out.update(k[:i] + k[i + 1 :] for i in range(len(k)))
    return out


def _lookup_keys(tok: NameToken) -> set[str]:
    """Deletion variants of a token's phonetic key and of its skeleton (prefixed ``~``).

    The key merges vowels and collapses doubled letters, so a dropped letter can change it by
    more than one deletion (``Agafon`` -> ``agafan``, ``Agaon`` -> ``agan``); the skeleton
    keeps the letters and catches those. The vocabulary is small (a few thousand parts even
    for a million entries), so the second set costs little."""
    return _deletions(tok.key) | {"~" + v for v in _deletions(tok.skel)}


class ScreeningIndex:
    """Watchlist subjects with fuzzy candidate generation; add/remove are incremental."""

    def __init__(self) -> None:
        self._vocab: dict[str, int] = {}
        self._tokens: list[NameToken] = []  # representative token per vocabulary id
        self._del_index: dict[str, list[int]] = {}
        self._pairs: dict[int, list[int]] = {}
        self._singles: dict[int, list[int]] = {}
        self._slots: list[tuple[str, tuple[int, ...]] | None] = []  # slot -> (entry id, tids)
        self._entries: dict[str, Subject] = {}
        self._entry_slots: dict[str, list[int]] = {}
        # entries (not names: an alias spelt alike is the same person) under a pair / token
        self._pair_entries: dict[int, int] = {}
        self._single_entries: dict[int, int] = {}
        # entry id -> the key ``namesakes`` counts under (read for every candidate of a search)
        self._main_key: dict[str, int] = {}
        self._slot_year: list[int | None] = []  # slot -> the entry's year of birth
        self._pair_years: dict[int, dict[int | None, list[int]]] = {}  # long postings by year
        self._doc_entries: dict[str, list[str]] = {}  # document number -> entry ids

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self._entries

    def get(self, entry_id: str) -> Subject | None:
        return self._entries.get(entry_id)

    # --- building ---------------------------------------------------------------------

    def _tid(self, tok: NameToken) -> int:
        tid = self._vocab.get(tok.skel)
        if tid is None:
            tid = len(self._tokens)
            self._vocab[tok.skel] = tid
            self._tokens.append(tok)
            for variant in _lookup_keys(tok):
                self._del_index.setdefault(variant, []).append(tid)
        return tid

    @staticmethod
    def _pair_codes(tids: tuple[int, ...]) -> set[int]:
        return {
            (a << _SHIFT) | b if a <= b else (b << _SHIFT) | a for a, b in combinations(tids, 2)
        }

    def add(self, subject: Subject) -> None:
        """Add (or replace) a subject."""
        if subject.id in self._entries:
            self.remove(subject.id)
        self._entries[subject.id] = subject
        year = subject.dob.year if subject.dob is not None else None
        if subject.doc_number:
            self._doc_entries.setdefault(subject.doc_number, []).append(subject.id)
        slots: list[int] = []
        codes: set[int] = set()
        singles: set[int] = set()
        for name in subject.names:
            tids = tuple(dict.fromkeys(self._tid(t) for t in name.tokens if not t.is_initial))
            if not tids:
                continue
            slot = len(self._slots)
            self._slots.append((subject.id, tids))
            self._slot_year.append(year)
            slots.append(slot)
            pair_codes = self._pair_codes(tids)
            for code in pair_codes:
                posting = self._pairs.setdefault(code, [])
                posting.append(slot)
                years = self._pair_years.get(code)
                if years is not None:
                    years.setdefault(year, []).append(slot)
                elif len(posting) > _YEAR_SPLIT:
                    self._pair_years[code] = self._by_year(posting)
            for tid in tids:
                self._singles.setdefault(tid, []).append(slot)
            codes |= pair_codes
            singles.update(tids)
        self._entry_slots[subject.id] = slots
        main = self._main_key_of(subject.id)
        if main is not None:
            self._main_key[subject.id] = main
        for code in codes:
            self._pair_entries[code] = self._pair_entries.get(code, 0) + 1
        for tid in singles:
            self._single_entries[tid] = self._single_entries.get(tid, 0) + 1

    def _by_year(self, posting: list[int]) -> dict[int | None, list[int]]:
        years: dict[int | None, list[int]] = {}
        for slot in posting:
            years.setdefault(self._slot_year[slot], []).append(slot)
        return years

    def add_many(self, subjects: Iterable[Subject]) -> None:
        for s in subjects:
            self.add(s)

    def remove(self, entry_id: str) -> bool:
        """Remove a subject; False if it was not in the index."""
        subject = self._entries.pop(entry_id, None)
        if subject is None:
            return False
        self._main_key.pop(entry_id, None)
        if subject.doc_number:
            same_doc = self._doc_entries.get(subject.doc_number, [])
            if entry_id in same_doc:
                same_doc.remove(entry_id)
            if not same_doc:
                self._doc_entries.pop(subject.doc_number, None)
        codes: set[int] = set()
        singles: set[int] = set()
        for slot in self._entry_slots.pop(entry_id, []):
            item = self._slots[slot]
            if item is None:
                continue
            _, tids = item
            pair_codes = self._pair_codes(tids)
            year = self._slot_year[slot]
            for code in pair_codes:
                self._discard(self._pairs, code, slot)
                years = self._pair_years.get(code)
                if years is not None:
                    self._discard(years, year, slot)  # type: ignore[arg-type]
                    if code not in self._pairs:
                        del self._pair_years[code]
            for tid in tids:
                self._discard(self._singles, tid, slot)
            codes |= pair_codes
            singles.update(tids)
            self._slots[slot] = None
        for counts, keys in ((self._pair_entries, codes), (self._single_entries, singles)):
            for key in keys:
                left = counts.get(key, 1) - 1
                if left > 0:
                    counts[key] = left
                else:
                    counts.pop(key, None)
        return True

    @staticmethod
    def _discard(postings: dict[Any, list[int]], code: Any, slot: int) -> None:
        lst = postings.get(code)
        if lst is None:
            return
        try:
            lst.remove(slot)
        except ValueError:
            return
        if not lst:
            del postings[code]

    # --- searching --------------------------------------------------------------------

    def similar_tokens(self, tok: NameToken) -> list[tuple[int, float]]:
        """Vocabulary ids of tokens similar to ``tok``, best first, with their similarity."""
        seen: set[int] = set()
        exact = self._vocab.get(tok.skel)
        if exact is not None:
            seen.add(exact)
        if not tok.is_initial:
            for variant in _lookup_keys(tok):
                seen.update(self._del_index.get(variant, ()))
        found: list[tuple[int, float]] = []
        for tid in seen:
            sim = token_similarity(tok, self._tokens[tid])[0]
            if sim >= _TOKEN_MIN_SIM:
                found.append((tid, sim))
        found.sort(key=lambda x: (-x[1], x[0]))  # ties by id: the same on every run
        return found[:_MAX_TOKENS_PER_QUERY_TOKEN]

    def _candidates(
        self,
        name: ParsedName,
        years: tuple[int | None, ...] | None = None,
        deferred: dict[int, float] | None = None,
    ) -> dict[str, float]:
        """Entry ids with an optimistic estimate of their name similarity.

        With ``years`` (and ``deferred``), a long posting kept by year of birth contributes
        only its entries of those years; it is noted in ``deferred`` (code -> estimate) so that
        the search can bound, or read, the others."""
        toks = [t for t in name.tokens if not t.is_initial]
        matches = [self.similar_tokens(t) for t in toks]
        est: dict[int, float] = {}
        held_back = False  # a long posting contributed only some years
        for i, j in combinations(range(len(toks)), 2):
            for a, sa in matches[i]:
                for b, sb in matches[j]:
                    if a == b:
                        continue
                    code = (a << _SHIFT) | b if a <= b else (b << _SHIFT) | a
                    posting = self._pairs.get(code)
                    if posting:
                        value = (sa + sb) / 2
                        by_year = self._pair_years.get(code) if years is not None else None
                        if by_year is not None and deferred is not None and years is not None:
                            held_back = True
                            if deferred.get(code, -1.0) < value:
                                deferred[code] = value
                            parts = [by_year.get(y, ()) for y in years]
                        else:
                            parts = [posting]
                        for part in parts:
                            for slot in part:
                                if est.get(slot, 0.0) < value:
                                    est[slot] = value
        fallback = len(toks) == 1 or not (est or held_back)
        for m in matches:
            for a, sa in m:
                # every name sharing one rare part is a candidate too, so that a second part
                # mangled beyond the lookup (three edits) does not lose the person
                posting = self._singles.get(a)
                if not posting or len(posting) > _SINGLE_POSTING_CAP:
                    continue
                if not fallback and (sa < 0.9 or len(posting) > _RARE_POSTING):
                    continue
                value = sa if len(toks) == 1 else (sa + _UNSEEN_PART_SIM) / 2
                for slot in posting:
                    if est.get(slot, 0.0) < value:
                        est[slot] = value
        by_entry: dict[str, float] = {}
        for slot, value in est.items():
            item = self._slots[slot]
            if item is not None and by_entry.get(item[0], -1.0) < value:
                by_entry[item[0]] = value
        return by_entry

    def search(
        self, query: Subject, *, top_k: int = 10, min_score: float = 0.0, explain: bool = True
    ) -> list[Match]:
        """The ``top_k`` best entries for ``query`` with score >= ``min_score``, best first.

        Candidates are scored in order of a cheap upper bound (best token similarities found
        during lookup, combined with date of birth, nationality and document number); scoring
        stops when the next bound cannot beat the ``top_k``-th score. Namesakes whose date of
        birth clearly differs are therefore rarely aligned in full.
        """
        years: tuple[int | None, ...] | None = None
        deferred: dict[int, float] | None = None
        if query.dob is not None and self._pair_years:
            y = query.dob.year
            years, deferred = (y - 1, y, y + 1, None), {}
        cands = self._query_candidates(query, years, deferred)
        if deferred and query.doc_number:
            # an entry with the query's document number is read whatever its date of birth
            for eid in self._doc_entries.get(query.doc_number, ()):
                for code in self._entry_codes(eid):
                    held = deferred.get(code)
                    if held is not None and cands.get(eid, -1.0) < held:
                        cands[eid] = held
        heap: list[tuple[float, str, int]] = []  # the best top_k so far, smallest first
        cache: NameCache = {}
        self._score_into(heap, query, cands, top_k, min_score, cache)
        if deferred:
            # The entries left out were born two years or more from the query's date and do
            # not carry its document number: a clear DOB mismatch at best. Read them only if
            # such a score could still be among the best.
            ceiling = max(mismatch_bound(query, value) for value in deferred.values())
            if (
                ceiling >= min_score
                and ceiling > 0.0
                and (len(heap) < top_k or ceiling >= heap[0][0])
            ):
                rest: dict[str, float] = {}
                for code, value in deferred.items():
                    for slot in self._pairs.get(code, ()):
                        posted = self._slots[slot]
                        if posted is None or posted[0] in cands:
                            continue
                        if rest.get(posted[0], -1.0) < value:
                            rest[posted[0]] = value
                self._score_into(heap, query, rest, top_k, min_score, cache)
        top = sorted(heap, reverse=True)
        if explain:
            return [score_subjects(query, self._entries[e], namesakes=n) for _, e, n in top]
        return [Match(e, sc) for sc, e, _ in top]

    def _query_candidates(
        self,
        query: Subject,
        years: tuple[int | None, ...] | None = None,
        deferred: dict[int, float] | None = None,
    ) -> dict[str, float]:
        """``_candidates`` of every name of the query, the best estimate per entry."""
        cands: dict[str, float] = {}
        for name in query.names:
            for eid, value in self._candidates(name, years, deferred).items():
                if cands.get(eid, -1.0) < value:
                    cands[eid] = value
        return cands

    def _entry_codes(self, entry_id: str) -> set[int]:
        codes: set[int] = set()
        for slot in self._entry_slots.get(entry_id, ()):
            posted = self._slots[slot]
            if posted is not None:
                codes |= self._pair_codes(posted[1])
        return codes

    def _score_into(
        self,
        heap: list[tuple[float, str, int]],
        query: Subject,
        cands: dict[str, float],
        top_k: int,
        min_score: float,
        cache: NameCache,
    ) -> None:
        """Score candidates in order of their bound into ``heap`` (the best ``top_k``)."""
        entries = self._entries
        ids = list(cands)
        counts = [self.namesakes(eid) for eid in ids]
        values = score_bounds(
            query, zip([entries[e] for e in ids], cands.values(), counts, strict=True)
        )
        bounds = list(zip(values, ids, counts, strict=True))
        if len(bounds) > _MAX_CANDIDATES:
            bounds = heapq.nlargest(_MAX_CANDIDATES, bounds)
        else:
            bounds.sort(reverse=True)
        for bound, eid, n in bounds:
            if bound < min_score or (len(heap) >= top_k and bound <= heap[0][0]):
                break
            m = score_subjects(query, entries[eid], explain=False, namesakes=n, name_cache=cache)
            if m.score < min_score or m.score <= 0.0:
                continue
            item = (m.score, eid, n)
            if len(heap) < top_k:
                heapq.heappush(heap, item)
            elif item > heap[0]:
                heapq.heapreplace(heap, item)

    def search_exhaustive(
        self, query: Subject, *, top_k: int = 10, min_score: float = 0.0
    ) -> list[Match]:
        """``search`` without reading long postings by year (every candidate bounded): the
        reference the year-by-year reading is tested against."""
        heap: list[tuple[float, str, int]] = []
        self._score_into(heap, query, self._query_candidates(query), top_k, min_score, {})
        return [Match(e, sc) for sc, e, _ in sorted(heap, reverse=True)]

    def namesakes(self, entry_id: str) -> int:
        """How many entries share the first two name parts of the entry's main name."""
        main = self._main_key.get(entry_id)
        if main is None:
            return 1
        if main < 0:
            return max(1, self._single_entries.get(-1 - main, 0))
        return max(1, self._pair_entries.get(main, 0))

    def _main_key_of(self, entry_id: str) -> int | None:
        """The pair code of the first two parts of the main name, or -1 - the token id of a
        one-part name."""
        slots = self._entry_slots.get(entry_id)
        item = self._slots[slots[0]] if slots else None
        if item is None:
            return None
        tids = item[1]
        if len(tids) == 1:
            return -1 - tids[0]
        a, b = tids[0], tids[1]
        return (a << _SHIFT) | b if a <= b else (b << _SHIFT) | a

    def stats(self) -> dict[str, int]:
        return {
            "entries": len(self._entries),
            "names": sum(1 for s in self._slots if s is not None),
            "vocabulary": len(self._tokens),
            "deletion_keys": len(self._del_index),
            "pair_keys": len(self._pairs),
        }
