"""Content Security Policy: only our own origin; no inline script or style. Sessions that slide
without a write per request."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # The offline API docs (Swagger UI / Redoc) need inline script; they are served from
        # our origin only and carry no user data.
        if not request.path.startswith("/api/docs") and not request.path.startswith("/api/redoc"):
            response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault(
            "Permissions-Policy", "geolocation=(), camera=(), microphone=()"
        )
        return response


class SlidingSessionMiddleware:
    """Sessions end when idle, without writing the session on every request.

    The session's row expires `SESSION_COOKIE_AGE` seconds after it was last saved. Rather than
    saving it on every request (`SESSION_SAVE_EVERY_REQUEST`, a write per page and per htmx
    fragment), this saves it only when that expiry would move by more than
    `BLONET_SESSION_REFRESH_SECONDS` (a minute; at most a tenth of the idle time): a session
    then ends between `SESSION_COOKIE_AGE` less that and `SESSION_COOKIE_AGE` after the last
    request, never later. It stamps the session with the time of its last save and must come
    right after Django's `SessionMiddleware`, which saves a modified session on the way out.
    """

    STAMP = "_blonet_saved_at"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.is_empty():  # no session, or no cookie: nothing to keep
            return response
        saved_at = session.get(self.STAMP)  # reads the session if nothing did before
        if session.is_empty():  # the cookie named a session that has expired or ended
            return response
        now = timezone.now().timestamp()
        window = min(settings.BLONET_SESSION_REFRESH_SECONDS, settings.SESSION_COOKIE_AGE / 10)
        if session.modified or not isinstance(saved_at, int | float) or now - saved_at > window:
            session[self.STAMP] = now
        return response
