"""Writes on accounts: each one checks, saves and audits in one transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from blonet.accounts.choices import Role
from blonet.accounts.models import Posting, User
from blonet.audit.services import audit_event_record
from blonet.core.errors import PermissionDenied, ValidationError


def _require_admin(actor: Any) -> None:
    if actor is None:  # a management command run by the node's operator
        return
    if not (actor.is_superuser or actor.has_role(Role.NODE_ADMIN)):
        raise PermissionDenied(_("Only a node administrator may change postings."))


def posting_create(
    *,
    actor: User | None,
    user: User,
    office_id: str,
    role: str,
    starts: dt.date | None = None,
    ends: dt.date | None = None,
) -> Posting:
    _require_admin(actor)
    if role not in Role.values:
        raise ValidationError(fields={"role": [_("Unknown role “%s”.") % role]})
    with transaction.atomic():
        posting = Posting(
            user=user,
            office_id=office_id,
            role=role,
            starts=starts or timezone.localdate(),
            ends=ends,
        )
        posting.full_clean()
        posting.save()
        audit_event_record(
            actor=actor,
            action="accounts.posting.created",
            target=posting,
            data=posting.as_audit_data(),
        )
    return posting


def posting_end(*, actor: User | None, posting: Posting, ends: dt.date | None = None) -> Posting:
    _require_admin(actor)
    with transaction.atomic():
        posting.ends = ends or timezone.localdate()
        posting.full_clean()
        posting.save(update_fields=["ends"])
        audit_event_record(
            actor=actor,
            action="accounts.posting.ended",
            target=posting,
            data=posting.as_audit_data(),
        )
    return posting
