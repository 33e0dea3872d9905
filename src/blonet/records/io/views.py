"""The import page (upload, preview, import now), the blank template and the export."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path, PurePath
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from blonet.records.io import readers, template
from blonet.records.io.exporting import ExportProblem, start_export
from blonet.records.io.forms import ConfirmForm, ImportForm
from blonet.records.io.imports import import_seizures
from blonet.records.querysets import OPERATIONAL_ROLES

KEEP_UPLOADS_SECONDS = 24 * 3600
PREVIEW_LINES = 200
MAX_PROBLEMS = 1000


def _offices(user: Any) -> list[tuple[str, str]]:
    """The offices the user may record for (operational postings), as form choices."""
    seen: dict[str, str] = {}
    for posting in user.active_postings():
        if posting.role in OPERATIONAL_ROLES:
            seen.setdefault(posting.office_id, str(posting.office))
    return list(seen.items())


def _upload_dir(user: Any) -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / str(user.pk)


def _store(user: Any, content: bytes, filename: str) -> str:
    """Keep an upload for "Import now" under MEDIA_ROOT/imports/<user>/<sha256><ext>; files
    older than a day are removed."""
    folder = _upload_dir(user)
    folder.mkdir(parents=True, exist_ok=True)
    now = time.time()
    for old in folder.iterdir():
        if now - old.stat().st_mtime > KEEP_UPLOADS_SECONDS:
            old.unlink(missing_ok=True)
    digest = hashlib.sha256(content).hexdigest()
    (folder / f"{digest}{PurePath(filename).suffix.lower()}").write_bytes(content)
    return digest


def _stored(user: Any, digest: str) -> Path | None:
    for suffix in readers.EXTENSIONS:
        path = _upload_dir(user) / f"{digest}{suffix}"
        if path.is_file():
            return path
    return None


@login_required
@require_http_methods(["GET", "POST"])
def seizure_import(request: HttpRequest) -> HttpResponse:
    offices = _offices(request.user)
    if not offices:
        raise PermissionDenied
    if request.method == "POST" and "token" in request.POST:
        return _confirm(request, offices)
    form = ImportForm(request.POST or None, request.FILES or None, offices=offices)
    if request.method != "POST" or not form.is_valid():
        status = 400 if request.method == "POST" else 200
        return render(request, "records/import.html", {"form": form}, status=status)
    upload = form.cleaned_data["file"]
    content = upload.read()
    filename = PurePath(upload.name).name
    dry_run = form.cleaned_data["dry_run"]
    digest = _store(request.user, content, filename) if dry_run else ""
    report = import_seizures(
        actor=request.user,
        office=form.cleaned_data["office"],
        content=content,
        filename=filename,
        dry_run=dry_run,
    )
    return _report(request, report, digest)


def _confirm(request: HttpRequest, offices: list[tuple[str, str]]) -> HttpResponse:
    form = ConfirmForm(request.POST)
    path = _stored(request.user, form.data.get("token", "")) if form.is_valid() else None
    if path is None or form.cleaned_data["office"] not in dict(offices):
        message = _("The uploaded file is no longer here: upload it again.")
        context = {"form": ImportForm(offices=offices), "message": message}
        return render(request, "records/import.html", context, status=400)
    report = import_seizures(
        actor=request.user,
        office=form.cleaned_data["office"],
        content=path.read_bytes(),
        filename=PurePath(form.cleaned_data["filename"]).name,
        dry_run=False,
    )
    path.unlink(missing_ok=True)
    return _report(request, report, "")


def _report(request: HttpRequest, report: Any, digest: str) -> HttpResponse:
    context = {
        "report": report,
        "counts": report.counts(),
        "created": report.created[:PREVIEW_LINES],
        "more_created": max(0, len(report.created) - PREVIEW_LINES),
        "problems": report.problems[:MAX_PROBLEMS],
        "more_problems": max(0, len(report.problems) - MAX_PROBLEMS),
        "already": report.already[:PREVIEW_LINES],
        "more_already": max(0, len(report.already) - PREVIEW_LINES),
        "token": digest if report.ok and report.created else "",
        "office_label": dict(_offices(request.user)).get(report.office_id, report.office_id),
    }
    return render(request, "records/import_report.html", context)


@login_required
@require_GET
def seizure_import_template(request: HttpRequest) -> HttpResponseBase:
    fmt = request.GET.get("format", "csv")
    if fmt == "xlsx":
        return FileResponse(
            template.template_xlsx(),
            as_attachment=True,
            filename="blonet-seizures-template.xlsx",
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    if fmt != "csv":
        return _export_error(request, [_("Unknown format “%s”: use csv or xlsx.") % fmt[:20]])
    response = HttpResponse(template.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="blonet-seizures-template.csv"'
    return response


def _export_error(request: HttpRequest, messages: list[str]) -> HttpResponse:
    return render(request, "records/export_error.html", {"messages_list": messages}, status=400)


@login_required
@require_GET
def seizure_export(request: HttpRequest) -> HttpResponseBase:
    fmt = request.GET.get("format", "csv")
    try:
        export = start_export(user=request.user, params=request.GET, fmt=fmt)
    except ExportProblem as exc:
        return _export_error(request, exc.messages)
    if export.format == "xlsx":
        return FileResponse(
            export.xlsx(),
            as_attachment=True,
            filename=export.filename,
            content_type=export.content_type,
        )
    response = StreamingHttpResponse(export.csv_chunks(), content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response
