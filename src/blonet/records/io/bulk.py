"""The bulk write path of the import: the service's own validation helpers, then bulk inserts.

`seizure_record` costs about thirty queries per seizure (each entity and the seizure get their
own audit row, history row and search-text update), far from the 2,000 rows/s the import must
reach. Here each seizure goes through the same steps as `services.events._save_event`:
`apply_sharing`, `_apply_event_fields`, `_prepare_item`, `prepare_entity` and `model_errors`,
with the directory (sites, agencies) read once per run instead of once per seizure; then the
seizures, their agencies, items, entities, links and history rows are written with COPY on
PostgreSQL (`bulk_create` elsewhere, see `pgcopy`), and the run writes one audit event that names
every seizure and entity created.
`tests/records/test_io_import.py` checks that a seizure written here equals one written by
`seizure_record`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from blonet.core import pgcopy
from blonet.directory.models import Agency, Office, Site
from blonet.records.choices import LinkRole
from blonet.records.federation import share
from blonet.records.models import ENTITY_MODELS, Involvement, Seizure, SeizureItem
from blonet.records.models.base import SHARING_FIELDS, new_instance
from blonet.records.search import event_search_text
from blonet.records.services.common import ErrorBag, apply_sharing, model_errors
from blonet.records.services.entities import prepare_entity
from blonet.records.services.events import (
    SEIZURE_FIELDS,
    _apply_event_fields,
    _prepare_item,
    _reference,
)

# Set by `apply_sharing` on a record: copied from a memo for records with the same sharing.
_SHARING_ATTRS = (
    "owner_office_id", "owner_agency_id", "owner_country_id", "distribution",
    "counterpart_country_id", "handling_codes", "handling_conditions", "source_reliability",
    "information_accuracy", "classification",
)  # fmt: skip
ROLES = frozenset(LinkRole.values)
_EVENT_EXCLUDE = [
    "owner_office", "owner_agency", "owner_country", "reference", "id", "search_text",
    # resolved from the directory read at the start of the run (unknown ones are reported)
    "site", "office", "counterpart_country",
]  # fmt: skip


@dataclass
class Prepared:
    seizure: Seizure
    agencies: list[Agency]
    items: list[SeizureItem]
    links: list[tuple[str, str, Any]] = field(default_factory=list)  # role, note, new entity


class Context:
    """What a run reads once: the owner office, the directory, the sharing already checked."""

    def __init__(self, actor: Any, office: Office) -> None:
        self.actor = actor
        self.user = actor if getattr(actor, "is_authenticated", False) else None
        self.office = office
        self.sites = {s.pk: s for s in Site.objects.all()}
        self.agencies = {a.pk: a for a in Agency.objects.all()}
        self._sharing: dict[str, tuple[dict[str, Any], dict[str, list[str]]]] = {}

    def apply_sharing(self, record: Any, data: dict[str, Any], errors: ErrorBag) -> None:
        """`apply_sharing`, once per distinct sharing (it reads the country table)."""
        key = repr(sorted((k, repr(v)) for k, v in data.items()))
        if key not in self._sharing:
            scratch = Seizure()
            bag = ErrorBag()
            apply_sharing(scratch, self.office, dict(data), bag)
            self._sharing[key] = ({a: getattr(scratch, a) for a in _SHARING_ATTRS}, bag.fields)
        attrs, fields = self._sharing[key]
        for name, value in attrs.items():
            setattr(record, name, list(value) if isinstance(value, list) else value)
        record.owner_office = self.office
        for name, messages in fields.items():
            for message in messages:
                errors.add(name, message)

    def agencies_for(self, data: dict[str, Any], errors: ErrorBag) -> list[Agency]:
        """As `services.events._agencies`, from the directory read once."""
        if "agencies" not in data:
            return [self.office.agency]
        ids = [getattr(a, "pk", a) for a in data["agencies"] or []]
        missing = [i for i in ids if i not in self.agencies]
        if missing:
            errors.add("agencies", _("Unknown agency: %s.") % ", ".join(map(str, missing)))
        return [self.agencies[i] for i in ids if i in self.agencies] or [self.office.agency]


def prepare(
    ctx: Context,
    data: dict[str, Any],
    items: list[dict[str, Any]],
    involvements: list[dict[str, Any]],
    import_key: str,
) -> tuple[Prepared | None, dict[str, list[str]]]:
    """Validate one seizure as `seizure_record` does: (prepared rows, {}) or (None, errors)."""
    errors = ErrorBag()
    data = dict(data)
    site = data.get("site")
    if isinstance(site, str) and site in ctx.sites:
        data["site"] = ctx.sites[site]
    seizure = new_instance(Seizure)
    seizure.import_key = import_key
    ctx.apply_sharing(seizure, {k: v for k, v in data.items() if k in SHARING_FIELDS}, errors)
    _apply_event_fields(seizure, ctx.office, data, SEIZURE_FIELDS, errors)
    agencies = ctx.agencies_for(data, errors)
    prepared_items = [_prepare_item(row, errors, f"items[{i}].") for i, row in enumerate(items)]
    if not prepared_items:
        errors.add("items", _("A seizure has at least one item."))
    links = _prepare_links(ctx, seizure, involvements, errors)
    model_errors(seizure, errors, exclude=_EVENT_EXCLUDE)
    if errors.fields:
        return None, errors.fields
    seizure.created_by = ctx.user
    seizure.reference = _reference(seizure)
    seizure.total_kg = sum((it.quantity_kg or Decimal(0) for it in prepared_items), Decimal(0))
    seizure.commodities = " ".join(sorted({it.commodity for it in prepared_items}))
    seizure.search_text = event_search_text(
        seizure, items=prepared_items, entities=[entity for _role, _note, entity in links]
    )
    return Prepared(seizure, agencies, prepared_items, links), {}


def _prepare_links(
    ctx: Context, seizure: Seizure, rows: list[dict[str, Any]], errors: ErrorBag
) -> list[tuple[str, str, Any]]:
    """As `services.events._prepare_involvements` for new entities (an import links no
    existing ones): the entity takes the seizure's sharing."""
    out = []
    # `apply_sharing` with the seizure's (already checked) values gives the entity the same
    # values: copied as they are.
    sharing = {a: getattr(seizure, a) for a in _SHARING_ATTRS}
    for i, row in enumerate(rows):
        prefix = f"involvements[{i}]."
        kind = row.get("kind", "")
        model: Any = ENTITY_MODELS.get(kind)
        if model is None:
            errors.add(f"{prefix}kind", _("Unknown kind of entity “%s”.") % kind)
            continue
        role = row.get("role") or LinkRole.OTHER
        if role not in ROLES:
            errors.add(f"{prefix}role", _("Unknown role “%s”.") % role)
        entity = new_instance(model)
        for name, value in sharing.items():
            setattr(entity, name, list(value) if isinstance(value, list) else value)
        prepare_entity(entity, row.get("data") or {}, errors, prefix)
        entity.created_by = ctx.user  # after validation: full_clean would look the user up
        out.append((role, str(row.get("note") or "")[:300], entity))
    return out


