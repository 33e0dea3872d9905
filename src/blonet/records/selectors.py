"""Reads on records; each takes the requesting user and goes through `.visible_to`."""

from __future__ import annotations

from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, Prefetch, Q, QuerySet

from blonet.core.access import access_of
from blonet.core.errors import NotFound
from blonet.records.models import ENTITY_MODELS, Incident, Involvement, Seizure, SeizureItem
from blonet.records.models.entities import Entity
from blonet.records.normalise import as_uuid

LIST_RELATED = ("owner_office", "owner_country", "site")
# The detail pages join the four relations every record has (PostgreSQL plans that join in
# under a millisecond at 1,000,000 seizures) and fetch the optional ones with a small query each
# when set: joining all seven takes it 6-14 ms to plan (10-20 ms with the entity tables).
DETAIL_JOINED = (*LIST_RELATED, "owner_agency")
DETAIL_PREFETCHED = ("office", "counterpart_country")
# On each entity fetched with a record: whether the reader may see it (the same rule as
# `visible_to`), so that the page needs no second query per kind of entity.
VISIBLE = "blonet_visible"


def seizure_list_visible_to(*, user: Any, include_deleted: bool = False) -> QuerySet[Seizure]:
    qs = Seizure.objects.visible_to(user)
    if not include_deleted:
        qs = qs.alive()
    return qs.select_related(*LIST_RELATED).prefetch_related(
        Prefetch("items", queryset=SeizureItem.objects.order_by("position", "pk"))
    )


def _flagged(model: Any, user: Any) -> QuerySet[Any]:
    """Every row of `model`, each with `blonet_visible`: does `user` see it?"""
    qs = model.objects.all()
    rule = qs.visibility_q(access_of(user))
    if rule == Q(pk__in=[]):  # sees none (a programme role): no SQL for an empty IN
        return qs.annotate(**{VISIBLE: ExpressionWrapper(Q(pk=None), output_field=BooleanField())})
    return qs.annotate(**{VISIBLE: ExpressionWrapper(rule, output_field=BooleanField())})


def _involvements(user: Any = None) -> Prefetch:
    # One query per kind of entity present (not a join of all seven tables, for the same reason).
    kinds: list[Any] = list(ENTITY_MODELS)
    if user is not None:
        kinds = [Prefetch(kind, queryset=_flagged(m, user)) for kind, m in ENTITY_MODELS.items()]
    links = Involvement.objects.order_by("pk").prefetch_related(*kinds)
    return Prefetch("involvements", queryset=links)


_UNKNOWN = object()


def entity_visible(entity: Any) -> bool | None:
    """What the selector found out about `entity` (None: it was not fetched with the flag).
    SQL's NULL (a rule neither true nor false) is not visible, as in a WHERE clause."""
    flag = entity.__dict__.get(VISIBLE, _UNKNOWN)
    return None if flag is _UNKNOWN else bool(flag)


def seizure_get_for(*, user: Any, pk: Any) -> Seizure:
    """A missing and a hidden seizure raise the same NotFound; tombstones are returned."""
    seizure = None
    if (key := as_uuid(pk)) is not None:
        seizure = (
            Seizure.objects.visible_to(user)
            .select_related(*DETAIL_JOINED)
            .prefetch_related(
                *DETAIL_PREFETCHED,
                "created_by",
                "agencies",
                "items",
                "attachments",
                _involvements(user),
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
            .select_related(*DETAIL_JOINED)
            .prefetch_related(*DETAIL_PREFETCHED, "agencies", "attachments", _involvements(user))
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
