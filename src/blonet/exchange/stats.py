"""Response times per office and per border pair, over the receipts the viewer may see."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import timezone

from blonet.directory.models import Office
from blonet.exchange.choices import MessageKind
from blonet.exchange.models import Recipient

MAX_ROWS = 200_000  # receipts read per statistics page (a year of a busy node)


@dataclass
class Line:
    key: str
    label: str
    requests: int = 0
    answered: int = 0
    on_time: int = 0
    open_overdue: int = 0
    seconds: list[int] = field(default_factory=list)
    alerts: int = 0
    acknowledged: int = 0
    ack_seconds: list[int] = field(default_factory=list)

    @property
    def median(self) -> int | None:
        return int(statistics.median(self.seconds)) if self.seconds else None

    @property
    def mean(self) -> int | None:
        return int(statistics.fmean(self.seconds)) if self.seconds else None

    @property
    def on_time_percent(self) -> int | None:
        return round(100 * self.on_time / self.answered) if self.answered else None

    @property
    def ack_median(self) -> int | None:
        return int(statistics.median(self.ack_seconds)) if self.ack_seconds else None


def _add(line: Line, row: dict[str, Any], now: dt.datetime) -> None:
    if row["needs_answer"]:
        line.requests += 1
        if row["answered_at"] is not None:
            line.answered += 1
            line.seconds.append(row["response_seconds"] or 0)
            if row["due_at"] is None or row["answered_at"] <= row["due_at"]:
                line.on_time += 1
        elif row["due_at"] is not None and row["due_at"] < now:
            line.open_overdue += 1
    elif row["kind"] == MessageKind.ALERT:
        line.alerts += 1
        if row["ack_seconds"] is not None:
            line.acknowledged += 1
            line.ack_seconds.append(row["ack_seconds"])


def response_stats(
    *, user: Any, since: dt.datetime, now: dt.datetime | None = None
) -> dict[str, list[Line]]:
    """{"offices": [...], "borders": [...]}: requests and alerts received since `since`, their
    answers, response times (median, mean), answers on time, open overdue requests."""
    now = now or timezone.now()
    rows = (
        Recipient.objects.visible_to(user)
        .filter(Q(needs_answer=True) | Q(kind=MessageKind.ALERT), sent_at__gte=since)
        .values(
            "office_id", "office_country", "sender_country", "needs_answer", "kind",
            "answered_at", "due_at", "response_seconds", "ack_seconds",
        )
        .order_by()[:MAX_ROWS]
    )  # fmt: skip
    offices: dict[str, Line] = {}
    borders: dict[str, Line] = {}
    for row in rows:
        office = row["office_id"]
        if office not in offices:
            offices[office] = Line(office, office)
        _add(offices[office], row, now)
        a, b = row["sender_country"], row["office_country"]
        if a != b:
            key = "-".join(sorted((a, b)))
            if key not in borders:
                borders[key] = Line(key, key)
            _add(borders[key], row, now)
    names = {o.pk: o.local_name for o in Office.objects.filter(pk__in=list(offices))}
    for line in offices.values():
        line.label = names.get(line.key, line.key)
    return {
        "offices": sorted(offices.values(), key=lambda x: (-(x.requests + x.alerts), x.label)),
        "borders": sorted(borders.values(), key=lambda x: x.key),
    }
