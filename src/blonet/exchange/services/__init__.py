"""Writes of the exchange: each checks the actor, validates, saves, audits, in one transaction;
every refusal is audited too (`exchange.refused`)."""

from blonet.exchange.services.deadlines import default_due, overdue_scan
from blonet.exchange.services.forwarding import (
    forward_permission_decide,
    forward_permission_request,
    message_forward,
)
from blonet.exchange.services.links import thread_link_add
from blonet.exchange.services.receipts import mark_read, message_acknowledge, message_read
from blonet.exchange.services.sending import message_send, rfi_answer, seizure_notification_send

__all__ = [
    "default_due",
    "forward_permission_decide",
    "forward_permission_request",
    "mark_read",
    "message_acknowledge",
    "message_forward",
    "message_read",
    "message_send",
    "overdue_scan",
    "rfi_answer",
    "seizure_notification_send",
    "thread_link_add",
]
