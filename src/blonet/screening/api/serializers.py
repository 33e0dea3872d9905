"""API shapes of screening. Input serializers check only the shape (text, lengths); the service
checks the values, so the page and the API give the same field-level messages."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from blonet.screening.choices import WatchlistKind
from blonet.screening.messages import explain


def _text(help_text: Any = "", max_length: int = 2000) -> serializers.CharField:
    return serializers.CharField(
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        max_length=max_length,
        help_text=help_text,
    )


class ScreeningCheckInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    kind = serializers.ChoiceField(
        choices=WatchlistKind.choices,
        default=WatchlistKind.PERSON,
        help_text=_("What to screen: the kind of watchlist to screen against."),
    )
    name = _text(_("Person: a name in any script, or the two or three lines of an MRZ."))
    dob = _text(_("Person: YYYY, YYYY-MM, YYYY-MM-DD or DD.MM.YYYY."), 20)
    nationality = _text(_("Person: ISO 3166 alpha-2 or alpha-3."), 3)
    doc_number = _text(_("Person or document: the document number."), 40)
    plate = _text(_("Vehicle: the plate as written."), 20)
    vin = _text(_("Vehicle: the VIN."), 20)
    container = _text(_("Container: the ISO 6346 number."), 20)
    organisation = _text(_("Organisation: its name, with or without the legal form."), 300)
    phone = _text(_("Phone: the number, with or without the country code."), 40)
    office = _text(_("The post the check is for (default: your only or first posting)."), 100)


class ScreeningEntrySerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.UUIDField()
    subject = serializers.CharField(source="label")
    watchlist = serializers.SerializerMethodField()
    reason = serializers.CharField()
    owner_office = serializers.CharField(source="owner_office_id")
    distribution = serializers.CharField()
    handling_codes = serializers.ListField(child=serializers.CharField())

    def get_watchlist(self, entry: Any) -> dict[str, str]:
        wl = entry.watchlist
        return {"id": str(wl.pk), "name": wl.name, "kind": wl.kind}


class ScreeningHitSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.UUIDField()
    run = serializers.UUIDField(source="run_id")
    row = serializers.IntegerField(allow_null=True)
    query = serializers.CharField(source="query_label")
    score = serializers.FloatField(help_text=_("0 to 1; a hit from 0.80."))
    status = serializers.CharField()
    explanation = serializers.SerializerMethodField(
        help_text=_("Why it matched, in the language of the request.")
    )
    entry = ScreeningEntrySerializer()
    decided_at = serializers.DateTimeField(allow_null=True)
    reason = serializers.CharField()

    def get_explanation(self, hit: Any) -> list[str]:
        return explain(hit.explanation)


class ScreeningMrzSerializer(serializers.Serializer):  # type: ignore[type-arg]
    kind = serializers.CharField()
    surname = serializers.CharField()
    given_names = serializers.CharField()
    dob = serializers.CharField()
    nationality = serializers.CharField()
    doc_number = serializers.CharField()


class ScreeningSuppressedSerializer(serializers.Serializer):  # type: ignore[type-arg]
    entry = serializers.UUIDField(source="entry.pk")
    score = serializers.FloatField()
    dismissed_at = serializers.DateTimeField(source="dismissal.dismissed_at")
    reason = serializers.CharField(source="dismissal.reason")


class ScreeningCheckResultSerializer(serializers.Serializer):  # type: ignore[type-arg]
    run = serializers.UUIDField(source="run.pk")
    warnings = serializers.ListField(child=serializers.CharField())
    mrz = ScreeningMrzSerializer(allow_null=True)
    hits = ScreeningHitSerializer(many=True)
    suppressed = ScreeningSuppressedSerializer(
        many=True, help_text=_("Known namesakes of this traveller, dismissed before: not alerted.")
    )


class ScreeningDecisionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, help_text=_("Required to dismiss.")
    )


class ScreeningDismissResultSerializer(serializers.Serializer):  # type: ignore[type-arg]
    hit = ScreeningHitSerializer()
    remembered = serializers.BooleanField(
        help_text=_("True if the traveller will not be alerted again for this entry.")
    )
