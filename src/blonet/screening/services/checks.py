"""Checks and the hits workflow: screen a subject, confirm or dismiss a hit, screen a record."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from blonet.audit.services import audit_event_record
from blonet.core.access import access_of
from blonet.core.errors import PermissionDenied, ValidationError
from blonet.directory.models import Office
from blonet.screening.choices import HitStatus, RunSource, RunStatus, WatchlistKind
from blonet.screening.engine import live_index
from blonet.screening.models import DismissedPair, Hit, ScreeningRun, WatchlistEntry
from blonet.screening.queries import Query, build_query
from blonet.screening.querysets import SUPERVISING_ROLES
from blonet.screening.services.common import screener_office


@dataclass
class Suppressed:
    """A match not alerted: the officer's post dismissed this traveller for this entry."""

    entry: WatchlistEntry
    dismissal: DismissedPair
    score: float


@dataclass
class CheckResult:
    run: ScreeningRun
    query: Query | None
    hits: list[Hit] = field(default_factory=list)
    suppressed: list[Suppressed] = field(default_factory=list)


@dataclass
class Item:
    """One query of a run, with where it came from (manifest row, record entity)."""

    query: Query
    row: int | None = None
    extra: dict[str, str] = field(default_factory=dict)
    hits: list[Hit] = field(default_factory=list)
    suppressed: list[Suppressed] = field(default_factory=list)


def screen_items(actor: Any, run: ScreeningRun, items: list[Item]) -> list[Hit]:
    """Search every item, keep what `actor` may see and has not dismissed, save the hits.

    Two queries for the whole list of items (visible entries, remembered dismissals), whatever
    its length: batches call this once per chunk.
    """
    index = live_index()
    found = [(item, index.search(item.query)) for item in items]
    ids = {cand.entry_id for _item, cands in found for _kind, cand in cands}
    if not ids:
        return []
    visible = {
        str(e.pk): e
        for e in WatchlistEntry.objects.visible_to(actor)
        .active()
        .filter(pk__in=ids)
        .select_related("watchlist", "owner_office")
    }
    fingerprints = {item.query.fingerprint for item, _c in found if item.query.fingerprint}
    dismissed = {
        (str(d.entry_id), d.fingerprint): d
        for d in DismissedPair.objects.filter(
            entry_id__in=list(visible), fingerprint__in=fingerprints
        ).select_related("dismissed_by")
    }
    hits: list[Hit] = []
    for item, cands in found:
        for _kind, cand in cands:
            entry = visible.get(cand.entry_id)
            if entry is None:
                continue
            pair = dismissed.get((cand.entry_id, item.query.fingerprint))
            if pair is not None:
                item.suppressed.append(Suppressed(entry, pair, cand.score))
                continue
            hit = Hit(
                run=run,
                entry=entry,
                row=item.row,
                query={**item.query.as_data(), "kind": item.query.kind, **item.extra},
                query_label=item.query.label or "—",
                fingerprint=item.query.fingerprint,
                score=round(cand.score, 4),
                explanation=cand.explanation,
            )
            item.hits.append(hit)
            hits.append(hit)
    Hit.objects.bulk_create(hits, batch_size=500)
    return hits


def _audit_check(actor: Any, run: ScreeningRun, **extra: Any) -> None:
    audit_event_record(
        actor=actor,
        action="screening.check",
        target=run,
        data={
            "run": str(run.pk), "source": run.source, "kind": run.kind,
            "office": run.office_id, "hits": run.hits_count,
            "suppressed": run.suppressed_count, **extra,
        },
    )  # fmt: skip


def screen_subject(
    *,
    actor: Any,
    kind: str,
    data: dict[str, Any],
    office: Office | str | None = None,
    source: str = RunSource.SINGLE,
) -> CheckResult:
    """A single check: validate the input, screen it, save the run and its hits, audit it."""
    post = screener_office(actor, office)
    query = build_query(kind, data)
    now = timezone.now()
    with transaction.atomic():
        run = ScreeningRun.objects.create(
            user=actor, office=post, source=source, kind=kind, status=RunStatus.DONE,
            query=query.as_data(), issues=[str(w) for w in query.warnings], rows_total=1,
            rows_done=1, rows_screened=1, started_at=now, finished_at=now,
        )  # fmt: skip
        item = Item(query)
        screen_items(actor, run, [item])
        run.hits_count = len(item.hits)
        run.suppressed_count = len(item.suppressed)
        run.save(update_fields=["hits_count", "suppressed_count"])
        _audit_check(actor, run)
    return CheckResult(run, query, item.hits, item.suppressed)


def may_decide(actor: Any, hit: Hit) -> bool:
    """Officers of the post that screened, or a supervisor of its country, decide a hit."""
    access = access_of(actor)
    office = hit.run.office
    if office is None:
        return False
    if office.pk in access.office_ids:
        return True
    return bool(access.roles & SUPERVISING_ROLES) and office.country_id in access.country_codes


