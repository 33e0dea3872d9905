"""File interface: screen a query file against a watchlist file without a database.

``run_match`` is what the ``blonet screening_match`` management command calls; this module is
also runnable as ``python -m blonet.screening.matching W Q R --top K``.
"""

from __future__ import annotations

import argparse
import gc
import multiprocessing as mp
import os
import sys
import time
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .files import (
    Record,
    ResultRow,
    RowIssue,
    Severity,
    contains_control_characters,
    iter_records,
    write_issues,
    write_results,
)
from .index import ScreeningIndex
from .subject import Subject, make_subject

__all__ = ["DEFAULT_MIN_SCORE", "MatchSummary", "main", "run_match"]

DEFAULT_MIN_SCORE = 0.3
"""Candidates below this score are not written. Hits start at ``score.HIT_THRESHOLD``."""


@dataclass(slots=True)
class MatchSummary:
    watchlist_rows: int = 0
    watchlist_loaded: int = 0
    queries_rows: int = 0
    queries_screened: int = 0
    queries_with_candidates: int = 0
    result_rows: int = 0
    index_seconds: float = 0.0
    screening_seconds: float = 0.0
    issues: list[RowIssue] = field(default_factory=list)
    issues_path: str = ""

    @property
    def errors(self) -> int:
        return sum(1 for i in self.issues if i.severity == "error")

    def lines(self) -> list[str]:
        out = [
            f"watchlist: {self.watchlist_loaded} of {self.watchlist_rows} rows loaded "
            f"in {self.index_seconds:.1f} s",
            f"queries: {self.queries_screened} of {self.queries_rows} rows screened in "
            f"{self.screening_seconds:.1f} s; {self.queries_with_candidates} with candidates; "
            f"{self.result_rows} result rows written",
            f"issues: {self.errors} rows rejected, {len(self.issues) - self.errors} warnings"
            + (f" (all listed in {self.issues_path})" if self.issues_path else ""),
        ]
        return out


def _subject(
    rec: Record, file: str, issues: list[RowIssue], *, family_first: bool
) -> Subject | None:
    """Subject for a record; adds issues; None if the row cannot be screened."""
    if not rec.name.strip():
        issues.append(RowIssue(file, rec.line, "error", "name is empty", rec.id))
        return None
    if contains_control_characters(rec.name):
        issues.append(
            RowIssue(file, rec.line, "warning", "control characters removed from name", rec.id)
        )
    subject = make_subject(
        rec.id, rec.name, rec.aliases, rec.dob, rec.nationality, rec.doc_number,
        family_first=family_first,
    )  # fmt: skip
    usable = subject.screenable
    for msg in subject.issues:
        severity: Severity = "warning" if usable else "error"
        issues.append(RowIssue(file, rec.line, severity, msg, rec.id))
    if not usable:
        if not subject.issues:
            issues.append(RowIssue(file, rec.line, "error", "name has nothing to match on", rec.id))
        return None
    return subject


def load_watchlist(path: str | Path, summary: MatchSummary) -> ScreeningIndex:
    """Build an index from a watchlist file, recording rows and issues in ``summary``."""
    index = ScreeningIndex()
    file = Path(path).name
    first_line: dict[str, int] = {}
    for item in iter_records(path):
        if isinstance(item, RowIssue):
            summary.issues.append(item)
            if item.severity == "error" and item.line > 0:
                summary.watchlist_rows += 1
            continue
        summary.watchlist_rows += 1
        if item.id in first_line:
            msg = f"duplicate id, first used on line {first_line[item.id]}"
            summary.issues.append(RowIssue(file, item.line, "error", msg, item.id))
            continue
        subject = _subject(item, file, summary.issues, family_first=True)
        if subject is not None:
            first_line[item.id] = item.line
            index.add(subject)
            summary.watchlist_loaded += 1
    return index


_WORKER_INDEX: ScreeningIndex | None = None  # set in the parent before the workers fork
_CHUNK = 200  # query rows handed to a worker at a time
_PARALLEL_FROM = 2000  # query files with fewer rows are screened in the parent


def _screen_chunk(
    args: tuple[list[Record], str, int, float],
) -> tuple[list[tuple[str, list[tuple[str, float]]]], list[RowIssue]]:
    """Screen a chunk of query records: ([(query id, [(entry id, score)])], issues)."""
    records, qfile, top_k, min_score = args
    index = _WORKER_INDEX
    assert index is not None
    issues: list[RowIssue] = []
    out: list[tuple[str, list[tuple[str, float]]]] = []
    for rec in records:
        subject = _subject(rec, qfile, issues, family_first=False)
        if subject is None:
            continue
        matches = index.search(subject, top_k=top_k, min_score=min_score, explain=False)
        out.append((rec.id, [(m.entry_id, m.score) for m in matches]))
    return out, issues


def _default_workers() -> int:
    return max(1, min(2, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1))


