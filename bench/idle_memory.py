"""Figure 2 of issue 2: the web process idles under 300 MB.

Builds a migrated, loaded SQLite database in a temporary BLONET_VAR_DIR (migrate,
directory_load, accounts_demo_users, collectstatic), then for each server

  * gunicorn blonet.wsgi -w 2 -b 127.0.0.1:<free port>   (production)
  * blonet runserver 127.0.0.1:<free port> --noreload     (the demo)

logs in as the demo analyst, warms it with ~50 requests over the directory pages and API,
waits 10 s, and prints VmRSS (and PSS, which shares forked pages fairly) per process and summed.

Usage (from the repo root):  .venv/bin/python bench/idle_memory.py [--json bench/out/idle.json]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib as bl

TARGET_MB = 300.0


def _status_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _cmdline(pid: int) -> str:
    raw = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    return raw.strip()


def process_tree(root: int) -> list[int]:
    """root and all its descendants (from /proc/*/stat parent ids)."""
    parents: dict[int, list[int]] = {}
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            stat = (d / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        parents.setdefault(ppid, []).append(int(d.name))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(sorted(parents.get(pid, [])))
    return out


def measure(name: str, server: bl.Server, idle: float, warm_requests: int) -> dict[str, object]:
    client = bl.Client(server.base)
    client.login()
    client.token = server.env.get("_BENCH_TOKEN")
    bl.warm(client, bl.DIRECTORY_URLS, total=warm_requests)
    bl.log(f"{name}: warmed with {warm_requests} requests (+ login); idling {idle:.0f}s")
    time.sleep(idle)
    assert server.proc is not None
    rows = []
    for pid in process_tree(server.proc.pid):
        rows.append(
            {
                "pid": pid,
                "cmd": _cmdline(pid)[:80],
                "rss_mb": _status_kb(pid, "VmRSS") / 1024,
                "pss_mb": _pss_kb(pid) / 1024,
            }
        )
    total_rss = sum(float(r["rss_mb"]) for r in rows)
    total_pss = sum(float(r["pss_mb"]) for r in rows)
    print(f"\n{name}  ({' '.join(server.argv[1:])})")
    print(f"  {'pid':>7} {'VmRSS MB':>9} {'PSS MB':>8}  command")
    for r in rows:
        print(f"  {r['pid']:>7} {r['rss_mb']:>9.1f} {r['pss_mb']:>8.1f}  {r['cmd']}")
    verdict = "PASS" if total_rss < TARGET_MB else "MISS"
    print(
        f"  {'sum':>7} {total_rss:>9.1f} {total_pss:>8.1f}  "
        f"({len(rows)} processes; target < {TARGET_MB:.0f} MB summed VmRSS: {verdict})"
    )
    return {
        "server": name,
        "argv": server.argv,
        "processes": rows,
        "sum_rss_mb": round(total_rss, 1),
        "sum_pss_mb": round(total_pss, 1),
        "max_process_rss_mb": round(max(float(r["rss_mb"]) for r in rows), 1),
        "target_mb": TARGET_MB,
        "pass": total_rss < TARGET_MB,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--idle", type=float, default=10.0, help="seconds to idle before reading")
    ap.add_argument("--warm", type=int, default=50, help="warm-up requests (default 50)")
    ap.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    ap.add_argument(
        "--only", choices=["gunicorn", "runserver"], help="measure only one of the two servers"
    )
    ap.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    ap.add_argument("--keep", action="store_true", help="keep the temporary var dir")
    args = ap.parse_args()
    bl.set_deadline(300)
    bl.print_machine()
    results = []
    with bl.temp_var_dir("blonet-bench-mem-", keep=args.keep) as var:
        env = bl.bench_env(var)
        bl.prepare_database(env)
        env["_BENCH_TOKEN"] = bl.create_token(env)
        servers = []
        if args.only in (None, "gunicorn"):
            port = bl.free_port()
            servers.append(
                ("gunicorn", bl.gunicorn_server(env, port, var / "gunicorn.log", args.workers))
            )
        if args.only in (None, "runserver"):
            port = bl.free_port()
            servers.append(("runserver", bl.runserver_server(env, port, var / "runserver.log")))
        for name, server in servers:
            with server:
                results.append(measure(name, server, args.idle, args.warm))
    bl.dump_json(args.json, {"machine": bl.machine_info(), "results": results})
    return 0


if __name__ == "__main__":
    sys.exit(main())
