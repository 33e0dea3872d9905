"""Reads of the exchange; each takes the requesting user and goes through `.visible_to`
(the inbox through `Recipient.objects.addressed_to`, a subset of it)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Func, IntegerField, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from blonet.core.errors import NotFound
from blonet.directory.choices import AgencyKind, OfficeKind
from blonet.directory.models import Office
from blonet.exchange.choices import InboxTab, LinkKind, PermissionStatus
from blonet.exchange.models import (
    LINK_FIELDS,
    OPEN_REQUEST,
    ForwardPermission,
    Message,
    MessageAttachment,
    Recipient,
    Thread,
    ThreadLink,
)
from blonet.exchange.querysets import ExchangeAccess, exchange_access
from blonet.exchange.services.common import get_or_404
from blonet.exchange.services.links import LINK_MODELS
from blonet.records.search import search_q

PAGE_SIZE = 25


# ----------------------------------------------------------------------------- threads


def thread_list_visible_to(*, user: Any, q: str = "") -> QuerySet[Thread]:
    qs = Thread.objects.visible_to(user).select_related("opened_by_office")
    text_q = search_q(q) if q else None
    if text_q is not None:
        matching = Message.objects.visible_to(user).filter(text_q).values("thread_id")
        qs = qs.filter(Q(pk__in=matching) | Q(subject__icontains=q.strip()))
    return qs.order_by("-last_message_at")


def thread_get_for(*, user: Any, pk: Any) -> Thread:
    """A missing and a hidden thread raise the same NotFound (None: the node's commands)."""
    qs = Thread.objects.all() if user is None else Thread.objects.visible_to(user)
    thread: Thread = get_or_404(qs.select_related("opened_by_office"), pk)
    return thread


def thread_messages(*, user: Any, thread: Thread) -> list[Message]:
    """The thread's messages the user may see, oldest first, with receipts and files."""
    return list(
        Message.objects.visible_to(user)
        .filter(thread=thread)
        .select_related("owner_office", "originator_office", "created_by", "counterpart_country")
        .prefetch_related(
            Prefetch(
                "recipients",
                queryset=Recipient.objects.select_related(
                    "office", "read_by", "acknowledged_by", "answered_by", "escalated_to"
                ).order_by("office_id"),
            ),
            Prefetch("attachments", queryset=MessageAttachment.objects.order_by("pk")),
            Prefetch(
                "permissions",
                queryset=ForwardPermission.objects.select_related("requesting_office").order_by(
                    "requested_at"
                ),
            ),
        )
        .order_by("sent_at", "pk")
    )


def thread_participants(thread: Thread) -> set[str]:
    """Every office that sent or received a message in the thread."""
    senders = Message.objects.filter(thread=thread).values_list("owner_office_id", flat=True)
    receivers = Recipient.objects.filter(thread=thread).values_list("office_id", flat=True)
    return set(senders) | set(receivers)


def thread_links_visible(*, user: Any, thread: Thread) -> list[ThreadLink]:
    """The thread's links whose record the user may see themself (others are not shown)."""
    links = list(ThreadLink.objects.filter(thread=thread).select_related(*LINK_FIELDS.values()))
    by_kind: dict[str, set[str]] = {}
    for link in links:
        by_kind.setdefault(link.kind, set()).add(link.target_id)
    visible: set[tuple[str, str]] = set()
    for kind, ids in by_kind.items():
        manager: Any = LINK_MODELS[kind]._default_manager
        for pk in manager.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True):
            visible.add((kind, str(pk)))
    return [link for link in links if (link.kind, link.target_id) in visible]


def threads_linking(*, user: Any, kind: str, target: Any) -> QuerySet[Thread]:
    """Visible threads that link to a record (for the record's page)."""
    if kind not in LinkKind.values:
        return Thread.objects.none()
    links = ThreadLink.objects.filter(kind=kind, target_id=str(getattr(target, "pk", target)))
    return thread_list_visible_to(user=user).filter(pk__in=links.values("thread_id"))


