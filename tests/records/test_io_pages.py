"""The import page, the template download and the commands: reports, never a 500."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from blonet.audit.models import AuditEvent
from blonet.records.io import columns as cols
from blonet.records.models import Seizure
from tests.records.test_io_import import BAD_ROWS, TWO_SEIZURES, csv_bytes, table_counts

pytestmark = pytest.mark.django_db

IMPORT = reverse("records:seizure_import")
TEMPLATE = reverse("records:seizure_import_template")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(client, content: bytes, name: str = "seizures.csv", dry_run: bool = True, **extra):
    data = {"file": SimpleUploadedFile(name, content), "office": "kz-kordai-blo", **extra}
    if dry_run:
        data["dry_run"] = "on"
    return client.post(IMPORT, data)


def test_the_page_offers_the_form_and_the_templates(client, kz_officer):
    client.force_login(kz_officer)
    page = client.get(IMPORT).content.decode()
    assert 'type="file" name="file"' in page
    assert 'name="dry_run" id="id_dry_run" checked' in page
    assert 'type="hidden" name="office" value="kz-kordai-blo"' in page  # one posting: no choice
    assert f"{TEMPLATE}?format=csv" in page and f"{TEMPLATE}?format=xlsx" in page


def test_a_user_with_several_postings_chooses_the_owner_office(client, kz_officer):
    from blonet.accounts.models import Posting

    Posting.objects.create(user=kz_officer, office_id="kz-zhetysu-accu", role="officer")
    client.force_login(kz_officer)
    page = client.get(IMPORT).content.decode()
    assert '<option value="kz-kordai-blo"' in page and '<option value="kz-zhetysu-accu"' in page


def test_without_an_operational_posting_the_page_is_refused(client, directory, make_user):
    client.force_login(make_user("viewer", office="kz-kordai-blo", role="programme_viewer"))
    assert client.get(IMPORT).status_code == 403


def test_preview_then_import_now(client, kz_officer, media):
    client.force_login(kz_officer)
    content = csv_bytes(TWO_SEIZURES + BAD_ROWS[1:2])
    before = table_counts()
    preview = upload(client, content)
    assert preview.status_code == 200
    page = preview.content.decode()
    assert 'data-testid="dry-run"' in page
    assert 'data-count="created">2<' in page and 'data-count="rejected_rows">1<' in page
    assert "<td>5</td><td><code>quantity</code></td><td>-4</td>" in page
    assert "The quantity must be more than zero." in page
    assert table_counts() == before  # nothing written, not even an audit event
    stored = list((media / "imports" / str(kz_officer.pk)).iterdir())
    assert len(stored) == 1 and stored[0].suffix == ".csv"
    token = stored[0].stem
    assert f'name="token" value="{token}"' in page
    done = client.post(
        IMPORT, {"token": token, "office": "kz-kordai-blo", "filename": "seizures.csv"}
    )
    assert done.status_code == 200
    assert 'data-count="created">2<' in done.content.decode()
    assert Seizure.objects.count() == 2
    assert list(AuditEvent.objects.filter(action="records.import.run").values_list(
        "data__created", "data__rejected_rows", "data__sha256"
    )) == [(2, 1, token)]  # fmt: skip
    assert not stored[0].exists()
    again = client.post(
        IMPORT, {"token": token, "office": "kz-kordai-blo", "filename": "seizures.csv"}
    )
    assert again.status_code == 400
    assert "The uploaded file is no longer here: upload it again." in again.content.decode()


def test_import_without_dry_run_writes_at_once(client, kz_officer, media):
    client.force_login(kz_officer)
    response = upload(client, csv_bytes(TWO_SEIZURES), dry_run=False)
    assert 'data-count="created">2<' in response.content.decode()
    assert Seizure.objects.count() == 2
    assert not (media / "imports").exists()


@pytest.mark.parametrize(
    ("content", "name", "status", "message"),
    [
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4,
            "photo.csv",
            200,
            "This is not a text file: upload a CSV or an XLSX file.",
        ),
        (
            b"PK\x03\x04" + bytes(range(256)) * 4,
            "book.xlsx",
            200,
            "This is not an XLSX workbook that can be read: save it again as .xlsx.",
        ),
        (
            bytes(range(128, 256)) * 8,
            "weird.csv",
            200,
            "The text is neither UTF-8 nor Windows-1251: save it as CSV UTF-8.",
        ),
        (
            "абв,где\r\n".encode("cp1251") * 50,
            "words.csv",
            200,
            "The first row is not the template&#x27;s header",
        ),
        (b"", "empty.csv", 400, "The submitted file is empty."),
        (b"%PDF-1.4 ...", "report.pdf", 400, "Upload a .csv or .xlsx file (this one is “.pdf”)."),
        (b"a,b", "noext", 400, "Upload a .csv or .xlsx file (this one is “noext”)."),
    ],
)
def test_garbage_gets_a_report_never_a_500(client, kz_officer, media, content, name, status,
                                          message):  # fmt: skip
    client.force_login(kz_officer)
    response = upload(client, content, name)
    assert response.status_code == status
    assert message in response.content.decode()
    assert Seizure.objects.count() == 0


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"office": "kg-ak-zhol-blo"},
        {"token": "../../etc/passwd", "office": "kz-kordai-blo", "filename": "x.csv"},
        {"token": "a" * 64, "office": "kz-kordai-blo", "filename": "x.csv"},
        {"token": "b" * 64},
    ],
)
def test_bad_posts_get_the_form_again(client, kz_officer, media, data):
    client.force_login(kz_officer)
    response = client.post(IMPORT, data)
    assert response.status_code == 400
    assert 'type="file" name="file"' in response.content.decode()


def test_another_users_upload_cannot_be_imported(client, kz_officer, make_user, media):
    client.force_login(kz_officer)
    upload(client, csv_bytes(TWO_SEIZURES))
    token = next((media / "imports" / str(kz_officer.pk)).iterdir()).stem
    other = make_user("kz.other", office="kz-kordai-blo")
    client.force_login(other)
    response = client.post(IMPORT, {"token": token, "office": "kz-kordai-blo", "filename": "x"})
    assert response.status_code == 400
    assert Seizure.objects.count() == 0


def test_office_not_posted_to_is_not_a_choice(client, kz_officer, media):
    client.force_login(kz_officer)
    response = upload(client, csv_bytes(TWO_SEIZURES), office="kg-ak-zhol-blo")
    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()


def test_template_downloads(client, kz_officer):
    from openpyxl import load_workbook

    client.force_login(kz_officer)
    csv_response = client.get(f"{TEMPLATE}?format=csv")
    assert csv_response["Content-Disposition"] == (
        'attachment; filename="blonet-seizures-template.csv"'
    )
    lines = csv_response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == ",".join(cols.TEMPLATE_COLUMNS) and len(lines) == 2
    xlsx = client.get(f"{TEMPLATE}?format=xlsx")
    wb = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
    assert wb.sheetnames == ["seizures", "values"]
    rows = [[c.value for c in r] for r in wb["seizures"].iter_rows()]
    assert rows[0] == list(cols.TEMPLATE_COLUMNS) and rows[1][0] == "2026-001"
    values = [[c.value for c in r] for r in wb["values"].iter_rows()]
    assert ["commodity", "acetic_anhydride", "Acetic anhydride (precursor)"] in values
    assert ["classification", "restricted", "Restricted"] in values
    bad = client.get(f"{TEMPLATE}?format=docx")
    assert bad.status_code == 400 and "Unknown format “docx”" in bad.content.decode()


# --------------------------------------------------------------------------- commands


def test_records_import_command(tmp_path, kz_officer):
    path = tmp_path / "seizures.csv"
    path.write_bytes(csv_bytes(TWO_SEIZURES + BAD_ROWS[1:2]))
    out = io.StringIO()
    call_command("records_import", str(path), "--office", "kz-kordai-blo", "--dry-run",
                 stdout=out)  # fmt: skip
    text = out.getvalue()
    assert "Dry run: nothing was written." in text
    summary = "4 rows, 3 seizures: 2 would be created, 0 already imported, 1 rejected (1 rows)."
    assert summary in text
    assert "row 5, quantity = “-4”: The quantity must be more than zero." in text
    assert Seizure.objects.count() == 0
    out = io.StringIO()
    call_command("records_import", str(path), "--office", "kz-kordai-blo", "--user",
                 "kz.officer", stdout=out)  # fmt: skip
    assert "2 created" in out.getvalue()
    assert set(Seizure.objects.values_list("created_by__username", flat=True)) == {"kz.officer"}
    out = io.StringIO()
    call_command("records_import", str(path), "--office", "kz-kordai-blo", stdout=out)
    assert "0 created, 2 already imported" in out.getvalue()


def test_records_import_command_errors(tmp_path, directory, kg_officer):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"\x00\x01\x02")
    with pytest.raises(CommandError, match=r"bad\.csv: not imported"):
        call_command("records_import", str(bad), "--office", "kz-kordai-blo", stdout=io.StringIO())
    with pytest.raises(CommandError, match="no such file"):
        call_command("records_import", str(tmp_path / "nope.csv"), "--office", "kz-kordai-blo")
    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes(TWO_SEIZURES))
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("records_import", str(good), "--office", "kz-kordai-blo", "--user",
                     "kg.officer", stdout=out)  # fmt: skip
    assert "You may record only for an office you are posted to." in out.getvalue()


def test_records_export_command(tmp_path, kz_officer, kg_officer, record_seizure):
    from openpyxl import load_workbook

    shared = record_seizure(kz_officer)
    national = record_seizure(kz_officer, distribution="national")
    out = tmp_path / "all.csv"
    call_command("records_export", "--out", str(out), stdout=io.StringIO())
    text = out.read_text(encoding="utf-8-sig")
    assert shared.reference in text and national.reference in text  # the node: everything
    call_command("records_export", "--out", str(out), "--user", "kg.officer", stdout=io.StringIO())
    text = out.read_text(encoding="utf-8-sig")
    assert shared.reference in text and national.reference not in text
    cen = tmp_path / "cen.csv"
    call_command("records_export", "--out", str(cen), "--format", "cen", stdout=io.StringIO())
    assert "Qurbonov" not in cen.read_text(encoding="utf-8-sig")
    xlsx = tmp_path / "x.xlsx"
    call_command("records_export", "--out", str(xlsx), "--filter", "commodity=hashish",
                 stdout=io.StringIO())  # fmt: skip
    rows = list(load_workbook(xlsx).worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 1 + 4  # header + two items of each seizure
    with pytest.raises(CommandError, match="date_from"):
        call_command("records_export", "--filter", "date_from=never", stdout=io.StringIO())
    assert Path(out).exists()
