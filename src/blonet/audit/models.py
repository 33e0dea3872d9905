from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One append-only, hash-chained audit row. Never updated or deleted by the application."""

    seq = models.BigIntegerField(primary_key=True, verbose_name=_("sequence"))
    at = models.DateTimeField(verbose_name=_("at"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        verbose_name=_("actor"),
    )
    actor_label = models.CharField(max_length=150, blank=True, verbose_name=_("actor name"))
    action = models.CharField(max_length=80, db_index=True, verbose_name=_("action"))
    target_type = models.CharField(max_length=80, blank=True, verbose_name=_("target type"))
    target_id = models.CharField(max_length=80, blank=True, verbose_name=_("target"))
    data = models.JSONField(default=dict, blank=True, verbose_name=_("data"))
    prev_hash = models.CharField(max_length=64, verbose_name=_("previous hash"))
    hash = models.CharField(max_length=64, unique=True, verbose_name=_("hash"))

    class Meta:
        ordering = ["seq"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"

    def chain_content(self) -> dict[str, Any]:
        """The fields the hash covers."""
        return {
            "seq": self.seq,
            "at": self.at.isoformat(),
            "actor": self.actor_id,
            "actor_label": self.actor_label,
            "action": self.action,
            "target_type": self.target_type,
            "target_id": self.target_id,
            "data": self.data,
        }
