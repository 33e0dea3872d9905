"""What the exchange pages share: 404 for hidden and missing alike, the viewer's offices."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponseBase

from blonet.core.errors import NotFound
from blonet.exchange.querysets import exchange_access


def not_found_as_404(view: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(view)
    def inner(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404 from exc

    return inner


def viewer_context(request: HttpRequest) -> dict[str, Any]:
    """Staff names are national: a viewer sees the people of their own countries' offices."""
    access = exchange_access(request.user).base
    return {
        "viewer_offices": sorted(access.office_ids),
        "viewer_countries": sorted(access.country_codes),
    }


def is_htmx(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not getattr(htmx, "boosted", False)
