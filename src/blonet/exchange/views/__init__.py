from blonet.exchange.views.compose import compose, compose_fields, notify_seizure
from blonet.exchange.views.inbox import inbox, inbox_live, index, statistics
from blonet.exchange.views.threads import (
    acknowledge,
    answer,
    attachment,
    forward,
    link_add,
    permission_decide,
    permission_request,
    thread_list,
    thread_live,
    thread_page,
)

__all__ = [
    "acknowledge",
    "answer",
    "attachment",
    "compose",
    "compose_fields",
    "forward",
    "inbox",
    "inbox_live",
    "index",
    "link_add",
    "notify_seizure",
    "permission_decide",
    "permission_request",
    "statistics",
    "thread_list",
    "thread_live",
    "thread_page",
]
