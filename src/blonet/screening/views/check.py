"""The screening page: one check by name, MRZ, plate, container, organisation, phone or
document, answered in place (htmx) with the hits and their explanations; hit decisions."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from blonet.core.errors import BlonetError, NotFound, PermissionDenied
from blonet.screening import selectors
from blonet.screening.choices import WatchlistKind
from blonet.screening.forms import CHECK_FORMS, CHECK_TABS, DecisionForm
from blonet.screening.services import hit_confirm, hit_dismiss, screen_subject
from blonet.screening.services.checks import CheckResult, may_decide
from blonet.screening.views.common import hit_view, is_htmx, posts, put_errors, require_screening


def _kind(value: Any) -> str:
    return value if value in CHECK_FORMS else WatchlistKind.PERSON


def _result_context(result: CheckResult) -> dict[str, Any]:
    return {
        "result": result,
        "hits": [hit_view(h) for h in result.hits],
        "mrz": result.query.mrz if result.query else None,
        "warnings": result.query.warnings if result.query else [],
    }


@login_required
def index(request: HttpRequest) -> HttpResponse:
    require_screening(request)
    offices = posts(request.user)
    kind = _kind(request.POST.get("kind") if request.method == "POST" else request.GET.get("kind"))
    form_class = CHECK_FORMS[kind]
    context: dict[str, Any] = {"kind": kind, "tabs": CHECK_TABS, "checked": False}
    if request.method == "POST":
        form = form_class(request.POST, offices=offices)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "office"}
            try:
                result = screen_subject(
                    actor=request.user,
                    kind=kind,
                    data=data,
                    office=form.cleaned_data.get("office") or None,
                )
            except BlonetError as exc:
                put_errors(form, exc)
            else:
                context.update(_result_context(result), checked=True)
    else:
        form = form_class(offices=offices, initial={"office": offices[0].pk if offices else ""})
    context["form"] = form
    if is_htmx(request):
        return render(request, "screening/_check.html", context)
    return render(request, "screening/check.html", context)


@login_required
@require_POST
def hit_decide(request: HttpRequest, pk: Any, decision: str) -> HttpResponse:
    require_screening(request)
    if decision not in ("confirm", "dismiss"):
        raise Http404
    try:
        hit = selectors.hit_get_for(user=request.user, pk=pk)
    except NotFound as exc:
        raise Http404 from exc
    form = DecisionForm(request.POST)
    form.is_valid()
    reason = form.cleaned_data.get("reason", "") if hasattr(form, "cleaned_data") else ""
    context: dict[str, Any] = {"remembered": None, "decision_form": form}
    status = 200
    try:
        if decision == "confirm":
            hit_confirm(actor=request.user, hit=hit, reason=reason)
        else:
            _hit, context["remembered"] = hit_dismiss(actor=request.user, hit=hit, reason=reason)
    except PermissionDenied as exc:
        context["error"] = exc.message
        status = 403
    except BlonetError as exc:
        context["error"] = "; ".join(m for ms in exc.fields.values() for m in ms) or exc.message
        context["error_decision"] = decision
        status = 400 if not is_htmx(request) else 200
    context.update(hit_view(hit), can_decide=may_decide(request.user, hit))
    if is_htmx(request):
        return render(request, "screening/_hit.html", context, status=status)
    if status != 200:
        return render(request, "screening/hit_detail.html", context, status=status)
    return redirect("screening:hit_detail", pk=hit.pk)


@login_required
def hit_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    require_screening(request)
    try:
        hit = selectors.hit_get_for(user=request.user, pk=pk)
    except NotFound as exc:
        raise Http404 from exc
    context = {**hit_view(hit), "can_decide": may_decide(request.user, hit)}
    context["decision_form"] = DecisionForm()
    context["title"] = _("Hit")
    return render(request, "screening/hit_detail.html", context)
