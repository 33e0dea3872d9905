from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from blonet.audit.selectors import audit_chain_verify


class Command(BaseCommand):
    help = "Check the audit hash chain; name the first edited, deleted or reordered row."

    def handle(self, *args: Any, **options: Any) -> None:
        count, broken = audit_chain_verify()
        if broken is not None:
            raise CommandError(f"audit chain BROKEN at {broken} ({count} rows read)")
        self.stdout.write(self.style.SUCCESS(f"audit chain intact: {count} rows"))
