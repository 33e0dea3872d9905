"""Send a signed-in user who must use MFA but has not set it up to the TOTP set-up page."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from blonet.core.choices import COUNTRY_TIME_ZONES
from blonet.core.errors import error_body

ALLOWED_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/healthz", "/admin/logout")


class RequireMfaMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            settings.BLONET_REQUIRE_MFA
            and user is not None
            and user.is_authenticated
            and not request.path.startswith(ALLOWED_PREFIXES)
            and user.needs_mfa()  # type: ignore[union-attr]
            and not _has_totp(user)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    error_body("mfa_required", _("Set up two-factor authentication first.")),
                    status=403,
                )
            return redirect("mfa_activate_totp")
        return self.get_response(request)


def _has_totp(user: object) -> bool:
    from allauth.mfa.models import Authenticator

    cached = getattr(user, "_has_totp", None)
    if cached is None:
        cached = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        user._has_totp = cached  # type: ignore[attr-defined]
    return bool(cached)


class PostingTimeZoneMiddleware:
    """Show and take times in the local time of the user's country (one country posted to);
    otherwise in the node's `TIME_ZONE`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        zone = None
        if user is not None and user.is_authenticated:
            countries = user.access_context().country_codes  # type: ignore[union-attr]
            if len(countries) == 1:
                zone = COUNTRY_TIME_ZONES.get(next(iter(countries)))
        if zone:
            timezone.activate(zoneinfo.ZoneInfo(zone))
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()  # never leak a request's zone into the thread's next work
