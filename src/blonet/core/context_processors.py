from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from blonet import __version__


def blonet(request: HttpRequest) -> dict[str, Any]:
    return {
        "BLONET_VERSION": __version__,
        "BLONET_NODE": settings.BLONET_NODE,
        "BLONET_REQUIRE_MFA": settings.BLONET_REQUIRE_MFA,
    }
