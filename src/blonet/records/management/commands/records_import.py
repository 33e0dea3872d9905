from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from blonet.records.io import readers
from blonet.records.io.imports import METHODS, import_seizures


class Command(BaseCommand):
    help = (
        "Import seizures from a CSV or XLSX file in the import template "
        "(docs/records/import-template.md). Bad rows are reported with row, column and reason; "
        "the good seizures are kept; importing the same file again adds nothing. Exit status 1 "
        "when the file cannot be read at all."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="CSV or XLSX file")
        parser.add_argument("--office", required=True, help="owner office id, e.g. kz-kordai-blo")
        parser.add_argument(
            "--dry-run", action="store_true", help="check and report, write nothing"
        )
        parser.add_argument(
            "--user", help="record as this user (must be posted to the office); default: the node"
        )
        parser.add_argument(
            "--method",
            choices=METHODS,
            default="bulk",
            help="bulk (default) or service: one seizure_record call per seizure (slower)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from blonet.accounts.models import User

        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        if path.stat().st_size > readers.MAX_BYTES:
            raise CommandError(f"{path.name}: larger than {readers.MAX_BYTES // 2**20} MB")
        actor = None
        if options.get("user"):
            actor = User.objects.filter(username=options["user"], is_active=True).first()
            if actor is None:
                raise CommandError(f"no active user {options['user']!r}")
        report = import_seizures(
            actor=actor,
            office=options["office"],
            content=path.read_bytes(),
            filename=path.name,
            dry_run=options["dry_run"],
            method=options["method"],
        )
        for line in report.lines():
            self.stdout.write(line)
        if report.errors:
            raise CommandError(f"{path.name}: not imported")
