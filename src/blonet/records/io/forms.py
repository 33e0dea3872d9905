from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from blonet.records.io.readers import FileProblem, check_name_and_size


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "CSV (UTF-8 or Windows-1251, “,” or “;”) or XLSX in the template, up to 20 MB."
        ),
    )
    office = forms.ChoiceField(label=_("Owner office"))
    dry_run = forms.BooleanField(
        label=_("Dry run: check the file and show what would be imported, write nothing"),
        required=False,
        initial=True,
    )

    def __init__(self, *args: Any, offices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["office"]
        field.choices = offices
        if len(offices) == 1:
            field.initial = offices[0][0]
            field.widget = forms.HiddenInput()

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        try:
            check_name_and_size(upload.name, upload.size)
        except FileProblem as exc:
            raise forms.ValidationError(exc.messages) from None
        return upload


class ConfirmForm(forms.Form):
    """ "Import now" after a dry run: the stored upload, by its hash."""

    token = forms.RegexField(regex=r"^[0-9a-f]{64}$")
    office = forms.CharField(max_length=80)
    filename = forms.CharField(max_length=255)
