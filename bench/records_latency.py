"""Issue 3, "Performance": the register's list page, API list and detail page under load of data.

On PostgreSQL with 1,000,000 generated seizures (database `blonet_bench_records` on
127.0.0.1:5432, built once with `blonet records_generate --seizures 1000000 --seed 1` and reused
while it holds that run) and on SQLite with 100,000 (a database file kept under
/tmp/blonet-bench-records/, reused likewise), it migrates (so new indexes apply), starts
`gunicorn blonet.wsgi -w 2` on a free loopback port, logs in as the demo analyst (CARICC,
Almaty: sees Kazakh national records, bilateral ones shared with Kazakhstan and every regional
one), takes an API token, and times, one request at a time, round-robin:

  * the list page `/records/seizures/` and the API list `/api/v1/records/seizures/` with no
    filter, with each single filter (period, site, country, commodity, conveyance, agency,
    distribution, route country) and with full-text search (a Latin name, a Cyrillic name, a
    plate), both taken from the data;
  * the seizure detail page (and the API detail), over 30 different visible seizures.

It prints p50/p95/max per URL against the targets (list and API p95 <= 150 ms, detail p95 <=
50 ms; the targets are set for PostgreSQL at 1M), and the SQL queries per page (Django test
client in a subprocess): the list page's page 1 and 2, the API with page_size 25 and 50 (the
counts must be equal: no N+1).

Usage (from the repo root):
  .venv/bin/python bench/records_latency.py                       # both databases, n=30
  .venv/bin/python bench/records_latency.py --db postgresql -n 50
  .venv/bin/python bench/records_latency.py --db sqlite --explain  # + plans (PostgreSQL only)
  .venv/bin/python bench/records_latency.py --db postgresql --cpu 10  # + CPU per request
Building the 1M database takes about an hour on two busy cores; it is reused afterwards.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib as bl

PG_DB = "blonet_bench_records"
CACHE = Path(os.environ.get("BLONET_BENCH_CACHE", "/tmp/blonet-bench-records"))
PROBE = str(Path(__file__).resolve().parent / "records" / "probe.py")
TARGET_LIST_MS = 150.0
TARGET_DETAIL_MS = 50.0
SEED = 1


def log(msg: str) -> None:
    bl.log(msg)


def probe(env: dict[str, str], *args: str, timeout: float = 600) -> str:
    env = dict(env, BLONET_ALLOWED_HOSTS="testserver,127.0.0.1")
    res = subprocess.run(
        [str(bl.VENV_BIN / "python"), PROBE, *args],
        env=env,
        cwd=bl.REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if res.returncode != 0:
        raise RuntimeError(f"probe {args[0]} failed:\n{res.stderr[-3000:]}")
    return res.stdout


def _generated(env: dict[str, str], seizures: int) -> bool:
    """True if the database holds the generated run of `seizures` with the bench seed."""
    code = (
        "import django,json;django.setup();"
        "from blonet.audit.models import AuditEvent as A;"
        f"e=A.objects.filter(action='records.generated',data__seed={SEED}).first();"
        "print(json.dumps(e.data if e else None))"
    )
    res = subprocess.run(
        [str(bl.VENV_BIN / "python"), "-c", code],
        env=env,
        cwd=bl.REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if res.returncode != 0:
        return False
    data = json.loads(res.stdout.strip().splitlines()[-1] or "null")
    return bool(data) and data.get("seizure") == seizures


def _pg_exists(name: str) -> bool:
    res = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc",
         f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
        capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip
    return res.stdout.strip() == "1"


def prepare(db: str, seizures: int, fresh: bool) -> dict[str, str]:
    """The bench database (built once, then reused) and the environment of its server."""
    if db == "postgresql":
        if fresh or not _pg_exists(PG_DB):
            bl.recreate_pg_database(PG_DB)
        env = bl.bench_env(CACHE / "pg-var", f"{bl.PG_ADMIN_URL}/{PG_DB}")
    else:
        var = CACHE / f"sqlite-{seizures}"
        if fresh and var.exists():
            for f in var.glob("*.sqlite3*"):
                f.unlink()
        env = bl.bench_env(var)
    Path(env["BLONET_VAR_DIR"]).mkdir(parents=True, exist_ok=True)
    bl.run_blonet(["migrate", "--no-input", "-v", "0"], env, timeout=3600)
    if not _generated(env, seizures):
        log(f"{db}: generating {seizures:,} seizures (once; reused by later runs)")
        for step in bl.demo_setup_commands():
            if step[0] in ("directory_load", "demo_setup"):
                bl.run_blonet(step, env)
        bl.run_blonet(
            ["records_generate", "--seizures", str(seizures), "--seed", str(SEED),
             "--batch-size", "5000"],
            env, timeout=4 * 3600,
        )  # fmt: skip
        if db == "postgresql":
            subprocess.run(
                ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", PG_DB, "-c", "VACUUM ANALYZE"],
                check=True, timeout=3600,
            )  # fmt: skip
    else:
        log(f"{db}: reusing the database with {seizures:,} generated seizures")
    if not (Path(env["BLONET_VAR_DIR"]) / "static" / "staticfiles.json").exists():
        bl.run_blonet(["collectstatic", "--no-input", "-v", "0"], env, timeout=1800)
    if db == "sqlite":
        bl.run_blonet(["shell", "-c", "from django.db import connection as c; "
                       "c.cursor().execute('ANALYZE')"], env, timeout=1800)  # fmt: skip
    return env


def list_urls(samples: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, query string) of each single filter and search."""
    today = dt.date.today()
    period = {"date_from": (today - dt.timedelta(days=120)).isoformat(),
              "date_to": (today - dt.timedelta(days=90)).isoformat()}  # fmt: skip
    rows = [
        ("no filter", {}),
        ("period", period),
        ("site", {"site": "kz-kordai-bcp"}),
        ("country", {"country": "KG"}),
        ("commodity", {"commodity": "heroin"}),
        ("conveyance", {"conveyance": "truck"}),
        ("agency", {"agency": "kz-customs"}),
        ("distribution", {"distribution": "regional"}),
        ("route country", {"route_country": "AF"}),
        ("q Latin name", {"q": samples["latin"]}),
        ("q Cyrillic name", {"q": samples["cyrillic"]}),
        ("q plate", {"q": samples["plate"]}),
    ]
    return [(label, urlencode(params, quote_via=quote)) for label, params in rows]


