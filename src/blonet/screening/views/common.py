"""What every screening page shares: who may screen, their posts, service errors on forms."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest

from blonet.core.errors import BlonetError
from blonet.records.views.common import is_operational, writer_offices
from blonet.screening.messages import explain


def require_screening(request: HttpRequest) -> None:
    """Screening is for operational roles; for anyone else it does not exist (404)."""
    if not is_operational(request.user):
        raise Http404


def posts(user: Any) -> list[Any]:
    """The offices `user` may screen for, by id."""
    return sorted(writer_offices(user), key=lambda o: o.pk)


def put_errors(form: Any, exc: BlonetError) -> None:
    """A service's field messages onto the form (unknown fields onto the form as a whole)."""
    if not exc.fields:
        form.add_error(None, exc.message)
    for field, messages in exc.fields.items():
        form.add_messages(field, messages)


def is_htmx(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not getattr(htmx, "boosted", False)


def hit_view(hit: Any) -> dict[str, Any]:
    """A hit as the templates show it: the explanation in the UI language."""
    return {"hit": hit, "lines": explain(hit.explanation)}
