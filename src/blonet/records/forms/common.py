"""Shared form pieces: Bootstrap styling, the sharing fields, attachments, deletion."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from blonet.core.choices import (
    Classification,
    Distribution,
    HandlingCode,
    InformationAccuracy,
    SourceReliability,
)
from blonet.directory.models import Country
from blonet.records.choices import (
    AttachmentKind,
)

BLANK: list[tuple[str, Any]] = [("", "—")]
COUNTRY_INPUT = {"list": "country-codes", "autocomplete": "off", "class": "code"}
DECIMAL_INPUT = {"inputmode": "decimal", "autocomplete": "off"}


def meta(model: Any, name: str, **extra: Any) -> dict[str, Any]:
    """Label and help text of a model field, for a form field of the same meaning."""
    field = model._meta.get_field(name)
    out = {"label": capfirst(field.verbose_name), "help_text": field.help_text}
    out.update(extra)
    return out


def style_widgets(form: forms.BaseForm) -> None:
    """Bootstrap classes on the widgets of any form (ours, or a FilterSet's)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.HiddenInput) or getattr(widget, "_styled", False):
            continue
        if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
            css = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select form-select-sm"
        else:
            css = "form-control form-control-sm"
        existing = widget.attrs.get("class", "")
        widget.attrs["class"] = f"{css} {existing}".strip()
        widget._styled = True  # type: ignore[attr-defined]


class StyledForm(forms.Form):
    """Bootstrap classes on every widget. Errors come from the server, translated, next to
    each field: no browser-side `required` (its messages are in the browser's language)."""

    use_required_attribute = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)

    def add_messages(self, field: str | None, messages: list[str]) -> None:
        """Service messages onto `field` (or the form as a whole when it has no such field)."""
        target = field if field in self.fields else None
        for message in messages:
            self.add_error(target, message)


class SharingFields(StyledForm):
    """Owner's sharing choices, as in the architecture guide's access model."""

    distribution = forms.ChoiceField(
        choices=Distribution.choices,
        initial=Distribution.NATIONAL,
        label=_("Distribution"),
        help_text=_(
            "Who may see this record: your office, your agency, your country, your country and "
            "one other (bilateral), the region, or every node."
        ),
    )
    counterpart_country = forms.ModelChoiceField(
        queryset=Country.objects.all(),
        required=False,
        label=_("Shared with country"),
        help_text=_("For bilateral distribution: the other country."),
    )
    handling_codes = forms.MultipleChoiceField(
        choices=HandlingCode.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Handling codes"),
        help_text=_("What the receiver may do with the information (as in SIENA)."),
    )
    handling_conditions = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label=_("H3 conditions"),
        help_text=_("The restrictions of H3, written out."),
    )
    source_reliability = forms.ChoiceField(
        choices=SourceReliability.choices,
        initial=SourceReliability.X,
        label=_("Source reliability"),
    )
    information_accuracy = forms.ChoiceField(
        choices=InformationAccuracy.choices,
        initial=InformationAccuracy.FOUR,
        label=_("Information accuracy"),
    )
    classification = forms.TypedChoiceField(
        coerce=int,
        choices=Classification.choices,
        initial=Classification.RESTRICTED,
        label=_("Classification"),
        help_text=_("Up to your own clearance."),
    )
    sharing_names = (
        "distribution", "counterpart_country", "handling_codes", "handling_conditions",
        "source_reliability", "information_accuracy", "classification",
    )  # fmt: skip

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        clearance = int(getattr(user, "clearance", Classification.RESTRICTED))
        field: Any = self.fields["classification"]
        field.choices = [(v, label) for v, label in Classification.choices if v <= clearance]
        if self.initial.get("classification", field.initial) > clearance:
            self.initial["classification"] = clearance

    def sharing_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.sharing_names}

    def sharing_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.sharing_names]


class AttachmentForm(StyledForm):
    kind = forms.ChoiceField(
        choices=AttachmentKind.choices, initial=AttachmentKind.PHOTO, label=_("Kind")
    )
    file = forms.FileField(label=_("File"))
    description = forms.CharField(max_length=300, required=False, label=_("Description"))


class DeleteForm(StyledForm):
    reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        label=_("Reason for deletion"),
        help_text=_("The record stays, marked deleted, with this reason and its history."),
    )
