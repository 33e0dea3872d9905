from __future__ import annotations

import zoneinfo
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from blonet.accounts.choices import ROLES_WITHOUT_MFA, Role
from blonet.core.access import AccessContext, NationalQuerySet
from blonet.core.choices import COUNTRY_TIME_ZONES, Classification

_REGION_ZONES = tuple(zoneinfo.ZoneInfo(z) for z in COUNTRY_TIME_ZONES.values())


class User(AbstractUser):
    """A person who signs in. What they may see comes from their active postings."""

    display_name = models.CharField(_("display name"), max_length=150, blank=True)
    clearance = models.PositiveSmallIntegerField(
        _("clearance"), choices=Classification.choices, default=Classification.RESTRICTED
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.get_username()

    def active_postings(self) -> models.QuerySet[Posting]:
        # A posting counts from its first day wherever in the region that day has begun:
        # around midnight the dates differ (Bishkek is an hour ahead of Tashkent).
        now = timezone.now()
        today = max(
            timezone.localdate(now, zone)
            for zone in (timezone.get_current_timezone(), *_REGION_ZONES)
        )
        return (
            self.postings.filter(Q(ends__isnull=True) | Q(ends__gte=today), starts__lte=today)
            .select_related("office", "office__agency", "office__site")
            .order_by("starts", "pk")
        )

    def access_context(self) -> AccessContext:
        """Cached per request object: the postings do not change within one request."""
        cached: AccessContext | None = getattr(self, "_access_context", None)
        if cached is None:
            rows = self.active_postings().values_list(
                "office_id", "office__agency_id", "office__country_id", "role"
            )
            cached = AccessContext.build(offices=rows, clearance=self.clearance)
            self._access_context = cached
        return cached

    @property
    def roles(self) -> frozenset[str]:
        return self.access_context().roles

    def needs_mfa(self) -> bool:
        """Every role needs MFA except a user whose only roles are read-only programme viewing."""
        roles = self.roles
        if self.is_superuser:
            return True
        return not roles or not roles <= ROLES_WITHOUT_MFA

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))


class PostingQuerySet(NationalQuerySet["Posting"]):
    """Staff lists are national: another country's office does not show its people."""

    country_field = "office__country"


class Posting(models.Model):
    """A user working in an office with a role, for a period. Officers rotate; offices stay."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="postings", verbose_name=_("user")
    )
    office = models.ForeignKey(
        "directory.Office",
        on_delete=models.PROTECT,
        related_name="postings",
        verbose_name=_("office"),
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    starts = models.DateField(_("starts"), default=timezone.localdate)
    ends = models.DateField(_("ends"), null=True, blank=True)

    objects = PostingQuerySet.as_manager()

    class Meta:
        verbose_name = _("posting")
        verbose_name_plural = _("postings")
        ordering = ["office_id", "user__username"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends__isnull=True) | Q(ends__gte=models.F("starts")),
                name="posting_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.office_id}"

    def as_audit_data(self) -> dict[str, Any]:
        return {
            "user": self.user_id,
            "office": self.office_id,
            "role": self.role,
            "starts": self.starts.isoformat(),
            "ends": self.ends.isoformat() if self.ends else None,
        }
