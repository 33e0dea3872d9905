"""Node keys, peers, the outbox, deliveries, the inbox and the quarantine (issue 6).

The private keys live in files (`BLONET_FEDERATION_KEY_DIR`), never in the database; the
database holds the public halves with their validity so that envelopes can be checked against
the key that was valid when they were made.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from blonet.federation.choices import DeliveryState, InboxState


class KeyFields(models.Model):
    key_id = models.CharField(_("key"), max_length=40, unique=True)
    sign_public = models.CharField(_("Ed25519 public key"), max_length=64)
    box_public = models.CharField(_("X25519 public key"), max_length=64)
    valid_from = models.DateTimeField(_("valid from"))
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.key_id

    def valid_at(self, moment: dt.datetime) -> bool:
        if moment < self.valid_from:
            return False
        if self.valid_until is not None and moment >= self.valid_until:
            return False
        return not (self.revoked_at is not None and moment >= self.revoked_at)


class NodeKey(KeyFields):
    """This node's own public keys, newest last (the secret halves are in the key file)."""

    class Meta:
        ordering = ["valid_from"]
        verbose_name = _("node key")


class Peer(models.Model):
    code = models.CharField(_("node"), max_length=3, primary_key=True)
    name = models.CharField(_("name"), max_length=120, blank=True)
    # What this relationship allows: "bilateral" (records shared bilaterally with this country)
    # and/or "regional" (records shared with the region).
    relationships = models.JSONField(_("relationships"), default=list)
    held = models.BooleanField(
        _("outgoing traffic held"),
        default=False,
        help_text=_("While held, nothing is handed over to this peer; it stays queued here."),
    )
    held_reason = models.CharField(_("reason for holding"), max_length=300, blank=True)
    held_at = models.DateTimeField(null=True, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("peer node")

    def __str__(self) -> str:
        return self.code

    def allows(self, relationship: str) -> bool:
        return relationship in (self.relationships or [])


class PeerKey(KeyFields):
    peer = models.ForeignKey(Peer, on_delete=models.CASCADE, related_name="keys")

    class Meta:
        ordering = ["peer", "valid_from"]
        verbose_name = _("peer key")


class OutboxEntry(models.Model):
    """One signed envelope: written in the same transaction as the record version it carries."""

    id = models.BigAutoField(primary_key=True)
    record_type = models.CharField(_("type"), max_length=40)
    record_uuid = models.CharField(_("record"), max_length=36)
    version = models.PositiveIntegerField(_("version"))
    distribution = models.CharField(_("distribution"), max_length=10)
    recipients = models.JSONField(_("recipients"), default=list)
    envelope = models.TextField()
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("outbox entry")
        constraints = [
            models.UniqueConstraint(
                fields=["record_type", "record_uuid", "version"], name="fed_outbox_version"
            )
        ]
        indexes = [models.Index(fields=["record_uuid", "version"], name="fed_outbox_record")]

    def __str__(self) -> str:
        return f"{self.record_type} {self.record_uuid} v{self.version}"


class Delivery(models.Model):
    """The fate of one outbox entry at one peer: queued → handed over → delivered → applied."""

    entry = models.ForeignKey(OutboxEntry, on_delete=models.CASCADE, related_name="deliveries")
    peer = models.ForeignKey(Peer, on_delete=models.PROTECT, related_name="deliveries")
    state = models.CharField(
        _("state"), max_length=12, choices=DeliveryState.choices, default=DeliveryState.QUEUED
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    handed_over_at = models.DateTimeField(_("handed over"), null=True, blank=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    stream_seq = models.PositiveBigIntegerField(null=True, blank=True)
    receipt_at = models.DateTimeField(_("receipt"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=40, blank=True)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["entry_id", "peer_id"]
        verbose_name = _("delivery")
        constraints = [
            models.UniqueConstraint(fields=["entry", "peer"], name="fed_delivery_unique")
        ]
        indexes = [
            models.Index(fields=["state", "peer", "entry"], name="fed_delivery_state"),
        ]

    def __str__(self) -> str:
        return f"{self.entry_id} → {self.peer_id}: {self.state}"


class InboxEntry(models.Model):
    """One received version, keyed on (origin node, record, version): duplicates do nothing."""

    origin_node = models.CharField(_("origin"), max_length=3)
    record_uuid = models.CharField(_("record"), max_length=36)
    version = models.PositiveIntegerField(_("version"))
    record_type = models.CharField(_("type"), max_length=40)
    envelope = models.TextField()
    body = models.JSONField(default=dict)
    state = models.CharField(_("state"), max_length=8, choices=InboxState.choices)
    reason = models.CharField(_("reason"), max_length=40, blank=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)

    class Meta:
        ordering = ["origin_node", "record_uuid", "version"]
        verbose_name = _("inbox entry")
        constraints = [
            models.UniqueConstraint(
                fields=["origin_node", "record_uuid", "version"], name="fed_inbox_key"
            )
        ]
        indexes = [models.Index(fields=["state", "received_at"], name="fed_inbox_state")]

    def __str__(self) -> str:
        return f"{self.origin_node} {self.record_type} {self.record_uuid} v{self.version}"


class RecordCursor(models.Model):
    """The last version applied here of a record received from another node."""

    origin_node = models.CharField(max_length=3)
    record_uuid = models.CharField(max_length=36)
    record_type = models.CharField(max_length=40)
    applied_version = models.PositiveIntegerField(default=0)
    asked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["origin_node", "record_uuid"], name="fed_cursor_key")
        ]

    def __str__(self) -> str:
        return f"{self.origin_node} {self.record_uuid} v{self.applied_version}"


class Quarantine(models.Model):
    """Refused input kept for inspection; it never touches existing data."""

    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    claimed_origin = models.CharField(_("claimed origin"), max_length=8, blank=True)
    record_type = models.CharField(_("type"), max_length=40, blank=True)
    record_uuid = models.CharField(_("record"), max_length=36, blank=True)
    version = models.PositiveIntegerField(null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=40)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    data = models.TextField(_("first 64 kB"), blank=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("quarantined envelope")
        indexes = [models.Index(fields=["-received_at"], name="fed_quarantine_at")]

    def __str__(self) -> str:
        return f"{self.reason} {self.received_at:%Y-%m-%d %H:%M}"
