"""Federation under faults at full size (issue 6): the scenarios of
`tests/federation/test_lab_faults.py` (the same functions) with 2,000 records and more kills.

A lab of KG (hub) and KZ (leaf), each with its own processes, SQLite (or PostgreSQL) database,
key and nats-server. Scenarios:

* kills: KZ writes `-n` seizures (regional and bilateral, some updated, some deleted) while
  `--kills` SIGKILLs hit KZ's and KG's relay, consumer and nats-server at random moments; each
  comes back after 0.3–3 s. Then: lost, applied twice, not applied, and the time from the last
  restart (or the last write) until both sides agree (target ≤ 60 s; observed up to
  `--observe` s).
* partition: KZ's leaf link is cut for `--cut-seconds` while both nodes write `--cut-n`
  records to each other; after healing, the digests of both directions must match.
* order: v1, v2, v3 and the deletion of one seizure while KG's consumer is down.
* stall / stall-resume: kill -9 and restart a nats-server, write 5 records, time until KG has
  them; `stall-resume` with a side thread calling `topology.resume_stalled_sources` every
  second (what the consumer loop does not do yet).

    .venv/bin/python bench/federation_faults.py -n 2000 --kills 10
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO / "tests" / "federation"))

import benchlib  # noqa: E402
import test_lab_faults as faults  # noqa: E402

from blonet.federation.nats import client, topology  # noqa: E402

ATTEMPTS = """
import json
from django.db.models import Count
from blonet.federation import registry
from blonet.federation.models import Delivery
rows = (Delivery.objects.filter(peer_id={peer!r})
        .exclude(entry__record_type__in=registry.CONTROL_TYPES)
        .values_list("attempts").annotate(n=Count("id")).order_by("attempts"))
print(json.dumps({{str(a): n for a, n in rows}}))
"""

STREAMS = """
import asyncio, json
from django.conf import settings
from blonet.federation.nats import client
async def main():
    nc, js = await client.connect(settings.BLONET_NATS_URL, "bench-count")
    try:
        out = {{}}
        for name in {names!r}:
            out[name] = (await js.stream_info(name)).state.messages
        return out
    finally:
        await nc.close()
print(json.dumps(asyncio.run(main())))
"""


def transport_counts(lab: Any) -> dict[str, Any]:
    kz, kg = lab.nodes["KZ"], lab.nodes["KG"]
    return {
        "KZ": faults.shell(kz, STREAMS.format(names=["OUT_KZ", "IN_KZ"])),
        "KG": faults.shell(kg, STREAMS.format(names=["OUT_KG", "IN_KG"])),
        "attempts_of_KZ_deliveries_to_KG": faults.shell(kz, ATTEMPTS.format(peer="KG")),
    }


APPLIED_FROM_KZ = """
import json
from blonet.federation.models import InboxEntry
print(json.dumps(InboxEntry.objects.filter(origin_node="KZ").count()))
"""


class Resumer(threading.Thread):
    """What the consumer loop would do with the proposed fix: every second, restart the
    stalled sources of IN_KG (`topology.resume_stalled_sources`)."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.url, self.stop, self.resumed = url, threading.Event(), 0

    def run(self) -> None:
        asyncio.run(self._loop())

    async def _loop(self) -> None:
        nc, js = await client.connect(self.url, "bench-resumer")
        try:
            while not self.stop.is_set():
                with contextlib.suppress(Exception):  # the server may be away: next second
                    self.resumed += len(await topology.resume_stalled_sources(js, "KG"))
                await asyncio.sleep(1)
        finally:
            await nc.close()