def write(ctx: Context, batch: list[Prepared]) -> dict[str, list[str]]:
    """Insert a batch of prepared seizures (inside the caller's transaction); the ids made."""
    now = timezone.now()
    seizures = [p.seizure for p in batch]
    for seizure in seizures:
        seizure.created_at = seizure.updated_at = now
    pgcopy.insert(Seizure, seizures)
    pgcopy.insert_history(Seizure, seizures, ctx.user, now)
    pgcopy.insert_rows(
        Seizure.agencies.through,
        ["seizure_id", "agency_id"],
        [[p.seizure.pk, a.pk] for p in batch for a in p.agencies],
    )
    items = []
    for p in batch:
        for position, item in enumerate(p.items):
            item.seizure = p.seizure
            item.position = position
            items.append(item)
    pgcopy.insert(SeizureItem, items, need_ids=True)
    pgcopy.insert_history(SeizureItem, items, ctx.user, now)
    made: dict[str, list[str]] = {"seizure": [str(s.pk) for s in seizures]}
    by_kind: dict[str, list[Any]] = {}
    links = []
    for p in batch:
        for role, note, entity in p.links:
            by_kind.setdefault(entity.kind, []).append(entity)
            values = {f"{k}_id": None for k in ENTITY_MODELS}
            values[f"{entity.kind}_id"] = entity.pk
            links.append(pgcopy.new(Involvement, seizure_id=p.seizure.pk, incident_id=None,
                                    role=role, note=note, **values))  # fmt: skip
    for kind, entities in by_kind.items():
        model: Any = ENTITY_MODELS[kind]
        for entity in entities:
            entity.created_at = entity.updated_at = now
        pgcopy.insert(model, entities)
        pgcopy.insert_history(model, entities, ctx.user, now)
        made[kind] = [str(e.pk) for e in entities]
    pgcopy.insert(Involvement, links, need_ids=True)
    pgcopy.insert_history(Involvement, links, ctx.user, now)
    # What the distribution releases goes to the peer nodes, as `seizure_record` does: the
    # outbox rows in this transaction (nothing at all on a node without federation).
    for p in batch:
        for _role, _note, entity in p.links:
            share(entity)
        share(p.seizure)
    return made
