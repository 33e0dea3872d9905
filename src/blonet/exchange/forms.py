"""Forms of the exchange pages. They only parse: every rule lives in the services, whose
field errors are put back on the form (`apply_errors`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from blonet.core.choices import (
    Classification,
    Distribution,
    HandlingCode,
    InformationAccuracy,
    Priority,
    SourceReliability,
)
from blonet.directory.models import Country, Office, country_name
from blonet.exchange.choices import COMPOSABLE_KINDS
from blonet.exchange.structured import COMPOSE_TEMPLATES, TEMPLATES, MessageTemplate
from blonet.records.choices import Commodity, Conveyance, Unit

SHARING_FIELDS = (
    "distribution", "counterpart_country", "handling_codes", "handling_conditions",
    "source_reliability", "information_accuracy", "classification",
)  # fmt: skip
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"})


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; their checks (count, size, type) are the service's."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, (list, tuple)):
            return [f for f in data if f]
        return [data] if data else []


def _choices(form: forms.Form, name: str, choices: Any) -> None:
    field: Any = form.fields[name]
    field.choices = choices


def bootstrap(form: forms.Form) -> None:
    """Bootstrap classes on every widget (no inline styles: the CSP forbids them)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple):
            continue
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs["class"] = (
            f"{css} form-control-sm" if css == "form-control" else f"{css} form-select-sm"
        )


def _office_choices(offices: list[Office]) -> list[Any]:
    groups: dict[str, list[tuple[str, str]]] = {}
    for office in offices:
        groups.setdefault(office.country_id, []).append((office.pk, office.local_name))
    return [(country_name(code), rows) for code, rows in groups.items()]


class SharingMixin(forms.Form):
    distribution = forms.ChoiceField(
        label=_("Distribution"),
        choices=Distribution.choices,
        initial=Distribution.OFFICE,
        help_text=_(
            "Besides the addressed offices and the national situation centres: who else may "
            "see it. “Own office” means the addressees only."
        ),
    )
    counterpart_country = forms.ChoiceField(
        label=_("Shared with country"), required=False, help_text=_("For bilateral only.")
    )
    handling_codes = forms.MultipleChoiceField(
        label=_("Handling codes"),
        choices=HandlingCode.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    handling_conditions = forms.CharField(
        label=_("H3 conditions"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    source_reliability = forms.ChoiceField(
        label=_("Source reliability"), choices=SourceReliability.choices, initial="X"
    )
    information_accuracy = forms.ChoiceField(
        label=_("Information accuracy"), choices=InformationAccuracy.choices, initial="4"
    )
    classification = forms.TypedChoiceField(
        label=_("Classification"),
        choices=Classification.choices,
        coerce=int,
        initial=Classification.RESTRICTED,
    )

    def setup_sharing(self) -> None:
        countries = [(c.code, c.name) for c in Country.objects.order_by("code")]
        _choices(self, "counterpart_country", [("", "—"), *countries])

    def sharing(self) -> dict[str, Any]:
        return {k: self.cleaned_data.get(k) for k in SHARING_FIELDS}


def _structured_field(field: Any) -> forms.Field:
    common: dict[str, Any] = {"label": field.label, "required": False, "help_text": field.help}
    if field.type in {"commodity", "unit", "conveyance"}:
        choices = {"commodity": Commodity, "unit": Unit, "conveyance": Conveyance}[field.type]
        return forms.ChoiceField(choices=[("", "—"), *choices.choices], **common)
    if field.type == "country":
        return forms.ChoiceField(
            choices=[("", "—")] + [(c.code, c.name) for c in Country.objects.order_by("code")],
            **common,
        )
    if field.type == "datetime":
        return forms.CharField(widget=DATETIME, **common)
    if field.type in {"names", "plates", "countries"}:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), **common)
    return forms.CharField(max_length=300, **common)


class ComposeForm(SharingMixin):
    from_office = forms.ChoiceField(label=_("From"))
    recipients = forms.MultipleChoiceField(
        label=_("To"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (or Cmd) to choose several offices."),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[(k.value, k.label) for k in COMPOSABLE_KINDS]
    )
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)
    due_at = forms.CharField(
        label=_("Answer due"),
        required=False,
        widget=DATETIME,
        help_text=_(
            "For requests. Empty: 8 hours if immediate, 3 days if urgent, 7 days if routine."
        ),
    )
    template = forms.ChoiceField(label=_("Template"), required=False)
    subject = forms.CharField(
        label=_("Subject"),
        required=False,
        max_length=300,
        help_text=_("Seen by every office in the thread: keep personal data out of it."),
    )
    body = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Plain text, kept as written."),
    )
    language = forms.ChoiceField(label=_("Written in"), choices=settings.LANGUAGES)
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_("Photos (JPEG, PNG, WebP), PDF or office documents."),
    )

    def __init__(
        self,
        *args: Any,
        offices: list[Office],
        addressable: list[Office],
        template_code: str = "",
        reply: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.setup_sharing()
        _choices(self, "from_office", [(o.pk, o.local_name) for o in offices])
        _choices(self, "recipients", _office_choices(addressable))
        templates = [(t.code, t.label) for t in COMPOSE_TEMPLATES]
        _choices(self, "template", [("", _("None: free text")), *templates])
        self.message_template: MessageTemplate | None = TEMPLATES.get(template_code)
        if self.message_template is not None:
            for field in self.message_template.fields:
                self.fields[f"s_{field.name}"] = _structured_field(field)
        if reply:
            del self.fields["subject"]
        bootstrap(self)

    def structured_fields(self) -> list[Any]:
        if self.message_template is None:
            return []
        return [self[f"s_{f.name}"] for f in self.message_template.fields]

    def structured(self) -> dict[str, Any]:
        if self.message_template is None:
            return {}
        data = {}
        for field in self.message_template.fields:
            value = self.cleaned_data.get(f"s_{field.name}")
            if value not in (None, ""):
                data[field.name] = value
        return data


class AnswerForm(SharingMixin):
    body = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 4}))
    language = forms.ChoiceField(label=_("Written in"), choices=settings.LANGUAGES)
    attachments = MultipleFileField(label=_("Attachments"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_sharing()
        bootstrap(self)


class ForwardForm(forms.Form):
    recipients = forms.MultipleChoiceField(
        label=_("Forward to"), widget=forms.SelectMultiple(attrs={"size": 8})
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, addressable: list[Office], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "recipients", _office_choices(addressable))
        bootstrap(self)


class PermissionRequestForm(forms.Form):
    targets = forms.MultipleChoiceField(
        label=_("Forward to"), widget=forms.SelectMultiple(attrs={"size": 6})
    )
    reason = forms.CharField(label=_("Why"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, addressable: list[Office], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "targets", _office_choices(addressable))
        bootstrap(self)


class LinkForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"))
    target = forms.CharField(label=_("Identifier"), max_length=64)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from blonet.exchange.choices import LinkKind

        super().__init__(*args, **kwargs)
        _choices(self, "kind", LinkKind.choices)
        bootstrap(self)


def apply_errors(form: forms.Form, fields: dict[str, list[str]], message: str = "") -> None:
    """Put a service's field errors on the form fields they belong to."""
    for key, messages in fields.items():
        name = key
        if key.startswith("structured."):
            name = "s_" + key.split(".", 1)[1].split("[", 1)[0]
        elif key.startswith("attachments"):
            name = "attachments"
        elif key == "targets" and "targets" not in form.fields:
            name = "recipients"
        for text in messages:
            form.add_error(name if name in form.fields else None, text)
    if message and not fields:
        form.add_error(None, message)
