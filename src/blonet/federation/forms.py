from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from blonet.federation.choices import DeliveryState, InboxState


class HoldForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=300,
        help_text=_("Written in the audit log; shown to the other administrators of this node."),
    )  # fmt: skip


def small(form: forms.Form) -> None:
    for field in form.fields.values():
        css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
        field.widget.attrs["class"] = f"{css} {css}-sm"


class QueueFilter(forms.Form):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        small(self)

    peer = forms.CharField(label=_("Peer"), required=False, max_length=3)
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("any")), *list(DeliveryState.choices)]
    )
    record = forms.CharField(
        label=_("Record identifier"), required=False, max_length=36,
        help_text=_("The record's UUID: its fate at every peer, version by version."),
    )  # fmt: skip


class InboxFilter(forms.Form):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        small(self)

    origin = forms.CharField(label=_("Origin"), required=False, max_length=3)
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("any")), *list(InboxState.choices)]
    )
