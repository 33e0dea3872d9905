"""What every records page shares: who may use the register, refusals, history, audit of reads."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from blonet.audit.services import audit_event_record
from blonet.core.access import access_of
from blonet.core.errors import PermissionDenied
from blonet.directory.models import Office
from blonet.records.choices import EntityKind
from blonet.records.forms import style_widgets
from blonet.records.forms.render import fast_renderer
from blonet.records.models import ENTITY_MODELS
from blonet.records.querysets import OPERATIONAL_ROLES, operational
from blonet.records.services.common import require_editor
from blonet.records.templatetags.records_ui import plain

NO_POSTING = _(
    "Recording needs an operational posting (officer, analyst, coordinator or node "
    "administrator) in an office. Ask your node administrator to post you."
)


def is_operational(user: Any) -> bool:
    return operational(access_of(user))


def require_operational(request: HttpRequest) -> None:
    """The register does not exist for programme roles: the same 404 as any hidden page."""
    if not is_operational(request.user):
        raise Http404


def writer_offices(user: Any) -> list[Office]:
    """The offices `user` may record for: those of their operational postings."""
    offices: dict[str, Office] = {}
    for posting in user.active_postings():
        if posting.role in OPERATIONAL_ROLES:
            offices.setdefault(posting.office_id, posting.office)
    return list(offices.values())


def can_edit(user: Any, record: Any) -> bool:
    try:
        require_editor(user, record)
    except PermissionDenied:
        return False
    return True


def forbidden(request: HttpRequest, message: Any) -> HttpResponse:
    """A 403 page that says why (the generic handler's text says nothing)."""
    return render(request, "error.html", {"status": 403, "message": message}, status=403)


@contextmanager
def history_user(request: HttpRequest) -> Iterator[None]:
    """Let django-simple-history record who made the change (as its middleware would)."""
    HistoricalRecords.context.request = request
    try:
        yield
    finally:
        del HistoricalRecords.context.request


def audit_read(request: HttpRequest, action: str, target: Any, data: dict[str, Any]) -> None:
    """A read of personal data, with identifiers only."""
    audit_event_record(actor=request.user, action=action, target=target, data=data)


def visible_links(user: Any, links: list[Any]) -> list[dict[str, Any]]:
    """Each link with its entity, or None where `user` may not see that entity."""
    from blonet.records.selectors import entity_visible

    ids: dict[str, set[Any]] = defaultdict(set)
    visible: dict[str, set[Any]] = defaultdict(set)
    for link in links:
        kind = link.entity_kind
        if not kind:
            continue
        known = entity_visible(link.entity)  # fetched by the selector with the answer
        if known is None:
            ids[kind].add(getattr(link, f"{kind}_id"))
        elif known:
            visible[kind].add(link.entity.pk)
    for kind, pks in ids.items():
        visible[kind].update(
            ENTITY_MODELS[kind]
            .objects.visible_to(user)
            .filter(pk__in=pks)
            .values_list("pk", flat=True)
        )
    out = []
    for link in links:
        kind = link.entity_kind
        entity = link.entity if kind and link.entity.pk in visible.get(kind, set()) else None
        label = EntityKind(kind).label if kind in EntityKind.values else kind
        out.append({"link": link, "kind": kind, "kind_label": label, "entity": entity})
    return out


# Derived or bookkeeping columns, not worth a line in the history.
HISTORY_SKIP = frozenset(
    {
        "id", "search_text", "updated_at", "created_at", "import_key", "owner_agency",
        "owner_country", "created_by", "reference", "version", "origin_node", "deleted_by",
        "name_latin", "name_keys", "dob_year", "plate_normalised", "number_normalised",
        "name_key", "is_iban",
    }
)  # fmt: skip
# Not editable (so outside `diff_against`), but what an officer wants to see change.
HISTORY_EXTRA = ("total_kg", "commodities", "deleted_reason")
EXTRA_LABELS = {"commodities": _("Commodities")}


def _display(field: Any, value: Any) -> str:
    if value in (None, "", []):
        return "—"
    choices = dict(field.flatchoices) if getattr(field, "flatchoices", None) else {}
    if isinstance(value, list):
        return ", ".join(str(choices.get(v, v)) for v in value)
    if value in choices:
        return str(choices[value])
    if hasattr(value, "tzinfo") and hasattr(value, "hour"):
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, Decimal):
        return plain(value)
    return str(value)


def _label(model: Any, name: str) -> str:
    if name in EXTRA_LABELS:
        return str(EXTRA_LABELS[name])
    return str(capfirst(model._meta.get_field(name).verbose_name))


def history_entries(obj: Any) -> list[dict[str, Any]]:
    """Every version of `obj`, newest first: who, when, and what changed from the one before."""
    model = type(obj)
    records = list(obj.history.select_related("history_user").order_by("history_date", "pk"))
    entries: list[dict[str, Any]] = []
    previous = None
    for record in records:
        changes: list[dict[str, str]] = []
        if previous is not None:
            names = [
                f.name for f in previous.tracked_fields if f.editable and f.name not in HISTORY_SKIP
            ]
            delta = record.diff_against(previous, included_fields=names)
            for change in delta.changes:
                field = model._meta.get_field(change.field)
                changes.append(
                    {
                        "field": _label(model, change.field),
                        "old": _display(field, change.old),
                        "new": _display(field, change.new),
                    }
                )
            for name in HISTORY_EXTRA:
                if not hasattr(record, name):
                    continue
                old, new = getattr(previous, name), getattr(record, name)
                if old != new:
                    field = model._meta.get_field(name)
                    changes.append(
                        {
                            "field": _label(model, name),
                            "old": _display(field, old),
                            "new": _display(field, new),
                        }
                    )
        entries.append(
            {
                "version": record.version,
                "when": record.history_date,
                "who": record.history_user,
                "type": record.history_type,
                "deleted": bool(record.deleted_at) and not (previous and previous.deleted_at),
                "changes": changes,
            }
        )
        previous = record
    entries.reverse()
    return entries


_STYLED: dict[Any, Any] = {}


def styled(filterset_class: Any) -> Any:
    """The FilterSet with Bootstrap classes on its form's widgets (one subclass per class), its
    selects written by `FastSelectRenderer`."""
    if filterset_class not in _STYLED:

        class Styled(filterset_class):  # type: ignore[misc, valid-type]
            @property
            def form(self) -> Any:
                form = super().form
                style_widgets(form)
                form.renderer = fast_renderer()
                return form

        Styled.__name__ = filterset_class.__name__
        _STYLED[filterset_class] = Styled
    return _STYLED[filterset_class]


def country_options() -> list[tuple[str, str]]:
    """Every ISO 3166 country as (alpha-2 code, name in the UI language), for a datalist."""
    import pycountry

    from blonet.directory.models import country_name

    return sorted(
        ((c.alpha_2, country_name(c.alpha_2)) for c in pycountry.countries),
        key=lambda pair: pair[0],
    )
