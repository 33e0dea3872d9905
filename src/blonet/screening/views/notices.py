"""The notice an officer gets when the entities of a record they just saved are on a watchlist.

For the records views (wired by the composition root): after `seizure_record`, call
`screen_record_entities(actor=request.user, record=seizure)` and pass the hits here.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import ngettext


def notify_record_hits(request: HttpRequest, hits: list[Any]) -> None:
    """A warning message naming the number of hits, with a link to the open hits."""
    if not hits:
        return
    text = ngettext(
        "%(n)d watchlist hit on the people, vehicles or containers of this record: review it.",
        "%(n)d watchlist hits on the people, vehicles or containers of this record: review them.",
        len(hits),
    ) % {"n": len(hits)}
    try:
        url = reverse("screening:run_detail", args=[hits[0].run_id])
    except NoReverseMatch:
        messages.warning(request, text)
        return
    messages.warning(request, format_html('<a href="{}">{}</a>', url, text))
