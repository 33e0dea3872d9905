"""Seizures and incidents: list and detail through the selectors, writes through the services."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from blonet.audit.services import audit_event_record
from blonet.core.errors import ValidationError
from blonet.records import selectors, services
from blonet.records.api.base import (
    ID_PARAMETER,
    REASON_PARAMETER,
    RecordViewSet,
    delete_reason,
    history_rows,
    history_user,
    owner_office_of,
    parse_pk,
)
from blonet.records.api.inputs import IncidentWriteSerializer, SeizureWriteSerializer, validated
from blonet.records.api.serializers import (
    IncidentSerializer,
    IncidentSummarySerializer,
    SeizureSerializer,
    SeizureSummarySerializer,
    VersionSerializer,
)
from blonet.records.filters import IncidentFilter, SeizureFilter
from blonet.records.models import ENTITY_MODELS, Incident, Seizure

ERRORS = {
    400: OpenApiResponse(description="Invalid input: {error: {code, message, fields}}."),
    403: OpenApiResponse(description="Not allowed (e.g. not the owner office)."),
    404: OpenApiResponse(description="Missing, or not shared with you (the same answer)."),
}


def visible_entities(user: Any, involvements: list[Any]) -> set[tuple[str, Any]]:
    """(kind, id) of the linked entities the user may see: what the selector found out, else
    one query per kind present."""
    wanted: dict[str, set[Any]] = {}
    out: set[tuple[str, Any]] = set()
    for link in involvements:
        kind = link.entity_kind
        if not kind:
            continue
        known = selectors.entity_visible(link.entity)
        if known is None:
            wanted.setdefault(kind, set()).add(getattr(link, f"{kind}_id"))
        elif known:
            out.add((kind, link.entity.pk))
    for kind, ids in wanted.items():
        model: Any = ENTITY_MODELS[kind]
        for pk in model.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True):
            out.add((kind, pk))
    return out


class EventViewSet(RecordViewSet):
    """The shared part of the seizure and incident endpoints."""

    kind = ""
    detail_serializer: Any = None
    summary_serializer: Any = None

    def get_record(self, pk: Any) -> Any:
        raise NotImplementedError

    def record(self, *, office: str, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def change(self, event: Any, *, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def tombstone(self, event: Any, reason: str) -> Any:
        raise NotImplementedError

    def detail_data(self, event: Any, *, audit: bool = False) -> dict[str, Any]:
        links = list(event.involvements.all())
        visible = visible_entities(self.request.user, links)
        persons = sorted(str(pk) for kind, pk in visible if kind == "person")
        if audit and persons:
            # Reading a record that holds personal data leaves a trace (identifiers only).
            audit_event_record(
                actor=self.request.user,
                action=f"records.{self.kind}.viewed",
                target=event,
                data={"persons": persons, "via": "api"},
            )
        serializer = self.detail_serializer(event, context=self.context(visible_entities=visible))
        return dict(serializer.data)

    def list(self, request: Request) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = self.summary_serializer(page, many=True, context=self.context())
        return self.get_paginated_response(rows.data)

    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(self.detail_data(self.get_record(pk), audit=True))

    def _write_data(self, request: Request, *, partial: bool) -> dict[str, Any]:
        serializer: Any = self.get_serializer_class()(data=request.data, partial=partial)
        return validated(serializer)

    def create(self, request: Request) -> Response:
        data = self._write_data(request, partial=False)
        office = owner_office_of(request.user, data.pop("owner_office", None))
        with history_user(request):
            event = self.record(office=office, data=data)
        return Response(self.detail_data(self.get_record(event.pk)), status=status.HTTP_201_CREATED)

    def _update(self, request: Request, pk: Any, *, partial: bool) -> Response:
        event = self.get_record(pk)
        data = self._write_data(request, partial=partial)
        office = data.pop("owner_office", None)
        if office and office != event.owner_office_id:
            raise ValidationError(
                fields={"owner_office": [_("The owner office of a record cannot be changed.")]}
            )
        with history_user(request):
            self.change(event, data=data)
        return Response(self.detail_data(self.get_record(event.pk)))

    def update(self, request: Request, pk: Any = None) -> Response:
        return self._update(request, pk, partial=False)

    def partial_update(self, request: Request, pk: Any = None) -> Response:
        return self._update(request, pk, partial=True)

    def destroy(self, request: Request, pk: Any = None) -> Response:
        event = self.get_record(pk)
        reason = delete_reason(request)
        with history_user(request):
            self.tombstone(event, reason)
        return Response(self.detail_data(self.get_record(event.pk)))

    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def history(self, request: Request, pk: Any = None) -> Response:
        event = self.get_record(pk)
        return Response(VersionSerializer(history_rows(event), many=True).data)


def _event_schema(name: str, summary: Any, detail: Any, write: Any) -> Any:
    plural = f"{name}s"
    return extend_schema_view(
        list=extend_schema(
            summary=f"List the {plural} you may see",
            description="Filters, search (`q`, any script) and `ordering` are the HTML list's.",
            responses={200: summary(many=True), 400: ERRORS[400]},
        ),
        retrieve=extend_schema(
            summary=f"One {name} with its items, linked entities and sharing",
            parameters=[ID_PARAMETER],
            responses={200: detail, 404: ERRORS[404]},
        ),
        create=extend_schema(
            summary=f"Record a {name}",
            description=(
                "`involvements` link existing entities (`entity`: id) or create new ones "
                "(`data`: their fields). Errors name the field as the form does, e.g. "
                "`items[0].quantity` or `involvements[1].number`."
            ),
            request=write,
            responses={201: detail, 400: ERRORS[400], 403: ERRORS[403]},
        ),
        update=extend_schema(
            summary=f"Change a {name} (a new version)",
            description=(
                "Needs the fields a new record needs; `items` and `involvements` replace the "
                "old ones when given (keep an entity by giving its id); other fields left out "
                "keep their values. Only the owner office may change a record."
            ),
            parameters=[ID_PARAMETER],
            request=write,
            responses={200: detail, **ERRORS},
        ),
        partial_update=extend_schema(
            summary=f"Change some fields of a {name} (a new version)",
            parameters=[ID_PARAMETER],
            request=write,
            responses={200: detail, **ERRORS},
        ),
        destroy=extend_schema(
            summary=f"Delete a {name}: a tombstone with its reason",
            description=(
                "Needs `reason`, in a JSON body or in the query string. The record stays, "
                "marked deleted, as a new version; it leaves the lists. Answers 200 with the "
                "tombstoned record."
            ),
            parameters=[ID_PARAMETER, REASON_PARAMETER],
            responses={200: detail, **ERRORS},
        ),
        history=extend_schema(
            summary=f"The versions of a {name}, oldest first",
            parameters=[ID_PARAMETER],
            responses={200: VersionSerializer(many=True), 404: ERRORS[404]},
        ),
    )


@_event_schema("seizure", SeizureSummarySerializer, SeizureSerializer, SeizureWriteSerializer)
class SeizureViewSet(EventViewSet):
    """Seizures, with their items and the entities involved."""

    kind = "seizure"
    filterset_class = SeizureFilter
    serializer_class = SeizureWriteSerializer
    detail_serializer = SeizureSerializer
    summary_serializer = SeizureSummarySerializer

    def get_queryset(self) -> QuerySet[Seizure]:
        return selectors.seizure_list_visible_to(user=self.request.user).prefetch_related(
            "agencies"
        )

    def get_record(self, pk: Any) -> Seizure:
        return selectors.seizure_get_for(user=self.request.user, pk=parse_pk(pk))

    def record(self, *, office: str, data: dict[str, Any]) -> Seizure:
        items = data.pop("items")
        involvements = data.pop("involvements", [])
        return services.seizure_record(
            actor=self.request.user, office=office, data=data, items=items,
            involvements=involvements,
        )  # fmt: skip

    def change(self, event: Any, *, data: dict[str, Any]) -> Seizure:
        items = data.pop("items", None)
        involvements = data.pop("involvements", None)
        return services.seizure_update(
            actor=self.request.user, seizure=event, data=data, items=items,
            involvements=involvements,
        )  # fmt: skip

    def tombstone(self, event: Any, reason: str) -> Seizure:
        return services.seizure_delete(actor=self.request.user, seizure=event, reason=reason)


@_event_schema("incident", IncidentSummarySerializer, IncidentSerializer, IncidentWriteSerializer)
class IncidentViewSet(EventViewSet):
    """Incidents: events without a seizure (attempted crossing, document fraud, ...)."""

    kind = "incident"
    filterset_class = IncidentFilter
    serializer_class = IncidentWriteSerializer
    detail_serializer = IncidentSerializer
    summary_serializer = IncidentSummarySerializer

    def get_queryset(self) -> QuerySet[Incident]:
        return selectors.incident_list_visible_to(user=self.request.user).prefetch_related(
            "agencies"
        )

    def get_record(self, pk: Any) -> Incident:
        return selectors.incident_get_for(user=self.request.user, pk=parse_pk(pk))

    def record(self, *, office: str, data: dict[str, Any]) -> Incident:
        involvements = data.pop("involvements", [])
        return services.incident_record(
            actor=self.request.user, office=office, data=data, involvements=involvements
        )

    def change(self, event: Any, *, data: dict[str, Any]) -> Incident:
        involvements = data.pop("involvements", None)
        return services.incident_update(
            actor=self.request.user, incident=event, data=data, involvements=involvements
        )

    def tombstone(self, event: Any, reason: str) -> Incident:
        return services.incident_delete(actor=self.request.user, incident=event, reason=reason)
