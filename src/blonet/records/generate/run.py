"""The generator's main loop: days in order, seizures and incidents of each day, batches."""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from blonet.audit.models import AuditEvent
from blonet.audit.services import audit_event_record
from blonet.records.generate.batch import Batch
from blonet.records.generate.events import EventBuilder
from blonet.records.generate.networks import make_networks, plan
from blonet.records.generate.posts import load_directory
from blonet.records.generate.profiles import day_weight

ACTION = "records.generated"
_MASK = 0xFFFFFFFF


@dataclass
class Result:
    seed: int
    skipped: bool = False
    counts: dict[str, int] = field(default_factory=dict)
    networks: int = 0
    seconds: float = 0.0
    period: tuple[str, str] = ("", "")


def already_generated(seed: int) -> AuditEvent | None:
    return AuditEvent.objects.filter(action=ACTION, data__seed=seed).order_by("seq").first()


def spread(total: int, weights: list[float]) -> list[int]:
    """`total` split in proportion to `weights` (largest remainder: the sum is exact)."""
    if total <= 0 or not weights:
        return [0] * len(weights)
    scale = total / sum(weights)
    raw = [w * scale for w in weights]
    counts = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (counts[i] - raw[i], i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _code(seed: int, n: int) -> str:
    """8 hex digits, distinct for distinct `n` under one seed (a bijection of 32-bit words)."""
    x = (n * 0x9E3779B1 + (seed * 0x7FEB352D)) & _MASK
    x ^= x >> 16
    x = (x * 0x85EBCA6B) & _MASK
    x ^= x >> 13
    x = (x * 0xC2B2AE35) & _MASK
    x ^= x >> 16
    return f"{x:08X}"


class Generator:
    def __init__(
        self,
        *,
        seizures: int,
        seed: int,
        incidents: int | None = None,
        years: int = 5,
        until: dt.date | None = None,
        batch_size: int = 2000,
        progress: Callable[[str], None] | None = None,
    ) -> None:
        self.seizures = seizures
        self.incidents = seizures // 10 if incidents is None else incidents
        self.seed = seed
        self.years = years
        self.batch_size = batch_size
        self.progress = progress or (lambda _msg: None)
        now = timezone.localtime()
        self.tz = now.tzinfo
        if until is None or until >= now.date():
            self.end = now - dt.timedelta(minutes=15)
        else:
            self.end = dt.datetime.combine(until, dt.time(23, 59), tzinfo=self.tz)
        self.start = self.end.date() - dt.timedelta(days=round(365.25 * years))
        self.sequence = 0
        self.rescue = 0

    def reference(self, event: Any) -> str:
        self.sequence += 1
        return f"{event.owner_country_id}-{event.occurred_at:%Y}-{_code(self.seed, self.sequence)}"

    def rescue_reference(self, event: Any) -> str:
        """A fresh code for a reference taken by other data (codes beyond any run's length)."""
        self.rescue += 1
        code = _code(self.seed ^ 0x5A5A5A5A, (1 << 31) + self.rescue)
        return f"{event.owner_country_id}-{event.occurred_at:%Y}-{code}"

    def run(self) -> Result:
        result = Result(seed=self.seed, period=(self.start.isoformat(), self.end.isoformat()))
        if already_generated(self.seed) is not None:
            result.skipped = True
            return result
        t0 = time.monotonic()
        rng = random.Random(self.seed)  # noqa: S311 - synthetic data, reproducible by design
        directory = load_directory()
        days = [
            self.start + dt.timedelta(days=i)
            for i in range((self.end.date() - self.start).days + 1)
        ]
        weights = [day_weight(d.month, (d - self.start).days / 365.25) for d in days]
        seizure_days = spread(self.seizures, weights)
        incident_days = spread(self.incidents, weights)
        networks = make_networks(rng, self.seizures, set(directory.by_country))
        planned = plan(rng, networks, seizure_days, self.seizures)
        batch = Batch(self.rescue_reference)
        builder = EventBuilder(rng, directory, batch, self.start)
        done = 0
        with transaction.atomic():
            for d, day in enumerate(days):
                todo = [("seizure", i) for i in range(seizure_days[d])]
                todo += [("incident", i) for i in range(incident_days[d])]
                times = sorted(self._times(rng, day, len(todo)))
                network_slots = planned.get(d, [])
                for (kind, i), occurred in zip(todo, times, strict=True):
                    created = min(self.end, occurred + dt.timedelta(minutes=rng.randint(10, 2880)))
                    if kind == "seizure" and i < len(network_slots):
                        net, country = network_slots[i]
                        post = directory.pick_in(rng, country, net.route)
                        builder.seizure(post, occurred, created, "", net)
                    elif kind == "seizure":
                        builder.seizure(directory.pick(rng), occurred, created, "")
                    else:
                        builder.incident(directory.pick(rng), occurred, created, "")
                    event = batch.events[-1][0]
                    event.reference = self.reference(event)
                    done += kind == "seizure"
                if len(batch) >= self.batch_size:
                    batch.flush()
                    self._report(done, t0)
            batch.flush()
            result.counts = dict(batch.counts)
            result.networks = len(networks)
            audit_event_record(
                actor=None,
                action=ACTION,
                target_type="records.seizure",
                data={
                    "seed": self.seed,
                    "from": self.start.isoformat(),
                    "until": self.end.date().isoformat(),
                    "networks": len(networks),
                    **{k: v for k, v in sorted(result.counts.items())},
                },
            )
        result.seconds = time.monotonic() - t0
        return result

    def _times(self, rng: random.Random, day: dt.date, n: int) -> list[dt.datetime]:
        midnight = dt.datetime.combine(day, dt.time(0), tzinfo=self.tz)
        span = min(86399, int((self.end - midnight).total_seconds()))
        return [midnight + dt.timedelta(seconds=rng.randint(0, max(0, span))) for _ in range(n)]

    def _report(self, done: int, t0: float) -> None:
        secs = time.monotonic() - t0
        rate = done / secs if secs else 0.0
        self.progress(
            f"{done:,} of {self.seizures:,} seizures ({100 * done / max(1, self.seizures):.0f} %), "
            f"{secs:.0f} s, {rate:,.0f}/s"
        )


def generate(**kwargs: Any) -> Result:
    return Generator(**kwargs).run()
