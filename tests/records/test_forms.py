"""The form layer of the records pages: what it sends to the services, and where their errors go."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.http import QueryDict
from django.utils import timezone

from blonet.records.forms import (
    InvolvementForm,
    RecordForms,
    SeizureForm,
    entity_form_class,
    entity_initial,
)
from blonet.records.templatetags.records_ui import plain

pytestmark = pytest.mark.django_db


def management(prefix: str, total: int, initial: int = 0) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def bound(extra: dict[str, str], *, items: int = 2, involvements: int = 2) -> QueryDict:
    data = {
        "owner_office": "kz-kordai-blo",
        "occurred_at": "2026-11-30T14:00",
        "site": "kz-kordai-bcp",
        "conveyance": "truck",
        "distribution": "national",
        "source_reliability": "B",
        "information_accuracy": "2",
        "classification": "1",
        **management("items", items, 1),
        **management("involvements", involvements),
        "items-0-commodity": "heroin",
        "items-0-quantity": "12,5",
        "items-0-unit": "kg",
        "items-1-commodity": "hashish",
        "items-1-quantity": "800",
        "items-1-unit": "g",
        "items-1-markings": "scorpion logo",
        "involvements-0-kind": "person",
        "involvements-0-role": "driver",
        "involvements-0-person_full_name": "Qurbonov Yusuf",
        "involvements-0-person_dob": "1985-03-02",
        "involvements-0-person_nationality": "TJ",
        "involvements-1-kind": "vehicle",
        "involvements-1-role": "used",
        "involvements-1-vehicle_plate": "01 KG 123 ABC",
        "involvements-1-vehicle_country": "KG",
    }
    data.update(extra)
    query = QueryDict(mutable=True)
    for key, value in data.items():
        query[key] = value
    return query


def forms_for(user, data: QueryDict) -> RecordForms:
    from blonet.directory.models import Office

    offices = list(Office.objects.filter(pk="kz-kordai-blo"))
    return RecordForms(form_class=SeizureForm, user=user, data=data, offices=offices)


def test_the_payload_sent_to_the_service(kz_officer):
    forms = forms_for(kz_officer, bound({}))
    assert forms.is_valid(), forms.form.errors
    assert forms.office == "kz-kordai-blo"
    data = forms.service_data()
    assert data["occurred_at"] == dt.datetime(2026, 11, 30, 14, 0)  # wall clock, read by office
    assert timezone.is_naive(data["occurred_at"])
    assert data["site"].pk == "kz-kordai-bcp"
    assert data["conveyance"] == "truck"
    assert data["distribution"] == "national"
    assert (data["source_reliability"], data["information_accuracy"]) == ("B", "2")
    assert data["classification"] == 1
    assert data["handling_codes"] == []
    assert data["agencies"] == []  # the service puts the office's agency
    assert forms.service_items() == [
        {"commodity": "heroin", "quantity": "12,5", "unit": "kg", "currency": "",
         "purity": "", "packaging": "", "markings": ""},
        {"commodity": "hashish", "quantity": "800", "unit": "g", "currency": "",
         "purity": "", "packaging": "", "markings": "scorpion logo"},
    ]  # fmt: skip
    assert forms.service_involvements() == [
        {"kind": "person", "role": "driver",
         "data": {"full_name": "Qurbonov Yusuf", "dob": "1985-03-02", "nationality": "TJ"}},
        {"kind": "vehicle", "role": "used",
         "data": {"plate": "01 KG 123 ABC", "country": "KG", "make": ""}},
    ]  # fmt: skip


def test_removed_and_untouched_rows_are_not_sent(kz_officer):
    data = bound(
        {
            **management("items", 3, 1),
            "items-0-DELETE": "on",
            "items-2-unit": "kg",  # an added row left as it was
        }
    )
    forms = forms_for(kz_officer, data)
    assert forms.is_valid()
    assert [row["commodity"] for row in forms.service_items()] == ["hashish"]


def test_an_existing_entity_is_linked_by_its_key(kz_officer):
    key = str(uuid.uuid4())
    forms = forms_for(kz_officer, bound({"involvements-0-entity": key}))
    assert forms.is_valid()
    assert forms.service_involvements()[0] == {"kind": "person", "role": "driver", "entity": key}


def test_a_tampered_entity_key_is_a_field_error(kz_officer):
    forms = forms_for(kz_officer, bound({"involvements-0-entity": "1 OR 1=1"}))
    assert not forms.is_valid()
    assert forms.involvements.forms[0].errors["entity"] == ["This is not a record of ours."]


def test_service_errors_land_on_the_inputs_they_name(kz_officer):
    data = bound(
        {
            **management("items", 3, 1),
            **management("involvements", 3),
            "items-0-DELETE": "on",
            "items-2-commodity": "cash",
            "items-2-quantity": "500",
            "items-2-unit": "currency",
            "involvements-2-kind": "container",
            "involvements-2-role": "used",
            "involvements-2-container_number": "CSQU3054384",
        }
    )
    forms = forms_for(kz_officer, data)
    assert forms.is_valid()
    forms.apply_errors(
        {
            "occurred_at": ["The date is in the future."],
            # the service counts the rows it was sent: row 0 was removed, so [0] is form 1
            "items[0].quantity": ["The quantity is not a number."],
            "items[1].currency": ["Give the currency."],
            "involvements[1].plate": ["A vehicle needs a plate or a VIN."],
            "involvements[2].number": ["check digit 4 is wrong: expected 3"],
            "involvements[0].gender": ["Unknown gender."],
            "items": ["A seizure has at least one item."],
            "reference": ["Something about the reference."],
        }
    )
    assert forms.form.errors["occurred_at"] == ["The date is in the future."]
    assert forms.form.non_field_errors() == ["Something about the reference."]
    items = forms.items.forms
    assert items[0].errors == {}
    assert items[1].errors == {"quantity": ["The quantity is not a number."]}
    assert items[2].errors == {"currency": ["Give the currency."]}
    rows = forms.involvements.forms
    assert rows[0].errors == {"__all__": ["Unknown gender."]}
    assert rows[1].errors == {"vehicle_plate": ["A vehicle needs a plate or a VIN."]}
    assert rows[2].errors == {"container_number": ["check digit 4 is wrong: expected 3"]}
    assert forms.item_errors == ["A seizure has at least one item."]
    assert forms.has_row_errors()


def test_the_same_service_key_means_another_input_for_another_kind(kz_officer):
    for kind, field in (
        ("phone", "phone_number"),
        ("document", "document_number"),
        ("container", "container_number"),
        ("account", "account_number"),
    ):
        form = InvolvementForm({"p-kind": kind, "p-role": "used"}, prefix="p")
        assert form.is_valid()
        assert form.field_for("number") == field
        assert form.field_for("role") == "role"
        assert form.field_for("notes") is None


def test_a_message_without_fields_goes_to_the_form(kz_officer):
    forms = forms_for(kz_officer, bound({}))
    assert forms.is_valid()
    forms.apply_errors({}, "A deleted record cannot be changed.")
    assert forms.form.non_field_errors() == ["A deleted record cannot be changed."]


def test_classification_is_offered_up_to_the_clearance(kz_officer, make_user):
    low = make_user("low.clearance", office="kz-kordai-blo", clearance=0)
    form = SeizureForm(user=low, offices=[])
    assert [v for v, _ in form.fields["classification"].choices] == [0]
    assert form["classification"].value() == 0
    high = SeizureForm(user=kz_officer, offices=[])
    assert [v for v, _ in high.fields["classification"].choices] == [0, 1]
    tampered = SeizureForm(bound({"classification": "3"}), user=kz_officer, offices=[])
    assert not tampered.is_valid()
    assert "classification" in tampered.errors


def test_the_owner_office_is_offered_only_when_creating(kz_officer):
    from blonet.directory.models import Office

    office = Office.objects.get(pk="kz-kordai-blo")
    creating = SeizureForm(user=kz_officer, offices=[office])
    assert creating.fields["owner_office"].choices == [("kz-kordai-blo", "Kordai BLO")]
    html = str(creating["owner_office"])
    assert 'data-site="kz-kordai-bcp"' in html
    assert f'data-agency="{office.agency_id}"' in html
    editing = SeizureForm(user=kz_officer, offices=None)
    assert "owner_office" not in editing.fields


def test_the_person_name_asks_for_likely_duplicates():
    form = InvolvementForm(prefix="involvements-3")
    html = str(form["person_full_name"])
    assert 'hx-get="/records/persons/duplicates/"' in html
    assert 'hx-target="#involvements-3-duplicates"' in html
    assert 'hx-include="[name=involvements-3-person_dob]"' in html
    assert "input changed delay:400ms" in html


def test_entity_edit_form_round_trip(kz_officer, record_seizure):
    seizure = record_seizure(kz_officer)
    person = seizure.involvements.get(role="driver").person
    form_class = entity_form_class("person")
    initial = entity_initial(person)
    assert initial["full_name"] == "Qurbonov Yusuf"
    assert initial["aliases"] == ""
    assert initial["counterpart_country"] == "KG"
    form = form_class(
        {
            "full_name": "Qurbonov Yusuf",
            "aliases": "Курбонов Юсуф; Kurbonov",
            "dob": "1985-03",
            "nationality": "tjk",
            "gender": "M",
            "distribution": "bilateral",
            "counterpart_country": "KG",
            "source_reliability": "A",
            "information_accuracy": "1",
            "classification": "1",
        },
        user=kz_officer,
        initial=initial,
    )
    assert form.is_valid(), form.errors
    data = form.service_data()
    assert data["aliases"] == "Курбонов Юсуф; Kurbonov"
    assert data["nationality"] == "tjk"
    assert data["counterpart_country"].pk == "KG"
    assert data["family_name"] == ""
    assert [f.name for f in form.entity_fields()] == [
        "full_name", "family_name", "given_names", "patronymic", "aliases", "dob", "gender",
        "nationality", "notes",
    ]  # fmt: skip


def test_document_dates_are_date_inputs(kz_officer):
    form = entity_form_class("document")(user=kz_officer)
    assert 'type="date"' in str(form["valid_until"])
    assert form.fields["document_kind"].required


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("12.500"), "12.5"),
        (Decimal("800.000"), "800"),
        (Decimal("0.001"), "0.001"),
        (Decimal("1000000"), "1000000"),
        (None, ""),
        ("2.50", "2.5"),
    ],
)
def test_plain_numbers(value, text):
    assert plain(value) == text