def build_urls(samples: dict[str, Any]) -> tuple[list[tuple[str, str, str]], list[str]]:
    """[(group, label, url)] to time, and the detail URLs (rotated over)."""
    urls: list[tuple[str, str, str]] = []
    for label, qs in list_urls(samples):
        suffix = f"?{qs}" if qs else ""
        urls.append(("list", label, f"/records/seizures/{suffix}"))
        urls.append(("api", label, f"/api/v1/records/seizures/{suffix}"))
    details = [f"/records/seizures/{pk}/" for pk in samples["ids"]]
    return urls, details


def time_all(
    server: bl.Server,
    token: str,
    urls: list[tuple[str, str, str]],
    details: list[str],
    n: int,
    warmup: int,
) -> dict[str, list[float]]:
    client = bl.Client(server.base)
    client.login()
    client.token = token
    api_details = [u.replace("/records/", "/api/v1/records/", 1) for u in details]
    for _ in range(warmup):
        for _g, _l, u in urls:
            client.request(u, token=u.startswith("/api/"))
        for u in details[:3] + api_details[:3]:
            client.request(u, token=u.startswith("/api/"))
    samples: dict[str, list[float]] = {u: [] for _g, _l, u in urls}
    samples["detail"] = []
    samples["api detail"] = []
    for i in range(n):
        for _g, _l, u in urls:
            status, body, secs = client.request(u, token=u.startswith("/api/"))
            if status != 200:
                raise RuntimeError(f"{u}: HTTP {status}: {body[:300]!r}")
            samples[u].append(secs * 1000)
        for key, pool in (("detail", details), ("api detail", api_details)):
            u = pool[i % len(pool)]
            status, body, secs = client.request(u, token=u.startswith("/api/"))
            if status != 200:
                raise RuntimeError(f"{u}: HTTP {status}: {body[:300]!r}")
            samples[key].append(secs * 1000)
    return samples


def _stats(values: list[float]) -> dict[str, float]:
    s = sorted(values)
    return {
        "n": len(s),
        "p50_ms": round(bl.percentile(s, 50), 1),
        "p95_ms": round(bl.percentile(s, 95), 1),
        "max_ms": round(s[-1], 1),
    }


