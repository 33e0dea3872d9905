"""The pages of seizures and incidents, written once: list, detail, form, delete, attachments."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from blonet.core.choices import Distribution
from blonet.core.errors import NotFound, PermissionDenied, ValidationError
from blonet.core.listing import filtered_list
from blonet.records import hooks
from blonet.records.choices import EntityKind
from blonet.records.forms import (
    DEFAULT_ROLE,
    AttachmentForm,
    DeleteForm,
    EventForm,
    RecordForms,
)
from blonet.records.models import ENTITY_MODELS
from blonet.records.models.base import SHARING_FIELDS
from blonet.records.services import attachment_add
from blonet.records.templatetags.records_ui import plain
from blonet.records.views.common import (
    NO_POSTING,
    audit_read,
    can_edit,
    country_options,
    forbidden,
    history_entries,
    history_user,
    require_operational,
    styled,
    visible_links,
    writer_offices,
)
from blonet.records.views.sections import placeholders, section_response


@dataclass(frozen=True)
class EventPages:
    """What differs between the seizure pages and the incident pages."""

    kind: str  # "seizure" or "incident"
    form_class: type[EventForm]
    filterset_class: Any
    list_selector: Callable[..., Any]
    get_selector: Callable[..., Any]
    record: Callable[..., Any]  # (actor, office, data, items, involvements) -> record
    update: Callable[..., Any]  # (actor, record, data, items, involvements) -> record
    delete: Callable[..., Any]  # (actor, record, reason) -> record
    has_items: bool
    messages: dict[str, Any]  # lazy translations: recorded, updated, deleted

    def template(self, name: str) -> str:
        return f"records/{self.kind}_{name}.html"

    def get(self, request: HttpRequest, pk: Any) -> Any:
        try:
            return self.get_selector(user=request.user, pk=pk)
        except NotFound as exc:
            raise Http404 from exc


def event_list(request: HttpRequest, pages: EventPages) -> HttpResponse:
    require_operational(request)
    return filtered_list(
        request,
        queryset=pages.list_selector(user=request.user),
        filterset_class=styled(pages.filterset_class),
        template=pages.template("list"),
        rows_template=f"records/_{pages.kind}_rows.html",
        context={"can_record": bool(writer_offices(request.user))},
    )


def _plain(value: Decimal | None) -> str:
    return "" if value is None else plain(value)


def _edit_initial(pages: EventPages, record: Any) -> dict[str, Any]:
    initial = {name: getattr(record, name, "") for name in pages.form_class.event_names}
    initial.update({name: getattr(record, name) for name in SHARING_FIELDS})
    initial.update(
        site=record.site_id,
        office=record.office_id,
        lat=_plain(record.lat),
        lon=_plain(record.lon),
        narrative=record.narrative,
        agencies=[a.pk for a in record.agencies.all()],
        counterpart_country=record.counterpart_country_id,
    )
    if pages.has_items:
        initial["transit_countries"] = ", ".join(record.transit_countries)
    return initial


def _edit_rows(pages: EventPages, record: Any) -> tuple[list[Any] | None, list[Any]]:
    items = None
    if pages.has_items:
        items = [
            {
                "commodity": item.commodity,
                "quantity": _plain(item.quantity),
                "unit": item.unit,
                "currency": item.currency,
                "purity": _plain(item.purity),
                "packaging": item.packaging,
                "markings": item.markings,
            }
            for item in record.items.all()
        ]
    links = [
        {"kind": link.entity_kind, "role": link.role, "entity": str(link.entity.pk)}
        for link in record.involvements.all()
        if link.entity_kind
    ]
    return items, links


def _mark_linked(request: HttpRequest, bundle: RecordForms) -> None:
    """Rows that link an existing entity show it (if the officer may see it)."""
    keys: list[tuple[str, str] | None] = []
    wanted: dict[str, set[uuid.UUID]] = {}
    for form in bundle.involvements.forms:
        kind = str(form["kind"].value() or "")
        try:
            pk = uuid.UUID(str(form["entity"].value() or ""))
        except ValueError:  # empty, or not one of ours: links nothing
            keys.append(None)
            continue
        if kind in ENTITY_MODELS:
            wanted.setdefault(kind, set()).add(pk)
        keys.append((kind, str(pk)))
    found: dict[tuple[str, str], Any] = {}
    for kind, pks in wanted.items():
        for entity in ENTITY_MODELS[kind].objects.visible_to(request.user).filter(pk__in=pks):
            found[(kind, str(entity.pk))] = entity
    for form, key in zip(bundle.involvements.forms, keys, strict=True):
        form.linked = found.get(key) if key else None


def event_form(request: HttpRequest, pages: EventPages, pk: Any = None) -> HttpResponse:
    """Create (no `pk`) or edit a record with its items and involved entities."""
    user = request.user
    record = None
    offices = None
    if pk is not None:
        record = pages.get(request, pk)
        if record.is_deleted:
            messages.warning(request, _("A deleted record cannot be changed."))
            return redirect(record.get_absolute_url())
        if not can_edit(user, record):
            return forbidden(request, _("Only the owner office may change this record."))
    else:
        offices = writer_offices(user)
        if not offices:
            return forbidden(request, NO_POSTING)
    status = 200
    if request.method == "POST":
        bundle = RecordForms(
            form_class=pages.form_class, user=user, data=request.POST, offices=offices,
            with_items=pages.has_items,
        )  # fmt: skip
        if bundle.is_valid():
            try:
                with history_user(request):
                    if record is None:
                        saved = pages.record(
                            actor=user, office=bundle.office, data=bundle.service_data(),
                            items=bundle.service_items(),
                            involvements=bundle.service_involvements(),
                        )  # fmt: skip
                    else:
                        saved = pages.update(
                            actor=user, record=record, data=bundle.service_data(),
                            items=bundle.service_items(),
                            involvements=bundle.service_involvements(),
                        )  # fmt: skip
            except ValidationError as exc:
                bundle.apply_errors(exc.fields, exc.message)
            except PermissionDenied as exc:
                return forbidden(request, exc.message)
            else:
                key = "recorded" if record is None else "updated"
                messages.success(
                    request,
                    pages.messages[key] % {"reference": saved.reference, "version": saved.version},
                )
                return redirect(saved.get_absolute_url())
        status = 400
    elif record is None:
        office = offices[0]  # type: ignore[index]
        bundle = RecordForms(
            form_class=pages.form_class,
            user=user,
            offices=offices,
            with_items=pages.has_items,
            initial={
                "owner_office": office.pk,
                "site": office.site_id,
                "agencies": [office.agency_id],
                "occurred_at": timezone.localtime().replace(second=0, microsecond=0),
                "distribution": Distribution.NATIONAL,
            },
        )
    else:
        items, links = _edit_rows(pages, record)
        bundle = RecordForms(
            form_class=pages.form_class, user=user, initial=_edit_initial(pages, record),
            items=items, involvements=links, with_items=pages.has_items,
        )  # fmt: skip
    _mark_linked(request, bundle)
    persons = [
        str(f.linked.pk)
        for f in bundle.involvements.forms
        if f.linked is not None and f.linked.kind == "person"
    ]
    if record is not None and persons:  # the edit form shows the linked persons too
        audit_read(request, f"records.{pages.kind}.viewed", record, {"persons": persons})
    context = {
        "forms": bundle,
        "form": bundle.form,
        "record": record,
        "pages": pages,
        "countries": country_options(),
        "entity_kinds": [(k, label, DEFAULT_ROLE[k]) for k, label in EntityKind.choices],
    }
    return render(request, pages.template("form"), context, status=status)


def event_detail(
    request: HttpRequest,
    pages: EventPages,
    pk: Any,
    *,
    record: Any = None,
    attachment_form: AttachmentForm | None = None,
    delete_form: DeleteForm | None = None,
    status: int = 200,
) -> HttpResponse:
    record = record or pages.get(request, pk)
    links = visible_links(request.user, list(record.involvements.all()))
    persons = [str(row["entity"].pk) for row in links if row["kind"] == "person" and row["entity"]]
    if persons:
        audit_read(request, f"records.{pages.kind}.viewed", record, {"persons": persons})
    editable = can_edit(request.user, record) and not record.is_deleted
    context = {
        "record": record,
        pages.kind: record,
        "pages": pages,
        "links": links,
        "items": list(record.items.all()) if pages.has_items else [],
        "attachments": list(record.attachments.all()),
        "history": history_entries(record),
        "sections": placeholders(
            list(hooks.RECORD_SECTIONS),
            lambda name: reverse(f"records:{pages.kind}_section", args=[record.pk, name]),
        ),
        "can_edit": editable,
        "attachment_form": attachment_form or (AttachmentForm() if editable else None),
        "delete_form": delete_form or (DeleteForm() if editable else None),
    }
    return render(request, pages.template("detail"), context, status=status)


def event_section(request: HttpRequest, pages: EventPages, pk: Any, name: str) -> HttpResponse:
    """One section of the record's page (the page holds a placeholder that htmx fills)."""
    record = pages.get(request, pk)
    context = {"record": record, pages.kind: record, "pages": pages}
    return section_response(request, hooks.RECORD_SECTIONS, name, record, context)


