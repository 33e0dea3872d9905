"""E-mail notifications, sent after the transaction commits (console backend in the demo).

E-mail is not a protected channel: a notification names the kind of message, the sender office,
the priority and the link, never the content.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mass_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from blonet.accounts.models import Posting
from blonet.core.choices import Priority
from blonet.exchange import conf
from blonet.exchange.choices import MessageKind
from blonet.exchange.models import ForwardPermission, Recipient
from blonet.records.querysets import OPERATIONAL_ROLES

log = logging.getLogger(__name__)


def _addresses(office_ids: Iterable[str]) -> dict[str, list[str]]:
    """The e-mail addresses of each office's current operational staff."""
    from django.db.models import Q
    from django.utils import timezone

    today = timezone.localdate()
    rows = (
        Posting.objects.filter(
            Q(ends__isnull=True) | Q(ends__gte=today),
            office_id__in=list(office_ids),
            starts__lte=today,
            role__in=OPERATIONAL_ROLES,
            user__is_active=True,
        )
        .exclude(user__email="")
        .values_list("office_id", "user__email")
    )
    out: dict[str, list[str]] = {}
    for office_id, email in rows:
        if email not in out.setdefault(office_id, []):
            out[office_id].append(email)
    return out


def _send(mails: list[tuple[str, str, str, list[str]]]) -> None:
    if not mails:
        return
    try:
        send_mass_mail(tuple(mails), fail_silently=False)
    except Exception:  # a mail server failure never undoes or breaks a committed send
        log.exception("exchange notification e-mail failed")


def _link(path: str) -> str:
    return f"{conf.base_url()}{path}"


def notify_sent(
    *, kind: str, priority: str, office_name: str, thread: str, offices: list[str]
) -> None:
    addresses = _addresses(offices)
    if not addresses:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("[blonet] %(kind)s from %(office)s (%(priority)s)") % {
            "kind": MessageKind(kind).label,
            "office": office_name,
            "priority": Priority(priority).label,
        }
        body = _(
            "Your office has a new message in blonet.\n\nOpen it in your office's inbox: %(link)s\n"
        ) % {"link": _link(reverse("exchange:thread", args=[thread]))}
    mails = [
        (subject, body, settings.DEFAULT_FROM_EMAIL, [email])
        for office in offices
        for email in addresses.get(office, [])
    ]
    _send(mails)


def _recipient_mails(ids: list[int], subject_text: str, to_escalation: bool) -> None:
    rows = list(Recipient.objects.filter(pk__in=ids).select_related("office"))
    offices = {(r.escalated_to_id if to_escalation else r.office_id) for r in rows} - {None}
    addresses = _addresses(o for o in offices if o)
    mails = []
    with translation.override(settings.LANGUAGE_CODE):
        for row in rows:
            office = row.escalated_to_id if to_escalation else row.office_id
            body = _(
                "A request to %(office)s was due at %(due)s and is not answered.\n\n%(link)s\n"
            ) % {
                "office": row.office.name,
                "due": row.due_at.isoformat() if row.due_at else "",
                "link": _link(reverse("exchange:thread", args=[row.thread_id])),
            }
            for email in addresses.get(office or "", []):
                mails.append((subject_text, body, settings.DEFAULT_FROM_EMAIL, [email]))
    _send(mails)


def notify_overdue(ids: list[int]) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("[blonet] Request overdue")
    _recipient_mails(ids, subject, to_escalation=False)


def notify_escalated(ids: list[int]) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("[blonet] Overdue request escalated to your situation centre")
    _recipient_mails(ids, subject, to_escalation=True)


def notify_permission(permission_id: str, *, decided: bool) -> None:
    permission = (
        ForwardPermission.objects.select_related("message", "requesting_office")
        .filter(pk=permission_id)
        .first()
    )
    if permission is None:
        return
    office = permission.requesting_office_id if decided else permission.originator_office_id
    with translation.override(settings.LANGUAGE_CODE):
        if decided:
            subject = _("[blonet] Your forwarding request was answered")
        else:
            subject = _("[blonet] %s asks to forward a message of your office") % (
                permission.requesting_office.name
            )
        body = _link(reverse("exchange:thread", args=[permission.message.thread_id])) + "\n"
    _send(
        [
            (subject, body, settings.DEFAULT_FROM_EMAIL, [email])
            for email in _addresses([office]).get(office, [])
        ]
    )