def report(
    db: str,
    urls: list[tuple[str, str, str]],
    samples: dict[str, list[float]],
    queries: dict[str, Any],
) -> dict[str, Any]:
    rows: list[dict[str, Any]] = []
    print(f"\n{db}: milliseconds over {len(samples['detail'])} requests each")
    print(f"{'what':<34} {'p50':>7} {'p95':>7} {'max':>7} {'SQL':>4} {'SQLms':>6}")
    entries = [(g, lbl, u) for g, lbl, u in urls]
    entries += [("detail", "detail page", "detail"), ("api detail", "API detail", "api detail")]
    for group, label, key in entries:
        st = _stats(samples[key])
        target = TARGET_DETAIL_MS if "detail" in group else TARGET_LIST_MS
        q = queries.get(key, {})
        row = {"group": group, "label": label, "url": key, "target_ms": target, **st}
        if q:
            row.update(queries=q["queries"], sql_ms=q["sql_ms"])
        rows.append(row)
        miss = "  <- MISS" if st["p95_ms"] > target else ""
        print(
            f"{group + ': ' + label:<34} {st['p50_ms']:>7.1f} {st['p95_ms']:>7.1f} "
            f"{st['max_ms']:>7.1f} {q.get('queries', ''):>4} {q.get('sql_ms', ''):>6}{miss}"
        )
    worst_list = max((r for r in rows if "detail" not in r["group"]), key=lambda r: r["p95_ms"])
    worst_detail = max((r for r in rows if "detail" in r["group"]), key=lambda r: r["p95_ms"])
    ok = worst_list["p95_ms"] <= TARGET_LIST_MS and worst_detail["p95_ms"] <= TARGET_DETAIL_MS
    print(
        f"{db}: worst list/API p95 {worst_list['p95_ms']:.1f} ms ({worst_list['group']}: "
        f"{worst_list['label']}), worst detail p95 {worst_detail['p95_ms']:.1f} ms; "
        f"targets {TARGET_LIST_MS:.0f}/{TARGET_DETAIL_MS:.0f} ms: {'PASS' if ok else 'MISS'}"
    )
    return {"db": db, "rows": rows, "pass": ok}


