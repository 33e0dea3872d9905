"""Writes of screening: each checks the actor, validates, saves and audits in one transaction."""

from blonet.screening.services.batch import batch_process, batch_start
from blonet.screening.services.checks import (
    CheckResult,
    hit_confirm,
    hit_dismiss,
    screen_record_entities,
    screen_subject,
)
from blonet.screening.services.imports import EntryImportReport, entries_import
from blonet.screening.services.lists import (
    entry_add,
    entry_from_entity,
    entry_remove,
    watchlist_create,
)

__all__ = [
    "CheckResult",
    "EntryImportReport",
    "batch_process",
    "batch_start",
    "entries_import",
    "entry_add",
    "entry_from_entity",
    "entry_remove",
    "hit_confirm",
    "hit_dismiss",
    "screen_record_entities",
    "screen_subject",
    "watchlist_create",
]
