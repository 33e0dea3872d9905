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

from blonet.core import pgcopy
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


# --- a consumer's batch at once ------------------------------------------------------------


def _by_uuid(model: Any, ids: list[str]) -> dict[str, Any]:
    return {str(pk): row for pk, row in model.objects.in_bulk(ids).items()}


def apply_entity_snapshots_many(snaps: dict[str, tuple[dict[str, Any], str]]) -> dict[str, Any]:
    """`apply_entity_snapshot` for many (uuid → (snapshot, origin)): new copies are inserted
    in bulk with their history rows; the entity here for each uuid is returned."""
    out: dict[str, Any] = {}
    now = timezone.now()
    by_kind: dict[str, list[tuple[dict[str, Any], str]]] = {}
    for data, origin in snaps.values():
        by_kind.setdefault(data["kind"], []).append((data, origin))
    # Holders (a bank account's person) before what they hold.
    for kind in sorted(by_kind, key=lambda k: k != "person"):
        model: Any = ENTITY_MODELS[kind]
        rows = by_kind[kind]
        existing = _by_uuid(model, [d["uuid"] for d, _o in rows])
        holders_wanted = [str(d["holder_id"]) for d, _o in rows if d.get("holder_id")]
        holders = _by_uuid(ENTITY_MODELS["person"], holders_wanted) if holders_wanted else {}
        holders.update({k: v for k, v in out.items() if getattr(v, "kind", "") == "person"})
        fresh = []
        for data, origin in rows:
            entity = existing.get(data["uuid"])
            if entity is not None and entity.origin_node != origin:
                raise registry.NotOwner(data["uuid"])
            if entity is not None and entity.version >= int(data["version"]):
                out[data["uuid"]] = entity
                continue
            made = entity is None
            entity = entity or model(pk=data["uuid"])
            serial.load(entity, data, exclude=frozenset({"holder"}))
            if data.get("holder_id"):
                entity.holder = holders.get(str(data["holder_id"]))
            entity.origin_node = origin
            entity.search_text = entity_search_text(entity)
            if made:
                entity.created_at = entity.updated_at = now
                fresh.append(entity)
            else:
                entity.save()
            out[data["uuid"]] = entity
        pgcopy.insert(model, fresh)
        pgcopy.insert_history(model, fresh, None, now)
    return out


def _apply_events_many(model: Any, pairs: list[tuple[dict[str, Any], registry.Meta]]) -> None:
    """Write the copies of many events, one version each: what `_apply_event` does for one,
    with the new rows (events, items, agencies, entities, links) inserted in bulk."""
    now = timezone.now()
    existing = _by_uuid(model, [meta.record_uuid for _b, meta in pairs])
    for _body, meta in pairs:
        found = existing.get(meta.record_uuid)
        if found is not None and found.origin_node != meta.origin_node:
            raise registry.NotOwner(meta.record_uuid)
    snaps: dict[str, tuple[dict[str, Any], str]] = {}
    for body, meta in pairs:
        for row in body.get("involvements") or []:
            data = row["entity"]
            have = snaps.get(data["uuid"])
            if have is None or int(data["version"]) > int(have[0]["version"]):
                snaps[data["uuid"]] = (data, meta.origin_node)
    entities = apply_entity_snapshots_many(snaps)
    site_model = model._meta.get_field("site").related_model
    site_ids = {body.get("site_id") for body, _m in pairs if body.get("site_id")}
    sites = site_model.objects.in_bulk(list(site_ids)) if site_ids else {}
    updated = list(existing)
    link_field = "seizure" if model is Seizure else "incident"
    if updated:
        Involvement.objects.filter(**{f"{link_field}_id__in": updated}).delete()
        if model is Seizure:
            SeizureItem.objects.filter(seizure_id__in=updated).delete()
        model.agencies.through.objects.filter(**{f"{link_field}_id__in": updated}).delete()
    fresh, items, links, agencies = [], [], [], []
    for body, meta in pairs:
        event = existing.get(meta.record_uuid)
        made = event is None
        event = event or model(pk=meta.record_uuid)
        serial.load(event, body)
        event.origin_node, event.version = meta.origin_node, meta.version
        if event.site_id:
            event.site = sites.get(event.site_id)
        own_items = []
        for row in body.get("items") or [] if model is Seizure else []:
            item = SeizureItem(seizure=event)
            serial.load(item, row, exclude=frozenset({"seizure"}))
            own_items.append(item)
        own_entities = []
        for row in body.get("involvements") or []:
            entity = entities[row["entity"]["uuid"]]
            link = Involvement()
            serial.load(link, row, exclude=LINK_EXCLUDE)
            setattr(link, link_field, event)
            setattr(link, entity.kind, entity)
            links.append(link)
            own_entities.append(entity)
        event.search_text = event_search_text(event, items=own_items, entities=own_entities)
        if made:
            event.created_at = event.updated_at = now
            fresh.append(event)
        else:
            event.save()
        items += own_items
        agencies += [[event.pk, agency] for agency in body.get("agencies") or []]
    pgcopy.insert(model, fresh)
    pgcopy.insert_history(model, fresh, None, now)
    pgcopy.insert_rows(model.agencies.through, [f"{link_field}_id", "agency_id"], agencies)
    for obj in (*items, *links):  # ids from the database, set by `insert(need_ids=True)`
        obj.pk = None
    pgcopy.insert(SeizureItem, items, need_ids=True)
    pgcopy.insert_history(SeizureItem, items, None, now)
    pgcopy.insert(Involvement, links, need_ids=True)
    pgcopy.insert_history(Involvement, links, None, now)


def _events_many_applier(model: Any) -> Any:
    def apply_many(pairs: list[tuple[dict[str, Any], registry.Meta]]) -> None:
        _apply_events_many(model, pairs)

    return apply_many


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
            name, serialise=serialise_event, withdraw=_withdraw(model),
            apply=_event_applier(model), apply_many=_events_many_applier(model),
        )  # fmt: skip
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
