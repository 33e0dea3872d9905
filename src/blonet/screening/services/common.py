"""What the screening services share: who may screen, for which post; keeping the index current."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from blonet.core.access import access_of
from blonet.core.errors import PermissionDenied, ValidationError
from blonet.directory.models import Office
from blonet.records.querysets import OPERATIONAL_ROLES


def screener_office(actor: Any, office: Office | str | None = None) -> Office:
    """The post a check is made for: one of the actor's operational postings (the only one, or
    the first, when none is named). Programme roles do not screen."""
    access = access_of(actor)
    if not access.authenticated or not (access.roles & OPERATIONAL_ROLES):
        raise PermissionDenied(
            _(
                "Screening needs an operational posting (officer, analyst, coordinator or node "
                "administrator)."
            )
        )
    offices = {
        p.office_id: p.office for p in actor.active_postings() if p.role in OPERATIONAL_ROLES
    }
    if office is None or office == "":
        return offices[sorted(offices)[0]]
    key = office.pk if isinstance(office, Office) else str(office)
    if key not in offices:
        raise ValidationError(fields={"office": [_("You are not posted to this office.")]})
    return offices[key]


def index_on_commit(entry: Any, kind: str) -> None:
    """Add (or, for a tombstone, remove) the entry in this process's index once committed."""
    from blonet.screening.engine import LIVE

    if entry.deleted_at is None:
        transaction.on_commit(lambda: LIVE.add(entry, kind))
    else:
        transaction.on_commit(lambda: LIVE.remove(entry.pk))
