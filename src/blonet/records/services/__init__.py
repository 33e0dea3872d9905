"""Writes on records: each checks the actor, validates, saves, audits, in one transaction."""

from blonet.records.services.attachments import attachment_add
from blonet.records.services.entities import (
    entity_create,
    entity_delete,
    entity_update,
    person_likely_duplicates,
)
from blonet.records.services.events import (
    incident_delete,
    incident_record,
    incident_update,
    seizure_delete,
    seizure_record,
    seizure_update,
)

__all__ = [
    "attachment_add",
    "entity_create",
    "entity_delete",
    "entity_update",
    "incident_delete",
    "incident_record",
    "incident_update",
    "person_likely_duplicates",
    "seizure_delete",
    "seizure_record",
    "seizure_update",
]
