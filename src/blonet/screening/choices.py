"""Vocabularies of screening: kinds of watchlist, where a check comes from, states of a hit."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class WatchlistKind(models.TextChoices):
    PERSON = "person", _("Persons")
    VEHICLE = "vehicle", _("Vehicles")
    CONTAINER = "container", _("Containers")
    ORGANISATION = "organisation", _("Organisations")
    PHONE = "phone", _("Phones")
    DOCUMENT = "document", _("Documents")


# The records entity kinds an entry can be made from (records' bank accounts are not screened).
ENTITY_KINDS = tuple(WatchlistKind.values)


class RunSource(models.TextChoices):
    SINGLE = "single", _("Single check")
    BATCH = "batch", _("Batch manifest")
    RECORD = "record", _("Record auto-check")
    API = "api", _("API check")


class RunStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Finished")
    FAILED = "failed", _("Failed")


class HitStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CONFIRMED = "confirmed", _("Confirmed")
    DISMISSED = "dismissed", _("Dismissed")
