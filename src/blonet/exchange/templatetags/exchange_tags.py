"""Template helpers of the exchange: durations, badges."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

register = template.Library()

_KIND_BADGE = {
    "alert": "danger",
    "rfi": "primary",
    "answer": "success",
    "seizure_notification": "warning",
    "joint_action": "info",
    "correspondence": "secondary",
}
_PRIORITY_BADGE = {"immediate": "danger", "urgent": "warning", "routine": "light"}


@register.filter
def duration(seconds: Any) -> str:
    """4500 -> '1 h 15 min' (translated)."""
    if seconds is None or seconds == "":
        return "—"
    total = max(int(seconds), 0)
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return _("%(d)d d %(h)d h") % {"d": days, "h": hours}
    if hours:
        return _("%(h)d h %(m)d min") % {"h": hours, "m": minutes}
    if minutes:
        return _("%(m)d min") % {"m": minutes}
    return _("%(s)d s") % {"s": total}


@register.filter
def kind_badge(kind: str) -> str:
    return _KIND_BADGE.get(kind, "secondary")


@register.filter
def priority_badge(priority: str) -> str:
    return _PRIORITY_BADGE.get(priority, "light")


@register.filter
def seconds_between(later: Any, earlier: Any) -> int | None:
    if later is None or earlier is None:
        return None
    return int((later - earlier).total_seconds())
