"""A thread's timeline with receipts and response times, and what can be done from it."""

from __future__ import annotations

from itertools import chain
from typing import Any

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Max
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from blonet.audit.services import audit_event_record
from blonet.core.errors import BlonetError
from blonet.directory.models import Office
from blonet.exchange import selectors, services
from blonet.exchange.choices import PermissionStatus
from blonet.exchange.forms import (
    AnswerForm,
    ForwardForm,
    LinkForm,
    PermissionRequestForm,
    apply_errors,
)
from blonet.exchange.models import Message, Recipient, Thread
from blonet.exchange.structured import display_fields
from blonet.exchange.views.common import not_found_as_404, viewer_context


@login_required
def thread_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")[:200]
    paginator = Paginator(selectors.thread_list_visible_to(user=request.user, q=q), 25)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "exchange/thread_list.html", {"page": page, "q": q})


def _stamp(messages: list[Message]) -> str:
    ids = [m.pk for m in messages]
    latest = Recipient.objects.filter(message_id__in=ids).aggregate(m=Max("changed_at"))["m"]
    return f"{len(ids)}|{latest.isoformat() if latest else '-'}"


def _decorate(request: HttpRequest, messages: list[Message]) -> None:
    mine = set(viewer_context(request)["viewer_offices"])
    targets = {t for m in messages for p in m.permissions.all() for t in p.targets}
    names = {o.pk: o.local_name for o in Office.objects.filter(pk__in=targets)}
    for m in messages:
        for p in m.permissions.all():
            p.target_names = [names.get(t, t) for t in p.targets]  # type: ignore[attr-defined]
        m.display = display_fields(m.template, m.structured)  # type: ignore[attr-defined]
        receipts = list(m.recipients.all())
        m.my_receipts = [r for r in receipts if r.office_id in mine]  # type: ignore[attr-defined]
        m.can_decide = m.originator_office_id in mine  # type: ignore[attr-defined]
        m.pending_permissions = [  # type: ignore[attr-defined]
            p for p in m.permissions.all() if p.status == PermissionStatus.PENDING
        ]


def thread_context(request: HttpRequest, thread: Thread, **extra: Any) -> dict[str, Any]:
    messages = selectors.thread_messages(user=request.user, thread=thread)
    if services.mark_read(actor=request.user, messages=messages):
        messages = selectors.thread_messages(user=request.user, thread=thread)
    _decorate(request, messages)
    offices = selectors.inbox_offices(user=request.user)
    participants = selectors.thread_participants(thread)
    return {
        "thread": thread,
        "link_offices": [o for o in offices if o.pk in participants],
        "timeline": messages,
        "links": selectors.thread_links_visible(user=request.user, thread=thread),
        "stamp": _stamp(messages),
        "my_offices": offices,
        "answer_form": extra.pop("answer_form", None) or AnswerForm(),
        "link_form": extra.pop("link_form", None) or LinkForm(),
        **viewer_context(request),
        **extra,
    }


@login_required
@not_found_as_404
def thread_page(request: HttpRequest, pk: Any) -> HttpResponse:
    thread = selectors.thread_get_for(user=request.user, pk=pk)
    context = thread_context(request, thread)
    audit_event_record(
        actor=request.user,
        action="exchange.thread.viewed",
        target=thread,
        data={"messages": [str(m.pk) for m in context["timeline"]]},
    )
    return render(request, "exchange/thread.html", context)


@login_required
@not_found_as_404
def thread_live(request: HttpRequest, pk: Any) -> HttpResponse:
    """204 while the thread is as shown; else a notice with a link to show what is new."""
    thread = selectors.thread_get_for(user=request.user, pk=pk)
    messages = list(
        Message.objects.visible_to(request.user).filter(thread=thread).only("pk").order_by("pk")
    )
    if request.GET.get("v") == _stamp(messages):
        return HttpResponse(status=204)
    return render(request, "exchange/_thread_changed.html", {"thread": thread})


def _office_of(request: HttpRequest) -> str:
    return str(request.POST.get("office", ""))


def _back(message: Message) -> HttpResponse:
    return redirect(f"{message.thread.get_absolute_url()}#m-{message.pk}")


@login_required
@require_POST
@not_found_as_404
def acknowledge(request: HttpRequest, pk: Any) -> HttpResponse:
    message = selectors.message_get_for(user=request.user, pk=pk)
    try:
        services.message_acknowledge(
            actor=request.user, message=message, office=_office_of(request)
        )
    except BlonetError as exc:
        flash.error(request, "; ".join([exc.message, *chain(*exc.fields.values())]))
    else:
        flash.success(request, _("Acknowledged."))
    return _back(message)