def stall(lab: Any, rounds: int, resume: bool) -> dict[str, Any]:
    """Kill -9 and restart a nats-server (KG the hub, then KZ, alternately), then write 5
    records on KZ: seconds from the end of the writing until KG has them."""
    kz, kg = lab.nodes["KZ"], lab.nodes["KG"]
    resumer = Resumer(lab.nats.url("KG")) if resume else None
    if resumer:
        resumer.start()
    out: dict[str, list[float | None]] = {"KG": [], "KZ": []}
    try:
        for i in range(rounds):
            victim = ("KG", "KZ")[i % 2]
            have = faults.shell(kg, APPLIED_FROM_KZ)
            lab.nats.kill(victim)
            time.sleep(1)
            lab.nats.restart(victim, timeout=30)
            faults.shell(kz, faults.writer_code("KZ", 5, i, tag="stall", p_update=0, p_delete=0))
            t = time.monotonic()
            ok = lab.wait(lambda h=have: faults.shell(kg, APPLIED_FROM_KZ) >= h + 5, 120, 0.3)
            out[victim].append(round(time.monotonic() - t, 1) if ok else None)
    finally:
        if resumer:
            resumer.stop.set()
            resumer.join(10)
    return {"resume_stalled_sources": resume, "seconds_until_arrived_after_restart_of": out,
            "sources_resumed": resumer.resumed if resumer else 0}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=2000)
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--observe", type=float, default=600, help="seconds to wait at most")
    parser.add_argument("--cut-seconds", type=float, default=30)
    parser.add_argument("--cut-n", type=int, default=200)
    parser.add_argument("--scenarios", default="order,kills,partition")
    parser.add_argument("--resend-seconds", default="5")
    parser.add_argument("--stall-rounds", type=int, default=4)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    benchlib.set_deadline(3600)
    benchlib.print_machine()
    faults.LAB_ENV["BLONET_FEDERATION_RESEND_SECONDS"] = args.resend_seconds
    seed = args.seed if args.seed is not None else random.randrange(1_000_000)
    base = Path(tempfile.mkdtemp(prefix="fedfaults-"))
    t = time.monotonic()
    lab = faults.make_lab(base)
    benchlib.log(f"lab of KG (hub) and KZ ready in {time.monotonic() - t:.0f} s; logs {base}")
    out: dict[str, Any] = {"seed": seed, "resend_seconds": args.resend_seconds}
    try:
        for name in args.scenarios.split(","):
            benchlib.log(f"scenario {name}")
            if name == "order":
                started = time.monotonic()
                faults.test_updates_and_the_tombstone_arrive_in_order(lab)
                out["order"] = {"passed": True, "seconds": round(time.monotonic() - started, 1)}
            elif name == "kills":
                run = faults.run_kills(lab, n=args.n, seed=seed, kills=args.kills,
                                       deadline=args.observe)  # fmt: skip
                assert run.check is not None
                out["kills"] = {
                    "records_written": args.n, "deliveries": run.check.sent,
                    "write_seconds": round(run.write_seconds, 1),
                    "writing_after_last_restart_s": round(run.writing_after_last_restart, 1),
                    "events": run.events,
                    "converged_after_s": None if run.converge_seconds is None
                    else round(run.converge_seconds, 1),
                    "within_60_s": run.converge_seconds is not None
                    and run.converge_seconds <= 60,
                    "lost": len(run.check.lost), "applied_twice": len(run.check.applied_twice),
                    "not_applied": len(run.check.not_applied),
                    "unreceipted": dict(run.check.unreceipted),
                    "wrong_copies": len(run.check.wrong_copies),
                    "quarantined": run.check.quarantined,
                    "dead_processes": [d.splitlines()[0] for d in faults.dead_processes(lab)],
                    **transport_counts(lab),
                }  # fmt: skip
            elif name in ("stall", "stall-resume"):
                out[name] = stall(lab, args.stall_rounds, resume=name == "stall-resume")
            elif name == "partition":
                prun = faults.run_partition(lab, n_each=args.cut_n, seconds=args.cut_seconds,
                                            seed=seed, deadline=args.observe)  # fmt: skip
                out["partition"] = {
                    "cut_seconds": args.cut_seconds, "records_each_side": args.cut_n,
                    "heal_to_converged_s": None if prun.heal_to_converged is None
                    else round(prun.heal_to_converged, 1),
                    "digests_equal": {k: s == r for k, (s, r) in prun.digests.items()},
                    "digest_counts": {k: [s[0], r[0]] for k, (s, r) in prun.digests.items()},
                    "checks": {k: c.summary() for k, c in prun.checks.items()},
                    **transport_counts(lab),
                }  # fmt: skip
            print(f"{name}: {out[name]}", flush=True)
    finally:
        lab.stop()
        benchlib.log(f"logs under {base}/<node>/logs/ and {base}/nats/")
    benchlib.dump_json(args.json, out)


if __name__ == "__main__":
    main()
