from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from blonet.directory.services.fileformat import DirectoryFileError
from blonet.directory.services.loading import directory_load_file


class Command(BaseCommand):
    help = (
        "Load the directory (countries, agencies, sites, offices, counterpart pairs) from a YAML "
        "or JSON file. Idempotent; an invalid file is rejected whole with line-level errors."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path",
            nargs="?",
            default=settings.BLONET_DIRECTORY_FILE,
            help="directory file (default: the one shipped with blonet)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        try:
            report = directory_load_file(actor=None, path=path)
        except DirectoryFileError as exc:
            for problem in exc.problems:
                self.stderr.write(f"{path.name}: {problem}")
            raise CommandError(
                f"{path.name}: {len(exc.problems)} problem(s); nothing was loaded"
            ) from exc
        self.stdout.write(report.summary())
        self.stdout.write(self.style.SUCCESS(f"directory loaded from {path.name}"))
