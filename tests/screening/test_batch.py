"""Batch screening of manifests: background processing in chunks, progress, skipped rows with
reasons, Windows-1251, results CSV, and a 10,000-row manifest screened end to end (its speed
is measured under bench/, not here)."""

from __future__ import annotations

import csv
import io
import time

import pytest
from django.db import OperationalError
from django.urls import reverse

from blonet.audit.models import AuditEvent
from blonet.core.errors import ValidationError
from blonet.screening.choices import RunStatus
from blonet.screening.models import Hit, ScreeningRun
from blonet.screening.services import batch_process, batch_start, screen_record_entities
from blonet.screening.services.batch import _Run

MANIFEST = (
    "seat,name,dob,nationality,passport,plate,container,consignee\n"
    "1A,QURBONOV YUSUF,1985-03-12,TJK,A1234567,,,\n"
    "1B,Petrova Anna,1990-01-01,RUS,,,,\n"
    "2A,,,,,01 А 123 ВС,,\n"
    "2B,a,,,,,,\n"
    "3A,Курбонов Юсуф,12.03.1985,TJ,,,CSQU3054383,ТОО «Ақ Жол»\n"
    "3B,,,,,,,\n"
    "4A,محمد علي,1980,AF,,,,\n"
    "4B,Rakhimov Farkhod,tomorrow,UZ,,,,\n"
)


@pytest.fixture
def lists(person_list, make_list, add_entry):
    vehicles = make_list("vehicle")
    add_entry(vehicles, plate="01A123BC")
    orgs = make_list("organisation")
    add_entry(orgs, org_name="Ak Zhol LLP")
    return person_list


@pytest.mark.django_db
def test_a_manifest_is_screened_with_skipped_rows_listed(
    lists, kz_officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run = batch_start(actor=kz_officer, content=MANIFEST.encode(), filename="flight.csv")
    assert len(callbacks) == 1  # the thread starts on commit
    assert (run.status, run.rows_total, run.rows_done) == (RunStatus.PENDING, 8, 0)
    assert run.issues == []
    [event] = AuditEvent.objects.filter(action="screening.check")
    assert event.data["source"] == "batch" and event.data["rows"] == 8
    run = batch_process(run.pk)
    assert (run.status, run.rows_done, run.rows_screened, run.rows_skipped) == (
        RunStatus.DONE, 8, 5, 3,
    )  # fmt: skip
    rows = sorted((h.row, h.entry.label) for h in Hit.objects.filter(run=run))
    assert rows == [
        (2, "Курбонов Юсуф Абдуллоевич"),
        (4, "01A123BC"),
        (6, "Ak Zhol LLP"),
        (6, "Курбонов Юсуф Абдуллоевич"),
        (9, "Rakhimov Farkhod"),
    ]
    skipped = [(s["row"], s["column"], s["severity"]) for s in run.skipped]
    assert skipped == [
        (5, "name", "error"),
        (7, "", "error"),
        (8, "name", "error"),
        (9, "dob", "warning"),  # screened without the date of birth
    ]
    assert run.skipped[3]["reason"].endswith("Screened without it.")
    assert run.hits_count == 5
    assert not run.manifest  # not kept once screened
    assert AuditEvent.objects.filter(action="screening.batch.finished").count() == 1


@pytest.mark.django_db
def test_windows_1251_manifest(lists, kz_officer, django_capture_on_commit_callbacks):
    content = "ФИО;Дата рождения;Гражданство;Место\nКурбонов Юсуф;1985-03-12;TJ;5\n".encode(
        "cp1251"
    )
    with django_capture_on_commit_callbacks(execute=False):
        run = batch_start(actor=kz_officer, content=content, filename="рейс.csv")
    run = batch_process(run.pk)
    assert run.issues == ["Columns not used: место."]
    assert [h.row for h in Hit.objects.filter(run=run)] == [2]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"", "m.csv", "The file is empty."),
        (b"colour,size\nred,L\n", "m.csv", "The file has none of the columns that can be"),
        (b"name\nx\n", "m.exe", "Upload a .csv or .xlsx file"),
        (b"PK\x03\x04zip", "m.xlsx", "This is not an XLSX workbook that can be read"),
    ],
)
def test_unreadable_manifests_are_refused(kz_officer, directory, content, filename, message):
    with pytest.raises(ValidationError) as exc:
        batch_start(actor=kz_officer, content=content, filename=filename)
    assert exc.value.fields["file"][0].startswith(message)
    assert ScreeningRun.objects.count() == 0


@pytest.mark.django_db
def test_ten_thousand_rows(person_list, kz_officer, django_capture_on_commit_callbacks):
    lines = ["name,dob,nationality"]
    for i in range(10_000):
        lines.append(
            f"Traveller{i % 997} Passenger{i % 89},19{50 + i % 50}-0{1 + i % 9}-1{i % 9},UZ"
        )
    lines[5000] = "QURBONOV YUSUF,1985-03-12,TJ"
    with django_capture_on_commit_callbacks(execute=False):
        run = batch_start(actor=kz_officer, content="\n".join(lines).encode(), filename="m.csv")
    run = batch_process(run.pk)
    assert (run.status, run.rows_done, run.rows_screened) == (RunStatus.DONE, 10_000, 10_000)
    assert [h.row for h in Hit.objects.filter(run=run)] == [5001]


