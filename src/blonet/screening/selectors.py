"""Reads of screening, each for the user asking: lists, entries, runs, hits, statistics."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from blonet.core.errors import NotFound
from blonet.records.normalise import as_uuid
from blonet.screening.choices import HitStatus
from blonet.screening.models import Hit, ScreeningRun, Watchlist, WatchlistEntry
from blonet.screening.querysets import entry_visibility_q


def _get(qs: QuerySet[Any], pk: Any) -> Any:
    key = as_uuid(pk)
    obj = qs.filter(pk=key).first() if key is not None else None
    if obj is None:
        raise NotFound()
    return obj


def watchlist_list_visible_to(*, user: Any, kind: str = "") -> QuerySet[Watchlist]:
    qs = Watchlist.objects.visible_to(user).alive().select_related("owner_office")
    if kind:
        qs = qs.filter(kind=kind)
    return qs.annotate(
        entry_count=Count(
            "entries",
            filter=Q(entries__deleted_at__isnull=True),
            distinct=True,
        )
    ).order_by("kind", "name")


def watchlist_get_for(*, user: Any, pk: Any) -> Watchlist:
    watchlist: Watchlist = _get(
        Watchlist.objects.visible_to(user).select_related("owner_office", "counterpart_country"),
        pk,
    )
    return watchlist


def entry_list_for(*, user: Any, watchlist: Watchlist, q: str = "") -> QuerySet[WatchlistEntry]:
    qs = (
        WatchlistEntry.objects.visible_to(user)
        .filter(watchlist=watchlist)
        .alive()
        .select_related("source_office", "owner_office")
        .order_by("name", "plate", "container_number", "org_name", "phone", "doc_number")
    )
    q = (q or "").strip()[:100]
    if q:
        qs = qs.filter(
            Q(name__icontains=q)
            | Q(plate__icontains=q)
            | Q(container_number__icontains=q)
            | Q(org_name__icontains=q)
            | Q(phone__icontains=q)
            | Q(doc_number__icontains=q)
        )
    return qs


def entry_get_for(*, user: Any, pk: Any) -> WatchlistEntry:
    entry: WatchlistEntry = _get(
        WatchlistEntry.objects.visible_to(user).select_related(
            "watchlist", "owner_office", "source_office", "counterpart_country"
        ),
        pk,
    )
    return entry


def run_list_visible_to(*, user: Any, source: str = "") -> QuerySet[ScreeningRun]:
    qs = ScreeningRun.objects.visible_to(user).select_related("office", "user")
    if source:
        qs = qs.filter(source=source)
    return qs.order_by("-created_at")


def run_get_for(*, user: Any, pk: Any) -> ScreeningRun:
    run: ScreeningRun = _get(ScreeningRun.objects.visible_to(user).select_related("office"), pk)
    return run


def hits_visible_to(*, user: Any) -> QuerySet[Hit]:
    return Hit.objects.visible_to(user).select_related(
        "entry", "entry__watchlist", "entry__owner_office", "run", "run__office", "decided_by"
    )


def hit_get_for(*, user: Any, pk: Any) -> Hit:
    hit: Hit = _get(hits_visible_to(user=user), pk)
    return hit


def entity_hits(*, user: Any, kind: str, pk: Any) -> QuerySet[Hit]:
    """Hits found when a records entity was screened (auto-check of a record)."""
    return (
        hits_visible_to(user=user)
        .filter(query__entity_kind=kind, query__entity_id=str(pk))
        .order_by("-created_at")
    )


def record_hits(*, user: Any, record: Any) -> QuerySet[Hit]:
    """Hits of the auto-checks of a records Seizure or Incident (for a notice on its page)."""
    return (
        hits_visible_to(user=user)
        .filter(run__record_id=record.pk, run__record_type=record._meta.model_name)
        .order_by("-score")
    )


def entity_entries(*, user: Any, kind: str, pk: Any) -> QuerySet[WatchlistEntry]:
    """Watchlist entries made from a records entity."""
    return (
        WatchlistEntry.objects.visible_to(user)
        .alive()
        .filter(entity_kind=kind, entity_id=pk)
        .select_related("watchlist")
    )


def hit_statistics(*, user: Any) -> dict[str, list[dict[str, Any]]]:
    """Hits per watchlist and per post, counted over the hits `user` may see."""
    hits: Any = Hit.objects.visible_to(user)
    counts: dict[str, Any] = {
        "total": Count("id"),
        "open": Count("id", filter=Q(status=HitStatus.OPEN)),
        "confirmed": Count("id", filter=Q(status=HitStatus.CONFIRMED)),
        "dismissed": Count("id", filter=Q(status=HitStatus.DISMISSED)),
    }
    per_list: list[dict[str, Any]] = list(
        hits.values("entry__watchlist_id", "entry__watchlist__name", "entry__watchlist__kind")
        .annotate(**counts)
        .order_by("-total", "entry__watchlist__name")
    )
    per_post: list[dict[str, Any]] = list(
        hits.values("run__office_id", "run__office__name")
        .annotate(**counts)
        .order_by("-total", "run__office__name")
    )
    runs = (
        ScreeningRun.objects.visible_to(user)
        .values("office_id")
        .annotate(checks=Count("id"))
        .order_by()
    )
    checks = {r["office_id"]: r["checks"] for r in runs}
    for row in per_post:
        row["checks"] = checks.get(row["run__office_id"], 0)
    return {"per_list": per_list, "per_post": per_post}


__all__ = [
    "entity_entries",
    "entity_hits",
    "entry_get_for",
    "entry_list_for",
    "entry_visibility_q",
    "hit_get_for",
    "hit_statistics",
    "hits_visible_to",
    "record_hits",
    "run_get_for",
    "run_list_visible_to",
    "watchlist_get_for",
    "watchlist_list_visible_to",
]
