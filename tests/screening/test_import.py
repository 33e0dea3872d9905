"""Bulk import of entries: CSV (UTF-8 and Windows-1251), XLSX, JSONL; bad rows listed with row,
column and reason; good rows kept; re-import adds nothing."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest
from django.urls import reverse

from blonet.audit.models import AuditEvent
from blonet.core.errors import PermissionDenied
from blonet.screening.models import WatchlistEntry
from blonet.screening.services import entries_import, screen_subject

pytestmark = pytest.mark.django_db

CSV = (
    "name,aliases,dob,nationality,doc_number,reason\n"
    "Курбонов Юсуф Абдуллоевич,Qurbonov Yusuf;Kurbanov Yusuf,1985-03-12,TJ,,Courier\n"
    "Rakhimov Farkhod,,1979,UZ,AB1234567,Organiser\n"
    ",,1980,TJ,,No name\n"
    "Иванов Пётр,,31.02.1990,RU,,Bad date\n"
    "Smith John,,1970,ZZ,,\n"
)


def _run(wl, content, filename="list.csv", **kw):
    return entries_import(actor=None, watchlist=wl, content=content, filename=filename, **kw)


def test_csv_import_keeps_good_rows_and_lists_bad_ones(make_list, kz_officer):
    wl = make_list("person")
    report = _run(wl, CSV.encode())
    assert report.ok
    assert (report.rows_total, report.created, report.already, report.rejected) == (5, 2, 0, 3)
    problems = [(p.row, p.column, p.message) for p in report.problems]
    assert problems == [
        (4, "name", "A person on a list needs a name."),
        (5, "dob", "Write the date of birth as YYYY, YYYY-MM or YYYY-MM-DD."),
        (6, "nationality", "Unknown country code “ZZ”."),
        (6, "reason", "Say why the subject is on the list."),
    ]
    entry = WatchlistEntry.objects.get(name="Курбонов Юсуф Абдуллоевич")
    assert entry.aliases == ["Qurbonov Yusuf", "Kurbanov Yusuf"]
    [event] = AuditEvent.objects.filter(action="screening.entries.imported")
    assert event.data["created"] == 2 and event.data["rejected"] == 3
    assert "Курбонов" not in json.dumps(event.data, ensure_ascii=False)
    # the new entries are screened at once
    result = screen_subject(actor=kz_officer, kind="person", data={"name": "Kurbanov Yusuf"})
    assert [h.entry_id for h in result.hits] == [entry.pk]
    # re-import adds nothing
    again = _run(wl, CSV.encode())
    assert (again.created, again.already, again.rejected) == (0, 2, 3)
    assert WatchlistEntry.objects.count() == 2


def test_windows_1251_and_semicolons(make_list):
    wl = make_list("person")
    text = "name;dob;reason\nКурбонов Юсуф;1985-03-12;Курьер\n"
    report = _run(wl, text.encode("cp1251"))
    assert (report.encoding, report.created) == ("windows-1251", 1)
    assert WatchlistEntry.objects.get().reason == "Курьер"


def test_xlsx_and_jsonl(make_list):
    wl = make_list("vehicle")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["plate", "vin", "country", "reason"])
    sheet.append(["01 А 123 ВС", "", "UZ", "Used in 2026 case"])
    sheet.append(["", "", "", "nothing"])
    buffer = io.BytesIO()
    book.save(buffer)
    report = _run(wl, buffer.getvalue(), "trucks.xlsx")
    assert (report.format, report.created, report.rejected) == ("xlsx", 1, 1)
    assert report.problems[0].message == "A vehicle on a list needs a plate or a VIN."
    orgs = make_list("organisation")
    jsonl = (
        '{"org_name": "ТОО «Ақ Жол»", "country": "KZ", "reason": "Front company"}\n'
        '{"org_name": "Ak Zhol LLP", "country": "KZ", "reason": "the same, in Latin"}\n'
    )
    report = _run(orgs, jsonl.encode(), "orgs.jsonl")
    assert (report.format, report.created, report.already) == ("jsonl", 1, 1)


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"", "a.csv", "The file is empty."),
        (b"\x00\x01\x02binary", "a.csv", "This is not a text file: upload a CSV or an XLSX file."),
        (b"dob,reason\n1980,x\n", "a.csv", "The file has no “name” column (found: dob, reason)."),
        (b"name\nx\n", "a.pdf", "Upload a .csv or .xlsx file (this one is “.pdf”)."),
        (b"not json\n", "a.jsonl", "Line 1 is not valid JSON (Expecting value)."),
        (b"PK\x03\x04broken", "a.xlsx", "This is not an XLSX workbook that can be read"),
    ],
)
def test_unreadable_files_import_nothing(make_list, content, filename, message):
    wl = make_list("person")
    report = _run(wl, content, filename)
    assert not report.ok
    assert report.errors[0].startswith(message)
    assert WatchlistEntry.objects.count() == 0


def test_only_the_owner_office_imports(make_list, uz_officer):
    wl = make_list("person")
    with pytest.raises(PermissionDenied):
        entries_import(actor=uz_officer, watchlist=wl, content=CSV.encode(), filename="a.csv")
    assert WatchlistEntry.objects.count() == 0


def test_import_page(make_list, client, analyst):
    wl = make_list("person")
    client.force_login(analyst)
    upload = io.BytesIO(CSV.encode())
    upload.name = "list.csv"
    url = reverse("screening:watchlist_import", args=[wl.pk])
    response = client.post(url, {"file": upload, "reason": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert "5 rows: 2 added, 0 already on the list, 3 rejected." in html
    assert "A person on a list needs a name." in html
    dry = io.BytesIO(b"name,reason\nNew Person,x\n")
    dry.name = "more.csv"
    response = client.post(url, {"file": dry, "dry_run": "on"})
    assert "Checked: nothing was imported" in response.content.decode()
    assert WatchlistEntry.objects.count() == 2
    missing = client.post(url, {})
    assert missing.status_code == 400 and "Choose a file." in missing.content.decode()
