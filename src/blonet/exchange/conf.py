"""Settings of the exchange, each from `settings.BLONET_EXCHANGE_*` or the environment.

The lead may move these into `blonet.settings.base`; until then the environment variable of the
same name (or the default) applies.
"""

from __future__ import annotations

import datetime as dt
import os

from django.conf import settings

_DEFAULTS: dict[str, int] = {
    # Hours after the due time before an unanswered request goes to the situation centre.
    "BLONET_EXCHANGE_ESCALATE_AFTER_HOURS": 4,
    # Attachments per message and the size of each.
    "BLONET_EXCHANGE_MAX_ATTACHMENTS": 5,
    "BLONET_EXCHANGE_MAX_ATTACHMENT_BYTES": 10 * 2**20,
    # How often an open inbox asks whether anything changed (milliseconds).
    "BLONET_EXCHANGE_POLL_MS": 1000,
    # An inbox left without keyboard or mouse input this long stops polling, so that the
    # idle session expiry still applies (seconds).
    "BLONET_EXCHANGE_POLL_IDLE_SECONDS": 25 * 60,
}


def _int(name: str) -> int:
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, "")
    try:
        return int(value)
    except (TypeError, ValueError):
        return _DEFAULTS[name]


def escalate_after() -> dt.timedelta:
    return dt.timedelta(hours=_int("BLONET_EXCHANGE_ESCALATE_AFTER_HOURS"))


def max_attachments() -> int:
    return _int("BLONET_EXCHANGE_MAX_ATTACHMENTS")


def max_attachment_bytes() -> int:
    return _int("BLONET_EXCHANGE_MAX_ATTACHMENT_BYTES")


def poll_ms() -> int:
    return _int("BLONET_EXCHANGE_POLL_MS")


def poll_idle_seconds() -> int:
    return _int("BLONET_EXCHANGE_POLL_IDLE_SECONDS")


def base_url() -> str:
    """Where the e-mail notifications point (the node's own address)."""
    value = getattr(settings, "BLONET_BASE_URL", None) or os.environ.get("BLONET_BASE_URL", "")
    return str(value or "http://127.0.0.1:8000").rstrip("/")
