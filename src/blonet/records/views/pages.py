"""The seizure and incident pages (URL targets), and attachment downloads."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.translation import gettext_lazy as _

from blonet.records import selectors
from blonet.records.choices import AttachmentKind
from blonet.records.filters import IncidentFilter, SeizureFilter
from blonet.records.forms import IncidentForm, SeizureForm
from blonet.records.models import Attachment
from blonet.records.services import (
    incident_delete,
    incident_record,
    incident_update,
    seizure_delete,
    seizure_record,
    seizure_update,
)
from blonet.records.views.common import audit_read
from blonet.records.views.events import (
    EventPages,
    event_attachment_add,
    event_delete,
    event_detail,
    event_form,
    event_list,
    event_section,
)


def _seizure_record(*, actor: Any, office: Any, data: Any, items: Any, involvements: Any) -> Any:
    return seizure_record(
        actor=actor, office=office, data=data, items=items, involvements=involvements
    )


def _seizure_update(*, actor: Any, record: Any, data: Any, items: Any, involvements: Any) -> Any:
    return seizure_update(
        actor=actor, seizure=record, data=data, items=items, involvements=involvements
    )


def _incident_record(*, actor: Any, office: Any, data: Any, items: Any, involvements: Any) -> Any:
    return incident_record(actor=actor, office=office, data=data, involvements=involvements)


def _incident_update(*, actor: Any, record: Any, data: Any, items: Any, involvements: Any) -> Any:
    return incident_update(actor=actor, incident=record, data=data, involvements=involvements)


SEIZURES = EventPages(
    kind="seizure",
    form_class=SeizureForm,
    filterset_class=SeizureFilter,
    list_selector=selectors.seizure_list_visible_to,
    get_selector=selectors.seizure_get_for,
    record=_seizure_record,
    update=_seizure_update,
    delete=lambda *, actor, record, reason: seizure_delete(
        actor=actor, seizure=record, reason=reason
    ),
    has_items=True,
    messages={
        "recorded": _("Seizure %(reference)s is recorded."),
        "updated": _("Seizure %(reference)s is saved as version %(version)s."),
        "deleted": _("Seizure %(reference)s is deleted; its history stays."),
    },
)
INCIDENTS = EventPages(
    kind="incident",
    form_class=IncidentForm,
    filterset_class=IncidentFilter,
    list_selector=selectors.incident_list_visible_to,
    get_selector=selectors.incident_get_for,
    record=_incident_record,
    update=_incident_update,
    delete=lambda *, actor, record, reason: incident_delete(
        actor=actor, incident=record, reason=reason
    ),
    has_items=False,
    messages={
        "recorded": _("Incident %(reference)s is recorded."),
        "updated": _("Incident %(reference)s is saved as version %(version)s."),
        "deleted": _("Incident %(reference)s is deleted; its history stays."),
    },
)


@login_required
def seizure_list(request: HttpRequest) -> HttpResponse:
    return event_list(request, SEIZURES)


@login_required
def seizure_create(request: HttpRequest) -> HttpResponse:
    return event_form(request, SEIZURES)


@login_required
def seizure_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    return event_detail(request, SEIZURES, pk)


@login_required
def seizure_section(request: HttpRequest, pk: Any, name: str) -> HttpResponse:
    return event_section(request, SEIZURES, pk, name)


@login_required
def seizure_edit(request: HttpRequest, pk: Any) -> HttpResponse:
    return event_form(request, SEIZURES, pk)


@login_required
def seizure_delete_view(request: HttpRequest, pk: Any) -> HttpResponse:
    return event_delete(request, SEIZURES, pk)


@login_required
def seizure_attachment_add(request: HttpRequest, pk: Any) -> HttpResponse:
    return event_attachment_add(request, SEIZURES, pk)


@login_required
def incident_list(request: HttpRequest) -> HttpResponse:
    return event_list(request, INCIDENTS)


@login_required
def incident_create(request: HttpRequest) -> HttpResponse:
    return event_form(request, INCIDENTS)


@login_required
def incident_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    return event_detail(request, INCIDENTS, pk)


@login_required
def incident_section(request: HttpRequest, pk: Any, name: str) -> HttpResponse:
    return event_section(request, INCIDENTS, pk, name)


@login_required
def incident_edit(request: HttpRequest, pk: Any) -> HttpResponse:
    return event_form(request, INCIDENTS, pk)


@login_required
def incident_delete_view(request: HttpRequest, pk: Any) -> HttpResponse:
    return event_delete(request, INCIDENTS, pk)


@login_required
def incident_attachment_add(request: HttpRequest, pk: Any) -> HttpResponse:
    return event_attachment_add(request, INCIDENTS, pk)


@login_required
def attachment_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A photo (shown inline) or a document (downloaded), if its record is visible."""
    attachment = Attachment.objects.visible_to(request.user).filter(pk=pk).first()
    if attachment is None:
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except (OSError, ValueError) as exc:  # the file is gone from the media store
        raise Http404 from exc
    audit_read(
        request,
        "records.attachment.downloaded",
        attachment,
        {"record": str(attachment.seizure_id or attachment.incident_id)},
    )
    return FileResponse(
        handle,
        as_attachment=attachment.kind != AttachmentKind.PHOTO,
        filename=attachment.filename,
        content_type=attachment.content_type,
    )
