"""Serializers of the exchange API: output shapes, and inputs that only parse (the services
validate and answer in the one error shape)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from blonet.core.choices import Priority
from blonet.exchange.choices import InboxTab, LinkKind, MessageKind
from blonet.exchange.models import ForwardPermission, Message, Recipient, Thread, ThreadLink
from blonet.exchange.structured import display_fields


class ReceiptSerializer(serializers.ModelSerializer[Recipient]):
    office = serializers.CharField(source="office_id", read_only=True)
    answer = serializers.UUIDField(source="answer_id", read_only=True, allow_null=True)
    escalated_to = serializers.CharField(source="escalated_to_id", read_only=True, allow_null=True)

    class Meta:
        model = Recipient
        fields = [
            "office", "delivered_at", "read_at", "acknowledged_at", "answered_at", "answer",
            "response_seconds", "ack_seconds", "due_at", "overdue_at", "escalated_at",
            "escalated_to",
        ]  # fmt: skip


KIND_HELP = "One of: " + ", ".join(MessageKind.values) + "."


class InboxItemSerializer(ReceiptSerializer):
    kind = serializers.CharField(read_only=True, help_text=KIND_HELP)
    message = serializers.UUIDField(source="message_id", read_only=True)
    thread = serializers.UUIDField(source="thread_id", read_only=True)
    subject = serializers.CharField(source="thread.subject", read_only=True)
    sender_office = serializers.CharField(source="sender_office_id", read_only=True)

    class Meta(ReceiptSerializer.Meta):
        fields = [
            "message", "thread", "subject", "kind", "priority", "sender_office", "sent_at",
            *ReceiptSerializer.Meta.fields,
        ]  # fmt: skip


class StructuredRowSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    label = serializers.CharField(help_text="In the request's language.")  # type: ignore[assignment]
    values = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField(), min_length=2, max_length=2),
        help_text="[shown value, transliteration or empty] per value.",
    )


class MessageAttachmentSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    filename = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    url = serializers.SerializerMethodField()

    def get_url(self, obj: Any) -> str:
        return reverse("exchange:attachment", args=[obj.pk])


class MessageSerializer(serializers.ModelSerializer[Message]):
    sender_office = serializers.CharField(source="owner_office_id", read_only=True)
    originator_office = serializers.CharField(source="originator_office_id", read_only=True)
    thread = serializers.UUIDField(source="thread_id", read_only=True)
    in_reply_to = serializers.UUIDField(source="in_reply_to_id", read_only=True, allow_null=True)
    forwarded_from = serializers.UUIDField(
        source="forwarded_from_id", read_only=True, allow_null=True
    )
    seizure = serializers.UUIDField(source="seizure_id", read_only=True, allow_null=True)
    counterpart_country = serializers.CharField(
        source="counterpart_country_id", read_only=True, allow_null=True
    )
    recipients = ReceiptSerializer(many=True, read_only=True)
    structured_display = serializers.SerializerMethodField()
    attachments = MessageAttachmentSerializer(many=True, read_only=True)
    evaluation = serializers.CharField(read_only=True)
    kind = serializers.CharField(read_only=True, help_text=KIND_HELP)

    class Meta:
        model = Message
        fields = [
            "id", "thread", "kind", "priority", "sender_office", "originator_office",
            "recipients", "sent_at", "due_at", "language", "template", "structured",
            "structured_display", "body", "distribution", "counterpart_country",
            "handling_codes", "handling_conditions", "source_reliability",
            "information_accuracy", "evaluation", "classification", "in_reply_to",
            "forwarded_from", "seizure", "attachments",
        ]  # fmt: skip

    @extend_schema_field(StructuredRowSerializer(many=True))
    def get_structured_display(self, obj: Message) -> list[dict[str, Any]]:
        rows = display_fields(obj.template, obj.structured)
        return [{**r, "values": [list(v) for v in r["values"]]} for r in rows]


LINK_HELP = "One of: " + ", ".join(LinkKind.values) + "."


class LinkSerializer(serializers.ModelSerializer[ThreadLink]):
    kind = serializers.CharField(read_only=True, help_text=LINK_HELP)
    added_by_office = serializers.CharField(source="added_by_office_id", read_only=True)

    class Meta:
        model = ThreadLink
        fields = ["kind", "target_id", "added_by_office", "added_at"]


class ThreadSerializer(serializers.ModelSerializer[Thread]):
    opened_by_office = serializers.CharField(source="opened_by_office_id", read_only=True)
    reference = serializers.CharField(read_only=True)

    class Meta:
        model = Thread
        fields = ["id", "reference", "subject", "opened_by_office", "opened_at", "last_message_at"]


class ThreadDetailSerializer(ThreadSerializer):
    messages = serializers.SerializerMethodField()
    links = serializers.SerializerMethodField()

    class Meta(ThreadSerializer.Meta):
        fields = [*ThreadSerializer.Meta.fields, "messages", "links"]

    @extend_schema_field(MessageSerializer(many=True))
    def get_messages(self, obj: Thread) -> Any:
        return MessageSerializer(self.context["messages"], many=True, context=self.context).data

    @extend_schema_field(LinkSerializer(many=True))
    def get_links(self, obj: Thread) -> Any:
        return LinkSerializer(self.context["links"], many=True).data


class PermissionSerializer(serializers.ModelSerializer[ForwardPermission]):
    message = serializers.UUIDField(source="message_id", read_only=True)
    requesting_office = serializers.CharField(source="requesting_office_id", read_only=True)
    originator_office = serializers.CharField(source="originator_office_id", read_only=True)
    targets = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = ForwardPermission
        fields = [
            "id", "message", "requesting_office", "originator_office", "targets", "reason",
            "requested_at", "status", "decided_at", "decision_note",
        ]  # fmt: skip


class InboxCountsSerializer(serializers.Serializer[Any]):
    office = serializers.CharField()
    unread = serializers.IntegerField()
    mine = serializers.IntegerField(help_text="Requests awaiting this office's answer.")
    theirs = serializers.IntegerField(help_text="This office's requests awaiting an answer.")
    overdue = serializers.IntegerField()
    permissions = serializers.IntegerField(help_text="Forwarding requests to decide.")


# ----------------------------------------------------------------------------- inputs


class SharingInput(serializers.Serializer[Any]):
    distribution = serializers.CharField(required=False)
    counterpart_country = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    handling_codes = serializers.ListField(child=serializers.CharField(), required=False)
    handling_conditions = serializers.CharField(required=False, allow_blank=True)
    source_reliability = serializers.CharField(required=False)
    information_accuracy = serializers.CharField(required=False)
    classification = serializers.IntegerField(required=False)

    def sharing(self) -> dict[str, Any]:
        keys = SharingInput().fields.keys()
        return {k: v for k, v in self.validated_data.items() if k in keys}


class OfficeInput(serializers.Serializer[Any]):
    office = serializers.CharField(help_text="The office you act for (one of your postings).")


class LinkInput(OfficeInput):
    kind = serializers.CharField(help_text=LINK_HELP)
    target = serializers.CharField()


class SendInput(SharingInput, OfficeInput):
    recipients = serializers.ListField(child=serializers.CharField(), allow_empty=True)
    kind = serializers.CharField(
        help_text="alert, rfi, joint_action, correspondence or seizure_notification "
        "(answers: the answer action)."
    )
    thread = serializers.UUIDField(required=False, allow_null=True)
    in_reply_to = serializers.UUIDField(required=False, allow_null=True)
    subject = serializers.CharField(required=False, allow_blank=True, default="")
    body = serializers.CharField(required=False, allow_blank=True, default="")
    template = serializers.CharField(required=False, allow_blank=True, default="")
    structured = serializers.JSONField(required=False, default=dict)
    priority = serializers.ChoiceField(choices=Priority.choices, default=Priority.ROUTINE)
    due_at = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, help_text="ISO 8601; empty: default."
    )
    language = serializers.CharField(required=False, allow_blank=True, default="")
    links = LinkInput(many=True, required=False, help_text="office is ignored here.")
    seizure = serializers.UUIDField(
        required=False, allow_null=True, help_text="For kind seizure_notification only."
    )


class AnswerInput(SharingInput, OfficeInput):
    body = serializers.CharField()
    language = serializers.CharField(required=False, allow_blank=True, default="")


class ForwardInput(OfficeInput):
    recipients = serializers.ListField(child=serializers.CharField())
    note = serializers.CharField(required=False, allow_blank=True, default="")


class PermissionInput(OfficeInput):
    targets = serializers.ListField(child=serializers.CharField())
    reason = serializers.CharField()


class DecisionInput(serializers.Serializer[Any]):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class InboxQuery(serializers.Serializer[Any]):
    tab = serializers.ChoiceField(choices=InboxTab.choices, default=InboxTab.ALL)
