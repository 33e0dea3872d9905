"""The edit form of each kind of involved entity."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from blonet.records.forms.common import COUNTRY_INPUT, SharingFields, meta
from blonet.records.models import (
    ENTITY_MODELS,
)


def entity_form_class(kind: str) -> type[SharingFields]:
    """The edit form of one kind of entity: the fields an officer may set, then sharing."""
    from blonet.records.services.entities import COUNTRY_FIELDS, ENTITY_FIELDS

    model = ENTITY_MODELS[kind]
    names = ENTITY_FIELDS[kind]
    special = {"aliases", *COUNTRY_FIELDS}
    generated = forms.fields_for_model(
        model,
        fields=[n for n in names if n not in special],
        widgets={
            "notes": forms.Textarea(attrs={"rows": 3}),
            "valid_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "valid_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        },
    )
    attrs: dict[str, Any] = {}
    for name in names:
        if name in COUNTRY_FIELDS:
            attrs[name] = forms.CharField(
                max_length=3, required=False, widget=forms.TextInput(COUNTRY_INPUT),
                **meta(model, name),
            )  # fmt: skip
        elif name == "aliases":
            attrs[name] = forms.CharField(
                required=False,
                **meta(model, name, help_text=_("Other names, in any script, separated by ;.")),
            )
        else:
            attrs[name] = generated[name]
    attrs["entity_names"] = names

    def service_data(self: Any) -> dict[str, Any]:
        data = {n: self.cleaned_data.get(n) for n in names}
        for n, value in data.items():
            if value is None and n not in ("valid_from", "valid_until"):
                data[n] = ""
        data.update(self.sharing_data())
        return data

    def entity_fields(self: Any) -> list[forms.BoundField]:
        return [self[n] for n in names]

    attrs["service_data"] = service_data
    attrs["entity_fields"] = entity_fields
    return type(f"{model.__name__}Form", (SharingFields,), attrs)


def entity_initial(entity: Any) -> dict[str, Any]:
    """What the edit form of `entity` starts with."""
    from blonet.records.models.base import SHARING_FIELDS
    from blonet.records.services.entities import ENTITY_FIELDS

    initial = {n: getattr(entity, n) for n in ENTITY_FIELDS[entity.kind]}
    if "aliases" in initial:
        initial["aliases"] = "; ".join(initial["aliases"] or [])
    initial.update({n: getattr(entity, n) for n in SHARING_FIELDS})
    initial["counterpart_country"] = entity.counterpart_country_id
    return initial