@pytest.mark.django_db
def test_pages_progress_and_results_csv(
    lists, client, kz_officer, django_capture_on_commit_callbacks
):
    client.force_login(kz_officer)
    assert client.get(reverse("screening:batch")).status_code == 200
    upload = io.BytesIO(MANIFEST.encode())
    upload.name = "flight.csv"
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(reverse("screening:batch"), {"file": upload})
    assert response.status_code == 302
    run = ScreeningRun.objects.get()
    progress = client.get(reverse("screening:run_progress", args=[run.pk]), HTTP_HX_REQUEST="true")
    html = progress.content.decode()
    assert 'data-status="pending"' in html and 'hx-trigger="every 1000ms"' in html
    assert "HX-Refresh" not in progress
    batch_process(run.pk)
    done = client.get(reverse("screening:run_progress", args=[run.pk]), HTTP_HX_REQUEST="true")
    assert 'value="100"' in done.content.decode() and done["HX-Refresh"] == "true"
    page = client.get(run.get_absolute_url()).content.decode()
    assert page.count('data-testid="hit"') == 5 and 'data-testid="skipped"' in page
    csv_response = client.get(reverse("screening:run_results", args=[run.pk]))
    assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(csv_response.streaming_content).decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert table[0][:4] == ["row", "status", "query", "watchlist"]
    assert [(r[0], r[1]) for r in table[1:]] == [
        ("2", "hit"), ("4", "hit"), ("5", "error"), ("6", "hit"), ("6", "hit"), ("7", "error"),
        ("8", "error"), ("9", "warning"), ("9", "hit"),
    ]  # fmt: skip
    assert table[1][7].startswith("family name Курбонов = Qurbonov (Tajik Cyrillic → Tajik Latin)")
    bad = io.BytesIO(b"colour\nred\n")
    bad.name = "x.csv"
    refused = client.post(reverse("screening:batch"), {"file": bad})
    assert refused.status_code == 400 and "none of the columns" in refused.content.decode()


@pytest.mark.django_db
def test_another_country_does_not_see_the_run(lists, client, kz_officer, kg_officer,
                                              django_capture_on_commit_callbacks):  # fmt: skip
    with django_capture_on_commit_callbacks(execute=False):
        run = batch_start(actor=kz_officer, content=MANIFEST.encode(), filename="f.csv")
    client.force_login(kg_officer)
    assert client.get(run.get_absolute_url()).status_code == 404
    assert client.get(reverse("screening:run_results", args=[run.pk])).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_the_background_thread_finishes_the_run(directory, kz_officer, make_list, add_entry):
    wl = make_list("person")
    add_entry(wl, name="Курбонов Юсуф", dob="1985-03-12")
    run = batch_start(actor=kz_officer, content=MANIFEST.encode(), filename="f.csv")
    deadline = time.monotonic() + 60
    status = run.status
    while time.monotonic() < deadline:
        time.sleep(0.2)
        try:
            status = ScreeningRun.objects.get(pk=run.pk).status
        except OperationalError:  # SQLite: the worker holds the lock for a moment
            continue
        if status in (RunStatus.DONE, RunStatus.FAILED):
            break
    while _Run.active and time.monotonic() < deadline:  # let the thread close its connection
        time.sleep(0.1)
    assert status == RunStatus.DONE
    assert _Run.active == set()
    assert Hit.objects.filter(run=run).count() == 2


@pytest.mark.django_db
def test_screen_record_entities(person_list, make_list, add_entry, analyst, record_seizure):
    vehicles = make_list("vehicle")
    add_entry(vehicles, plate="01 KG 123 ABC")
    seizure = record_seizure(analyst, office="kz-caricc-rc")
    hits = screen_record_entities(actor=analyst, record=seizure)
    labels = sorted(h.entry.label for h in hits)
    assert labels == ["01 KG 123 ABC", "Курбонов Юсуф Абдуллоевич"]
    run = ScreeningRun.objects.get(source="record")
    assert (run.record_type, run.record_id, run.rows_total, run.hits_count) == (
        "seizure", seizure.pk, 2, 2,
    )  # fmt: skip
    person_hit = next(h for h in hits if h.entry.watchlist.kind == "person")
    assert person_hit.query["entity_kind"] == "person"
    event = AuditEvent.objects.get(action="screening.check", target_id=str(run.pk))
    assert event.data["record"] == str(seizure.pk)
    assert screen_record_entities(actor=None, record=seizure) == []
    from blonet.screening.selectors import record_hits

    assert {h.pk for h in record_hits(user=analyst, record=seizure)} == {h.pk for h in hits}
