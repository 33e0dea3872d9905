"""Export of seizures: template columns, formula escaping, round trip, CEN without personal data,
the access rule, the audit event and the cap."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.urls import reverse

from blonet.audit.models import AuditEvent
from blonet.records.io import columns as cols
from blonet.records.io import exports
from blonet.records.io.imports import import_seizures
from blonet.records.models import Person, Seizure
from blonet.records.services import entity_create
from tests.records.test_io_import import problems

pytestmark = pytest.mark.django_db

EXPORT = reverse("records:seizure_export")


def get(client: Any, user: Any, query: str = "") -> Any:
    client.force_login(user)
    return client.get(f"{EXPORT}?{query}")


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_table(response: Any) -> list[list[str]]:
    raw = response if isinstance(response, bytes) else body(response)
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def as_dicts(table: list[list[str]]) -> list[dict[str, str]]:
    return [dict(zip(table[0], r, strict=True)) for r in table[1:]]


def xlsx_table(response: Any) -> list[list[Any]]:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(body(response)))  # not data_only: formulas would show as such
    return [[c.value for c in r] for r in wb.worksheets[0].iter_rows()]


def test_csv_export_has_the_template_columns_and_one_row_per_item(
    client, kz_officer, record_seizure
):
    seizure = record_seizure(kz_officer, handling_codes=["H2"], source_reliability="B",
                             information_accuracy="2")  # fmt: skip
    response = get(client, kz_officer, "format=csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="seizures-')
    table = csv_table(response)
    assert table[0][: len(cols.SEIZURE_COLUMNS) + len(cols.ITEM_COLUMNS)] == [
        *cols.SEIZURE_COLUMNS, *cols.ITEM_COLUMNS
    ]  # fmt: skip
    assert all(c in table[0] for c in cols.TEMPLATE_COLUMNS)
    rows = as_dicts(table)
    assert [(r["seizure_ref"], r["commodity"], r["quantity"], r["unit"]) for r in rows] == [
        (seizure.reference, "heroin", "12.5", "kg"),
        (seizure.reference, "hashish", "800", "g"),
    ]
    first = rows[0]
    assert {k: first[k] for k in ("occurred_at", "site", "agencies", "distribution",
                                  "counterpart_country", "handling_codes", "evaluation",
                                  "classification", "transit_countries", "person1_name",
                                  "person1_dob", "person1_role", "vehicle_plate",
                                  "vehicle_country")} == {
        "occurred_at": "2026-11-30 14:00", "site": "kz-kordai-bcp",
        "agencies": "kz-border-service", "distribution": "bilateral",
        "counterpart_country": "KG", "handling_codes": "H2", "evaluation": "B2",
        "classification": "restricted", "transit_countries": "TJ;KG",
        "person1_name": "Qurbonov Yusuf", "person1_dob": "1985-03-02", "person1_role": "driver",
        "vehicle_plate": "01 KG 123 ABC", "vehicle_country": "KG",
    }  # fmt: skip
    assert rows[1]["person1_name"] == "Qurbonov Yusuf"  # seizure columns repeat on each row


def test_the_export_is_audited_with_format_query_and_rows(client, kz_officer, record_seizure):
    record_seizure(kz_officer)
    client.force_login(kz_officer)
    before = AuditEvent.objects.count()
    body(client.get(f"{EXPORT}?format=xlsx&commodity=heroin&page=3"))
    events = list(AuditEvent.objects.filter(seq__gt=before))
    assert [(e.action, e.data) for e in events] == [
        ("records.export.run", {"format": "xlsx", "query": "commodity=heroin", "rows": 2})
    ]


FORMULAS = {
    "narrative": '=HYPERLINK("http://evil.example","x")',
    "place": "@SUM(A1:A2)",
    "concealment_detail": "+1+1",
    "lat": "-12.5",
    "lon": "75",
}
PHONE = [{"kind": "phone", "role": "used", "data": {"number": "+996 555 10 20 30"}}]


def test_formula_cells_are_escaped_in_csv(client, kz_officer, record_seizure):
    record_seizure(kz_officer, involvements=PHONE, items=[
        {"commodity": "heroin", "quantity": "1", "unit": "kg", "packaging": "-bags",
         "markings": "=cmd|' /C calc'!A0"}
    ], **FORMULAS)  # fmt: skip
    row = as_dicts(csv_table(get(client, kz_officer, "format=csv")))[0]
    assert {k: row[k] for k in (*FORMULAS, "packaging", "markings", "phone_number")} == {
        "narrative": "'" + FORMULAS["narrative"], "place": "'@SUM(A1:A2)",
        "concealment_detail": "'+1+1", "lat": "-12.5", "lon": "75", "packaging": "'-bags",
        "markings": "'=cmd|' /C calc'!A0", "phone_number": "'+996 555 10 20 30",
    }  # fmt: skip


def test_formula_cells_are_escaped_in_xlsx(client, kz_officer, record_seizure):
    record_seizure(kz_officer, involvements=PHONE, **FORMULAS)
    response = get(client, kz_officer, "format=xlsx")
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    head, first, *_ = xlsx_table(response)
    row = dict(zip(head, first, strict=True))
    assert (row["narrative"], row["place"], row["concealment_detail"]) == (
        "'" + FORMULAS["narrative"], "'@SUM(A1:A2)", "'+1+1"
    )  # fmt: skip
    assert (row["lat"], row["lon"], row["quantity"]) == (-12.5, 75, 12.5)  # numbers stay numbers
    assert row["phone_number"] == "'+996 555 10 20 30"
    assert not any(isinstance(v, str) and v.startswith("=") for v in first)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_reimports_as_the_same_seizures(client, kz_officer, record_seizure, fmt):
    """Export, import into another office: the same seizures; import into the own office: none."""
    from blonet.accounts.models import Posting

    record_seizure(kz_officer, **FORMULAS)
    record_seizure(kz_officer, occurred_at="2026-11-29 08:00", distribution="national",
                   involvements=[*PHONE, {"kind": "container", "role": "used",
                                          "data": {"number": "CSQU3054383"}}],
                   items=[{"commodity": "cash", "quantity": "5000", "unit": "currency",
                           "currency": "EUR"}])  # fmt: skip
    Posting.objects.create(user=kz_officer, office_id="kz-zhetysu-accu", role="officer")
    kz_officer.__dict__.pop("_access_context", None)
    content = body(get(client, kz_officer, f"format={fmt}"))
    name = f"export.{fmt}"
    again = import_seizures(actor=kz_officer, office="kz-kordai-blo", content=content,
                            filename=name, dry_run=False)  # fmt: skip
    assert (len(again.created), len(again.already), problems(again)) == (0, 2, [])
    copied = import_seizures(actor=kz_officer, office="kz-zhetysu-accu", content=content,
                             filename=name, dry_run=False)  # fmt: skip
    assert (len(copied.created), problems(copied), copied.warnings) == (2, [], [])
    originals = {s.occurred_at: s for s in Seizure.objects.filter(owner_office="kz-kordai-blo")}
    for copy in Seizure.objects.filter(owner_office="kz-zhetysu-accu"):
        original = originals[copy.occurred_at]
        same = ("site_id", "place", "lat", "lon", "narrative", "detection_method", "concealment",
                "concealment_detail", "conveyance", "origin_country", "transit_countries",
                "destination_country", "distribution", "counterpart_country_id",
                "handling_codes", "source_reliability", "information_accuracy",
                "classification", "total_kg", "commodities")  # fmt: skip
        assert {f: getattr(copy, f) for f in same} == {f: getattr(original, f) for f in same}
        item_fields = ("commodity", "quantity", "unit", "currency", "purity", "packaging",
                       "markings", "quantity_kg", "quantity_units")  # fmt: skip
        assert [[getattr(i, f) for f in item_fields] for i in copy.items.all()] == [
            [getattr(i, f) for f in item_fields] for i in original.items.all()
        ]
        assert sorted((x.role, str(x.entity)) for x in copy.involvements.all()) == sorted(
            (x.role, str(x.entity)) for x in original.involvements.all()
        )


def test_cen_export_has_no_personal_data(client, kz_officer, record_seizure):
    seizure = record_seizure(
        kz_officer,
        narrative="Courier Qurbonov confessed",
        place="Kordai green border",
        involvements=[
            {"kind": "person", "role": "driver",
             "data": {"full_name": "Qurbonov Yusuf", "dob": "1985-03-02"}},
            {"kind": "person", "role": "courier", "data": {"full_name": "Курбонов Юсуф"}},
            {"kind": "vehicle", "role": "used", "data": {"plate": "01 KG 123 ABC"}},
            {"kind": "phone", "role": "used", "data": {"number": "+996 555 10 20 30"}},
            {"kind": "document", "role": "used",
             "data": {"document_kind": "passport", "number": "N1234567"}},
            {"kind": "account", "role": "used", "data": {"number": "KZ86125KZT5004100100"}},
        ],
    )  # fmt: skip
    response = get(client, kz_officer, "format=cen")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="seizures-cen-')
    raw = body(response)
    for secret in ("Qurbonov", "Курбонов", "Kurbonov", "Yusuf", "1985", "01 KG 123 ABC",
                   "01KG123ABC", "555 10 20 30", "996555102030", "N1234567", "KZ86125KZT",
                   "confessed", "green border", "scorpion"):  # fmt: skip
        assert secret.encode() not in raw, secret
    table = csv_table(raw)
    assert table == [
        list(exports.CEN_COLUMNS),
        [seizure.reference, "2026-11-30", "KZ", "kz-kordai-bcp", "truck", "scanner", "",
         "heroin", "Narcotics", "12.5", "kg", "12.5", "", "AF;TJ;KG;RU"],
        [seizure.reference, "2026-11-30", "KZ", "kz-kordai-bcp", "truck", "scanner", "",
         "hashish", "Narcotics", "800", "g", "0.8", "", "AF;TJ;KG;RU"],
    ]  # fmt: skip


def test_another_countrys_officer_never_gets_a_national_record(
    client, kz_officer, kg_officer, uz_officer, record_seizure
):
    shared = record_seizure(kz_officer)  # bilateral with KG
    national = record_seizure(kz_officer, distribution="national")
    refs = {
        name: {r[0] for r in csv_table(get(client, user, f"format={fmt}"))[1:]}
        for name, user in (("kz", kz_officer), ("kg", kg_officer), ("uz", uz_officer))
        for fmt in ("csv",)
    }
    assert refs == {
        "kz": {shared.reference, national.reference},
        "kg": {shared.reference},
        "uz": set(),
    }
    cen = body(get(client, kg_officer, "format=cen"))
    assert national.reference.encode() not in cen and shared.reference.encode() in cen


def test_an_entity_shared_more_narrowly_than_its_seizure_is_left_out(
    client, kz_officer, kg_officer, record_seizure
):
    person = entity_create(
        actor=kz_officer,
        kind="person",
        office="kz-kordai-blo",
        data={"full_name": "Secret Informant", "distribution": "office"},
    )
    seizure = record_seizure(kz_officer, involvements=[
        {"kind": "person", "role": "witness", "entity": person.pk}
    ])  # fmt: skip
    assert Person.objects.get(pk=person.pk).distribution == "office"
    kz_rows = as_dicts(csv_table(get(client, kz_officer, "format=csv")))
    kg_raw = body(get(client, kg_officer, "format=csv"))
    assert kz_rows[0]["person1_name"] == "Secret Informant"
    assert seizure.reference.encode() in kg_raw and b"Secret Informant" not in kg_raw


def test_the_list_filters_apply(client, kz_officer, record_seizure):
    heroin = record_seizure(kz_officer)
    record_seizure(kz_officer, items=[{"commodity": "tobacco", "quantity": "40", "unit": "kg"}])
    rows = csv_table(get(client, kz_officer, "format=csv&commodity=heroin"))[1:]
    assert {r[0] for r in rows} == {heroin.reference}
    rows = csv_table(get(client, kz_officer, "format=cen&date_from=2026-12-01"))[1:]
    assert rows == []


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("format=pdf", "Unknown format “pdf”: use csv, xlsx or cen."),
        ("format=csv&date_from=yesterday", "date_from: Enter a valid date."),
        (
            "format=csv&commodity=gold",
            "commodity: Select a valid choice. gold is not one of the available choices.",
        ),
    ],
)
def test_bad_export_requests_get_a_clear_message(client, kz_officer, query, message):
    response = get(client, kz_officer, query)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_the_export_is_capped(client, kz_officer, record_seizure, monkeypatch):
    record_seizure(kz_officer)
    monkeypatch.setattr(exports, "MAX_ROWS", 1)
    client.force_login(kz_officer)
    before = AuditEvent.objects.count()
    response = client.get(f"{EXPORT}?format=csv")
    assert response.status_code == 400
    assert "The export would have 2 rows; the limit is 1: narrow the filters" in (
        response.content.decode()
    )
    assert AuditEvent.objects.count() == before


def test_the_export_needs_a_login(client):
    response = client.get(f"{EXPORT}?format=csv")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_escape_follows_the_owasp_rule():
    assert [exports.escape(v) for v in ("=1", "+1", "-1", "@x", "\tx", "\rx", "a=1", "", 5)] == [
        "'=1",
        "+1",
        "-1",
        "'@x",
        "'\tx",
        "'\rx",
        "a=1",
        "",
        5,
    ]
    assert [exports.escape(v) for v in ("-12.5", "+3", "-x", "+996 555")] == [
        "-12.5",
        "+3",
        "'-x",
        "'+996 555",
    ]
