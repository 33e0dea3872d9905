"""The access rule for records: the one shared rule, plus the roles that may see records."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from blonet.core.access import AccessContext, VisibleQuerySet, shared_visibility_q

# Roles that work with operational records (and so with personal data). Programme roles see
# aggregated statistics elsewhere, never the register itself.
OPERATIONAL_ROLES = frozenset({"officer", "analyst", "coordinator", "node_admin"})


def operational(access: AccessContext) -> bool:
    return bool(access.roles & OPERATIONAL_ROLES)


class RecordQuerySet(VisibleQuerySet[Any]):
    def visibility_q(self, access: AccessContext) -> Q:
        if not operational(access):
            return Q(pk__in=[])
        return shared_visibility_q(access)

    def alive(self) -> RecordQuerySet:
        """Without tombstones (deleted records stay in the table, with their reason)."""
        return self.filter(deleted_at__isnull=True)


class ChildQuerySet(VisibleQuerySet[Any]):
    """Rows that belong to a record (items, links, attachments): visible with their parent."""

    parent_prefixes: tuple[str, ...] = ("seizure__",)

    def visibility_q(self, access: AccessContext) -> Q:
        if not operational(access):
            return Q(pk__in=[])
        q = Q(pk__in=[])
        for prefix in self.parent_prefixes:
            q |= shared_visibility_q(access, prefix)
        return q
