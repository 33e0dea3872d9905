"""The main forms of seizures and incidents, and a seizure's item rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from blonet.core.access import access_of
from blonet.directory.models import Agency, Office, Site, country_name
from blonet.records.choices import (
    Commodity,
    Concealment,
    Conveyance,
    DetectionMethod,
    IncidentKind,
    Unit,
)
from blonet.records.forms.common import (
    BLANK,
    COUNTRY_INPUT,
    DECIMAL_INPUT,
    SharingFields,
    StyledForm,
    meta,
)
from blonet.records.models import (
    Seizure,
    SeizureItem,
)


class OfficeSelect(forms.Select):
    """Options carry their office's site and agency, so the page can follow a change."""

    def __init__(self, *args: Any, option_data: dict[str, dict[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.option_data = option_data

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, *args, **kwargs)
        for key, data in self.option_data.get(str(value), {}).items():
            option["attrs"][f"data-{key}"] = data
        return option


def by_country(
    queryset: Any, *, first: frozenset[str] = frozenset(), blank: bool = False
) -> list[tuple[Any, Any]]:
    """Choices grouped by country (the user's own first), for long lists of the directory."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for obj in queryset:
        groups.setdefault(obj.country_id, []).append((obj.pk, obj.local_name))
    order = sorted(groups, key=lambda code: (code not in first, code))
    choices: list[tuple[Any, Any]] = [("", "—")] if blank else []
    choices += [(country_name(code), groups[code]) for code in order]
    return choices


class EventForm(SharingFields):
    """What seizures and incidents share: owner, when, where, who detected it, narrative."""

    owner_office = forms.ChoiceField(label=_("Recorded for"))
    occurred_at = forms.DateTimeField(
        **meta(Seizure, "occurred_at"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    site = forms.ModelChoiceField(
        queryset=Site.objects.select_related("country").order_by("country_id", "name"),
        required=False,
        **meta(Seizure, "site"),
    )
    office = forms.ModelChoiceField(
        queryset=Office.objects.order_by("country_id", "name"), required=False,
        **meta(Seizure, "office"),
    )  # fmt: skip
    place = forms.CharField(max_length=200, required=False, **meta(Seizure, "place"))
    lat = forms.CharField(
        max_length=20, required=False, widget=forms.TextInput(DECIMAL_INPUT), **meta(Seizure, "lat")
    )
    lon = forms.CharField(
        max_length=20, required=False, widget=forms.TextInput(DECIMAL_INPUT), **meta(Seizure, "lon")
    )
    agencies = forms.ModelMultipleChoiceField(
        queryset=Agency.objects.order_by("country_id", "name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
        **meta(
            Seizure,
            "agencies",
            help_text=_("Several for a joint seizure (Ctrl-click or Shift-arrows)."),
        ),
    )
    narrative = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), **meta(Seizure, "narrative")
    )
    event_names: tuple[str, ...] = ("occurred_at", "site", "office", "place", "lat", "lon")

    def __init__(
        self, *args: Any, user: Any = None, offices: list[Office] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, user=user, **kwargs)
        first = access_of(user).country_codes
        for name, blank in (("site", True), ("office", True), ("agencies", False)):
            grouped: Any = self.fields[name]
            grouped.choices = by_country(grouped.queryset, first=first, blank=blank)
        if offices is None:  # editing: the owner stays
            del self.fields["owner_office"]
        else:
            field: Any = self.fields["owner_office"]
            field.choices = [(o.pk, o.local_name) for o in offices]
            field.widget = OfficeSelect(
                choices=field.choices,
                attrs={"class": "form-select form-select-sm"},
                option_data={o.pk: {"site": o.site_id, "agency": o.agency_id} for o in offices},
            )

    def service_data(self) -> dict[str, Any]:
        data = {name: self.cleaned_data.get(name) for name in self.event_names}
        when = data.get("occurred_at")
        if isinstance(when, dt.datetime) and timezone.is_aware(when):
            # The wall-clock time as typed: the service reads it in the office's local time.
            data["occurred_at"] = timezone.make_naive(when)
        data["agencies"] = list(self.cleaned_data.get("agencies") or [])
        data["narrative"] = self.cleaned_data.get("narrative", "")
        for name in ("site", "office", "place", "lat", "lon"):
            if data[name] is None:
                data[name] = ""
        data.update(self.sharing_data())
        return data


class SeizureForm(EventForm):
    detection_method = forms.ChoiceField(
        choices=BLANK + DetectionMethod.choices, required=False,
        **meta(Seizure, "detection_method"),
    )  # fmt: skip
    concealment = forms.ChoiceField(
        choices=BLANK + Concealment.choices, required=False, **meta(Seizure, "concealment")
    )
    concealment_detail = forms.CharField(
        max_length=300, required=False, **meta(Seizure, "concealment_detail")
    )
    conveyance = forms.ChoiceField(
        choices=BLANK + Conveyance.choices, required=False, **meta(Seizure, "conveyance")
    )
    origin_country = forms.CharField(
        max_length=3, required=False, widget=forms.TextInput(COUNTRY_INPUT),
        **meta(Seizure, "origin_country", help_text=_("Country code, e.g. AF.")),
    )  # fmt: skip
    transit_countries = forms.CharField(
        max_length=60, required=False, widget=forms.TextInput({"autocomplete": "off"}),
        **meta(
            Seizure, "transit_countries",
            help_text=_("Country codes in order, separated by commas, e.g. TJ, KG."),
        ),
    )  # fmt: skip
    destination_country = forms.CharField(
        max_length=3, required=False, widget=forms.TextInput(COUNTRY_INPUT),
        **meta(Seizure, "destination_country", help_text=_("Country code, e.g. RU.")),
    )  # fmt: skip
    event_names = (
        *EventForm.event_names, "detection_method", "concealment", "concealment_detail",
        "conveyance", "origin_country", "transit_countries", "destination_country",
    )  # fmt: skip


class IncidentForm(EventForm):
    kind = forms.ChoiceField(choices=BLANK + IncidentKind.choices, label=_("Kind of incident"))
    event_names = ("kind", *EventForm.event_names)


class ItemForm(StyledForm):
    commodity = forms.ChoiceField(
        choices=BLANK + Commodity.choices, **meta(SeizureItem, "commodity")
    )
    quantity = forms.CharField(
        max_length=30, widget=forms.TextInput(DECIMAL_INPUT), **meta(SeizureItem, "quantity")
    )
    unit = forms.ChoiceField(choices=Unit.choices, initial=Unit.KG, **meta(SeizureItem, "unit"))
    currency = forms.CharField(
        max_length=3, required=False, widget=forms.TextInput({"class": "code"}),
        **meta(SeizureItem, "currency"),
    )  # fmt: skip
    purity = forms.CharField(
        max_length=10, required=False, widget=forms.TextInput(DECIMAL_INPUT),
        **meta(SeizureItem, "purity"),
    )  # fmt: skip
    packaging = forms.CharField(max_length=200, required=False, **meta(SeizureItem, "packaging"))
    markings = forms.CharField(max_length=200, required=False, **meta(SeizureItem, "markings"))

    def service_data(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data.get(name) or ""
            for name in ("commodity", "quantity", "unit", "currency", "purity", "packaging",
                         "markings")
        }  # fmt: skip
