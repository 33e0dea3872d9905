"""Threads (cases) and what they link to: records and other threads."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from blonet.exchange.choices import LinkKind
from blonet.exchange.querysets import ThreadLinkQuerySet, ThreadQuerySet


def _node() -> str:
    return str(settings.BLONET_NODE)


class Thread(models.Model):
    """A case: the messages about one matter, between any number of offices.

    Not a shared record of its own: a thread is visible when one of its messages is (ADR 0008).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    origin_node = models.CharField(_("origin node"), max_length=8, default=_node, editable=False)
    subject = models.CharField(
        _("subject"),
        max_length=200,
        help_text=_("Seen by every office in the thread: keep personal data out of it."),
    )
    opened_by_office = models.ForeignKey(
        "directory.Office",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("opened by"),
        db_index=False,
    )
    opened_at = models.DateTimeField(_("opened at"))
    last_message_at = models.DateTimeField(_("last message at"))
    message_count = models.PositiveIntegerField(_("messages"), default=0)
    # Stable key of a seeded or imported thread, so that re-running adds nothing.
    import_key = models.CharField(max_length=64, blank=True, editable=False)

    objects = ThreadQuerySet.as_manager()

    class Meta:
        verbose_name = _("thread")
        verbose_name_plural = _("threads")
        ordering = ["-last_message_at"]
        indexes = [models.Index(fields=["-last_message_at"], name="xch_thread_last")]
        constraints = [
            models.UniqueConstraint(
                fields=["import_key"], condition=~Q(import_key=""), name="xch_thread_import_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("exchange:thread", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"{self.origin_node}-{self.id.hex[:10].upper()}"


# The kinds of link and the field each one fills.
LINK_FIELDS: dict[str, str] = {
    LinkKind.SEIZURE: "seizure",
    LinkKind.INCIDENT: "incident",
    LinkKind.PERSON: "person",
    LinkKind.VEHICLE: "vehicle",
    LinkKind.ORGANISATION: "organisation",
    LinkKind.PHONE: "phone",
    LinkKind.CONTAINER: "container",
    LinkKind.THREAD: "linked_thread",
}


def _fk(model: str) -> models.ForeignKey:  # type: ignore[type-arg]
    return models.ForeignKey(
        model, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )


class ThreadLink(models.Model):
    """A thread's link to a record (seizure, incident, entity) or to another thread."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(_("kind"), max_length=16, choices=LinkKind.choices)
    target_id = models.CharField(max_length=36, editable=False)
    seizure = _fk("records.Seizure")
    incident = _fk("records.Incident")
    person = _fk("records.Person")
    vehicle = _fk("records.Vehicle")
    organisation = _fk("records.Organisation")
    phone = _fk("records.Phone")
    container = _fk("records.Container")
    linked_thread = _fk("exchange.Thread")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        db_index=False,
    )
    added_by_office = models.ForeignKey(
        "directory.Office", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    added_at = models.DateTimeField(_("added at"))

    objects = ThreadLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("thread link")
        verbose_name_plural = _("thread links")
        ordering = ["added_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["thread", "kind", "target_id"], name="xch_link_unique")
        ]

    def __str__(self) -> str:
        return f"{self.thread_id} → {self.kind}:{self.target_id}"

    @property
    def target(self) -> models.Model | None:
        target: models.Model | None = getattr(self, LINK_FIELDS[self.kind])
        return target
