"""Federation throughput and latency between two real lab nodes (issue 6).

KZ (a leaf) sends seizures to KG (the hub), each node with its own processes, database, key and
nats-server (`blonet.federation.lab.FederationLab`). Records are made on KZ through the records
services (`seizure_record`, one transaction each with its outbox row), in `blonet shell`
processes on KZ's environment; KG is polled until it has applied them. Three phases:

* paced: one writer at `--rate` records/s for `--seconds`; latency commit → applied (the
  envelope's `created_at` on KZ against `InboxEntry.applied_at` on KG, same machine clock).
* live: `--writers` writers at full speed, `-n` records in all; the rate KZ commits at, the rate
  KG applies at over the same window, and the latency.
* drain: KZ's relay stopped, `-n` records queued, relay started: records/s end to end (from the
  relay's start), sustained (from its first hand-over to KG's last apply) and per stage (relay
  hand-over, consumer), i.e. what the pipeline sustains when the writers are not the
  bottleneck.

Targets (issue 6): ≥ 500 records/s sustained, p50 commit → applied ≤ 200 ms.

    .venv/bin/python bench/federation_throughput.py --db postgresql -n 2000
"""

from __future__ import annotations

import argparse
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO / "tests" / "federation"))

import benchlib  # noqa: E402
from test_lab_faults import (  # noqa: E402
    COMMANDS,
    LAB_ENV,
    finish,
    make_lab,
    shell,
    spawn_shell,
    writer_code,
)

from blonet.federation.lab import FederationLab  # noqa: E402

TIMES = """
import json
from blonet.federation import envelope
from blonet.federation.models import InboxEntry
since = {since!r}
recv = []
for e in (InboxEntry.objects.filter(origin_node="KZ", state="applied", record_type="seizure")
          .order_by("applied_at")):
    created = envelope.created_at(envelope.parse(e.envelope.encode()))
    if created.timestamp() < since:
        continue
    recv.append([e.record_uuid, e.version, created.timestamp(), e.received_at.timestamp(),
                 e.applied_at.timestamp()])
print(json.dumps(recv))
"""

HANDED = """
import datetime as dt, json
from blonet.federation.models import Delivery
since = dt.datetime.fromtimestamp({since!r}, dt.UTC)
rows = (Delivery.objects.filter(peer_id="KG", entry__record_type="seizure",
                                entry__created_at__gte=since)
        .values_list("entry__record_uuid", "entry__version", "handed_over_at", "attempts"))
print(json.dumps([[u, v, h.timestamp() if h else None, a] for u, v, h, a in rows]))
"""

APPLIED = """
import json
from blonet.federation.models import InboxEntry
print(json.dumps(InboxEntry.objects.filter(origin_node="KZ", record_type="seizure").count()))
"""


def ms(values: list[float]) -> dict[str, float]:
    s = sorted(values)
    if not s:
        return {}
    return {
        "n": len(s),
        "p50": round(benchlib.percentile(s, 50) * 1000, 1),
        "p95": round(benchlib.percentile(s, 95) * 1000, 1),
        "max": round(s[-1] * 1000, 1),
        "mean": round(statistics.fmean(s) * 1000, 1),
    }


def wait_applied(lab: FederationLab, total: int, timeout: float) -> bool:
    kg = lab.nodes["KG"]
    return bool(lab.wait(lambda: shell(kg, APPLIED) >= total, timeout=timeout, interval=0.5))


def collect(lab: FederationLab, since: float) -> tuple[list[list[Any]], dict[tuple[str, int], Any]]:
    recv = shell(lab.nodes["KG"], TIMES.format(since=since))
    handed = {(u, v): (h, a) for u, v, h, a in shell(lab.nodes["KZ"], HANDED.format(since=since))}
    return recv, handed


def stages(recv: list[list[Any]], handed: dict[tuple[str, int], Any]) -> dict[str, Any]:
    lat = [a - c for _u, _v, c, _r, a in recv]
    relay = [handed[(u, v)][0] - c for u, v, c, _r, _a in recv if handed.get((u, v), (None,))[0]]
    transport = [
        r - handed[(u, v)][0] for u, v, _c, r, _a in recv if handed.get((u, v), (None,))[0]
    ]
    apply = [a - r for _u, _v, _c, r, a in recv]
    resent = sum(1 for h, a in handed.values() if a and a > 1)
    return {
        "commit_to_applied_ms": ms(lat),
        "commit_to_handed_over_ms": ms(relay),
        "handed_over_to_received_ms": ms(transport),
        "received_to_applied_ms": ms(apply),
        "deliveries_sent_more_than_once": resent,
    }


