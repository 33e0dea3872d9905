"""Vocabularies of the exchange: message kinds, deadlines, permission states, link kinds."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from blonet.core.choices import Priority


class MessageKind(models.TextChoices):
    ALERT = "alert", _("Alert")
    RFI = "rfi", _("Request for information")
    ANSWER = "answer", _("Answer")
    SEIZURE_NOTIFICATION = "seizure_notification", _("Seizure notification")
    JOINT_ACTION = "joint_action", _("Request for a joint action or controlled delivery")
    CORRESPONDENCE = "correspondence", _("Correspondence")


# Kinds whose recipients owe an answer by a due time.
ANSWERABLE_KINDS = frozenset({MessageKind.RFI.value, MessageKind.JOINT_ACTION.value})
# Kinds a sender composes freely (answers go through `rfi_answer`, seizure notifications
# through `seizure_notification_send`).
COMPOSABLE_KINDS = (
    MessageKind.ALERT,
    MessageKind.RFI,
    MessageKind.JOINT_ACTION,
    MessageKind.CORRESPONDENCE,
)

# The default answer deadline by priority (SIENA's EU practice: 8 hours, 3 days, 7 days).
DUE_DEFAULTS: dict[str, dt.timedelta] = {
    Priority.IMMEDIATE.value: dt.timedelta(hours=8),
    Priority.URGENT.value: dt.timedelta(days=3),
    Priority.ROUTINE.value: dt.timedelta(days=7),
}
# A deadline further out than this is a typing error.
MAX_DUE = dt.timedelta(days=90)


class PermissionStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")


class LinkKind(models.TextChoices):
    SEIZURE = "seizure", _("Seizure")
    INCIDENT = "incident", _("Incident")
    PERSON = "person", _("Person")
    VEHICLE = "vehicle", _("Vehicle")
    ORGANISATION = "organisation", _("Organisation")
    PHONE = "phone", _("Phone")
    CONTAINER = "container", _("Container")
    THREAD = "thread", _("Thread")


class InboxTab(models.TextChoices):
    ALL = "all", _("Received")
    UNREAD = "unread", _("Unread")
    MINE = "mine", _("Awaiting my answer")
    THEIRS = "theirs", _("Awaiting their answer")
    OVERDUE = "overdue", _("Overdue")