@login_required
@require_POST
@not_found_as_404
def answer(request: HttpRequest, pk: Any) -> HttpResponse:
    message = selectors.message_get_for(user=request.user, pk=pk)
    form = AnswerForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.rfi_answer(
                actor=request.user,
                message=message,
                office=_office_of(request),
                body=form.cleaned_data["body"],
                sharing=form.sharing(),
                language=form.cleaned_data["language"],
                attachments=form.cleaned_data["attachments"],
            )
        except BlonetError as exc:
            apply_errors(form, exc.fields, exc.message)
        else:
            flash.success(request, _("Answer sent."))
            return _back(message)
    context = thread_context(request, message.thread, answer_form=form, answer_for=message.pk)
    return render(request, "exchange/thread.html", context, status=400)


@login_required
@not_found_as_404
def forward(request: HttpRequest, pk: Any) -> HttpResponse:
    message = selectors.message_get_for(user=request.user, pk=pk)
    addressable = list(selectors.addressable_offices())
    offices = selectors.inbox_offices(user=request.user)
    form = ForwardForm(request.POST or None, addressable=addressable)
    ask = PermissionRequestForm(None, addressable=addressable)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.message_forward(
                actor=request.user,
                message=message,
                office=_office_of(request),
                recipients=form.cleaned_data["recipients"],
                note=form.cleaned_data["note"],
            )
        except BlonetError as exc:
            apply_errors(form, exc.fields, exc.message)
            status = 403 if exc.status == 403 else 400
        else:
            flash.success(request, _("Forwarded."))
            return _back(message)
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "exchange/forward.html",
        {"message": message, "form": form, "ask": ask, "my_offices": offices},
        status=status,
    )


@login_required
@require_POST
@not_found_as_404
def permission_request(request: HttpRequest, pk: Any) -> HttpResponse:
    message = selectors.message_get_for(user=request.user, pk=pk)
    addressable = list(selectors.addressable_offices())
    ask = PermissionRequestForm(request.POST, addressable=addressable)
    if ask.is_valid():
        try:
            services.forward_permission_request(
                actor=request.user,
                message=message,
                office=_office_of(request),
                targets=ask.cleaned_data["targets"],
                reason=ask.cleaned_data["reason"],
            )
        except BlonetError as exc:
            apply_errors(ask, exc.fields, exc.message)
        else:
            flash.success(request, _("Permission asked of the originator."))
            return _back(message)
    form = ForwardForm(None, addressable=addressable)
    return render(
        request,
        "exchange/forward.html",
        {
            "message": message,
            "form": form,
            "ask": ask,
            "my_offices": selectors.inbox_offices(user=request.user),
        },
        status=400,
    )


@login_required
@require_POST
@not_found_as_404
def permission_decide(request: HttpRequest, pk: Any) -> HttpResponse:
    permission = selectors.permission_get_for(user=request.user, pk=pk)
    try:
        services.forward_permission_decide(
            actor=request.user,
            permission=permission,
            grant=request.POST.get("decision") == "grant",
            note=request.POST.get("note", ""),
        )
    except BlonetError as exc:
        flash.error(request, "; ".join([exc.message, *chain(*exc.fields.values())]))
    else:
        flash.success(request, _("Decision recorded."))
    return _back(permission.message)


@login_required
@require_POST
@not_found_as_404
def link_add(request: HttpRequest, pk: Any) -> HttpResponse:
    thread = selectors.thread_get_for(user=request.user, pk=pk)
    form = LinkForm(request.POST)
    if form.is_valid():
        try:
            services.thread_link_add(
                actor=request.user,
                thread=thread,
                office=_office_of(request),
                kind=form.cleaned_data["kind"],
                target=form.cleaned_data["target"],
            )
        except BlonetError as exc:
            apply_errors(form, exc.fields, exc.message)
        else:
            flash.success(request, _("Linked."))
            return redirect(thread.get_absolute_url())
    return render(
        request, "exchange/thread.html", thread_context(request, thread, link_form=form), status=400
    )


@login_required
@not_found_as_404
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    found = selectors.attachment_get_for(user=request.user, pk=pk)
    audit_event_record(
        actor=request.user,
        action="exchange.attachment.downloaded",
        target=found,
        data={"message": str(found.message_id)},
    )
    response = FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=found.filename,
        content_type=found.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