def phase_paced(lab: FederationLab, rate: float, seconds: float, total: int) -> dict[str, Any]:
    n = max(1, int(rate * seconds))
    since = time.time()
    code = writer_code("KZ", n, 11, tag="paced", p_update=0, p_delete=0, pause=1.0 / rate)
    started = time.monotonic()
    finish(spawn_shell(lab.nodes["KZ"], code))
    wrote = time.monotonic() - started
    ok = wait_applied(lab, total + n, 120)
    recv, handed = collect(lab, since)
    return {"records": n, "rate_asked": rate, "writer_seconds": round(wrote, 1),
            "all_applied": ok, **stages(recv, handed)}  # fmt: skip


def phase_live(lab: FederationLab, n: int, writers: int, total: int) -> dict[str, Any]:
    since = time.time()
    each = n // writers
    procs = [
        spawn_shell(lab.nodes["KZ"], writer_code("KZ", each, 100 + i, tag=f"live{i}",
                                                 p_update=0, p_delete=0))
        for i in range(writers)
    ]  # fmt: skip
    for p in procs:
        finish(p)
    ok = wait_applied(lab, total + each * writers, 600)
    recv, handed = collect(lab, since)
    created = sorted(c for _u, _v, c, _r, _a in recv)
    applied = sorted(a for *_x, a in recv)
    commit_rate = (len(created) - 1) / (created[-1] - created[0]) if len(created) > 1 else 0
    apply_rate = len(applied) / (applied[-1] - created[0]) if applied else 0
    return {
        "records": each * writers, "writers": writers, "all_applied": ok,
        "commit_rate_per_s": round(commit_rate, 1),
        "applied_rate_per_s_first_commit_to_last_applied": round(apply_rate, 1),
        "lag_after_last_commit_s": round(applied[-1] - created[-1], 2) if applied else None,
        **stages(recv, handed),
    }  # fmt: skip


PROFILE = """
import asyncio, cProfile, json, time
from django.conf import settings
from blonet.federation import node
from blonet.federation.nats import client
from blonet.federation.services import inbox
async def main():
    nc, js = await client.connect(settings.BLONET_NATS_URL, "bench-profile")
    prof, n, idle, busy, fetching = cProfile.Profile(), 0, 0, 0.0, 0.0
    started = time.perf_counter()
    try:
        while idle < 10 and n < {limit}:
            t = time.perf_counter()
            msgs = await client.fetch(js, node.code(), batch=200, timeout=0.5)
            fetching += time.perf_counter() - t
            if not msgs:
                idle += 1
                continue
            idle = 0
            t = time.perf_counter()
            prof.enable()
            inbox.receive_batch([(m.data, m.subject) for m in msgs])
            prof.disable()
            busy += time.perf_counter() - t
            for msg in msgs:
                await msg.ack()
                n += 1
    finally:
        await nc.close()
    prof.dump_stats({out!r})
    return {{"messages": n, "receive_ms_per_message": round(busy / max(n, 1) * 1000, 1),
             "wall_s": round(time.perf_counter() - started, 1), "fetch_s": round(fetching, 1)}}
print(json.dumps(asyncio.run(main())))
"""


def profile_consumer(lab: FederationLab, out: Path, limit: int) -> dict[str, Any]:
    """KG's queue drained by `inbox.receive_batch` called in the loop's own thread under cProfile
    (the real consumer calls it through `sync_to_async`, in a worker thread cProfile misses)."""
    kg = lab.nodes["KG"]
    kg.env["DJANGO_ALLOW_ASYNC_UNSAFE"] = "1"
    try:
        return dict(shell(kg, PROFILE.format(out=str(out), limit=limit)))
    finally:
        del kg.env["DJANGO_ALLOW_ASYNC_UNSAFE"]


