"""The access rule for screening: entries as shared records (and only within a visible list),
runs and hits by the offices of the officer who screened, and always with a visible entry."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils import timezone

from blonet.core.access import AccessContext, VisibleQuerySet, shared_visibility_q
from blonet.records.querysets import RecordQuerySet, operational

if TYPE_CHECKING:
    from blonet.screening.models import Hit, ScreeningRun  # noqa: F401

# Roles that see the checks of every post of their country (supervision, statistics).
SUPERVISING_ROLES = frozenset({"analyst", "coordinator", "node_admin"})


def entry_visibility_q(access: AccessContext, prefix: str = "") -> Q:
    """An entry is seen when both it and its watchlist are shared with the user."""
    if not operational(access):
        return Q(pk__in=[])
    return shared_visibility_q(access, prefix) & shared_visibility_q(access, f"{prefix}watchlist__")


def run_visibility_q(access: AccessContext, prefix: str = "") -> Q:
    if not operational(access):
        return Q(pk__in=[])
    q = Q(**{f"{prefix}office__in": access.office_ids})
    if access.roles & SUPERVISING_ROLES:
        q |= Q(**{f"{prefix}office__country__in": access.country_codes})
    return q


class EntryQuerySet(RecordQuerySet):
    def visibility_q(self, access: AccessContext) -> Q:
        return entry_visibility_q(access)

    def active(self, on: dt.date | None = None) -> EntryQuerySet:
        """Alive entries (on a list that is alive) within their validity period on `on`."""
        day = on or timezone.localdate()
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_until__isnull=True) | Q(valid_until__gte=day),
            deleted_at__isnull=True,
            watchlist__deleted_at__isnull=True,
        )


class RunQuerySet(VisibleQuerySet["ScreeningRun"]):
    def visibility_q(self, access: AccessContext) -> Q:
        return run_visibility_q(access)


class HitQuerySet(VisibleQuerySet["Hit"]):
    """A hit is seen with its run, and only when its watchlist entry is seen too: an officer
    never learns of an entry they may not see."""

    def visibility_q(self, access: AccessContext) -> Q:
        return run_visibility_q(access, "run__") & entry_visibility_q(access, "entry__")
