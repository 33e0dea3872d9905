"""Checks (runs), their hits, and the namesakes officers have dismissed."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from blonet.screening.choices import HitStatus, RunSource, RunStatus, WatchlistKind
from blonet.screening.models.lists import WatchlistEntry
from blonet.screening.querysets import HitQuerySet, RunQuerySet


def _manifest_path(instance: ScreeningRun, filename: str) -> str:
    return f"screening/manifests/{instance.pk}"


class ScreeningRun(models.Model):
    """One check: a single query, a batch manifest, or the entities of a record."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("screened by"),
    )
    office = models.ForeignKey(
        "directory.Office",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("post"),
    )
    source = models.CharField(_("source"), max_length=10, choices=RunSource.choices)
    kind = models.CharField(_("kind"), max_length=16, choices=WatchlistKind.choices, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.DONE
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # A single check: the query as given (the run is what an auditor opens).
    query = models.JSONField(default=dict, blank=True)
    issues = models.JSONField(default=list, blank=True)
    # A batch: the manifest kept until the run is processed, and what happened to its rows.
    filename = models.CharField(_("file"), max_length=200, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    manifest = models.FileField(upload_to=_manifest_path, blank=True)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    rows_screened = models.PositiveIntegerField(_("rows screened"), default=0)
    rows_skipped = models.PositiveIntegerField(_("rows skipped"), default=0)
    skipped = models.JSONField(default=list, blank=True)  # [{row, column, value, reason}]
    hits_count = models.PositiveIntegerField(_("hits"), default=0)
    suppressed_count = models.PositiveIntegerField(_("known namesakes"), default=0)
    error = models.TextField(blank=True)
    # An auto-check: the record whose entities were screened.
    record_type = models.CharField(max_length=16, blank=True)
    record_id = models.UUIDField(null=True, blank=True)

    objects = RunQuerySet.as_manager()

    class Meta:
        verbose_name = _("screening run")
        verbose_name_plural = _("screening runs")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["office", "-created_at"], name="run_office_created")]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.created_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("screening:run_detail", args=[self.pk])

    @property
    def percent(self) -> int:
        if not self.rows_total:
            return 100 if self.status == RunStatus.DONE else 0
        return min(100, round(100 * self.rows_done / self.rows_total))

    @property
    def in_progress(self) -> bool:
        return self.status in (RunStatus.PENDING, RunStatus.RUNNING)


class Hit(models.Model):
    """A watchlist entry found for a query, waiting for an officer's decision."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    run = models.ForeignKey(
        ScreeningRun, on_delete=models.CASCADE, related_name="hits", verbose_name=_("run")
    )
    entry = models.ForeignKey(
        WatchlistEntry, on_delete=models.PROTECT, related_name="hits", verbose_name=_("entry")
    )
    row = models.PositiveIntegerField(_("row"), null=True, blank=True)
    query = models.JSONField(_("query"), default=dict)
    query_label = models.CharField(_("query"), max_length=300)
    # Who was screened, as a stable hash: the same traveller gives the same fingerprint.
    fingerprint = models.CharField(max_length=64, blank=True)
    score = models.FloatField(_("score"))
    explanation = models.JSONField(_("explanation"), default=list)
    status = models.CharField(
        _("status"), max_length=10, choices=HitStatus.choices, default=HitStatus.OPEN
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = HitQuerySet.as_manager()

    class Meta:
        verbose_name = _("hit")
        verbose_name_plural = _("hits")
        ordering = ["row", "-score", "pk"]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="hit_status_created"),
            models.Index(fields=["run", "row"], name="hit_run_row"),
        ]

    def __str__(self) -> str:
        return f"{self.query_label} ≈ {self.entry_id} ({self.score:.2f})"

    @property
    def percent(self) -> int:
        return round(100 * self.score)


class DismissedPair(models.Model):
    """A namesake remembered: this traveller is not this entry; do not alert again."""

    entry = models.ForeignKey(WatchlistEntry, on_delete=models.CASCADE, related_name="dismissals")
    fingerprint = models.CharField(max_length=64)
    hit = models.ForeignKey(Hit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    office = models.ForeignKey(
        "directory.Office", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    dismissed_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField()

    class Meta:
        verbose_name = _("dismissed namesake")
        verbose_name_plural = _("dismissed namesakes")
        constraints = [
            models.UniqueConstraint(fields=["entry", "fingerprint"], name="dismissed_pair_unique")
        ]

    def __str__(self) -> str:
        return f"{self.entry_id} ≠ {self.fingerprint[:12]}"