def event_delete(request: HttpRequest, pages: EventPages, pk: Any) -> HttpResponse:
    record = pages.get(request, pk)
    if request.method != "POST":
        return redirect(record.get_absolute_url())
    form = DeleteForm(request.POST)
    if form.is_valid():
        try:
            with history_user(request):
                pages.delete(actor=request.user, record=record, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_messages("reason", exc.fields.get("reason") or [exc.message])
        except PermissionDenied as exc:
            return forbidden(request, exc.message)
        else:
            messages.success(request, pages.messages["deleted"] % {"reference": record.reference})
            return redirect(record.get_absolute_url())
    return event_detail(request, pages, pk, record=record, delete_form=form, status=400)


def event_attachment_add(request: HttpRequest, pages: EventPages, pk: Any) -> HttpResponse:
    record = pages.get(request, pk)
    if request.method != "POST":
        return redirect(record.get_absolute_url())
    if record.is_deleted:
        messages.warning(request, _("A deleted record cannot be changed."))
        return redirect(record.get_absolute_url())
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attachment_add(
                actor=request.user,
                record=record,
                upload=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as exc:
            for key, found in exc.fields.items():
                form.add_messages(key, found)
            if not exc.fields:
                form.add_error(None, exc.message)
        except PermissionDenied as exc:
            return forbidden(request, exc.message)
        else:
            messages.success(request, _("The file is attached."))
            return redirect(f"{record.get_absolute_url()}#attachments")
    return event_detail(request, pages, pk, record=record, attachment_form=form, status=400)
