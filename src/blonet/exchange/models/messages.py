"""Messages, their per-recipient receipts, attachments and onward-forwarding permissions."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from blonet.core.choices import Priority
from blonet.exchange.choices import MessageKind, PermissionStatus
from blonet.exchange.models.threads import Thread
from blonet.exchange.querysets import MessageChildQuerySet, MessageQuerySet, RecipientQuerySet
from blonet.records.models.base import SharedRecord

OPEN_REQUEST = Q(needs_answer=True, answered_at__isnull=True)


class Message(SharedRecord):
    """One message: owner office = the sender office; sent once, never edited.

    Corrections are new messages in the thread. Sharing fields (distribution, handling codes,
    evaluation, classification) come from `SharedRecord`.
    """

    thread = models.ForeignKey(
        Thread, on_delete=models.PROTECT, related_name="messages", verbose_name=_("thread")
    )
    kind = models.CharField(_("kind"), max_length=24, choices=MessageKind.choices)
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.ROUTINE
    )
    body = models.TextField(_("text"), blank=True, help_text=_("Free text, kept as written."))
    template = models.CharField(_("template"), max_length=32, blank=True)
    structured = models.JSONField(_("structured fields"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=8)
    in_reply_to = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("in reply to"),
        db_index=False,
    )
    forwarded_from = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="forwards",
        verbose_name=_("forwarded from"),
        db_index=False,
    )
    # Whose permission onward sharing needs: the sender, or for a forward the first sender.
    originator_office = models.ForeignKey(
        "directory.Office",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("originator"),
        db_index=False,
    )
    seizure = models.ForeignKey(
        "records.Seizure",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("seizure"),
        db_index=False,
    )
    due_at = models.DateTimeField(_("answer due"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"))
    recipient_count = models.PositiveSmallIntegerField(default=0, editable=False)

    objects = MessageQuerySet.as_manager()  # type: ignore[assignment,misc]

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["sent_at", "pk"]
        indexes = [
            models.Index(fields=["thread", "sent_at"], name="xch_msg_thread_sent"),
            models.Index(fields=["owner_office", "-sent_at"], name="xch_msg_sender_sent"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}"

    @property
    def needs_answer(self) -> bool:
        from blonet.exchange.choices import ANSWERABLE_KINDS

        return self.kind in ANSWERABLE_KINDS and self.forwarded_from_id is None


def _no_index_user() -> models.ForeignKey:  # type: ignore[type-arg]
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )


class Recipient(models.Model):
    """One recipient office of one message, with its receipts.

    The message's kind, classification, due time, sender and countries are copied here (a
    message never changes once sent) so that every inbox query reads this table alone.
    """

    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, related_name="recipients", db_index=False
    )
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="+", db_index=False)
    office = models.ForeignKey(
        "directory.Office",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("office"),
        db_index=False,
    )
    office_country = models.CharField(max_length=2)
    sender_office = models.ForeignKey(
        "directory.Office", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    sender_country = models.CharField(max_length=2)
    kind = models.CharField(max_length=24, choices=MessageKind.choices)
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.ROUTINE)
    classification = models.PositiveSmallIntegerField()
    needs_answer = models.BooleanField(default=False)
    due_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField()
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    read_by = _no_index_user()
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = _no_index_user()
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = _no_index_user()
    answer = models.ForeignKey(
        Message, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    response_seconds = models.PositiveIntegerField(_("response time (s)"), null=True, blank=True)
    ack_seconds = models.PositiveIntegerField(null=True, blank=True)
    overdue_at = models.DateTimeField(_("flagged overdue"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    escalated_to = models.ForeignKey(
        "directory.Office",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("escalated to"),
        db_index=False,
    )
    changed_at = models.DateTimeField()

    objects = RecipientQuerySet.as_manager()

    class Meta:
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        ordering = ["message_id", "office_id"]
        constraints = [
            models.UniqueConstraint(fields=["message", "office"], name="xch_rcpt_unique")
        ]
        # Classification is the last key column of each index so that the inbox counts and
        # the latest-change lookups (which filter on it) are answered from the index alone.
        indexes = [
            models.Index(
                fields=["office", "-sent_at", "classification"], name="xch_rcpt_office_sent"
            ),
            models.Index(
                fields=["office", "changed_at", "classification"], name="xch_rcpt_office_changed"
            ),
            models.Index(
                fields=["sender_office", "changed_at", "classification"],
                name="xch_rcpt_sender_changed",
            ),
            models.Index(
                fields=["office", "-sent_at", "classification"],
                condition=Q(read_at__isnull=True),
                name="xch_rcpt_unread",
            ),
            models.Index(
                fields=["office", "due_at", "classification"],
                condition=OPEN_REQUEST,
                name="xch_rcpt_mine",
            ),
            models.Index(
                fields=["sender_office", "due_at", "classification"],
                condition=OPEN_REQUEST,
                name="xch_rcpt_theirs",
            ),
            models.Index(
                fields=["office_country", "due_at", "classification"],
                condition=OPEN_REQUEST,
                name="xch_rcpt_open",
            ),
            models.Index(
                fields=["escalated_to", "changed_at"],
                condition=Q(escalated_to__isnull=False),
                name="xch_rcpt_escalated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.message_id} → {self.office_id}"

    @property
    def is_open(self) -> bool:
        return self.needs_answer and self.answered_at is None


def _attachment_path(instance: MessageAttachment, filename: str) -> str:
    return f"exchange/{instance.sha256[:2]}/{instance.sha256}"


class MessageAttachment(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=_attachment_path)
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)

    objects = MessageChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["message", "pk"]

    def __str__(self) -> str:
        return self.filename


class ForwardPermission(models.Model):
    """A request to forward an H2 message onward, and the originator's decision."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="permissions")
    requesting_office = models.ForeignKey(
        "directory.Office",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("asked by"),
        db_index=False,
    )
    requested_by = _no_index_user()
    targets = models.JSONField(_("forward to"), default=list)
    reason = models.TextField(_("reason"))
    requested_at = models.DateTimeField(_("asked at"))
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=PermissionStatus.choices,
        default=PermissionStatus.PENDING,
    )
    decided_by = _no_index_user()
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("note"), blank=True)
    # The originator office that decides (copied from the message for the inbox query).
    originator_office = models.ForeignKey(
        "directory.Office", on_delete=models.PROTECT, related_name="+"
    )

    objects = MessageChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("forwarding permission")
        verbose_name_plural = _("forwarding permissions")
        ordering = ["requested_at", "pk"]

    def __str__(self) -> str:
        return f"{self.message_id} {self.requesting_office_id} {self.status}"
