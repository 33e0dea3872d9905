"""How higher contexts hear from records without records importing them (architecture guide:
"lower ones hear from higher ones through registration or signals sent on commit").

- `register_record_saved(fn)`: `fn(actor=..., record=...)` runs after the transaction that
  recorded or changed a seizure or an incident commits (screening checks its entities).
  A failing handler is logged and never undoes the record.
- `register_record_section(fn, name=None)`: `fn(user, record)` returns None or a dict with
  "template" and its context, shown on the record's page (screening shows the hits on its
  entities). `register_entity_section` does the same for an entity's page.

A section is loaded on its own: the page holds a placeholder per registered section and htmx
fetches `.../section/<name>/`, which finds the record through `.visible_to(user)` as the page
does and calls the section then. The page itself never pays for the sections. A section must
read through `.visible_to(user)` like every other read.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils.text import slugify

log = logging.getLogger(__name__)

RecordSaved = Callable[..., Any]
Section = Callable[[Any, Any], "dict[str, Any] | None"]
RECORD_SAVED: list[RecordSaved] = []
# name (a slug, part of the section's URL) -> section, in the order registered
RECORD_SECTIONS: dict[str, Section] = {}
ENTITY_SECTIONS: dict[str, Section] = {}


def register_record_saved(handler: RecordSaved) -> RecordSaved:
    if handler not in RECORD_SAVED:
        RECORD_SAVED.append(handler)
    return handler


def section_name(section: Section) -> str:
    """A stable slug from where the section is defined: `blonet.screening.views.sections.
    record_section` is "screening-views-sections-record-section"."""
    module = str(getattr(section, "__module__", "")).removeprefix("blonet.")
    qualname = str(getattr(section, "__qualname__", type(section).__name__))
    return slugify(f"{module} {qualname}".replace(".", " ").replace("_", " "))


def _register(registry: dict[str, Section], section: Section, name: str | None) -> Section:
    key = slugify(name) if name else section_name(section)
    if not key:
        raise ValueError("a section needs a name")
    known = registry.get(key)
    if known is not None and known is not section:
        raise ValueError(f"another section is registered as {key!r}")
    registry[key] = section
    return section


def register_record_section(section: Section, name: str | None = None) -> Section:
    return _register(RECORD_SECTIONS, section, name)


def register_entity_section(section: Section, name: str | None = None) -> Section:
    return _register(ENTITY_SECTIONS, section, name)


def record_saved_on_commit(*, actor: Any, record: Any) -> None:
    def run() -> None:
        for handler in list(RECORD_SAVED):
            try:
                handler(actor=actor, record=record)
            except Exception:  # a listener's failure never undoes or blocks the record
                log.exception("record_saved handler %s failed for %s", handler, record.pk)

    transaction.on_commit(run)
