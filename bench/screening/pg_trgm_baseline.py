"""Baseline: PostgreSQL ``pg_trgm`` trigram search with a GIN index.

The watchlist names (main name and aliases, ``unidecode`` + lower case, MRZ fillers as spaces,
the same normalisation as the rapidfuzz baseline) are loaded with COPY into a table of a
dedicated database (``blonet_bench_trgm`` by default, created if missing and dropped again
with ``--keep`` not given). A query reads

    SELECT entry_id, similarity(name_norm, q) FROM bench_names
    WHERE name_norm % q ORDER BY similarity DESC LIMIT 20

(``%`` uses the GIN index with ``pg_trgm.similarity_threshold``, default 0.3); the best
score per entry is kept, 10 entries per query. Dates of birth and the other fields are not
used: this is what a team gets from "trigram index on the name column".

Run alone::

    PYTHONPATH=src .venv/bin/python bench/screening/pg_trgm_baseline.py --entries 100000
"""

from __future__ import annotations

import argparse
import io
import time
from collections.abc import Sequence

import psycopg
from unidecode import unidecode

DEFAULT_DSN = "postgresql://postgres@127.0.0.1:5432/blonet_bench_trgm"
Results = dict[str, list[tuple[str, float]]]


def norm(s: str) -> str:
    return " ".join(unidecode(s.replace("<", " ")).lower().split())


def _ensure_database(dsn: str) -> None:
    info = psycopg.conninfo.conninfo_to_dict(dsn)
    dbname = str(info.get("dbname") or "blonet_bench_trgm")
    admin = psycopg.conninfo.make_conninfo(dsn, dbname="postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (dbname,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{dbname}"')


class TrgmBaseline:
    """The loaded table; ``search`` runs one query."""

    def __init__(self, dsn: str = DEFAULT_DSN, threshold: float = 0.3) -> None:
        _ensure_database(dsn)
        self.conn = psycopg.connect(dsn, autocommit=True)
        self.conn.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        self.conn.execute(f"SET pg_trgm.similarity_threshold = {float(threshold)}")
        self.load_seconds = 0.0
        self.index_seconds = 0.0
        self.table_mb = 0.0
        self.index_mb = 0.0

    def load(self, watchlist: Sequence[dict[str, object]]) -> None:
        cur = self.conn.cursor()
        cur.execute("DROP TABLE IF EXISTS bench_names")
        cur.execute("CREATE TABLE bench_names (entry_id text NOT NULL, name_norm text NOT NULL)")
        t0 = time.perf_counter()
        buf = io.StringIO()
        for w in watchlist:
            for n in [w["name"], *(w.get("aliases") or [])]:  # type: ignore[misc]
                name = norm(str(n)).replace("\\", "").replace("\t", " ")
                buf.write(f"{w['id']}\t{name}\n")
        buf.seek(0)
        with cur.copy("COPY bench_names (entry_id, name_norm) FROM STDIN") as copy:
            while chunk := buf.read(1 << 20):
                copy.write(chunk)
        self.load_seconds = time.perf_counter() - t0
        t0 = time.perf_counter()
        cur.execute(
            "CREATE INDEX bench_names_trgm ON bench_names USING gin (name_norm gin_trgm_ops)"
        )
        cur.execute("ANALYZE bench_names")
        self.index_seconds = time.perf_counter() - t0
        row = cur.execute(
            "SELECT pg_relation_size('bench_names'), pg_relation_size('bench_names_trgm')"
        ).fetchone()
        assert row is not None
        self.table_mb, self.index_mb = row[0] / 2**20, row[1] / 2**20

    def search(self, name: str, limit: int = 10) -> list[tuple[str, float]]:
        q = norm(name)
        rows = self.conn.execute(
            "SELECT entry_id, similarity(name_norm, %(q)s) AS s FROM bench_names "
            "WHERE name_norm %% %(q)s ORDER BY s DESC, entry_id LIMIT %(n)s",
            {"q": q, "n": 2 * limit},
        ).fetchall()
        best: dict[str, float] = {}
        for eid, s in rows:
            best[eid] = max(best.get(eid, 0.0), float(s))
        return sorted(best.items(), key=lambda x: -x[1])[:limit]

    def drop(self) -> None:
        self.conn.execute("DROP TABLE IF EXISTS bench_names")

    def close(self) -> None:
        self.conn.close()


def run_pg_trgm(
    watchlist: Sequence[dict[str, object]],
    queries: Sequence[dict[str, object]],
    dsn: str = DEFAULT_DSN,
    *,
    keep: bool = False,
) -> tuple[Results, list[float], TrgmBaseline]:
    """Load ``watchlist``, run ``queries`` one by one; (results, latencies in s, baseline)."""
    base = TrgmBaseline(dsn)
    base.load(watchlist)
    for q in queries[:5]:  # warm the buffer cache and the plan cache
        base.search(str(q["name"]))
    results: Results = {}
    lat: list[float] = []
    for q in queries:
        t0 = time.perf_counter()
        results[str(q["id"])] = base.search(str(q["name"]))
        lat.append(time.perf_counter() - t0)
    if not keep:
        base.drop()
    base.close()
    return results, lat, base


def main() -> None:
    import random
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from generate import build
    from metrics import Label, percentile, recall_at_precision, top10_recall

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--entries", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--queries", type=int, default=500)
    ap.add_argument("--dsn", default=DEFAULT_DSN)
    ap.add_argument("--keep", action="store_true", help="keep the table afterwards")
    args = ap.parse_args()
    ds = build(args.entries, 2200, 2000, args.seed)
    labels = {
        str(lab["query_id"]): Label(
            str(lab["query_id"]),
            lab["entry_id"],  # type: ignore[arg-type]
            str(lab["type"]),
            bool(lab["positive"]),
        )
        for lab in ds.labels
    }
    sub = random.Random(args.seed).sample(ds.queries, min(args.queries, len(ds.queries)))
    results, lat, base = run_pg_trgm(ds.watchlist, sub, args.dsn, keep=args.keep)
    sub_labels = {k: labels[k] for k in results}
    r99, t99 = recall_at_precision(results, sub_labels, 0.99)
    print(
        f"pg_trgm: COPY {base.load_seconds:.1f} s, GIN index {base.index_seconds:.1f} s "
        f"(table {base.table_mb:.0f} MB, index {base.index_mb:.0f} MB); "
        f"latency median {percentile(lat, 50) * 1e3:.1f} ms, "
        f"p99 {percentile(lat, 99) * 1e3:.1f} ms; recall@99P {r99:.3f} (threshold {t99:.3f}); "
        f"top-10 {top10_recall(results, sub_labels):.3f}"
    )


if __name__ == "__main__":
    main()
