from blonet.exchange.models.messages import (
    OPEN_REQUEST,
    ForwardPermission,
    Message,
    MessageAttachment,
    Recipient,
)
from blonet.exchange.models.threads import LINK_FIELDS, Thread, ThreadLink

__all__ = [
    "LINK_FIELDS",
    "OPEN_REQUEST",
    "ForwardPermission",
    "Message",
    "MessageAttachment",
    "Recipient",
    "Thread",
    "ThreadLink",
]
