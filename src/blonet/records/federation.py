"""How seizures, incidents and entities travel between nodes (registered with federation).

A seizure's body carries its items, its agencies and its involvements, with a snapshot of each
involved entity that may go where the seizure goes. A receiving node writes a read-only copy
with the origin's identifiers and version; a newer snapshot replaces an older one, never the
other way round. A withdrawal (the owner narrowed the distribution) turns the copy into a
tombstone.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from blonet.federation import registry, serial
from blonet.federation.services.outbox import outbox_enqueue, recipients_for
from blonet.records.models import ENTITY_MODELS, Incident, Involvement, Seizure, SeizureItem
from blonet.records.search import entity_search_text, event_search_text

EVENT_MODELS: dict[str, Any] = {"seizure": Seizure, "incident": Incident}
LINK_EXCLUDE = frozenset({"seizure", "incident", *ENTITY_MODELS})


def _owned_copy(model: Any, meta: registry.Meta) -> Any:
    existing = model.objects.filter(pk=meta.record_uuid).first()
    if existing is not None and existing.origin_node != meta.origin_node:
        raise registry.NotOwner(meta.record_uuid)
    return existing


def serialise_entity(entity: Any) -> dict[str, Any]:
    return {"kind": entity.kind, "uuid": str(entity.pk), **serial.dump(entity)}


def apply_entity_snapshot(data: dict[str, Any], origin: str) -> Any:
    """Create or update a copy of an entity unless the copy here is already as new."""
    model: Any = ENTITY_MODELS[data["kind"]]
    meta = registry.Meta(origin, data["uuid"], int(data["version"]), "", [])
    entity = _owned_copy(model, meta)
    if entity is not None and entity.version >= meta.version:
        return entity
    entity = entity or model(pk=data["uuid"])
    serial.load(entity, data, exclude=frozenset({"holder"}))
    if data.get("holder_id"):
        holder = ENTITY_MODELS["person"].objects.filter(pk=data["holder_id"]).first()
        entity.holder = holder  # only if this node has a copy of the holder
    entity.origin_node = origin
    entity.search_text = entity_search_text(entity)
    entity.save()
    return entity


def serialise_event(event: Any) -> dict[str, Any]:
    body = serial.dump(event)
    body["agencies"] = sorted(event.agencies.values_list("pk", flat=True))
    if isinstance(event, Seizure):
        body["items"] = [serial.dump(i, exclude=frozenset({"seizure"})) for i in event.items.all()]
    where = set(recipients_for(event.distribution, event.counterpart_country_id))
    links = []
    for link in event.involvements.select_related(*ENTITY_MODELS):
        entity = link.entity
        if entity is None or entity.is_deleted:
            continue
        # An entity goes only where its own distribution lets it go.
        if not where <= set(recipients_for(entity.distribution, entity.counterpart_country_id)):
            continue
        links.append({
            **serial.dump(link, exclude=LINK_EXCLUDE), "entity": serialise_entity(entity),
        })  # fmt: skip
    body["involvements"] = links
    return body


def _apply_event(model: Any, body: dict[str, Any], meta: registry.Meta) -> Any:
    event = _owned_copy(model, meta)
    event = event or model(pk=meta.record_uuid)
    serial.load(event, body)
    event.origin_node = meta.origin_node
    event.version = meta.version
    event.save()
    event.agencies.set(body.get("agencies") or [])
    items: list[Any] = []
    if model is Seizure:
        event.items.all().delete()
        for row in body.get("items") or []:
            item = SeizureItem(seizure=event)
            serial.load(item, row, exclude=frozenset({"seizure"}))
            item.save()
            items.append(item)
    event.involvements.all().delete()
    entities = []
    for row in body.get("involvements") or []:
        entity = apply_entity_snapshot(row["entity"], meta.origin_node)
        link = Involvement()
        serial.load(link, row, exclude=LINK_EXCLUDE)
        setattr(link, "seizure" if model is Seizure else "incident", event)
        setattr(link, entity.kind, entity)
        link.save()
        entities.append(entity)
    model.objects.filter(pk=event.pk).update(
        search_text=event_search_text(event, items=items, entities=entities)
    )
    return event


def _apply_entity(body: dict[str, Any], meta: registry.Meta) -> Any:
    return apply_entity_snapshot({**body, "uuid": meta.record_uuid, "version": meta.version},
                                 meta.origin_node)  # fmt: skip


def _withdraw(model: Any) -> Any:
    def withdraw(meta: registry.Meta) -> None:
        copy = _owned_copy(model, meta)
        if copy is None or copy.deleted_at is not None:
            return
        model.objects.filter(pk=copy.pk).update(
            deleted_at=timezone.now(), version=meta.version,
            deleted_reason=_("Withdrawn by the owner node %s.") % meta.origin_node,
        )  # fmt: skip

    return withdraw


def _event_applier(model: Any) -> Any:
    def apply(body: dict[str, Any], meta: registry.Meta) -> Any:
        return _apply_event(model, body, meta)

    return apply


def register() -> None:
    for name, model in EVENT_MODELS.items():
        registry.register(
            name, serialise=serialise_event, withdraw=_withdraw(model), apply=_event_applier(model)
        )
    for kind, model in ENTITY_MODELS.items():
        registry.register(
            kind, serialise=serialise_entity, apply=_apply_entity, withdraw=_withdraw(model)
        )
    from blonet.records.hooks import register_record_section

    register_record_section(record_section)


def share(record: Any) -> None:
    """Queue the record's current version for the peers it is released to (same transaction)."""
    kind = "seizure" if isinstance(record, Seizure) else getattr(record, "kind", None)
    if isinstance(record, Incident):
        kind = "incident"
    if kind:
        outbox_enqueue(record_type=kind, record=record)


def record_section(user: Any, record: Any) -> dict[str, Any] | None:
    """On a record's page: where a copy came from, or where this node's record went."""
    from django.conf import settings

    from blonet.federation.models import Delivery

    if record.origin_node != settings.BLONET_NODE:
        return {"template": "federation/_record_section.html", "copy_from": record.origin_node,
                "record": record}  # fmt: skip
    rows = list(
        Delivery.objects.filter(entry__record_uuid=str(record.pk))
        .exclude(entry__record_type__in=registry.CONTROL_TYPES)
        .select_related("entry")
        .order_by("-entry__version", "peer_id")[:20]
    )
    if not rows:
        return None
    return {"template": "federation/_record_section.html", "deliveries": rows, "record": record}
