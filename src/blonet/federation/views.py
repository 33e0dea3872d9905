"""The node administrator's federation page: peers, egress holds, the queue, the inbox and
what was refused, and the fate of any record at every peer."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from blonet.core.errors import ValidationError
from blonet.federation import node
from blonet.federation.choices import REFUSAL_REASONS
from blonet.federation.forms import HoldForm, InboxFilter, QueueFilter
from blonet.federation.models import NodeKey
from blonet.federation.selectors import (
    deliveries_visible_to,
    inbox_visible_to,
    may_administer,
    peers_visible_to,
    quarantine_visible_to,
)
from blonet.federation.services.egress import peer_hold, peer_release

PAGE = 50


def _admin_only(request: HttpRequest) -> None:
    if not may_administer(request.user):
        raise Http404  # the same answer as for a page that does not exist


def _page(request: HttpRequest, qs: Any) -> Any:
    return Paginator(qs, PAGE).get_page(request.GET.get("page"))


@login_required
def status(request: HttpRequest) -> HttpResponse:
    _admin_only(request)
    tab = request.GET.get("tab", "peers")
    context: dict[str, Any] = {
        "tab": tab, "node_code": node.code(), "enabled": node.enabled(),
        "key": NodeKey.objects.filter(valid_until__isnull=True, revoked_at__isnull=True).last(),
        "peers": peers_visible_to(request.user), "hold_form": HoldForm(),
        "reasons": REFUSAL_REASONS,
    }  # fmt: skip
    query = request.GET.copy()
    query.pop("page", None)
    context["query"] = query.urlencode()
    if tab == "queue":
        form: forms.Form = QueueFilter(request.GET or None)
        qs = deliveries_visible_to(request.user).order_by("-entry_id", "peer_id")
        if form.is_valid():
            if form.cleaned_data["peer"]:
                qs = qs.filter(peer_id=form.cleaned_data["peer"].upper())
            if form.cleaned_data["state"]:
                qs = qs.filter(state=form.cleaned_data["state"])
            if form.cleaned_data["record"]:
                qs = qs.filter(entry__record_uuid=form.cleaned_data["record"].strip().lower())
        context.update(form=form, page=_page(request, qs))
    elif tab == "inbox":
        form = InboxFilter(request.GET or None)
        received = inbox_visible_to(request.user).order_by("-received_at")
        if form.is_valid():
            if form.cleaned_data["origin"]:
                received = received.filter(origin_node=form.cleaned_data["origin"].upper())
            if form.cleaned_data["state"]:
                received = received.filter(state=form.cleaned_data["state"])
        context.update(form=form, page=_page(request, received))
    elif tab == "refused":
        context["page"] = _page(request, quarantine_visible_to(request.user))
    return render(request, "federation/status.html", context)


@login_required
@require_POST
def hold(request: HttpRequest, code: str) -> HttpResponse:
    _admin_only(request)
    peer = get_object_or_404(peers_visible_to(request.user), code=code)
    form = HoldForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why traffic to this peer is held."))
        return redirect("federation:status")
    try:
        peer_hold(actor=request.user, peer=peer, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, exc.message)
        return redirect("federation:status")
    messages.success(request, _("Outgoing traffic to %s is held.") % peer.code)
    return redirect("federation:status")


@login_required
@require_POST
def release(request: HttpRequest, code: str) -> HttpResponse:
    _admin_only(request)
    peer = get_object_or_404(peers_visible_to(request.user), code=code)
    peer_release(actor=request.user, peer=peer)
    messages.success(request, _("Outgoing traffic to %s is released.") % peer.code)
    return redirect("federation:status")
