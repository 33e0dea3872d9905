"""`blonet screening_match`: screen a query file against a watchlist file, no database needed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from blonet.screening.matching.cli import DEFAULT_MIN_SCORE, run_match


class Command(BaseCommand):
    help = (
        "Screen QUERIES against WATCHLIST (CSV or JSONL) and write query_id,entry_id,score,rank "
        "to OUT, up to --top rows per query, best first. Rejected rows are listed, never skipped "
        "silently."
    )
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--watchlist", required=True, help="watchlist file (.csv or .jsonl)")
        parser.add_argument("--queries", required=True, help="query file (.csv or .jsonl)")
        parser.add_argument("--out", required=True, help="result CSV to write")
        parser.add_argument("--top", type=int, default=10, help="rows per query (default 10)")
        parser.add_argument("--min-score", type=float, default=DEFAULT_MIN_SCORE)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["top"] < 1:
            raise CommandError("--top must be at least 1")
        for key in ("watchlist", "queries"):
            path = Path(options[key])
            if not path.is_file():
                raise CommandError(f"--{key}: no such file: {path}")
        summary = run_match(
            options["watchlist"],
            options["queries"],
            options["out"],
            options["top"],
            options["min_score"],
        )
        for line in summary.lines():
            self.stdout.write(line)
        for issue in summary.issues[:20]:
            self.stderr.write(f"  {issue}")