# ----------------------------------------------------------------------------- messages


def message_list_visible_to(*, user: Any) -> QuerySet[Message]:
    return (
        Message.objects.visible_to(user)
        .select_related("owner_office", "thread")
        .prefetch_related(Prefetch("recipients", queryset=Recipient.objects.order_by("office_id")))
        .order_by("-sent_at", "pk")
    )


def message_get_for(*, user: Any, pk: Any) -> Message:
    qs = Message.objects.all() if user is None else Message.objects.visible_to(user)
    message: Message = get_or_404(
        qs.select_related("thread", "owner_office", "originator_office"), pk
    )
    return message


def attachment_get_for(*, user: Any, pk: Any) -> MessageAttachment:
    found = MessageAttachment.objects.visible_to(user).filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def permission_list_visible_to(*, user: Any) -> QuerySet[ForwardPermission]:
    return ForwardPermission.objects.visible_to(user).select_related(
        "message", "requesting_office", "originator_office"
    )


def permission_get_for(*, user: Any, pk: Any) -> ForwardPermission:
    found: ForwardPermission = get_or_404(permission_list_visible_to(user=user), pk)
    return found


# ----------------------------------------------------------------------------- inbox


def inbox_offices(*, user: Any) -> list[Office]:
    """The offices whose inbox the user works in: their operational postings."""
    return list(exchange_access(user).offices)


def inbox_office_for(*, user: Any, office_id: str) -> Office:
    for office in inbox_offices(user=user):
        if office.pk == office_id:
            return office
    raise NotFound()


def _supervised(office: Office, xa: ExchangeAccess) -> str:
    """The country a situation-centre inbox supervises, or ""."""
    if office.kind == OfficeKind.SC and office.country_id in xa.sc_countries:
        return office.country_id
    return ""


def inbox_rows(
    *, user: Any, office: Office, tab: str, now: dt.datetime | None = None
) -> QuerySet[Recipient]:
    now = now or timezone.now()
    xa = exchange_access(user)
    mine = Recipient.objects.addressed_to(office.pk, xa)
    if tab == InboxTab.UNREAD:
        qs = mine.filter(read_at__isnull=True).order_by("-sent_at", "-pk")
    elif tab == InboxTab.MINE:
        qs = mine.filter(OPEN_REQUEST).order_by("due_at", "pk")
    elif tab == InboxTab.THEIRS:
        qs = Recipient.objects.sent_by(office.pk, xa).filter(OPEN_REQUEST).order_by("due_at", "pk")
    elif tab == InboxTab.OVERDUE:
        country = _supervised(office, xa)
        if country:
            qs = Recipient.objects.filter(
                Q(office_country=country, due_at__lt=now) | Q(escalated_to=office),
                OPEN_REQUEST,
                classification__lte=xa.base.clearance,
            )
        else:
            qs = mine.filter(OPEN_REQUEST, due_at__lt=now)
        qs = qs.order_by("due_at", "pk")
    else:
        qs = mine.order_by("-sent_at", "-pk")
    return qs.select_related("thread").defer("thread__import_key")


def office_labels(rows: list[Recipient]) -> dict[str, str]:
    """Names, in the UI language, of the offices a page of inbox rows names."""
    ids = {r.office_id for r in rows} | {r.sender_office_id for r in rows}
    ids |= {r.escalated_to_id for r in rows if r.escalated_to_id}
    return {
        o.pk: o.local_name for o in Office.objects.filter(pk__in=ids).only("id", "name", "name_ru")
    }


def _count(qs: QuerySet[Any]) -> Coalesce:
    """`SELECT COUNT(*)` of `qs` as a scalar subquery (a plain COUNT, no GROUP BY), so that
    several counts travel in one query."""
    counted = qs.order_by().annotate(
        n=Func(Value(1), function="COUNT", output_field=IntegerField())
    )
    return Coalesce(Subquery(counted.values("n")[:1]), 0)


