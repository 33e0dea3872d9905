"""Watchlist pages: the lists one may see, a list with its entries, adding and importing
entries, an entry, removing it, and putting a records entity on a list in one step."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from blonet.audit.services import audit_event_record
from blonet.core.errors import BlonetError, NotFound
from blonet.records import selectors as records_selectors
from blonet.records.io.readers import MAX_BYTES
from blonet.records.views.common import can_edit, forbidden
from blonet.screening import selectors
from blonet.screening.choices import ENTITY_KINDS, WatchlistKind
from blonet.screening.forms import (
    ENTRY_FORMS,
    FromEntityForm,
    ImportForm,
    ReasonForm,
    WatchlistForm,
)
from blonet.screening.models import Watchlist
from blonet.screening.services import (
    entries_import,
    entry_add,
    entry_from_entity,
    entry_remove,
    watchlist_create,
)
from blonet.screening.views.common import hit_view, posts, put_errors, require_screening

PAGE_SIZE = 50


def _watchlist(request: HttpRequest, pk: Any) -> Watchlist:
    try:
        return selectors.watchlist_get_for(user=request.user, pk=pk)
    except NotFound as exc:
        raise Http404 from exc


@login_required
def watchlist_list(request: HttpRequest) -> HttpResponse:
    require_screening(request)
    kind = request.GET.get("kind", "")
    kind = kind if kind in WatchlistKind.values else ""
    lists = selectors.watchlist_list_visible_to(user=request.user, kind=kind)
    return render(
        request,
        "screening/watchlist_list.html",
        {"lists": lists, "kind": kind, "kinds": WatchlistKind.choices, "can_create": True},
    )


@login_required
def watchlist_new(request: HttpRequest) -> HttpResponse:
    require_screening(request)
    offices = posts(request.user)
    form = WatchlistForm(request.POST or None, user=request.user, offices=offices)
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data, **form.sharing_data()}
        try:
            wl = watchlist_create(actor=request.user, office=data.pop("owner_office"), data=data)
        except BlonetError as exc:
            put_errors(form, exc)
        else:
            messages.success(request, _("The list is created: add entries or import a file."))
            return redirect(wl.get_absolute_url())
    return render(request, "screening/watchlist_form.html", {"form": form})


def _detail_context(request: HttpRequest, wl: Watchlist, **extra: Any) -> dict[str, Any]:
    q = request.GET.get("q", "")
    entries = selectors.entry_list_for(user=request.user, watchlist=wl, q=q)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    editable = can_edit(request.user, wl)
    context = {
        "watchlist": wl,
        "page": page,
        "q": q,
        "can_edit": editable,
        "entry_form": ENTRY_FORMS[wl.kind](),
        "import_form": ImportForm(),
        "max_mb": MAX_BYTES // 2**20,
    }
    context.update(extra)
    return context


@login_required
def watchlist_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    require_screening(request)
    wl = _watchlist(request, pk)
    context = _detail_context(request, wl)
    if wl.kind == WatchlistKind.PERSON:
        audit_event_record(
            actor=request.user,
            action="screening.watchlist.viewed",
            target=wl,
            data={"page": context["page"].number},
        )
    return render(request, "screening/watchlist_detail.html", context)


@login_required
@require_POST
def watchlist_entry_add(request: HttpRequest, pk: Any) -> HttpResponse:
    require_screening(request)
    wl = _watchlist(request, pk)
    if not can_edit(request.user, wl):
        return forbidden(request, _("Only the list's owner office adds entries."))
    form = ENTRY_FORMS[wl.kind](request.POST)
    if form.is_valid():
        try:
            entry_add(actor=request.user, watchlist=wl, data=form.cleaned_data)
        except BlonetError as exc:
            put_errors(form, exc)
        else:
            messages.success(request, _("The entry is on the list and screened from now on."))
            return redirect(wl.get_absolute_url())
    context = _detail_context(request, wl, entry_form=form, open_add=True)
    return render(request, "screening/watchlist_detail.html", context, status=400)


@login_required
@require_POST
def watchlist_import(request: HttpRequest, pk: Any) -> HttpResponse:
    require_screening(request)
    wl = _watchlist(request, pk)
    if not can_edit(request.user, wl):
        return forbidden(request, _("Only the list's owner office imports entries."))
    form = ImportForm(request.POST, request.FILES)
    report = None
    if form.is_valid():
        upload = form.cleaned_data.get("file")
        if upload is None:
            form.add_error("file", _("Choose a file."))
        elif upload.size > MAX_BYTES:
            form.add_error(
                "file",
                _("The file is %(size)s MB; the limit is %(limit)s MB: split it.")
                % {"size": round(upload.size / 2**20, 1), "limit": MAX_BYTES // 2**20},
            )
        else:
            report = entries_import(
                actor=request.user,
                watchlist=wl,
                content=upload.read(),
                filename=upload.name or "",
                default_reason=form.cleaned_data.get("reason", ""),
                dry_run=bool(form.cleaned_data.get("dry_run")),
            )
    context = _detail_context(request, wl, import_form=form, report=report, open_import=True)
    status = 200 if report is not None and report.ok else 400
    return render(request, "screening/watchlist_detail.html", context, status=status)


def _entry(request: HttpRequest, pk: Any) -> Any:
    try:
        return selectors.entry_get_for(user=request.user, pk=pk)
    except NotFound as exc:
        raise Http404 from exc


@login_required
def entry_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    require_screening(request)
    entry = _entry(request, pk)
    if entry.watchlist.kind == WatchlistKind.PERSON:
        audit_event_record(actor=request.user, action="screening.entry.viewed", target=entry)
    hits = selectors.hits_visible_to(user=request.user).filter(entry=entry).order_by("-created_at")
    context = {
        "entry": entry,
        "hits": [hit_view(h) for h in hits[:50]],
        "can_edit": can_edit(request.user, entry.watchlist) and not entry.is_deleted,
        "remove_form": ReasonForm(),
        "dismissals": entry.dismissals.count(),
    }
    return render(request, "screening/entry_detail.html", context)


@login_required
@require_POST
def entry_remove_view(request: HttpRequest, pk: Any) -> HttpResponse:
    require_screening(request)
    entry = _entry(request, pk)
    if not can_edit(request.user, entry.watchlist):
        return forbidden(request, _("Only the list's owner office removes entries."))
    form = ReasonForm(request.POST)
    form.is_valid()
    try:
        entry_remove(actor=request.user, entry=entry, reason=form.cleaned_data.get("reason", ""))
    except BlonetError as exc:
        put_errors(form, exc)
        context = {"entry": entry, "hits": [], "can_edit": True, "remove_form": form}
        return render(request, "screening/entry_detail.html", context, status=400)
    messages.success(request, _("The entry is removed from the list; its hits stay."))
    return redirect(entry.watchlist.get_absolute_url())


@login_required
def entry_from_entity_view(request: HttpRequest, kind: str, pk: Any) -> HttpResponse:
    """Put a records entity (person, vehicle, container, ...) on one of the user's lists."""
    require_screening(request)
    if kind not in ENTITY_KINDS:
        raise Http404
    try:
        entity = records_selectors.entity_get_for(user=request.user, kind=kind, pk=pk)
    except NotFound as exc:
        raise Http404 from exc
    lists = [
        wl
        for wl in selectors.watchlist_list_visible_to(user=request.user, kind=kind)
        if can_edit(request.user, wl)
    ]
    form = FromEntityForm(request.POST or None, lists=lists)
    if request.method == "POST" and form.is_valid():
        wl = next(w for w in lists if str(w.pk) == form.cleaned_data["watchlist"])
        try:
            entry = entry_from_entity(
                actor=request.user, entity=entity, watchlist=wl, data=form.cleaned_data
            )
        except BlonetError as exc:
            put_errors(form, exc)
        else:
            messages.success(request, _("On the list: it is screened from now on."))
            return redirect(entry.get_absolute_url())
    context = {"entity": entity, "kind": kind, "form": form, "lists": lists}
    status = 400 if request.method == "POST" else 200
    return render(request, "screening/entry_from_entity.html", context, status=status)
