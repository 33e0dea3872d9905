"""The screening section of a records entity's page: the watchlist entries made from it, the
hits found when its records were screened, and the one-click "put on a watchlist"."""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse

from blonet.records.views.common import is_operational
from blonet.screening import selectors
from blonet.screening.choices import ENTITY_KINDS
from blonet.screening.views.common import hit_view


def entity_section(user: Any, entity: Any) -> dict[str, Any] | None:
    kind = getattr(entity, "kind", "")
    if kind not in ENTITY_KINDS or not is_operational(user):
        return None
    try:
        add_url = reverse("screening:entry_from_entity", args=[kind, entity.pk])
    except NoReverseMatch:  # the screening pages are not mounted on this node
        return None
    entries = list(selectors.entity_entries(user=user, kind=kind, pk=entity.pk)[:20])
    hits = [hit_view(h) for h in selectors.entity_hits(user=user, kind=kind, pk=entity.pk)[:10]]
    return {
        "template": "screening/_entity_section.html",
        "entity": entity,
        "kind": kind,
        "entries": entries,
        "hits": hits,
        "can_add": not entity.is_deleted,
        "add_url": add_url,
    }


def record_section(user: Any, record: Any) -> dict[str, Any] | None:
    """The notice on a seizure's or incident's page: the hits of the check run when it was
    saved (records call the check on commit, see `apps.py`)."""
    if not is_operational(user):
        return None
    hits = list(
        selectors.record_hits(user=user, record=record).select_related("entry__watchlist")[:10]
    )
    if not hits:
        return None
    return {
        "template": "screening/_record_section.html",
        "hits": [hit_view(h) for h in hits],
        "open": sum(1 for h in hits if h.status == "open"),
    }
