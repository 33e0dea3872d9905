from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse


@login_required
def thread_page(request: HttpRequest, pk: Any) -> HttpResponse:
    raise Http404
