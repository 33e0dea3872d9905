"""The sections other contexts add to a record's or an entity's page, loaded one by one.

The page renders a placeholder per registered section (`placeholders`); htmx fetches each from
its own URL, whose view finds the record through `.visible_to(user)` as the page does (404
otherwise) and answers `section_response`: the section alone for htmx, or a page of its own
when the officer follows the placeholder's <noscript> link.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from blonet.records.hooks import Section


def placeholders(names: list[str], url: Callable[[str], str]) -> list[dict[str, Any]]:
    return [
        {"name": name, "url": url(name), "number": number}
        for number, name in enumerate(names, start=1)
    ]


def _is_htmx(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not getattr(htmx, "boosted", False)


def section_response(
    request: HttpRequest,
    registry: dict[str, Section],
    name: str,
    target: Any,
    context: dict[str, Any],
) -> HttpResponse:
    """The section `name` of `registry` for the page of `target` (already found through
    `.visible_to(user)`): the section alone for htmx (nothing when it has nothing to show), or a
    page of its own."""
    call = registry.get(name)
    if call is None:
        raise Http404
    section = call(request.user, target) or None
    if not _is_htmx(request):
        response = render(
            request,
            "records/section_page.html",
            {**context, "section": section, "target": target,
             "target_url": target.get_absolute_url()},
        )  # fmt: skip
    elif section is None:  # htmx swaps the placeholder for nothing
        response = HttpResponse("")
    else:
        response = render(request, section["template"], {**context, "section": section})
    patch_vary_headers(response, ["HX-Request"])
    return response