def query_counts(
    env: dict[str, str], token: str, urls: list[tuple[str, str, str]], details: list[str]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """SQL queries per URL, and the per-page-size check (list page 1 vs 2, API 25 vs 50)."""
    wanted = [u for _g, _l, u in urls] + details[:1]
    extra = {
        "list page 1": "/records/seizures/",
        "list page 2": "/records/seizures/?page=2",
        "list page 1, heroin": "/records/seizures/?commodity=heroin",
        "list page 2, heroin": "/records/seizures/?commodity=heroin&page=2",
        "API page_size=25": "/api/v1/records/seizures/?page_size=25",
        "API page_size=50": "/api/v1/records/seizures/?page_size=50",
        "API page_size=25, heroin": "/api/v1/records/seizures/?commodity=heroin&page_size=25",
        "API page_size=50, heroin": "/api/v1/records/seizures/?commodity=heroin&page_size=50",
    }
    out = json.loads(
        probe(env, "queries", bl.DEMO_USER, token, *wanted, *extra.values()).splitlines()[-1]
    )
    out["detail"] = out[details[0]]
    api_detail = details[0].replace("/records/", "/api/v1/records/", 1)
    out["api detail"] = json.loads(
        probe(env, "queries", bl.DEMO_USER, token, api_detail).splitlines()[-1]
    )[api_detail]
    sizes = {label: out[u]["queries"] for label, u in extra.items()}
    print("\nSQL queries per list page (must not grow with the page size):")
    for label, count in sizes.items():
        print(f"  {label:<28} {count}")
    equal = (
        sizes["list page 1"] == sizes["list page 2"]
        and sizes["API page_size=25"] == sizes["API page_size=50"]
        and sizes["API page_size=25, heroin"] == sizes["API page_size=50, heroin"]
    )
    print(f"  equal for 25 and 50 rows: {'PASS' if equal else 'MISS'}")
    return out, {"sizes": sizes, "equal": equal}


def run_db(db: str, args: argparse.Namespace) -> dict[str, Any]:
    seizures = args.pg_seizures if db == "postgresql" else args.sqlite_seizures
    t0 = time.monotonic()
    env = prepare(db, seizures, args.fresh)
    log(f"{db}: database ready in {time.monotonic() - t0:.0f}s")
    samples = json.loads(probe(env, "samples", bl.DEMO_USER).splitlines()[-1])
    log(f"{db}: {samples['seizures']:,} seizures; search terms {samples['latin']!r}, "
        f"{samples['cyrillic']!r}, {samples['plate']!r}")  # fmt: skip
    urls, details = build_urls(samples)
    if args.explain and db == "postgresql":
        print(probe(env, "explain", bl.DEMO_USER, *[qs for _l, qs in list_urls(samples)]))
    if args.selector:
        sel = json.loads(
            probe(
                env, "selector", bl.DEMO_USER, "10", *[qs for _l, qs in list_urls(samples)]
            ).splitlines()[-1]
        )
        print(f"\n{db}: selector only (SeizureFilter + paginator, in process, ms):")
        for qs, st in sel.items():
            print(f"  {qs[:60]:<60} p50 {st['p50_ms']:>7.1f}  p95 {st['p95_ms']:>7.1f}")
    token = bl.create_token(env)
    if args.api_capped:
        api_urls = [u for g, _l, u in urls if g == "api"]
        for mode in ("exact", "capped"):
            res = json.loads(
                probe(env, "api", bl.DEMO_USER, token, str(args.n), mode, *api_urls).splitlines()[
                    -1
                ]
            )
            print(f"\n{db}: API lists in process (test client), paginator {mode}, ms:")
            for u, st in res.items():
                print(f"  {u[:70]:<70} p50 {st['p50_ms']:>7.1f}  p95 {st['p95_ms']:>7.1f}  "
                      f"count {st['count']}")  # fmt: skip
    if args.cpu:
        wanted = [u for _g, _l, u in urls] + details[:3]
        wanted += [d.replace("/records/", "/api/v1/records/", 1) for d in details[:3]]
        res = json.loads(probe(env, "cpu", bl.DEMO_USER, token, str(args.cpu), *wanted,
                               timeout=3600).splitlines()[-1])  # fmt: skip
        print(f"\n{db}: CPU per request (median of {args.cpu}; Django process + database "
              f"backend, ms) and wall time in process:")  # fmt: skip
        for u, st in res.items():
            total = st["django_cpu_ms"] + st["db_cpu_ms"]
            print(f"  {u[:64]:<64} {st['django_cpu_ms']:>6.1f} + {st['db_cpu_ms']:>6.1f} = "
                  f"{total:>6.1f}  wall {st['wall_ms']:>6.1f}")  # fmt: skip
        cpu_figures = res
    queries, sizes = query_counts(env, token, urls, details)
    port = bl.free_port()
    logfile = CACHE / f"{db}-gunicorn.log"
    with bl.gunicorn_server(env, port, logfile, args.workers) as server:
        t1 = time.monotonic()
        timed = time_all(server, token, urls, details, args.n, args.warmup)
        log(f"{db}: timed requests in {time.monotonic() - t1:.0f}s "
            f"(load average now {bl.machine_info()['loadavg']})")  # fmt: skip
    result = report(db, urls, timed, queries)
    if args.cpu:
        result["cpu"] = cpu_figures
    result.update(seizures=samples["seizures"], page_sizes=sizes, samples={
        k: samples[k] for k in ("latin", "cyrillic", "plate")})  # fmt: skip
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("-n", type=int, default=30, help="timed requests per URL (default 30)")
    ap.add_argument("--warmup", type=int, default=2, help="untimed rounds first (default 2)")
    ap.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    ap.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    ap.add_argument("--pg-seizures", type=int, default=1_000_000)
    ap.add_argument("--sqlite-seizures", type=int, default=100_000)
    ap.add_argument("--fresh", action="store_true", help="rebuild the bench databases")
    ap.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the list queries")
    ap.add_argument("--selector", action="store_true", help="also time the selector in process")
    ap.add_argument(
        "--api-capped",
        action="store_true",
        help="also time the API lists in process with core.listing.CappedPagination",
    )
    ap.add_argument(
        "--cpu",
        type=int,
        default=0,
        metavar="N",
        help="also measure the CPU time per request (Django + PostgreSQL backend), median of N",
    )
    ap.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = ap.parse_args()
    bl.set_deadline(6 * 3600)
    bl.print_machine()
    CACHE.mkdir(parents=True, exist_ok=True)
    dbs = ["postgresql", "sqlite"] if args.db == "both" else [args.db]
    results = [run_db(db, args) for db in dbs]
    bl.dump_json(args.json, {"machine": bl.machine_info(), "results": results})
    return 0 if all(r["pass"] and r["page_sizes"]["equal"] for r in results) else 1


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
