"""The exchange API: reads through the selectors, writes through the services."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from blonet.audit.services import audit_event_record
from blonet.exchange import selectors, services
from blonet.exchange.api import serializers as s
from blonet.exchange.choices import InboxTab, MessageKind
from blonet.exchange.models import ForwardPermission, Message, Thread


def _valid(serializer_class: type[Any], data: Any) -> Any:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer


class ThreadViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """Threads with at least one message you may see; a thread shows only those messages."""

    serializer_class = s.ThreadSerializer
    filter_backends: list[Any] = []
    queryset = Thread.objects.none()

    def get_queryset(self) -> QuerySet[Thread]:
        return selectors.thread_list_visible_to(
            user=self.request.user, q=self.request.query_params.get("q", "")[:200]
        )

    @extend_schema(
        parameters=[OpenApiParameter("q", str, description="Words, names, plates in any script.")]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(responses=s.ThreadDetailSerializer)
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        thread = selectors.thread_get_for(user=request.user, pk=kwargs["pk"])
        messages = selectors.thread_messages(user=request.user, thread=thread)
        audit_event_record(
            actor=request.user,
            action="exchange.thread.viewed",
            target=thread,
            data={"messages": [str(m.pk) for m in messages], "via": "api"},
        )
        context = {
            **self.get_serializer_context(),
            "messages": messages,
            "links": selectors.thread_links_visible(user=request.user, thread=thread),
        }
        return Response(s.ThreadDetailSerializer(thread, context=context).data)

    @extend_schema(request=s.LinkInput, responses={201: s.LinkSerializer})
    @action(detail=True, methods=["post"])
    def links(self, request: Request, pk: Any = None) -> Response:
        data = _valid(s.LinkInput, request.data).validated_data
        thread = selectors.thread_get_for(user=request.user, pk=pk)
        link = services.thread_link_add(
            actor=request.user,
            thread=thread,
            office=data["office"],
            kind=data["kind"],
            target=data["target"],
        )
        return Response(s.LinkSerializer(link).data, status=status.HTTP_201_CREATED)


class MessageViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    """Messages you may see. Sending, reading, acknowledging, answering and forwarding are
    actions through the same services as the pages."""

    serializer_class = s.MessageSerializer
    filter_backends: list[Any] = []
    queryset = Message.objects.none()

    def get_queryset(self) -> QuerySet[Message]:
        qs = selectors.message_list_visible_to(user=self.request.user).prefetch_related(
            "attachments"
        )
        thread = self.request.query_params.get("thread")
        if thread:
            from blonet.records.normalise import as_uuid

            key = as_uuid(thread)
            qs = qs.filter(thread_id=key) if key else qs.none()
        kind = self.request.query_params.get("kind")
        if kind:
            qs = qs.filter(kind=kind)
        return qs

    @extend_schema(
        parameters=[
            OpenApiParameter("thread", str, description="Only this thread's messages."),
            OpenApiParameter("kind", str, enum=MessageKind.values),
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        message = selectors.message_get_for(user=request.user, pk=kwargs["pk"])
        found = self.get_queryset().get(pk=message.pk)
        audit_event_record(
            actor=request.user,
            action="exchange.message.viewed",
            target=message,
            data={"via": "api"},
        )
        return Response(self.get_serializer(found).data)

    def _answer(self, message: Message, code: int = status.HTTP_201_CREATED) -> Response:
        fresh = self.get_queryset().get(pk=message.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    @extend_schema(request=s.SendInput, responses={201: s.MessageSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Send: a new thread (give `subject`) or a message in `thread`; a seizure
        notification when kind is seizure_notification and `seizure` is given."""
        data = _valid(s.SendInput, request.data)
        v = data.validated_data
        if v["kind"] == MessageKind.SEIZURE_NOTIFICATION:
            message = services.seizure_notification_send(
                actor=request.user, seizure=v.get("seizure"), office=v["office"],
                recipients=v["recipients"], body=v["body"], subject=v["subject"],
                priority=v["priority"], sharing=data.sharing(), language=v["language"],
                thread=v.get("thread"),
            )  # fmt: skip
        else:
            message = services.message_send(
                actor=request.user, office=v["office"], recipients=v["recipients"],
                kind=v["kind"], thread=v.get("thread"), subject=v["subject"], body=v["body"],
                template=v["template"], structured=v["structured"], priority=v["priority"],
                due_at=v.get("due_at"), language=v["language"], sharing=data.sharing(),
                links=[(x["kind"], x["target"]) for x in v.get("links", [])],
                in_reply_to=v.get("in_reply_to"),
            )  # fmt: skip
        return self._answer(message)

    @extend_schema(request=s.OfficeInput, responses=s.ReceiptSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: Any = None) -> Response:
        office = _valid(s.OfficeInput, request.data).validated_data["office"]
        receipt = services.message_read(actor=request.user, message=pk, office=office)
        return Response(s.ReceiptSerializer(receipt).data)

    @extend_schema(request=s.OfficeInput, responses=s.ReceiptSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, pk: Any = None) -> Response:
        office = _valid(s.OfficeInput, request.data).validated_data["office"]
        receipt = services.message_acknowledge(actor=request.user, message=pk, office=office)
        return Response(s.ReceiptSerializer(receipt).data)

    @extend_schema(request=s.AnswerInput, responses={201: s.MessageSerializer})
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk: Any = None) -> Response:
        data = _valid(s.AnswerInput, request.data)
        v = data.validated_data
        answer = services.rfi_answer(
            actor=request.user, message=pk, office=v["office"], body=v["body"],
            sharing=data.sharing(), language=v["language"],
        )  # fmt: skip
        return self._answer(answer)

    @extend_schema(request=s.ForwardInput, responses={201: s.MessageSerializer})
    @action(detail=True, methods=["post"])
    def forward(self, request: Request, pk: Any = None) -> Response:
        v = _valid(s.ForwardInput, request.data).validated_data
        copy = services.message_forward(
            actor=request.user, message=pk, office=v["office"], recipients=v["recipients"],
            note=v["note"],
        )  # fmt: skip
        return self._answer(copy)

    @extend_schema(request=s.PermissionInput, responses={201: s.PermissionSerializer})
    @action(detail=True, methods=["post"], url_path="permission-requests")
    def permission_requests(self, request: Request, pk: Any = None) -> Response:
        v = _valid(s.PermissionInput, request.data).validated_data
        permission = services.forward_permission_request(
            actor=request.user, message=pk, office=v["office"], targets=v["targets"],
            reason=v["reason"],
        )  # fmt: skip
        return Response(s.PermissionSerializer(permission).data, status=status.HTTP_201_CREATED)


class PermissionViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """Forwarding requests on messages you may see; the originator office decides."""

    serializer_class = s.PermissionSerializer
    filter_backends: list[Any] = []
    queryset = ForwardPermission.objects.none()

    def get_queryset(self) -> QuerySet[ForwardPermission]:
        return selectors.permission_list_visible_to(user=self.request.user).order_by(
            "-requested_at"
        )

    def _decide(self, request: Request, pk: Any, grant: bool) -> Response:
        note = _valid(s.DecisionInput, request.data).validated_data["note"]
        permission = services.forward_permission_decide(
            actor=request.user, permission=pk, grant=grant, note=note
        )
        return Response(s.PermissionSerializer(permission).data)

    @extend_schema(request=s.DecisionInput, responses=s.PermissionSerializer)
    @action(detail=True, methods=["post"])
    def grant(self, request: Request, pk: Any = None) -> Response:
        return self._decide(request, pk, True)

    @extend_schema(request=s.DecisionInput, responses=s.PermissionSerializer)
    @action(detail=True, methods=["post"])
    def refuse(self, request: Request, pk: Any = None) -> Response:
        return self._decide(request, pk, False)


OFFICE_PATH = OpenApiParameter(
    "office", str, OpenApiParameter.PATH, description="An office you are posted to."
)


class InboxViewSet(viewsets.ViewSet):
    """The inbox of each office you are posted to: counts per tab, and the items of a tab."""

    lookup_field = "office"
    lookup_value_regex = "[-a-z0-9]+"

    @extend_schema(responses=s.InboxCountsSerializer(many=True))
    def list(self, request: Request) -> Response:
        now = timezone.now()
        rows = [
            {"office": o.pk, **selectors.inbox_counts(user=request.user, office=o, now=now)}
            for o in selectors.inbox_offices(user=request.user)
        ]
        return Response(s.InboxCountsSerializer(rows, many=True).data)

    @extend_schema(parameters=[OFFICE_PATH], responses=s.InboxCountsSerializer)
    def retrieve(self, request: Request, office: str | None = None) -> Response:
        found = selectors.inbox_office_for(user=request.user, office_id=str(office))
        services.overdue_scan(offices=[found])
        counts = selectors.inbox_counts(user=request.user, office=found)
        return Response(s.InboxCountsSerializer({"office": found.pk, **counts}).data)

    @extend_schema(
        parameters=[
            OFFICE_PATH,
            OpenApiParameter("tab", str, enum=InboxTab.values),
        ],
        responses=s.InboxItemSerializer(many=True),
    )
    @action(detail=True, methods=["get"])
    def items(self, request: Request, office: str | None = None) -> Response:
        found = selectors.inbox_office_for(user=request.user, office_id=str(office))
        tab = _valid(s.InboxQuery, request.query_params).validated_data["tab"]
        rows = selectors.inbox_rows(user=request.user, office=found, tab=tab)
        from blonet.core.api import Pagination

        paginator = Pagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(s.InboxItemSerializer(page, many=True).data)