def phase_drain(
    lab: FederationLab, n: int, writers: int, total: int, profile: Path | None = None
) -> dict[str, Any]:
    kz = lab.nodes["KZ"]
    kz.kill("relay")
    if profile:
        lab.nodes["KG"].kill("consume")
    since = time.time()
    procs = [
        spawn_shell(kz, writer_code("KZ", n // writers, 200 + i, tag=f"drain{i}",
                                    p_update=0, p_delete=0))
        for i in range(writers)
    ]  # fmt: skip
    for p in procs:
        finish(p)
    n = (n // writers) * writers
    start_wall = time.time()
    kz.start_one("relay", COMMANDS["relay"])
    profiled = None
    if profile:
        time.sleep(10)  # let the relay hand everything over and IN_KG source it
        profiled = profile_consumer(lab, profile, n)
        lab.nodes["KG"].start_one("consume", COMMANDS["consume"])
        print_profile(profile)
    ok = wait_applied(lab, total + n, 900)
    recv, handed = collect(lab, since)
    hand = sorted(h for h, _a in handed.values() if h)
    got = sorted(r for _u, _v, _c, r, _a in recv)
    applied = sorted(a for *_x, a in recv)
    return {
        "records": n, "all_applied": ok,
        "relay_started_to_last_applied_s": round(applied[-1] - start_wall, 1),
        "end_to_end_rate_per_s": round(n / (applied[-1] - start_wall), 1),
        # Without the relay process's start (Django, the connection, the streams: about 1 s):
        # first hand-over to last applied, i.e. what the pipeline sustains.
        "sustained_rate_per_s": round((n - 1) / (applied[-1] - hand[0]), 1),
        "relay_started_to_first_handed_over_s": round(hand[0] - start_wall, 2),
        "relay_hand_over_rate_per_s": round((len(hand) - 1) / (hand[-1] - hand[0]), 1),
        "consumer_rate_per_s": round((len(got) - 1) / (got[-1] - got[0]), 1),
        "deliveries_sent_more_than_once": sum(1 for h, a in handed.values() if a and a > 1),
        **({"profiled": profiled} if profiled else {}),
    }  # fmt: skip


def print_profile(path: Path | None) -> None:
    if path is None or not path.exists():
        return
    stats = pstats.Stats(str(path))
    stats.sort_stats("cumulative").print_stats(40)
    stats.sort_stats("tottime").print_stats(15)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("-n", type=int, default=2000, help="records of the live and drain phases")
    parser.add_argument("--writers", type=int, default=2)
    parser.add_argument("--rate", type=float, default=5.0, help="records/s of the paced phase")
    parser.add_argument("--seconds", type=float, default=20.0, help="length of the paced phase")
    parser.add_argument("--phases", default="paced,live,drain")
    parser.add_argument(
        "--resend-seconds", default="300",
        help="BLONET_FEDERATION_RESEND_SECONDS on both nodes (default 300: no re-sends while "
             "the backlog drains, so the figures are the pipeline's; the tests use 5)",
    )  # fmt: skip
    parser.add_argument(
        "--profile-consumer",
        type=Path,
        metavar="FILE",
        help="run KG's consumer under cProfile in the drain phase",
    )
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    benchlib.set_deadline(1800)
    benchlib.print_machine()
    LAB_ENV["BLONET_FEDERATION_RESEND_SECONDS"] = args.resend_seconds
    urls = None
    if args.db == "postgresql":
        urls = {c: benchlib.recreate_pg_database(f"blonet_fedbench_{c.lower()}")
                for c in ("KG", "KZ")}  # fmt: skip
    base = Path(tempfile.mkdtemp(prefix="fedbench-"))
    t = time.monotonic()
    lab = make_lab(base, database_urls=urls)
    benchlib.log(f"lab of KG (hub) and KZ on {args.db} ready in {time.monotonic() - t:.0f} s")
    out: dict[str, Any] = {"db": args.db, "machine": benchlib.machine_info()["loadavg"]}
    try:
        total = 0
        for name in args.phases.split(","):
            benchlib.log(f"phase {name}")
            if name == "paced":
                res = phase_paced(lab, args.rate, args.seconds, total)
            elif name == "live":
                res = phase_live(lab, args.n, args.writers, total)
            else:
                res = phase_drain(lab, args.n, args.writers, total, args.profile_consumer)
            total += res["records"]
            out[name] = res
            print(f"{name}: {res}", flush=True)
    finally:
        lab.stop()
        benchlib.log(f"logs under {base}")
    benchlib.dump_json(args.json, out)


if __name__ == "__main__":
    main()