def run_match(
    watchlist_path: str | Path,
    queries_path: str | Path,
    out_path: str | Path,
    top_k: int = 10,
    min_score: float = DEFAULT_MIN_SCORE,
    workers: int | None = None,
) -> MatchSummary:
    """Screen every query against the watchlist and write ``query_id,entry_id,score,rank``.

    Up to ``top_k`` rows per query with score >= ``min_score``, best first; a query with no
    candidate gives no row. Rejected rows and warnings are returned in the summary and, if
    there are any, also written next to the output as ``<out>.issues.csv``.

    ``workers`` processes screen the queries (forked after the index is built, so they share
    it); by default up to 2, on the CPUs this process may use, for files of 2,000 rows or
    more. Output and issues are in file order whatever the number of workers.
    """
    global _WORKER_INDEX
    summary = MatchSummary()
    t0 = time.perf_counter()
    gc_was_enabled = gc.isenabled()
    gc.disable()  # building allocates millions of long-lived objects: no GC passes meanwhile
    try:
        index = load_watchlist(watchlist_path, summary)
    finally:
        if gc_was_enabled:
            gc.enable()
    gc.collect()
    gc.freeze()  # and spare them from every later GC pass (and from copy-on-write in workers)
    summary.index_seconds = time.perf_counter() - t0
    qfile = Path(queries_path).name
    seen: dict[str, int] = {}
    t1 = time.perf_counter()

    def chunks() -> Iterator[tuple[list[Record], list[RowIssue]]]:
        """Query records in chunks, with the file-level issues met before each chunk."""
        recs: list[Record] = []
        pre: list[RowIssue] = []
        for item in iter_records(queries_path):
            if isinstance(item, RowIssue):
                pre.append(item)
                if item.severity == "error" and item.line > 0:
                    summary.queries_rows += 1
                continue
            summary.queries_rows += 1
            if item.id in seen:
                msg = f"duplicate query id, first used on line {seen[item.id]}"
                pre.append(RowIssue(qfile, item.line, "warning", msg, item.id))
            else:
                seen[item.id] = item.line
            recs.append(item)
            if len(recs) >= _CHUNK:
                yield recs, pre
                recs, pre = [], []
        if recs or pre:
            yield recs, pre

    n_workers = _default_workers() if workers is None else max(1, workers)
    parallel = n_workers > 1 and "fork" in mp.get_all_start_methods()
    if parallel and workers is None:
        parallel = _at_least_rows(queries_path, _PARALLEL_FROM)
    _WORKER_INDEX = index
    pool = mp.get_context("fork").Pool(n_workers) if parallel else None
    try:
        with open(out_path, "w", encoding="utf-8", newline="") as out:
            write_results(out, [])
            pending: deque[tuple[Any, list[RowIssue]]] = deque()

            def drain(keep: int) -> None:
                while len(pending) > keep:
                    result, pre = pending.popleft()
                    rows, issues = result.get() if pool is not None else result
                    # in file order, as a single pass would list them (stable: a duplicate id's
                    # warning before the row's own issues)
                    summary.issues.extend(sorted([*pre, *issues], key=lambda i: i.line))
                    for qid, matches in rows:
                        summary.queries_screened += 1
                        if matches:
                            summary.queries_with_candidates += 1
                        summary.result_rows += write_results(
                            out,
                            (ResultRow(qid, e, sc, r) for r, (e, sc) in enumerate(matches, 1)),
                        )

            for recs, pre in chunks():
                job = (recs, qfile, top_k, min_score)
                if pool is not None:
                    pending.append((pool.apply_async(_screen_chunk, (job,)), pre))
                    drain(2 * n_workers)  # a bounded number of chunks in flight
                else:
                    pending.append((_screen_chunk(job), pre))
                    drain(0)
            drain(0)
    finally:
        if pool is not None:
            pool.close()
            pool.join()
        _WORKER_INDEX = None
    summary.screening_seconds = time.perf_counter() - t1
    if summary.issues:
        issues_path = Path(str(out_path) + ".issues.csv")
        write_issues(issues_path, summary.issues)
        summary.issues_path = str(issues_path)
    return summary


def _at_least_rows(path: str | Path, n: int) -> bool:
    """True if the file has at least ``n`` lines (a cheap look before forking workers)."""
    with open(path, "rb") as fh:
        for i, _line in enumerate(fh, 1):
            if i >= n:
                return True
    return False


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m blonet.screening.matching",
        description="Screen a query file against a watchlist file (CSV or JSONL).",
    )
    parser.add_argument("watchlist")
    parser.add_argument("queries")
    parser.add_argument("out")
    parser.add_argument("--top", type=int, default=10, help="rows per query (default 10)")
    parser.add_argument("--min-score", type=float, default=DEFAULT_MIN_SCORE)
    parser.add_argument(
        "--workers", type=int, default=None, help="processes (default: up to 2 for big files)"
    )
    args = parser.parse_args(argv)
    if args.top < 1:
        parser.error("--top must be at least 1")
    summary = run_match(
        args.watchlist, args.queries, args.out, args.top, args.min_score, args.workers
    )
    for line in summary.lines():
        print(line)
    for issue in summary.issues[:20]:
        print(f"  {issue}", file=sys.stderr)
    if len(summary.issues) > 20:
        print(f"  ... {len(summary.issues) - 20} more in {summary.issues_path}", file=sys.stderr)
    return 0
