"""`blonet records_generate`: synthetic seizures and incidents for the demo and benchmarks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from blonet.records.generate import generate
from blonet.records.generate.posts import EmptyDirectory


def _positive(value: str) -> int:
    n = int(value)
    if n < 0:
        raise ValueError(value)
    return n


class Command(BaseCommand):
    help = (
        "Generate realistic synthetic seizures and incidents over the last years: people with "
        "the region's names in their scripts, plates, phones and containers in each country's "
        "format, routes, seasons, drug mixes by border, and recurring networks seen in several "
        "countries. Deterministic for a seed; running it again with the same seed does nothing. "
        "Written in bulk, in one transaction: one audit event `records.generated` for the run, "
        "no audit event per record and no history (django-simple-history) rows. For demos and "
        "benchmarks only: never on a production node."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seizures", type=_positive, required=True, help="how many seizures")
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
        parser.add_argument(
            "--incidents", type=_positive, default=None, help="how many incidents (default N/10)"
        )
        parser.add_argument(
            "--years", type=int, default=5, help="length of the period in years (default 5)"
        )
        parser.add_argument(
            "--until",
            type=dt.date.fromisoformat,
            default=None,
            help="last day of the period, YYYY-MM-DD (default today)",
        )
        parser.add_argument(
            "--batch-size", type=int, default=2000, help="seizures per bulk write (default 2000)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["years"] < 1 or options["batch_size"] < 1:
            raise CommandError("--years and --batch-size must be at least 1")
        verbosity = int(options["verbosity"])

        def progress(message: str) -> None:
            if verbosity >= 1:
                self.stdout.write(f"  {message}")

        try:
            result = generate(
                seizures=options["seizures"],
                seed=options["seed"],
                incidents=options["incidents"],
                years=options["years"],
                until=options["until"],
                batch_size=options["batch_size"],
                progress=progress,
            )
        except EmptyDirectory:
            raise CommandError(
                "the directory is empty: run `blonet directory_load` first"
            ) from None
        if result.skipped:
            self.stdout.write(
                f"records_generate: seed {result.seed} was generated before; nothing to do"
            )
            return
        counts = result.counts
        entities = sum(
            counts.get(k, 0)
            for k in ("person", "vehicle", "organisation", "phone", "document", "container",
                      "bankaccount")
        )  # fmt: skip
        self.stdout.write(
            self.style.SUCCESS(
                f"records_generate: seed {result.seed}: {counts.get('seizure', 0):,} seizures, "
                f"{counts.get('item', 0):,} items, {counts.get('incident', 0):,} incidents, "
                f"{entities:,} entities ({counts.get('person', 0):,} persons), "
                f"{counts.get('involvement', 0):,} links, {result.networks} networks, "
                f"{result.period[0]} to {result.period[1][:10]}, in {result.seconds:.1f} s"
            )
        )
