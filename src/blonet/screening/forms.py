"""Forms of the screening pages. They only carry text: the services validate and answer with
field-level messages, which the views put back on these forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

from blonet.records.forms.common import COUNTRY_INPUT, SharingFields, StyledForm
from blonet.screening.choices import WatchlistKind

TEXT = {"autocomplete": "off", "spellcheck": "false"}


def _text(label: Any, *, help_text: Any = "", **attrs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        strip=False,
        help_text=help_text,
        widget=forms.TextInput(attrs={**TEXT, **attrs}),
    )


class OfficeChoice(StyledForm):
    """The post a check is for, when the officer has more than one."""

    office = forms.ChoiceField(label=_("For the post"), required=False)

    def __init__(self, *args: Any, offices: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["office"]
        field.choices = [(o.pk, o.local_name) for o in offices or []]
        if len(offices or []) <= 1:
            field.widget = forms.HiddenInput()
        for other in self.fields.values():
            # the check strips control characters itself, and says so
            other.validators = [
                v for v in other.validators if not isinstance(v, ProhibitNullCharactersValidator)
            ]


class PersonCheckForm(OfficeChoice):
    name = forms.CharField(
        label=_("Name or MRZ"),
        required=False,
        strip=False,
        help_text=_(
            "A name in any script (family name first where known), or the two or three lines "
            "of a passport's machine-readable zone."
        ),
        widget=forms.Textarea(
            attrs={**TEXT, "rows": 3, "class": "font-monospace", "autofocus": True}
        ),
    )
    dob = _text(
        _("Date of birth"), help_text=_("YYYY-MM-DD, DD.MM.YYYY, or only the year."), size=12
    )
    nationality = _text(
        _("Nationality"), help_text=_("ISO code, e.g. TJ or TJK."), **COUNTRY_INPUT, size=4
    )
    doc_number = _text(_("Document number"), size=14)


class VehicleCheckForm(OfficeChoice):
    plate = _text(
        _("Plate"),
        help_text=_("As written: Cyrillic or Latin letters, any spacing."),
        autofocus=True,
    )
    vin = _text(_("VIN"))


class ContainerCheckForm(OfficeChoice):
    container = _text(
        _("Container number"), help_text=_("ISO 6346, e.g. CSQU 305438 3."), autofocus=True
    )


class OrganisationCheckForm(OfficeChoice):
    organisation = _text(
        _("Organisation"),
        help_text=_("The name with or without its legal form (ТОО, LLC …)."),
        autofocus=True,
    )


class PhoneCheckForm(OfficeChoice):
    phone = _text(
        _("Phone number"), help_text=_("With or without the country code."), autofocus=True
    )


class DocumentCheckForm(OfficeChoice):
    doc_number = _text(_("Document number"), autofocus=True)


CHECK_FORMS: dict[str, type[OfficeChoice]] = {
    WatchlistKind.PERSON: PersonCheckForm,
    WatchlistKind.VEHICLE: VehicleCheckForm,
    WatchlistKind.CONTAINER: ContainerCheckForm,
    WatchlistKind.ORGANISATION: OrganisationCheckForm,
    WatchlistKind.PHONE: PhoneCheckForm,
    WatchlistKind.DOCUMENT: DocumentCheckForm,
}
# Tab labels of the check page.
CHECK_TABS = [
    (WatchlistKind.PERSON, _("Person")),
    (WatchlistKind.VEHICLE, _("Vehicle")),
    (WatchlistKind.CONTAINER, _("Container")),
    (WatchlistKind.ORGANISATION, _("Organisation")),
    (WatchlistKind.PHONE, _("Phone")),
    (WatchlistKind.DOCUMENT, _("Document")),
]


class DecisionForm(StyledForm):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class ReasonForm(StyledForm):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class BatchForm(OfficeChoice):
    file = forms.FileField(
        label=_("Manifest"),
        required=False,
        help_text=_(
            "CSV (UTF-8 or Windows-1251) or XLSX, with a header row. Columns: name (or surname "
            "and given_names, or mrz), dob, nationality, doc_number, plate, vin, container, "
            "organisation (also consignee, shipper), phone; any others are listed and ignored."
        ),
    )


class WatchlistForm(SharingFields):
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Holds"), choices=WatchlistKind.choices)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    owner_office = forms.ChoiceField(label=_("Owner office"))

    def __init__(self, *args: Any, offices: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["owner_office"]
        field.choices = [(o.pk, o.local_name) for o in offices or []]


class EntryCommonFields(StyledForm):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Why the subject is on the list (what officers read on a hit)."),
    )
    valid_from = forms.DateField(
        label=_("Valid from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_until = forms.DateField(
        label=_("Valid until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    source_office = forms.CharField(
        label=_("Source office"),
        required=False,
        max_length=100,
        help_text=_("Office id of the source, if not the list's owner (e.g. kg-ak-zhol-blo)."),
    )


class PersonEntryForm(EntryCommonFields):
    name = forms.CharField(label=_("Name as written"), max_length=300, required=False)
    aliases = forms.CharField(
        label=_("Aliases"), required=False, max_length=2000, help_text=_("Separated by “;”.")
    )
    dob = forms.CharField(label=_("Date of birth"), required=False, max_length=20)
    nationality = forms.CharField(
        label=_("Nationality"), required=False, max_length=3, widget=forms.TextInput(COUNTRY_INPUT)
    )
    doc_number = forms.CharField(label=_("Document number"), required=False, max_length=40)


class VehicleEntryForm(EntryCommonFields):
    plate = forms.CharField(label=_("Plate"), required=False, max_length=20)
    vin = forms.CharField(label=_("VIN"), required=False, max_length=20)
    country = forms.CharField(
        label=_("Country"), required=False, max_length=3, widget=forms.TextInput(COUNTRY_INPUT)
    )


class ContainerEntryForm(EntryCommonFields):
    container_number = forms.CharField(label=_("Container number"), required=False, max_length=20)


class OrganisationEntryForm(EntryCommonFields):
    org_name = forms.CharField(label=_("Organisation name"), required=False, max_length=300)
    country = forms.CharField(
        label=_("Country"), required=False, max_length=3, widget=forms.TextInput(COUNTRY_INPUT)
    )


class PhoneEntryForm(EntryCommonFields):
    phone = forms.CharField(label=_("Phone number"), required=False, max_length=40)
    country = forms.CharField(
        label=_("Country"), required=False, max_length=3, widget=forms.TextInput(COUNTRY_INPUT)
    )


class DocumentEntryForm(EntryCommonFields):
    doc_number = forms.CharField(label=_("Document number"), required=False, max_length=40)
    country = forms.CharField(
        label=_("Issuing country"),
        required=False,
        max_length=3,
        widget=forms.TextInput(COUNTRY_INPUT),
    )


ENTRY_FORMS: dict[str, type[EntryCommonFields]] = {
    WatchlistKind.PERSON: PersonEntryForm,
    WatchlistKind.VEHICLE: VehicleEntryForm,
    WatchlistKind.CONTAINER: ContainerEntryForm,
    WatchlistKind.ORGANISATION: OrganisationEntryForm,
    WatchlistKind.PHONE: PhoneEntryForm,
    WatchlistKind.DOCUMENT: DocumentEntryForm,
}


class ImportForm(StyledForm):
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_(
            "CSV, XLSX or JSONL with a header naming the list's fields (name, aliases, dob, "
            "nationality, doc_number; plate, vin; container_number; org_name; phone; country), "
            "and reason, valid_from, valid_until, source_office."
        ),
    )
    reason = forms.CharField(
        label=_("Reason for rows without one"), required=False, max_length=4000
    )
    dry_run = forms.BooleanField(label=_("Check only, import nothing"), required=False)


class FromEntityForm(EntryCommonFields):
    watchlist = forms.ChoiceField(label=_("Watchlist"))

    def __init__(self, *args: Any, lists: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["watchlist"]
        field.choices = [(str(w.pk), w.name) for w in lists or []]
