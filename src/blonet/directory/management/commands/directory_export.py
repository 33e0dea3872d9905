from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from blonet.directory.services.loading import directory_export


class Command(BaseCommand):
    help = "Write the directory in the file format that directory_load reads (YAML, or JSON)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", help="file to write (default: standard output)")
        parser.add_argument("--json", action="store_true", help="write JSON instead of YAML")

    def handle(self, *args: Any, **options: Any) -> None:
        out = options.get("out")
        as_json = options["json"] or bool(out and out.endswith(".json"))
        text = directory_export(as_json=as_json)
        if out:
            Path(out).write_text(text, encoding="utf-8")
            self.stdout.write(self.style.SUCCESS(f"directory written to {out}"))
        else:
            sys.stdout.write(text)
