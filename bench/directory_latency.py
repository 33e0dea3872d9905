"""Figure 3 of issue 2: the directory pages and API answer in p95 <= 100 ms.

For each database (SQLite in a temporary BLONET_VAR_DIR; PostgreSQL in the database
`blonet_bench` on 127.0.0.1:5432, dropped and created afresh) it migrates and loads the
directory and the demo users, starts `gunicorn blonet.wsgi -w 2` on a free loopback port, logs
in as the demo analyst (allauth form: session cookie for the HTML pages) and takes an API token
(`blonet drf_create_token analyst`, for /api/), warms each URL, then times N requests of each
URL, one at a time, round-robin over the URLs, one new connection per request (gunicorn's
sync workers close the connection anyway). Prints p50/p95/p99/max per URL and the verdict.

With --queries it also counts the SQL queries each URL runs (Django test client in a
subprocess, same database) to help explain a slow URL.

Usage (from the repo root):
  .venv/bin/python bench/directory_latency.py                # both databases, N=200
  .venv/bin/python bench/directory_latency.py --db sqlite -n 50 --queries
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib as bl

TARGET_P95_MS = 100.0

_QUERY_COUNTER = r"""
import json, sys, time, django
django.setup()
from django.db import connection
from django.test import Client
from blonet.accounts.models import User
spent = []
def timer(execute, sql, params, many, context):
    t0 = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    finally:
        spent.append(time.perf_counter() - t0)
urls, token = json.loads(sys.argv[1]), sys.argv[2]
c = Client()
c.force_login(User.objects.get(username="analyst"))
out = {}
for u in urls:
    extra = {"HTTP_AUTHORIZATION": "Token " + token} if u.startswith("/api/") else {}
    cl = Client(**extra) if extra else c
    cl.get(u)  # first call fills caches (ContentType, translations)
    spent.clear()
    with connection.execute_wrapper(timer):
        r = cl.get(u)
    out[u] = {"status": r.status_code, "queries": len(spent), "bytes": len(r.content),
              "sql_ms": round(sum(spent) * 1000, 1)}
print(json.dumps(out))
"""


def count_queries(env: dict[str, str], urls: list[str], token: str) -> dict[str, Any]:
    env = dict(env)
    env["BLONET_ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    res = subprocess.run(
        [str(bl.VENV_BIN / "python"), "-c", _QUERY_COUNTER, json.dumps(urls), token],
        env=env,
        cwd=bl.REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if res.returncode != 0:
        bl.log(f"query count failed:\n{res.stderr[-2000:]}")
        return {}
    return json.loads(res.stdout.strip().splitlines()[-1])


def time_urls(
    server: bl.Server, token: str, urls: list[str], n: int, warmup: int
) -> dict[str, list[float]]:
    client = bl.Client(server.base)
    client.login()
    client.token = token
    for _ in range(warmup):
        for u in urls:
            client.request(u, token=u.startswith("/api/"))
    samples: dict[str, list[float]] = {u: [] for u in urls}
    sizes: dict[str, int] = {}
    for _ in range(n):
        for u in urls:
            status, body, secs = client.request(u, token=u.startswith("/api/"))
            if status != 200:
                raise RuntimeError(f"{u}: HTTP {status}: {body[:300]!r}")
            samples[u].append(secs * 1000)
            sizes[u] = len(body)
    samples["_sizes"] = [float(sizes[u]) for u in urls]  # type: ignore[assignment]
    return samples


def report(db: str, urls: list[str], samples: dict[str, list[float]], queries: dict[str, Any]):
    sizes = dict(zip(urls, samples.pop("_sizes"), strict=True))
    rows = []
    head = f"{'URL':<50} {'p50':>6} {'p95':>6} {'p99':>6} {'max':>6} {'kB':>6}"
    if queries:
        head += f" {'SQL':>4} {'SQLms':>6}"
    print(f"\n{db}: milliseconds over {len(samples[urls[0]])} requests each")
    print(head)
    for u in urls:
        s = sorted(samples[u])
        row = {
            "url": u,
            "n": len(s),
            "p50_ms": round(bl.percentile(s, 50), 1),
            "p95_ms": round(bl.percentile(s, 95), 1),
            "p99_ms": round(bl.percentile(s, 99), 1),
            "max_ms": round(s[-1], 1),
            "mean_ms": round(sum(s) / len(s), 1),
            "bytes": int(sizes[u]),
        }
        line = (
            f"{u:<50} {row['p50_ms']:>6.1f} {row['p95_ms']:>6.1f} {row['p99_ms']:>6.1f} "
            f"{row['max_ms']:>6.1f} {row['bytes'] / 1000:>6.1f}"
        )
        if u in queries:
            row["queries"] = queries[u]["queries"]
            row["sql_ms"] = queries[u]["sql_ms"]
            line += f" {row['queries']:>4} {row['sql_ms']:>6.1f}"
        if row["p95_ms"] > TARGET_P95_MS:
            line += "  <- MISS"
        print(line)
        rows.append(row)
    worst = max(rows, key=lambda r: r["p95_ms"])
    ok = worst["p95_ms"] <= TARGET_P95_MS
    print(
        f"{db}: worst p95 {worst['p95_ms']:.1f} ms ({worst['url']}); "
        f"target <= {TARGET_P95_MS:.0f} ms: {'PASS' if ok else 'MISS'}"
    )
    return {"db": db, "rows": rows, "worst_p95_ms": worst["p95_ms"], "pass": ok}


def run_db(db: str, args: argparse.Namespace, var: Path) -> dict[str, Any]:
    db_url = bl.recreate_pg_database() if db == "postgresql" else None
    env = bl.bench_env(var / db, db_url)
    bl.prepare_database(env)
    token = bl.create_token(env)
    urls = list(bl.DIRECTORY_URLS)
    queries = count_queries(env, urls, token) if args.queries else {}
    port = bl.free_port()
    with bl.gunicorn_server(env, port, var / f"{db}-gunicorn.log", args.workers) as server:
        t0 = time.monotonic()
        samples = time_urls(server, token, urls, args.n, args.warmup)
        bl.log(
            f"{db}: {args.n * len(urls)} timed requests in {time.monotonic() - t0:.0f}s "
            f"(load average now {bl.machine_info()['loadavg']})"
        )
    return report(db, urls, samples, queries)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("-n", type=int, default=200, help="timed requests per URL (default 200)")
    ap.add_argument("--warmup", type=int, default=5, help="untimed requests per URL first")
    ap.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    ap.add_argument(
        "--db", choices=["sqlite", "postgresql", "both"], default="both", help="default both"
    )
    ap.add_argument("--queries", action="store_true", help="also count SQL queries per URL")
    ap.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    ap.add_argument("--keep", action="store_true", help="keep the temporary var dir")
    args = ap.parse_args()
    bl.set_deadline(300)
    bl.print_machine()
    dbs = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    results = []
    with bl.temp_var_dir("blonet-bench-lat-", keep=args.keep) as var:
        for db in dbs:
            results.append(run_db(db, args, var))
    bl.dump_json(args.json, {"machine": bl.machine_info(), "results": results})
    return 0 if all(r["pass"] for r in results) else 1


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