def _latest(qs: QuerySet[Any], field: str = "changed_at") -> Subquery:
    return Subquery(
        qs.filter(**{f"{field}__isnull": False}).order_by(f"-{field}").values(field)[:1]
    )


def _scalars(office: Office, values: dict[str, Any]) -> dict[str, Any]:
    """Several scalar subqueries in one round trip (anchored on the office's row)."""
    row = Office.objects.filter(pk=office.pk).annotate(**values).values(*values).first()
    return row or dict.fromkeys(values)


def inbox_counts(*, user: Any, office: Office, now: dt.datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    tabs = (InboxTab.UNREAD, InboxTab.MINE, InboxTab.THEIRS, InboxTab.OVERDUE)
    if office.pk not in exchange_access(user).base.office_ids:
        return {**{t.value: 0 for t in tabs}, "permissions": 0}
    values: dict[str, Any] = {
        f"n_{t.value}": _count(inbox_rows(user=user, office=office, tab=t, now=now)) for t in tabs
    }
    values["n_permissions"] = _count(pending_permissions(user=user, office=office))
    row = _scalars(office, values)
    return {k[2:]: int(v or 0) for k, v in row.items()}


def inbox_stamp(*, user: Any, office: Office) -> str:
    """Changes whenever anything the inbox shows changes (the live poll compares it)."""
    xa = exchange_access(user)
    if office.pk not in xa.base.office_ids:
        return "-"
    permissions = ForwardPermission.objects.filter(
        Q(originator_office=office) | Q(requesting_office=office)
    )
    values: dict[str, Any] = {
        "s_in": _latest(Recipient.objects.addressed_to(office.pk, xa)),
        "s_out": _latest(Recipient.objects.sent_by(office.pk, xa)),
        "s_escalated": _latest(Recipient.objects.filter(escalated_to=office)),
        "s_asked": _latest(permissions, "requested_at"),
        "s_decided": _latest(permissions, "decided_at"),
    }
    country = _supervised(office, xa)
    if country:
        values["s_country"] = _latest(
            Recipient.objects.filter(OPEN_REQUEST, office_country=country)
        )
    row = _scalars(office, values)
    return "|".join(str(row[k]) if row[k] else "-" for k in values)


def pending_permissions(*, user: Any, office: Office) -> QuerySet[ForwardPermission]:
    """Forwarding requests waiting for this office's decision as originator."""
    xa = exchange_access(user)
    if not xa.allowed or office.pk not in xa.base.office_ids:
        return ForwardPermission.objects.none()
    # Permissions are asked on the original message, owned by the originator office: visible
    # to its staff by the rule, within their clearance.
    return (
        ForwardPermission.objects.filter(
            originator_office=office,
            status=PermissionStatus.PENDING,
            message__classification__lte=xa.base.clearance,
        )
        .select_related("message", "requesting_office")
        .order_by("requested_at")
    )


# ----------------------------------------------------------------------------- addressing


def addressable_offices() -> QuerySet[Office]:
    """Every office a message may go to (the directory is visible to every signed-in user)."""
    return (
        Office.objects.exclude(agency__kind=AgencyKind.INTERNATIONAL_ORG)
        .select_related("agency", "site", "country")
        .order_by("country_id", "kind", "name")
    )


def quick_recipients(office: Office) -> dict[str, list[Office]]:
    """One-click addressees: the counterpart(s) across the border, the national situation
    centres, the regional centre."""
    centres = list(
        Office.objects.filter(
            Q(kind=OfficeKind.SC, country_id=office.country_id) | Q(kind=OfficeKind.RC)
        )
        .exclude(pk=office.pk)
        .order_by("id")
    )
    return {
        "counterparts": list(office.counterparts()),
        "situation_centres": [o for o in centres if o.kind == OfficeKind.SC],
        "regional": [o for o in centres if o.kind == OfficeKind.RC],
    }
