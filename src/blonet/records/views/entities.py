"""Entity pages (persons, vehicles, ...): list with search, detail with appearances, edit; and
the likely-duplicate check of the seizure form."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from blonet.core.errors import NotFound, PermissionDenied, ValidationError
from blonet.core.listing import filtered_list
from blonet.records import hooks, selectors
from blonet.records.filters import entity_filter_for
from blonet.records.forms import entity_form_class, entity_initial
from blonet.records.models import ENTITY_MODELS, Involvement
from blonet.records.services import entity_update, person_likely_duplicates
from blonet.records.services.entities import ENTITY_FIELDS
from blonet.records.views.common import (
    audit_read,
    can_edit,
    country_options,
    forbidden,
    history_entries,
    history_user,
    is_operational,
    require_operational,
    styled,
)
from blonet.records.views.sections import placeholders, section_response


def _model(kind: str) -> Any:
    model = ENTITY_MODELS.get(kind)
    if model is None:
        raise Http404
    return model


_FILTERS: dict[str, Any] = {}


def _entity_filter(kind: str, model: Any) -> Any:
    if kind not in _FILTERS:
        _FILTERS[kind] = styled(entity_filter_for(model))
    return _FILTERS[kind]


@login_required
def entity_list(request: HttpRequest, kind: str) -> HttpResponse:
    require_operational(request)
    model = _model(kind)
    return filtered_list(
        request,
        queryset=selectors.entity_list_visible_to(user=request.user, kind=kind),
        filterset_class=_entity_filter(kind, model),
        template="records/entity_list.html",
        rows_template="records/_entity_rows.html",
        context={
            "kind": kind,
            "title": model._meta.verbose_name_plural,
            "kinds": [(k, m._meta.verbose_name_plural) for k, m in ENTITY_MODELS.items()],
        },
    )


def _get(request: HttpRequest, kind: str, pk: Any) -> Any:
    try:
        return selectors.entity_get_for(user=request.user, kind=kind, pk=pk)
    except NotFound as exc:
        raise Http404 from exc


def _appearances(user: Any, entity: Any) -> dict[str, list[dict[str, Any]]]:
    """The seizures and incidents `entity` appears in that `user` may see, each with its roles."""
    found = selectors.entity_appearances(user=user, entity=entity)
    roles: dict[Any, list[str]] = {}
    links = Involvement.objects.visible_to(user).filter(**{entity.kind: entity})
    for link in links.only("seizure_id", "incident_id", "role"):
        roles.setdefault(link.seizure_id or link.incident_id, []).append(link.get_role_display())
    return {
        name: [
            {"record": record, "roles": sorted(set(roles.get(record.pk, [])))}
            for record in qs.order_by("-occurred_at")
        ]
        for name, qs in found.items()
    }


@login_required
def entity_detail(request: HttpRequest, kind: str, pk: Any) -> HttpResponse:
    entity = _get(request, kind, pk)
    if kind == "person":
        audit_read(request, "records.person.viewed", entity, {})
    sections = placeholders(
        list(hooks.ENTITY_SECTIONS),
        lambda name: reverse("records:entity_section", args=[kind, entity.pk, name]),
    )
    names = [*ENTITY_FIELDS[kind], *(["name_latin"] if kind == "person" else [])]
    context = {
        "entity": entity,
        "kind": kind,
        "title": entity._meta.verbose_name_plural,
        "fields": [
            (capfirst(entity._meta.get_field(name).verbose_name), _value(entity, name))
            for name in names
        ],
        "appearances": _appearances(request.user, entity),
        "history": history_entries(entity),
        "can_edit": can_edit(request.user, entity) and not entity.is_deleted,
        "sections": sections,
    }
    return render(request, "records/entity_detail.html", context)


@login_required
def entity_section(request: HttpRequest, kind: str, pk: Any, name: str) -> HttpResponse:
    """One section of the entity's page (the page holds a placeholder that htmx fills)."""
    entity = _get(request, kind, pk)
    context = {"entity": entity, "kind": kind}
    return section_response(request, hooks.ENTITY_SECTIONS, name, entity, context)


def _value(entity: Any, name: str) -> str:
    display = getattr(entity, f"get_{name}_display", None)
    value = display() if display else getattr(entity, name)
    if isinstance(value, list):
        value = "; ".join(value)
    return str(value) if value not in (None, "") else "—"


@login_required
def entity_edit(request: HttpRequest, kind: str, pk: Any) -> HttpResponse:
    entity = _get(request, kind, pk)
    if entity.is_deleted:
        messages.warning(request, _("A deleted record cannot be changed."))
        return redirect(entity.get_absolute_url())
    if not can_edit(request.user, entity):
        return forbidden(request, _("Only the owner office may change this record."))
    form_class = entity_form_class(kind)
    form: Any = form_class(
        request.POST if request.method == "POST" else None,
        user=request.user,
        initial=entity_initial(entity),
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                with history_user(request):
                    entity_update(actor=request.user, entity=entity, data=form.service_data())
            except ValidationError as exc:
                for key, found in exc.fields.items():
                    form.add_messages(key, found)
                if not exc.fields:
                    form.add_error(None, exc.message)
            except PermissionDenied as exc:
                return forbidden(request, exc.message)
            else:
                messages.success(
                    request, _("Saved as version %(version)s.") % {"version": entity.version}
                )
                return redirect(entity.get_absolute_url())
            entity.refresh_from_db()
    context = {
        "entity": entity,
        "kind": kind,
        "form": form,
        "title": entity._meta.verbose_name_plural,
        "countries": country_options(),
    }
    return render(request, "records/entity_form.html", context, status=status)


_PREFIX = re.compile(r"^involvements-\d{1,4}$")


@login_required
def person_duplicates(request: HttpRequest) -> HttpResponse:
    """The seizure form's "possibly already recorded" box for one person row (htmx)."""
    prefix = request.GET.get("prefix", "")
    if not _PREFIX.match(prefix) or not is_operational(request.user):
        return HttpResponse("")
    name = request.GET.get(f"{prefix}-person_full_name", "").strip()[:300]
    dob = request.GET.get(f"{prefix}-person_dob", "").strip()[:10]
    persons = (
        list(person_likely_duplicates(user=request.user, full_name=name, dob=dob))
        if len(name) >= 3
        else []
    )
    return render(
        request, "records/_person_duplicates.html", {"persons": persons, "prefix": prefix}
    )
