"""The one access rule (`.visible_to(user)`), written against plain values.

`core` imports nothing above it: the user model (in `accounts`) builds an `AccessContext` from the
user's postings, and shared models (in higher contexts) carry the owner fields named below.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Self, TypeVar

from django.db import models
from django.db.models import Q

from blonet.core.choices import REGIONAL_COUNTRIES, Distribution

if TYPE_CHECKING:
    from collections.abc import Iterable


@dataclass(frozen=True)
class AccessContext:
    """What the requesting user is entitled to, derived from their active postings."""

    authenticated: bool = False
    office_ids: frozenset[str] = field(default_factory=frozenset)
    agency_ids: frozenset[str] = field(default_factory=frozenset)
    country_codes: frozenset[str] = field(default_factory=frozenset)
    clearance: int = 0
    regional_member: bool = False
    roles: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def anonymous(cls) -> AccessContext:
        return cls()

    @classmethod
    def build(
        cls,
        *,
        offices: Iterable[tuple[str, str, str, str]],
        clearance: int,
    ) -> AccessContext:
        """From (office_id, agency_id, country_code, role) tuples of the active postings."""
        rows = list(offices)
        countries = frozenset(r[2] for r in rows)
        return cls(
            authenticated=True,
            office_ids=frozenset(r[0] for r in rows),
            agency_ids=frozenset(r[1] for r in rows),
            country_codes=countries,
            clearance=clearance,
            regional_member=bool(countries & set(REGIONAL_COUNTRIES)),
            roles=frozenset(r[3] for r in rows),
        )


def access_of(user: Any) -> AccessContext:
    """The access context of any user object (anonymous users get the empty context)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return AccessContext.anonymous()
    context: AccessContext = user.access_context()
    return context


def shared_visibility_q(access: AccessContext, prefix: str = "") -> Q:
    """The rule for objects with owner_office/owner_agency/owner_country, distribution,
    counterpart_country and classification fields (optionally behind a relation `prefix`)."""
    if not access.authenticated:
        return Q(pk__in=[])
    p = prefix
    by_level = (
        Q(**{f"{p}distribution": Distribution.OFFICE, f"{p}owner_office__in": access.office_ids})
        | Q(**{f"{p}distribution": Distribution.AGENCY, f"{p}owner_agency__in": access.agency_ids})
        | Q(
            **{
                f"{p}distribution": Distribution.NATIONAL,
                f"{p}owner_country__in": access.country_codes,
            }
        )
        | Q(
            Q(**{f"{p}owner_country__in": access.country_codes})
            | Q(**{f"{p}counterpart_country__in": access.country_codes}),
            **{f"{p}distribution": Distribution.BILATERAL},
        )
        | Q(**{f"{p}distribution": Distribution.ALL})
    )
    if access.regional_member:
        by_level |= Q(**{f"{p}distribution": Distribution.REGIONAL})
    return by_level & Q(**{f"{p}classification__lte": access.clearance})


_M = TypeVar("_M", bound=models.Model)


class VisibleQuerySet(models.QuerySet[_M]):
    """Base queryset: subclasses define `visibility_q`; every read goes through `visible_to`."""

    def visibility_q(self, access: AccessContext) -> Q:
        return shared_visibility_q(access)

    def visible_to(self, user: Any) -> Self:
        return self.filter(self.visibility_q(access_of(user)))


class ReferenceQuerySet(VisibleQuerySet[_M]):
    """Reference data of the network (the directory): every signed-in user sees it."""

    def visibility_q(self, access: AccessContext) -> Q:
        return Q() if access.authenticated else Q(pk__in=[])


class NationalQuerySet(VisibleQuerySet[_M]):
    """Rows visible only inside the owning country (e.g. an office's staff list).

    Subclasses name the path to the owning country code in `country_field`.
    """

    country_field = "country"

    def visibility_q(self, access: AccessContext) -> Q:
        if not access.authenticated:
            return Q(pk__in=[])
        return Q(**{f"{self.country_field}__in": access.country_codes})
