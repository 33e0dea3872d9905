"""What every exchange write shares: who may act for an office, addressing, inert text, and the
audit event written for every refusal (outside the refused transaction, so it stays)."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from typing import Any, ParamSpec, TypeVar

from django.db import models
from django.utils.translation import gettext as _

from blonet.audit.services import audit_event_record
from blonet.core.access import access_of
from blonet.core.errors import BlonetError, NotFound, PermissionDenied, ValidationError
from blonet.directory.choices import AgencyKind
from blonet.directory.models import Office
from blonet.records.normalise import as_uuid
from blonet.records.querysets import OPERATIONAL_ROLES
from blonet.records.services.common import ErrorBag

MAX_RECIPIENTS = 20
MAX_BODY = 20_000
MAX_SUBJECT = 200

# Markup that would be active in a browser or a mail reader. Text is always rendered escaped;
# these are refused outright so that no one forwards a loaded message by copy and paste.
_ACTIVE_MARKUP = re.compile(
    r"<\s*/?\s*(script|iframe|object|embed|svg|math|style|link|meta|base|form|img|video|audio"
    r"|body|html|frame|frameset|applet|input|button|textarea|select)\b"
    r"|<[^>]*\bon[a-z]+\s*="
    r"|javascript\s*:|vbscript\s*:|data\s*:\s*text/html",
    re.IGNORECASE,
)

P = ParamSpec("P")
R = TypeVar("R")


def _pk(value: Any) -> str:
    return str(getattr(value, "pk", value) or "")


def refusals_audited(operation: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Every refusal of `operation` (not found, not allowed, invalid) writes an audit event
    `exchange.refused` with the reason, then re-raises. Nothing else is changed."""

    def wrap(func: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(func)
        def inner(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return func(*args, **kwargs)
            except BlonetError as exc:
                data: dict[str, Any] = {
                    "operation": operation,
                    "code": exc.code,
                    "reason": exc.message,
                    "fields": {k: v[:1] for k, v in sorted(exc.fields.items())},
                }
                for name in ("office", "thread", "message", "permission", "seizure"):
                    if kwargs.get(name) is not None:
                        data[name] = _pk(kwargs[name])
                wanted: Any = kwargs.get("recipients")
                if isinstance(wanted, (list, tuple)):
                    data["recipients"] = [_pk(r) for r in wanted][:MAX_RECIPIENTS]
                audit_event_record(actor=kwargs.get("actor"), action="exchange.refused", data=data)
                raise

        return inner

    return wrap


def resolve_office(value: Office | str, field: str = "office") -> Office:
    if isinstance(value, Office):
        return value
    found = Office.objects.select_related("agency").filter(pk=str(value or "")).first()
    if found is None:
        raise ValidationError(fields={field: [_("Unknown office “%s”.") % value]})
    return found


def require_staff(actor: Any, office: Office) -> None:
    """The actor holds an operational posting in `office` (None: the node's own commands)."""
    if actor is None:
        return
    access = access_of(actor)
    if not access.authenticated:
        raise PermissionDenied()
    if office.pk not in access.office_ids or not access.roles & OPERATIONAL_ROLES:
        raise PermissionDenied(_("You may act only for an office you are posted to."))


def addressable(office: Office) -> str:
    """ "" if messages may go to `office`, else the reason they may not."""
    if office.agency.kind == AgencyKind.INTERNATIONAL_ORG:
        return _("%s is a programme office: it receives no operational messages.") % office
    return ""


def resolve_recipients(
    values: Iterable[Office | str], sender: Office, errors: ErrorBag, field: str = "recipients"
) -> list[Office]:
    """All the addressed offices, or errors: all recipients or none."""
    ids: list[str] = []
    for value in values or []:
        pk = _pk(value).strip()
        if pk and pk not in ids:
            ids.append(pk)
    if not ids:
        errors.add(field, _("Choose at least one recipient office."))
        return []
    if len(ids) > MAX_RECIPIENTS:
        errors.add(field, _("At most %d recipient offices per message.") % MAX_RECIPIENTS)
        return []
    found = {o.pk: o for o in Office.objects.select_related("agency").filter(pk__in=ids)}
    offices = []
    for pk in ids:
        office = found.get(pk)
        if office is None:
            errors.add(field, _("Unknown office “%s”.") % pk)
        elif office.pk == sender.pk:
            errors.add(field, _("A message cannot be addressed to its own sender office."))
        elif reason := addressable(office):
            errors.add(field, reason)
        else:
            offices.append(office)
    return offices


def check_text(
    value: Any, field: str, errors: ErrorBag, *, limit: int, required: bool = False
) -> str:
    text = "" if value is None else str(value)
    text = text.replace("\r\n", "\n").strip()
    if required and not text:
        errors.add(field, _("This field is required."))
    if len(text) > limit:
        errors.add(field, _("At most %(limit)d characters (this is %(n)d).") % {
            "limit": limit, "n": len(text)})  # fmt: skip
    if _ACTIVE_MARKUP.search(text):
        errors.add(
            field,
            _("The text contains HTML or script markup; write it as plain text."),
        )
    return text


def get_or_404(queryset: models.QuerySet[Any], pk: Any) -> Any:
    """The row `pk` of an already filtered queryset; a missing and a hidden row are alike."""
    key = as_uuid(pk)
    obj = queryset.filter(pk=key).first() if key is not None else None
    if obj is None:
        raise NotFound()
    return obj
