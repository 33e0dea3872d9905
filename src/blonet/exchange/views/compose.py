"""Compose: a new thread or a message in one; the seizure notification from a record."""

from __future__ import annotations

from typing import Any

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from blonet.core.errors import BlonetError
from blonet.exchange import selectors, services
from blonet.exchange.choices import COMPOSABLE_KINDS, MessageKind
from blonet.exchange.forms import ComposeForm, SharingMixin, apply_errors
from blonet.exchange.language import normalise_language
from blonet.exchange.structured import TEMPLATES, display_fields
from blonet.exchange.views.common import not_found_as_404

DEFAULT_TEMPLATE: dict[str, str] = {"alert": "vehicle_alert", "rfi": "person_check"}


def _initial(request: HttpRequest, offices: list[Any], thread: Any) -> dict[str, Any]:
    kind = request.GET.get("kind", MessageKind.CORRESPONDENCE if thread else MessageKind.ALERT)
    if kind not in [k.value for k in COMPOSABLE_KINDS]:
        kind = MessageKind.ALERT
    template = request.GET.get("template", "" if thread else DEFAULT_TEMPLATE.get(kind, ""))
    office = request.GET.get("from", "")
    if office not in [o.pk for o in offices]:
        office = offices[0].pk
    recipients = request.GET.getlist("to")
    if thread is not None and not recipients:
        recipients = sorted(selectors.thread_participants(thread) - {office})
    return {
        "from_office": office,
        "recipients": recipients,
        "kind": kind,
        "template": template if template in TEMPLATES else "",
        "priority": request.GET.get("priority", "urgent" if kind == MessageKind.RFI else "routine"),
        "language": normalise_language(get_language()) or "en",
        "distribution": "office",
        "source_reliability": "X",
        "information_accuracy": "4",
        "classification": 1,
    }


@login_required
@not_found_as_404
def compose(request: HttpRequest) -> HttpResponse:
    offices = selectors.inbox_offices(user=request.user)
    if not offices:
        return render(request, "exchange/no_office.html", status=403)
    thread_id = request.GET.get("thread") or request.POST.get("thread") or ""
    thread = selectors.thread_get_for(user=request.user, pk=thread_id) if thread_id else None
    reply_to = request.GET.get("reply_to") or request.POST.get("reply_to") or ""
    initial = _initial(request, offices, thread)
    template_code = (
        request.POST.get("template") if request.method == "POST" else initial["template"]
    ) or ""
    addressable = list(selectors.addressable_offices())
    form = ComposeForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        offices=offices,
        addressable=addressable,
        template_code=template_code,
        reply=thread is not None,
    )
    form.fields["template"].widget.attrs.update(
        {
            "hx-get": reverse("exchange:compose_fields"),
            "hx-target": "#structured-fields",
            "hx-swap": "outerHTML",
            "hx-trigger": "change",
        }
    )
    status = 200
    if request.method == "POST" and "_reload" not in request.POST:
        if form.is_valid():
            data = form.cleaned_data
            try:
                message = services.message_send(
                    actor=request.user,
                    office=data["from_office"],
                    recipients=data["recipients"],
                    kind=data["kind"],
                    thread=thread,
                    subject=data.get("subject", ""),
                    body=data["body"],
                    template=data["template"],
                    structured=form.structured(),
                    priority=data["priority"],
                    due_at=data["due_at"] or None,
                    language=data["language"],
                    sharing=form.sharing(),
                    attachments=data["attachments"],
                    in_reply_to=reply_to or None,
                )
            except BlonetError as exc:
                apply_errors(form, exc.fields, exc.message)
                status = 403 if exc.status == 403 else 400
            else:
                flash.success(request, _("Sent to %d office(s).") % message.recipient_count)
                return redirect(message.thread.get_absolute_url())
        else:
            status = 400
    return render(
        request,
        "exchange/compose.html",
        {
            "form": form,
            "thread": thread,
            "reply_to": reply_to,
            "quick": selectors.quick_recipients(
                next((o for o in offices if o.pk == form["from_office"].value()), offices[0])
            ),
        },
        status=status,
    )


@login_required
def compose_fields(request: HttpRequest) -> HttpResponse:
    """The structured fields of a template (htmx swaps them in when the template changes)."""
    offices = selectors.inbox_offices(user=request.user)
    form = ComposeForm(
        None,
        offices=offices,
        addressable=[],
        template_code=request.GET.get("template", ""),
    )
    return render(request, "exchange/_structured_fields.html", {"form": form})


@login_required
@not_found_as_404
def notify_seizure(request: HttpRequest, pk: Any) -> HttpResponse:
    """One click from a seizure: its structured fields shown, recipients chosen, sent."""
    from django import forms as django_forms

    from blonet.exchange.forms import _office_choices
    from blonet.exchange.services.sending import seizure_structured
    from blonet.records.selectors import seizure_get_for

    seizure = seizure_get_for(user=request.user, pk=pk)
    offices = selectors.inbox_offices(user=request.user)
    if not offices:
        return render(request, "exchange/no_office.html", status=403)

    class NotifyForm(SharingMixin):
        from_office = django_forms.ChoiceField(
            label=_("From"), choices=[(o.pk, o.local_name) for o in offices]
        )
        recipients = django_forms.MultipleChoiceField(
            label=_("To"),
            choices=_office_choices(list(selectors.addressable_offices())),
            widget=django_forms.SelectMultiple(attrs={"size": 8}),
        )
        body = django_forms.CharField(
            label=_("Text"), required=False, widget=django_forms.Textarea(attrs={"rows": 3})
        )

    own = next((o for o in offices if o.pk == seizure.owner_office_id), offices[0])
    counterparts = [o.pk for o in own.counterparts()]
    form = NotifyForm(
        request.POST or None,
        initial={
            "from_office": own.pk,
            "recipients": request.GET.getlist("to") or counterparts,
            "handling_codes": seizure.handling_codes,
            "handling_conditions": seizure.handling_conditions,
            "classification": seizure.classification,
            "distribution": "office",
            "source_reliability": seizure.source_reliability,
            "information_accuracy": seizure.information_accuracy,
        },
    )
    form.setup_sharing()
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                message = services.seizure_notification_send(
                    actor=request.user,
                    seizure=seizure,
                    office=form.cleaned_data["from_office"],
                    recipients=form.cleaned_data["recipients"],
                    body=form.cleaned_data["body"],
                    sharing=form.sharing(),
                )
            except BlonetError as exc:
                apply_errors(form, exc.fields, exc.message)
                status = 403 if exc.status == 403 else 400
            else:
                flash.success(request, _("Seizure notification sent."))
                return redirect(message.thread.get_absolute_url())
        else:
            status = 400
    preview = display_fields("seizure_notification", seizure_structured(seizure))
    return render(
        request,
        "exchange/notify_seizure.html",
        {"form": form, "seizure": seizure, "preview": preview},
        status=status,
    )
