"""Involved-entity rows and the bundle of a record's forms.

Field-level checks that need the database or the domain rules (future dates, check digits,
impossible quantities, sharing rules) live in the services; `RecordForms.apply_errors` puts the
service's `ValidationError.fields` (`occurred_at`, `items[0].quantity`, `involvements[1].number`)
back next to the right input.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from django import forms
from django.forms import formset_factory
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from blonet.directory.models import Office
from blonet.records.choices import (
    DocumentKind,
    EntityKind,
    LinkRole,
)
from blonet.records.forms.common import BLANK, COUNTRY_INPUT, StyledForm, meta
from blonet.records.forms.events import EventForm, ItemForm
from blonet.records.models import (
    BankAccount,
    Container,
    Document,
    Organisation,
    Person,
    Phone,
    Vehicle,
)

# The main fields of each kind of entity on the seizure form: service field -> form field.
KIND_FIELDS: dict[str, dict[str, str]] = {
    "person": {"full_name": "person_full_name", "dob": "person_dob",
               "nationality": "person_nationality"},
    "vehicle": {"plate": "vehicle_plate", "country": "vehicle_country", "make": "vehicle_make"},
    "organisation": {"name": "organisation_name", "country": "organisation_country"},
    "phone": {"number": "phone_number"},
    "document": {"document_kind": "document_kind", "number": "document_number",
                 "issuing_country": "document_country"},
    "container": {"number": "container_number"},
    "account": {"number": "account_number", "bank": "account_bank"},
}  # fmt: skip
# The role a new row of each kind starts with (the officer changes it with the keyboard).
DEFAULT_ROLE = {
    "person": LinkRole.COURIER, "vehicle": LinkRole.USED, "organisation": LinkRole.OWNER,
    "phone": LinkRole.USED, "document": LinkRole.USED, "container": LinkRole.USED,
    "account": LinkRole.USED,
}  # fmt: skip


class InvolvementForm(StyledForm):
    kind = forms.ChoiceField(choices=EntityKind.choices, label=_("Kind"))
    role = forms.ChoiceField(choices=LinkRole.choices, label=_("Role"))
    entity = forms.CharField(required=False, widget=forms.HiddenInput)
    person_full_name = forms.CharField(max_length=300, required=False, **meta(Person, "full_name"))
    person_dob = forms.CharField(max_length=10, required=False, **meta(Person, "dob"))
    person_nationality = forms.CharField(
        max_length=3, required=False, widget=forms.TextInput(COUNTRY_INPUT),
        **meta(Person, "nationality"),
    )  # fmt: skip
    vehicle_plate = forms.CharField(max_length=20, required=False, **meta(Vehicle, "plate"))
    vehicle_country = forms.CharField(
        max_length=3, required=False, widget=forms.TextInput(COUNTRY_INPUT),
        **meta(Vehicle, "country"),
    )  # fmt: skip
    vehicle_make = forms.CharField(max_length=60, required=False, **meta(Vehicle, "make"))
    organisation_name = forms.CharField(
        max_length=300, required=False, **meta(Organisation, "name")
    )
    organisation_country = forms.CharField(
        max_length=3, required=False, widget=forms.TextInput(COUNTRY_INPUT),
        **meta(Organisation, "country"),
    )  # fmt: skip
    phone_number = forms.CharField(max_length=40, required=False, **meta(Phone, "number"))
    document_kind = forms.ChoiceField(
        choices=BLANK + DocumentKind.choices, required=False, **meta(Document, "document_kind")
    )
    document_number = forms.CharField(max_length=40, required=False, **meta(Document, "number"))
    document_country = forms.CharField(
        max_length=3, required=False, widget=forms.TextInput(COUNTRY_INPUT),
        **meta(Document, "issuing_country"),
    )  # fmt: skip
    container_number = forms.CharField(max_length=20, required=False, **meta(Container, "number"))
    account_number = forms.CharField(max_length=40, required=False, **meta(BankAccount, "number"))
    account_bank = forms.CharField(max_length=200, required=False, **meta(BankAccount, "bank"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        prefix = self.prefix or ""
        check = {
            "hx-get": reverse_lazy("records:person_duplicates"),
            "hx-trigger": "input changed delay:400ms, change",
            "hx-target": f"#{prefix}-duplicates",
            "hx-vals": f'{{"prefix": "{prefix}"}}',
            "autocomplete": "off",
        }
        name_field = self.fields["person_full_name"]
        dob_field = self.fields["person_dob"]
        name_field.widget.attrs.update(check, **{"hx-include": f"[name={prefix}-person_dob]"})
        dob_field.widget.attrs.update(check, **{"hx-include": f"[name={prefix}-person_full_name]"})
        dob_field.widget.attrs["placeholder"] = "YYYY-MM-DD"

    def clean_entity(self) -> str:
        value = (self.cleaned_data.get("entity") or "").strip()
        if value:
            try:
                value = str(uuid.UUID(value))
            except ValueError:
                raise forms.ValidationError(_("This is not a record of ours.")) from None
        return value

    def kind_groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        """(kind, its bound fields) for the template, one group per kind."""
        return [(kind, [self[f] for f in fields.values()]) for kind, fields in KIND_FIELDS.items()]

    def current_kind(self) -> str:
        return str(self["kind"].value() or "person")

    def service_data(self) -> dict[str, Any]:
        kind = self.cleaned_data["kind"]
        row: dict[str, Any] = {"kind": kind, "role": self.cleaned_data["role"]}
        if self.cleaned_data.get("entity"):
            row["entity"] = self.cleaned_data["entity"]
        else:
            row["data"] = {
                svc: self.cleaned_data.get(name) or "" for svc, name in KIND_FIELDS[kind].items()
            }
        return row

    def field_for(self, service_field: str) -> str | None:
        if service_field in ("kind", "role"):
            return service_field
        return KIND_FIELDS.get(self.current_kind(), {}).get(service_field)


class StyledFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["class"] = "form-check-input"


ItemFormSet = formset_factory(ItemForm, formset=StyledFormSet, extra=0, can_delete=True)
InvolvementFormSet = formset_factory(
    InvolvementForm, formset=StyledFormSet, extra=0, can_delete=True
)
_ROW_KEY = re.compile(r"^(items|involvements)\[(\d+)\]\.(.+)$")


def _kept(formset: Any) -> list[Any]:
    """The rows to send: neither removed nor left untouched."""
    out = []
    for form in formset.forms:
        if getattr(form, "cleaned_data", {}).get("DELETE"):
            continue
        if form.empty_permitted and not form.has_changed():
            continue
        out.append(form)
    return out


class RecordForms:
    """The main form, its item rows (seizures only) and its involved-entity rows, together."""

    def __init__(
        self,
        *,
        form_class: type[EventForm],
        user: Any,
        data: Any = None,
        offices: list[Office] | None = None,
        initial: dict[str, Any] | None = None,
        items: list[dict[str, Any]] | None = None,
        involvements: list[dict[str, Any]] | None = None,
        with_items: bool = True,
    ) -> None:
        self.form = form_class(data, user=user, offices=offices, initial=initial)
        self.items = (
            ItemFormSet(data, prefix="items", initial=items if items is not None else [{}])
            if with_items
            else None
        )
        self.involvements = InvolvementFormSet(
            data, prefix="involvements", initial=involvements or []
        )
        self.item_errors: list[str] = []
        self.involvement_errors: list[str] = []

    def formsets(self) -> list[Any]:
        return [fs for fs in (self.items, self.involvements) if fs is not None]

    def is_valid(self) -> bool:
        valid = self.form.is_valid()
        for formset in self.formsets():
            valid = formset.is_valid() and valid
        return valid

    @property
    def office(self) -> str:
        return str(self.form.cleaned_data.get("owner_office") or "")

    def service_data(self) -> dict[str, Any]:
        return self.form.service_data()

    def service_items(self) -> list[dict[str, Any]] | None:
        return [f.service_data() for f in _kept(self.items)] if self.items is not None else None

    def service_involvements(self) -> list[dict[str, Any]]:
        return [f.service_data() for f in _kept(self.involvements)]

    def apply_errors(self, fields: dict[str, list[str]], message: str = "") -> None:
        """The service's field keys onto the inputs they name; the rest onto the form."""
        rows = {
            "items": _kept(self.items) if self.items is not None else [],
            "involvements": _kept(self.involvements),
        }
        for key, messages in fields.items():
            match = _ROW_KEY.match(key)
            if match:
                group, index, name = match.group(1), int(match.group(2)), match.group(3)
                if index < len(rows[group]):
                    row = rows[group][index]
                    target = row.field_for(name) if group == "involvements" else name
                    row.add_messages(target, messages)
                    continue
            if key == "items":
                self.item_errors += messages
            elif key == "involvements":
                self.involvement_errors += messages
            else:
                self.form.add_messages(key, messages)
        if not fields and message:
            self.form.add_error(None, message)

    def has_row_errors(self) -> bool:
        """Any error outside the main form (a row's, or a whole list's)."""
        return (
            any(formset.non_form_errors() for formset in self.formsets())
            or any(form.errors for formset in self.formsets() for form in formset.forms)
            or bool(self.item_errors or self.involvement_errors)
        )
