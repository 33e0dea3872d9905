"""A record's or an entity's page as the browser shows it once htmx has loaded its sections."""

from __future__ import annotations

import re
from typing import Any

PLACEHOLDER = re.compile(
    r'<div [^>]*data-testid="section-placeholder"[^>]*hx-get="([^"]+)"[^>]*>'
    r".*?</noscript>\s*</div>",
    re.S,
)


def page_with_sections(client: Any, url: str) -> str:
    """The page at `url` with each section placeholder replaced by what its URL answers htmx."""
    page = client.get(url)
    assert page.status_code == 200, url
    return PLACEHOLDER.sub(
        lambda m: client.get(m.group(1), HTTP_HX_REQUEST="true").content.decode(),
        page.content.decode(),
    )
