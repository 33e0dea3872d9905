from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from blonet.audit.services import audit_event_record
from blonet.core.views import error_response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A forged or stale CSRF token: a clear message and an audit event, never a bare 403."""
    audit_event_record(
        actor=getattr(request, "user", None),
        action="security.csrf_rejected",
        data={"path": request.path, "method": request.method},
    )
    return error_response(
        request,
        403,
        "csrf_failed",
        _("The form expired or did not come from this site. Reload the page and try again."),
    )