def _decide(actor: Any, hit: Hit, status: str, reason: str) -> None:
    if not may_decide(actor, hit):
        raise PermissionDenied(_("Only the post that screened decides on this hit."))
    if hit.status != HitStatus.OPEN:
        raise ValidationError(_("This hit was already decided (%s).") % hit.get_status_display())
    hit.status = status
    hit.reason = reason
    hit.decided_by = actor
    hit.decided_at = timezone.now()
    hit.save(update_fields=["status", "reason", "decided_by", "decided_at"])


def hit_confirm(*, actor: Any, hit: Hit, reason: str = "") -> Hit:
    reason = (reason or "").strip()
    with transaction.atomic():
        _decide(actor, hit, HitStatus.CONFIRMED, reason)
        audit_event_record(
            actor=actor,
            action="screening.hit.confirmed",
            target=hit,
            data={"run": str(hit.run_id), "entry": str(hit.entry_id)},
        )
    return hit


def hit_dismiss(*, actor: Any, hit: Hit, reason: str) -> tuple[Hit, bool]:
    """Dismiss a hit as a namesake; the pair (entry, traveller) is remembered when the traveller
    can be recognised again (a date of birth or a document number). Returns (hit, remembered)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(fields={"reason": [_("Say why this is not the listed subject.")]})
    with transaction.atomic():
        _decide(actor, hit, HitStatus.DISMISSED, reason)
        remembered = False
        if hit.fingerprint:
            DismissedPair.objects.get_or_create(
                entry=hit.entry,
                fingerprint=hit.fingerprint,
                defaults={
                    "hit": hit,
                    "office": hit.run.office,
                    "dismissed_by": actor,
                    "reason": reason,
                },
            )
            remembered = True
        audit_event_record(
            actor=actor,
            action="screening.hit.dismissed",
            target=hit,
            data={"run": str(hit.run_id), "entry": str(hit.entry_id), "remembered": remembered},
        )
    return hit, remembered


# --- records: screen the entities of a seizure or an incident ---------------------------------

_RECORD_KINDS = {
    "person": WatchlistKind.PERSON, "vehicle": WatchlistKind.VEHICLE,
    "container": WatchlistKind.CONTAINER, "organisation": WatchlistKind.ORGANISATION,
    "phone": WatchlistKind.PHONE, "document": WatchlistKind.DOCUMENT,
}  # fmt: skip


def entity_query_data(entity: Any) -> dict[str, str]:
    kind = entity.kind
    if kind == "person":
        return {"name": entity.full_name, "dob": entity.dob, "nationality": entity.nationality}
    if kind == "vehicle":
        return {"plate": entity.plate, "vin": entity.vin}
    if kind == "container":
        return {"container": entity.number_normalised or entity.number}
    if kind == "organisation":
        return {"organisation": entity.name}
    if kind == "phone":
        return {"phone": entity.number}
    return {"doc_number": entity.number}


def screen_record_entities(*, actor: Any, record: Any) -> list[Hit]:
    """Screen every person, vehicle, container (and organisation, phone, document) involved in a
    records Seizure or Incident; one run, audited; returns the open hits. Without an actor
    (node commands) nothing is screened: there is no one to alert."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return []
    access = access_of(actor)
    office = record.owner_office_id if record.owner_office_id in access.office_ids else None
    post = screener_office(actor, office)
    links = record.involvements.select_related(*_RECORD_KINDS)
    items: list[Item] = []
    skipped: list[dict[str, Any]] = []
    seen: set[tuple[str, Any]] = set()
    for link in links:
        kind = link.entity_kind
        if kind not in _RECORD_KINDS or (kind, getattr(link, f"{kind}_id")) in seen:
            continue
        entity = link.entity
        seen.add((kind, entity.pk))
        try:
            query = build_query(_RECORD_KINDS[kind], entity_query_data(entity))
        except ValidationError as exc:
            for column, messages in exc.fields.items():
                skipped.append({"row": len(seen), "column": f"{kind}.{column}", "value": "",
                                "reason": "; ".join(messages), "severity": "error"})  # fmt: skip
            continue
        items.append(Item(query, row=len(seen), extra={"entity_kind": kind,
                                                        "entity_id": str(entity.pk)}))  # fmt: skip
    now = timezone.now()
    with transaction.atomic():
        run = ScreeningRun.objects.create(
            user=actor, office=post, source=RunSource.RECORD, status=RunStatus.DONE,
            record_type=record._meta.model_name, record_id=record.pk, rows_total=len(seen),
            rows_done=len(seen), rows_screened=len(items), rows_skipped=len(skipped),
            skipped=skipped, started_at=now, finished_at=now,
        )  # fmt: skip
        hits = screen_items(actor, run, items) if items else []
        run.hits_count = len(hits)
        run.suppressed_count = sum(len(i.suppressed) for i in items)
        run.save(update_fields=["hits_count", "suppressed_count"])
        _audit_check(actor, run, record=str(record.pk), record_type=run.record_type)
    return hits
