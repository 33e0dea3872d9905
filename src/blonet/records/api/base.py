"""What every records endpoint shares: lookup by UUID, the owner office, delete reason, history."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import viewsets
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from simple_history.models import HistoricalRecords

from blonet.core.access import access_of
from blonet.core.errors import NotFound, ValidationError
from blonet.core.listing import CappedPagination
from blonet.records.api.inputs import DeleteSerializer, validated

REASON_PARAMETER = OpenApiParameter(
    "reason",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    description="Why the record is deleted (required: here or as `reason` in a JSON body).",
)
ID_PARAMETER = OpenApiParameter("id", OpenApiTypes.UUID, OpenApiParameter.PATH)
HISTORY_EXCLUDED = {"version", "updated_at", "search_text"}


@contextmanager
def history_user(request: Request) -> Iterator[None]:
    """Let django-simple-history record who made the change (the token's user, known only once
    DRF has authenticated the request, so its middleware would not do)."""
    HistoricalRecords.context.request = request
    try:
        yield
    finally:
        del HistoricalRecords.context.request


def parse_pk(value: Any) -> uuid.UUID:
    """The record id from the URL; anything that is not a UUID is simply not found."""
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise NotFound() from None


def owner_office_of(user: Any, given: str | None) -> str:
    """The office given, or the office of the user's only posting."""
    if given:
        return given
    offices = sorted(access_of(user).office_ids)
    if len(offices) == 1:
        return offices[0]
    raise ValidationError(
        fields={"owner_office": [_("Say for which of your offices you record it.")]}
    )


def delete_reason(request: Request) -> str:
    """`reason` from a JSON (or form) body, else from the query string."""
    body = request.data if hasattr(request.data, "get") else {}
    source = body if "reason" in body else {"reason": request.query_params.get("reason", "")}
    data = validated(DeleteSerializer(data=source))
    return str(data.get("reason", ""))


def _changed(fields: list[Any], old: Any, new: Any) -> list[str]:
    return sorted(f.name for f in fields if getattr(old, f.attname) != getattr(new, f.attname))


def history_rows(record: Any) -> list[dict[str, Any]]:
    """Every version of a record, oldest first: version, when, who, which fields changed."""
    rows = list(
        record.history.select_related("history_user").order_by("history_date", "history_id")
    )
    if not rows:
        return []
    # simple-history's diff_against skips non-editable fields (version, tombstone, owner):
    # compare every tracked column instead.
    fields = [f for f in rows[0].tracked_fields if f.name not in HISTORY_EXCLUDED]
    out: list[dict[str, Any]] = []
    previous = None
    for row in rows:
        if previous is None:
            changed: list[str] = []
            change = "created"
        else:
            changed = _changed(fields, previous, row)
            change = "deleted" if row.deleted_at and not previous.deleted_at else "changed"
        if row.history_type == "-":
            change = "deleted"
        user = row.history_user
        out.append(
            {
                "version": row.version,
                "when": row.history_date,
                "who": user.get_username() if user is not None else None,
                "change": change,
                "changed_fields": changed,
            }
        )
        previous = row
    return out


class RecordViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Reads through the selectors and the shared FilterSet; writes through the services."""

    filter_backends = [DjangoFilterBackend]
    # Counts capped at 1,000 and searches not counted, as on the list pages (a million rows).
    pagination_class = CappedPagination
    # Items and involvements are lists of objects: JSON only (a form body answers 415).
    parser_classes = [JSONParser]
    lookup_value_regex = "[^/]+"

    def context(self, **extra: Any) -> dict[str, Any]:
        return {**self.get_serializer_context(), **extra}
