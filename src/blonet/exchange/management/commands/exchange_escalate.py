"""Flag overdue requests and escalate them to the situation centre (run it periodically)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from blonet.exchange import conf
from blonet.exchange.services import overdue_scan


class Command(BaseCommand):
    help = (
        "Flag unanswered requests past their due time to the recipient office, and escalate "
        "those overdue for longer than BLONET_EXCHANGE_ESCALATE_AFTER_HOURS to the situation "
        "centre of the recipient's country. Idempotent; run it every few minutes."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        total_flagged = total_escalated = 0
        while True:  # the scan works in batches of 500
            flagged, escalated = overdue_scan()
            total_flagged += flagged
            total_escalated += escalated
            if flagged < 500 and escalated < 500:
                break
        hours = conf.escalate_after().total_seconds() / 3600
        self.stdout.write(
            f"{total_flagged} request(s) flagged overdue, {total_escalated} escalated "
            f"(after {hours:g} h)"
        )
