"""The exchange's access rule (ADR 0008), one queryset method per model: `.visible_to(user)`.

A message is visible, up to the viewer's clearance and only to operational roles, to
1. the staff of the sender office and of every recipient office (the inbox is per office);
2. the staff of a situation centre of the sender's country or of a recipient's country (the
   national supervisors and the escalation target);
3. whoever its distribution level lets see it (`core.access.shared_visibility_q`, owner = the
   sender office).
A thread is visible when at least one of its messages is; inside it, each message follows the
rule on its own. Receipts, attachments and permission requests follow their message.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Self

from django.db.models import Exists, OuterRef, Q

from blonet.core.access import AccessContext, VisibleQuerySet, access_of, shared_visibility_q
from blonet.directory.choices import OfficeKind
from blonet.records.querysets import OPERATIONAL_ROLES, operational

NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class ExchangeAccess:
    base: AccessContext
    # Countries whose situation centre the viewer works in (operational posting there).
    sc_countries: frozenset[str] = frozenset()
    # The offices of the viewer's operational postings (their inboxes), in posting order.
    offices: tuple[Any, ...] = ()

    @property
    def allowed(self) -> bool:
        return self.base.authenticated and operational(self.base)


def exchange_access(user: Any) -> ExchangeAccess:
    """Cached on the user object for the request, like `access_context()`."""
    base = access_of(user)
    if not base.authenticated or not operational(base):
        return ExchangeAccess(base)
    cached: ExchangeAccess | None = getattr(user, "_exchange_access", None)
    if cached is not None and cached.base is base:
        return cached
    offices: dict[str, Any] = {}
    for posting in user.active_postings().filter(role__in=OPERATIONAL_ROLES):
        offices.setdefault(posting.office_id, posting.office)
    countries = frozenset(o.country_id for o in offices.values() if o.kind == OfficeKind.SC)
    result = ExchangeAccess(base, countries, tuple(offices.values()))
    user._exchange_access = result
    return result


def message_visibility_q(xa: ExchangeAccess) -> Q:
    from blonet.exchange.models import Recipient

    if not xa.allowed:
        return NOTHING
    access = xa.base
    offices = sorted(access.office_ids)
    q = Q(owner_office__in=offices) | Q(
        Exists(Recipient.objects.filter(message=OuterRef("pk"), office__in=offices))
    )
    if xa.sc_countries:
        countries = sorted(xa.sc_countries)
        q |= Q(owner_country__in=countries) | Q(
            Exists(Recipient.objects.filter(message=OuterRef("pk"), office_country__in=countries))
        )
    q |= shared_visibility_q(access)
    return q & Q(classification__lte=access.clearance)


class ExchangeQuerySet(VisibleQuerySet[Any]):
    def exchange_q(self, xa: ExchangeAccess) -> Q:
        raise NotImplementedError

    def visibility_q(self, access: AccessContext) -> Q:
        # Without the user there is no situation-centre part: callers use `visible_to`.
        return self.exchange_q(ExchangeAccess(access))

    def visible_to(self, user: Any) -> Self:
        return self.filter(self.exchange_q(exchange_access(user)))


class MessageQuerySet(ExchangeQuerySet):
    def exchange_q(self, xa: ExchangeAccess) -> Q:
        return message_visibility_q(xa)

    def alive(self) -> Self:
        return self.filter(deleted_at__isnull=True)


class ThreadQuerySet(ExchangeQuerySet):
    def exchange_q(self, xa: ExchangeAccess) -> Q:
        from blonet.exchange.models import Message

        if not xa.allowed:
            return NOTHING
        visible = Message.objects.filter(thread=OuterRef("pk")).filter(message_visibility_q(xa))
        return Q(Exists(visible))


class RecipientQuerySet(ExchangeQuerySet):
    def exchange_q(self, xa: ExchangeAccess) -> Q:
        from blonet.exchange.models import Message

        if not xa.allowed:
            return NOTHING
        access = xa.base
        mine = Q(office__in=sorted(access.office_ids), classification__lte=access.clearance)
        seen = Message.objects.filter(message_visibility_q(xa)).values("pk")
        return mine | Q(message__in=seen)

    def addressed_to(self, office_id: str, xa: ExchangeAccess) -> Self:
        """An office's inbox: a subset of `visible_to` (addressed, within the clearance),
        written so that the database uses the (office, ...) indexes."""
        if not xa.allowed or office_id not in xa.base.office_ids:
            return self.none()
        return self.filter(office_id=office_id, classification__lte=xa.base.clearance)

    def sent_by(self, office_id: str, xa: ExchangeAccess) -> Self:
        """Receipts of what an office sent (its own messages: visible to its staff)."""
        if not xa.allowed or office_id not in xa.base.office_ids:
            return self.none()
        return self.filter(sender_office_id=office_id, classification__lte=xa.base.clearance)


class MessageChildQuerySet(ExchangeQuerySet):
    """Attachments and permission requests: visible with their message."""

    def exchange_q(self, xa: ExchangeAccess) -> Q:
        from blonet.exchange.models import Message

        if not xa.allowed:
            return NOTHING
        return Q(message__in=Message.objects.filter(message_visibility_q(xa)).values("pk"))


class ThreadLinkQuerySet(ExchangeQuerySet):
    """Links follow their thread; the linked record is then checked against its own rule."""

    def exchange_q(self, xa: ExchangeAccess) -> Q:
        from blonet.exchange.models import Thread

        if not xa.allowed:
            return NOTHING
        return Q(thread__in=Thread.objects.filter(Thread.objects.exchange_q(xa)).values("pk"))
