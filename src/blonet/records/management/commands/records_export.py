from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import QueryDict

from blonet.records.io.exporting import FORMATS, ExportProblem, start_export


class Command(BaseCommand):
    help = (
        "Export seizures in the import template's columns (csv, xlsx) or the non-nominal CEN-like "
        "layout (cen). With --user, what that user may see; without, every live record of this "
        "node. --filter takes the seizure list's query, e.g. 'commodity=heroin&date_from=2026-01'."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", help="file to write (default: standard output; not for xlsx)")
        parser.add_argument("--format", choices=FORMATS, default=None, help="default: from --out")
        parser.add_argument("--user", help="export what this user may see")
        parser.add_argument("--filter", default="", help="the list's filter query string")

    def handle(self, *args: Any, **options: Any) -> None:
        from blonet.accounts.models import User

        out: str = options.get("out") or ""
        fmt = options.get("format") or ("xlsx" if out and out.endswith(".xlsx") else "csv")
        if fmt == "xlsx" and not out:
            raise CommandError("xlsx needs --out FILE")
        user = None
        if options.get("user"):
            user = User.objects.filter(username=options["user"], is_active=True).first()
            if user is None:
                raise CommandError(f"no active user {options['user']!r}")
        try:
            export = start_export(user=user, params=QueryDict(options["filter"]), fmt=fmt)
        except ExportProblem as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        if fmt == "xlsx":
            with export.xlsx() as src, Path(out).open("wb") as dst:
                shutil.copyfileobj(src, dst)
        elif out:
            with Path(out).open("w", encoding="utf-8", newline="") as fh:
                fh.writelines(export.csv_chunks())
        else:
            sys.stdout.writelines(export.csv_chunks())
        if out:
            self.stdout.write(self.style.SUCCESS(f"{export.rows} rows written to {out}"))
