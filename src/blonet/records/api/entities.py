"""One endpoint per kind of involved entity: persons, vehicles, organisations, phones, ..."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from blonet.audit.services import audit_event_record
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
from blonet.records.api.inputs import ENTITY_WRITE, SharingWriteSerializer, validated
from blonet.records.api.serializers import (
    ENTITY_DETAIL,
    ENTITY_ROUTES,
    ENTITY_SUMMARY,
    VersionSerializer,
    api_url,
)
from blonet.records.api.views import ERRORS
from blonet.records.filters import entity_filter_for
from blonet.records.models import ENTITY_MODELS, Involvement
from blonet.records.models.entities import Entity

APPEARANCES_SHOWN = 100
# Schema wording in English, fixed at import (not the language of whichever request came first).
SCHEMA_LABELS = {
    "person": "person",
    "vehicle": "vehicle",
    "organisation": "organisation",
    "phone": "phone",
    "document": "document",
    "container": "container",
    "account": "bank account",
}


def _write_serializer(kind: str) -> type[serializers.Serializer[Any]]:
    """Sharing fields and the kind's own fields, as one request body in the schema."""
    name = f"{ENTITY_MODELS[kind].__name__}WriteSerializer"
    doc = "The fields of this kind, and the owner office and sharing fields."
    return type(
        name,
        (SharingWriteSerializer, ENTITY_WRITE[kind]),
        {"__module__": __name__, "__doc__": doc},
    )


WRITE_SERIALIZERS = {kind: _write_serializer(kind) for kind in ENTITY_WRITE}


class EntityViewSet(RecordViewSet):
    """An involved entity: a first-class record that many seizures and incidents link to."""

    kind = ""

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.entity_list_visible_to(user=self.request.user, kind=self.kind)

    def get_record(self, pk: Any) -> Entity:
        return selectors.entity_get_for(user=self.request.user, kind=self.kind, pk=parse_pk(pk))

    def appearances(self, entity: Entity) -> dict[str, Any]:
        user = self.request.user
        found = selectors.entity_appearances(user=user, entity=entity)
        roles: dict[Any, list[str]] = {}
        links = Involvement.objects.visible_to(user).filter(**{entity.kind: entity})
        for seizure_id, incident_id, role in links.values_list("seizure_id", "incident_id", "role"):
            roles.setdefault(seizure_id or incident_id, []).append(role)
        out: dict[str, Any] = {}
        for name, route in (("seizures", "seizure"), ("incidents", "incident")):
            queryset = found[name].order_by("-occurred_at", "-created_at")
            out[name] = [
                {
                    "id": record.pk,
                    "url": api_url(route, record.pk, self.context()),
                    "reference": record.reference,
                    "occurred_at": record.occurred_at,
                    "roles": sorted(set(roles.get(record.pk, []))),
                }
                for record in queryset[:APPEARANCES_SHOWN]
            ]
            out[f"{name}_total"] = queryset.count()
        return out

    def detail_data(self, entity: Entity) -> dict[str, Any]:
        context = self.context(appearances=self.appearances(entity))
        return dict(ENTITY_DETAIL[self.kind](entity, context=context).data)

    def _write_data(self, request: Request, *, partial: bool) -> dict[str, Any]:
        return validated(WRITE_SERIALIZERS[self.kind](data=request.data, partial=partial))

    def list(self, request: Request) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = ENTITY_SUMMARY[self.kind](page, many=True, context=self.context())
        return self.get_paginated_response(rows.data)

    def retrieve(self, request: Request, pk: Any = None) -> Response:
        entity = self.get_record(pk)
        if self.kind == "person":
            # Reading personal data leaves a trace (identifiers only).
            audit_event_record(
                actor=request.user,
                action="records.person.viewed",
                target=entity,
                data={"via": "api"},
            )
        return Response(self.detail_data(entity))

    def create(self, request: Request) -> Response:
        data = self._write_data(request, partial=False)
        office = owner_office_of(request.user, data.pop("owner_office", None))
        entity = services.entity_create(
            actor=request.user, kind=self.kind, office=office, data=data
        )
        return Response(
            self.detail_data(self.get_record(entity.pk)), status=status.HTTP_201_CREATED
        )

    def _update(self, request: Request, pk: Any, *, partial: bool) -> Response:
        entity = self.get_record(pk)
        data = self._write_data(request, partial=partial)
        with history_user(request):
            services.entity_update(actor=request.user, entity=entity, data=data)
        return Response(self.detail_data(self.get_record(entity.pk)))

    def update(self, request: Request, pk: Any = None) -> Response:
        return self._update(request, pk, partial=False)

    def partial_update(self, request: Request, pk: Any = None) -> Response:
        return self._update(request, pk, partial=True)

    def destroy(self, request: Request, pk: Any = None) -> Response:
        entity = self.get_record(pk)
        reason = delete_reason(request)
        with history_user(request):
            services.entity_delete(actor=request.user, entity=entity, reason=reason)
        return Response(self.detail_data(self.get_record(entity.pk)))

    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def history(self, request: Request, pk: Any = None) -> Response:
        return Response(VersionSerializer(history_rows(self.get_record(pk)), many=True).data)


class DuplicateQuerySerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=300, help_text=_("The name as typed, any script."))
    dob = serializers.CharField(
        max_length=10, required=False, allow_blank=True, help_text=_("YYYY, YYYY-MM or YYYY-MM-DD.")
    )


def _entity_schema(kind: str) -> Any:
    summary, detail, write = ENTITY_SUMMARY[kind], ENTITY_DETAIL[kind], WRITE_SERIALIZERS[kind]
    label = SCHEMA_LABELS[kind]
    return extend_schema_view(
        list=extend_schema(
            summary=f"List the {label} records you may see",
            description="`q` searches in any script, as the HTML list does.",
            responses={200: summary(many=True), 400: ERRORS[400]},
        ),
        retrieve=extend_schema(
            summary=f"One {label}, with the seizures and incidents it appears in",
            parameters=[ID_PARAMETER],
            responses={200: detail, 404: ERRORS[404]},
        ),
        create=extend_schema(
            summary=f"Record a {label}",
            request=write,
            responses={201: detail, 400: ERRORS[400], 403: ERRORS[403]},
        ),
        update=extend_schema(
            summary=f"Change a {label} (a new version)",
            parameters=[ID_PARAMETER],
            request=write,
            responses={200: detail, **ERRORS},
        ),
        partial_update=extend_schema(
            summary=f"Change some fields of a {label} (a new version)",
            parameters=[ID_PARAMETER],
            request=write,
            responses={200: detail, **ERRORS},
        ),
        destroy=extend_schema(
            summary=f"Delete a {label}: a tombstone with its reason",
            description="Needs `reason`, in a JSON body or in the query string; answers 200.",
            parameters=[ID_PARAMETER, REASON_PARAMETER],
            responses={200: detail, **ERRORS},
        ),
        history=extend_schema(
            summary=f"The versions of a {label}, oldest first",
            parameters=[ID_PARAMETER],
            responses={200: VersionSerializer(many=True), 404: ERRORS[404]},
        ),
    )


def _viewset(kind: str) -> type[EntityViewSet]:
    model = ENTITY_MODELS[kind]
    attrs = {"kind": kind, "filterset_class": entity_filter_for(model), "__module__": __name__}
    cls = type(f"{model.__name__}ViewSet", (EntityViewSet,), attrs)
    return _entity_schema(kind)(cls)  # type: ignore[no-any-return]


@_entity_schema("person")
class PersonViewSet(EntityViewSet):
    """Persons: names in any script as written, with their transliterated forms."""

    kind = "person"
    filterset_class = entity_filter_for(ENTITY_MODELS["person"])

    @extend_schema(
        summary="Persons already recorded who may be the one being typed",
        description="Same phonetic name keys in any script and order, and a date of birth that "
        "does not contradict (a simple check; screening does better).",
        parameters=[
            OpenApiParameter("name", OpenApiTypes.STR, required=True),
            OpenApiParameter("dob", OpenApiTypes.STR),
        ],
        responses={
            200: inline_serializer(
                "PersonDuplicates", {"results": ENTITY_SUMMARY["person"](many=True)}
            ),
            400: ERRORS[400],
        },
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def duplicates(self, request: Request) -> Response:
        query = validated(DuplicateQuerySerializer(data=request.query_params))
        found = services.person_likely_duplicates(
            user=request.user, full_name=query["name"], dob=query.get("dob", "")
        )
        rows = ENTITY_SUMMARY["person"](found, many=True, context=self.context())
        return Response({"results": rows.data})


ENTITY_VIEWSETS: dict[str, type[EntityViewSet]] = {
    kind: PersonViewSet if kind == "person" else _viewset(kind) for kind in ENTITY_ROUTES
}
