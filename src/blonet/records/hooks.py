"""How higher contexts hear from records without records importing them (architecture guide:
"lower ones hear from higher ones through registration or signals sent on commit").

- `register_record_saved(fn)`: `fn(actor=..., record=...)` runs after the transaction that
  recorded or changed a seizure or an incident commits (screening checks its entities).
  A failing handler is logged and never undoes the record.
- `register_record_section(fn)`: `fn(user, record)` returns None or a dict with "template" and
  its context, shown on the record's page (screening shows the hits on its entities).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction

log = logging.getLogger(__name__)

RecordSaved = Callable[..., Any]
RecordSection = Callable[[Any, Any], "dict[str, Any] | None"]
RECORD_SAVED: list[RecordSaved] = []
RECORD_SECTIONS: list[RecordSection] = []


def register_record_saved(handler: RecordSaved) -> RecordSaved:
    if handler not in RECORD_SAVED:
        RECORD_SAVED.append(handler)
    return handler


def register_record_section(section: RecordSection) -> RecordSection:
    if section not in RECORD_SECTIONS:
        RECORD_SECTIONS.append(section)
    return section


def record_saved_on_commit(*, actor: Any, record: Any) -> None:
    def run() -> None:
        for handler in list(RECORD_SAVED):
            try:
                handler(actor=actor, record=record)
            except Exception:  # a listener's failure never undoes or blocks the record
                log.exception("record_saved handler %s failed for %s", handler, record.pk)

    transaction.on_commit(run)


def record_sections(user: Any, record: Any) -> list[dict[str, Any]]:
    out = []
    for section in RECORD_SECTIONS:
        context = section(user, record)
        if context:
            out.append(context)
    return out
