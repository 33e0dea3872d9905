"""Reads on records; each takes the requesting user and goes through `.visible_to`."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from blonet.core.errors import NotFound
from blonet.records.models import ENTITY_MODELS, Incident, Involvement, Seizure, SeizureItem
from blonet.records.models.entities import Entity
from blonet.records.normalise import as_uuid

LIST_RELATED = ("owner_office", "owner_country", "site")
# The detail pages fetch these with one small query each rather than one query joining them
# all: PostgreSQL spends 10-20 ms planning an 8-way join, and under a millisecond on each of
# the plain lookups (the directory tables are tiny).
DETAIL_RELATED = (*LIST_RELATED, "office", "owner_agency", "counterpart_country")


def seizure_list_visible_to(*, user: Any, include_deleted: bool = False) -> QuerySet[Seizure]:
    qs = Seizure.objects.visible_to(user)
    if not include_deleted:
        qs = qs.alive()
    return qs.select_related(*LIST_RELATED).prefetch_related(
        Prefetch("items", queryset=SeizureItem.objects.order_by("position", "pk"))
    )


def _involvements() -> Prefetch:
    # One query per kind of entity present (not a join of all seven tables, for the same reason).
    return Prefetch(
        "involvements",
        queryset=Involvement.objects.order_by("pk").prefetch_related(*ENTITY_MODELS),
    )


def seizure_get_for(*, user: Any, pk: Any) -> Seizure:
    """A missing and a hidden seizure raise the same NotFound; tombstones are returned."""
    seizure = None
    if (key := as_uuid(pk)) is not None:
        seizure = (
            Seizure.objects.visible_to(user)
            .prefetch_related(
                *DETAIL_RELATED, "created_by", "agencies", "items", "attachments", _involvements()
            )
            .filter(pk=key)
            .first()
        )
    if seizure is None:
        raise NotFound()
    return seizure


def incident_list_visible_to(*, user: Any, include_deleted: bool = False) -> QuerySet[Incident]:
    qs = Incident.objects.visible_to(user)
    if not include_deleted:
        qs = qs.alive()
    return qs.select_related(*LIST_RELATED)


def incident_get_for(*, user: Any, pk: Any) -> Incident:
    incident = None
    if (key := as_uuid(pk)) is not None:
        incident = (
            Incident.objects.visible_to(user)
            .prefetch_related(*DETAIL_RELATED, "agencies", "attachments", _involvements())
            .filter(pk=key)
            .first()
        )
    if incident is None:
        raise NotFound()
    return incident


def entity_list_visible_to(*, user: Any, kind: str, include_deleted: bool = False) -> QuerySet[Any]:
    model = ENTITY_MODELS.get(kind)
    if model is None:
        raise NotFound()
    qs = model.objects.visible_to(user)
    if not include_deleted:
        qs = qs.alive()
    return qs.select_related("owner_office", "owner_country")


def entity_get_for(*, user: Any, kind: str, pk: Any) -> Entity:
    model = ENTITY_MODELS.get(kind)
    if model is None:
        raise NotFound()
    key = as_uuid(pk)
    entity = (
        model.objects.visible_to(user).select_related("owner_office").filter(pk=key).first()
        if key is not None
        else None
    )
    if entity is None:
        raise NotFound()
    return entity  # type: ignore[return-value]


def entity_appearances(*, user: Any, entity: Entity) -> dict[str, QuerySet[Any]]:
    """Every seizure and incident the entity appears in that `user` may see, with the role."""
    field = entity.kind
    links = Involvement.objects.filter(**{field: entity})
    seizures = (
        Seizure.objects.visible_to(user)
        .alive()
        .filter(involvements__in=links)
        .select_related(*LIST_RELATED)
        .distinct()
    )
    incidents = (
        Incident.objects.visible_to(user)
        .alive()
        .filter(involvements__in=links)
        .select_related(*LIST_RELATED)
        .distinct()
    )
    return {"seizures": seizures, "incidents": incidents}
