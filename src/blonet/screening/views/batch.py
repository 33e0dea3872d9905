"""Manifest pages: upload, the run with its progress bar (htmx polling), skipped rows, hits,
and the results as CSV."""

from __future__ import annotations

import csv
import heapq
from collections.abc import Iterator
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from blonet.audit.services import audit_event_record
from blonet.core.errors import BlonetError, NotFound
from blonet.records.io.readers import MAX_BYTES, MAX_ROWS
from blonet.screening import selectors
from blonet.screening.choices import RunSource
from blonet.screening.forms import BatchForm
from blonet.screening.messages import explain
from blonet.screening.models import ScreeningRun
from blonet.screening.services import batch_start
from blonet.screening.services.batch import resume_if_stale
from blonet.screening.services.checks import may_decide
from blonet.screening.views.common import hit_view, is_htmx, posts, put_errors, require_screening

POLL_MS = 1000
HITS_PER_PAGE = 50


@login_required
def batch(request: HttpRequest) -> HttpResponse:
    require_screening(request)
    offices = posts(request.user)
    form = BatchForm(request.POST or None, request.FILES or None, offices=offices)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("file")
        if upload is None:
            form.add_error("file", _("Choose a manifest file."))
        elif upload.size > MAX_BYTES:
            form.add_error(
                "file",
                _("The file is %(size)s MB; the limit is %(limit)s MB (%(rows)s rows): split it.")
                % {
                    "size": round(upload.size / 2**20, 1),
                    "limit": MAX_BYTES // 2**20,
                    "rows": f"{MAX_ROWS:,}",
                },
            )
        else:
            try:
                run = batch_start(
                    actor=request.user,
                    content=upload.read(),
                    filename=upload.name or "",
                    office=form.cleaned_data.get("office") or None,
                )
            except BlonetError as exc:
                put_errors(form, exc)
            else:
                return redirect(run.get_absolute_url())
    elif request.method == "GET":
        form = BatchForm(offices=offices, initial={"office": offices[0].pk if offices else ""})
    runs = selectors.run_list_visible_to(user=request.user, source=RunSource.BATCH)[:20]
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "screening/batch.html",
        {"form": form, "runs": runs, "max_mb": MAX_BYTES // 2**20},
        status=status,
    )


def _run(request: HttpRequest, pk: Any) -> ScreeningRun:
    try:
        return selectors.run_get_for(user=request.user, pk=pk)
    except NotFound as exc:
        raise Http404 from exc


def _run_hits(request: HttpRequest, run: ScreeningRun) -> Any:
    hits = selectors.hits_visible_to(user=request.user).filter(run=run)
    return hits.order_by("row", "-score", "pk")


@login_required
def run_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    require_screening(request)
    run = _run(request, pk)
    resume_if_stale(run)
    page = Paginator(_run_hits(request, run), HITS_PER_PAGE).get_page(request.GET.get("page"))
    audit_event_record(
        actor=request.user,
        action="screening.run.viewed",
        target=run,
        data={"run": str(run.pk), "page": page.number},
    )
    can = may_decide(request.user, page[0]) if len(page) else False
    context = {
        "run": run,
        "page": page,
        "hits": [hit_view(h) for h in page],
        "can_decide": can,
        "poll_ms": POLL_MS,
    }
    return render(request, "screening/run_detail.html", context)


@login_required
def run_progress(request: HttpRequest, pk: Any) -> HttpResponse:
    """The progress bar fragment, polled while the run is in progress."""
    require_screening(request)
    run = _run(request, pk)
    resume_if_stale(run)
    response = render(request, "screening/_run_progress.html", {"run": run, "poll_ms": POLL_MS})
    if not run.in_progress and is_htmx(request):
        # finished: reload the page once to show the hits
        response["HX-Refresh"] = "true"
    return response


def _csv_rows(request: HttpRequest, run: ScreeningRun) -> Iterator[list[Any]]:
    """The header, then hit rows and skipped rows merged in manifest order."""
    yield [
        _("row"), _("status"), _("query"), _("watchlist"), _("entry"), _("entry id"),
        _("score"), _("explanation"), _("hit id"),
    ]  # fmt: skip
    skipped = sorted(
        (
            (int(s.get("row") or 0), [s.get("row") or "", s.get("severity", "error"),
             s.get("value", ""), "", "", "", "", f"{s.get('column', '')}: {s.get('reason', '')}",
             ""])
            for s in run.skipped
        ),
        key=lambda pair: pair[0],
    )  # fmt: skip

    def hit_rows() -> Iterator[tuple[int, list[Any]]]:
        for hit in _run_hits(request, run).iterator(chunk_size=1000):
            yield hit.row or 0, [
                hit.row or "", _("hit"), hit.query_label, hit.entry.watchlist.name,
                hit.entry.label, str(hit.entry_id), f"{hit.score:.4f}",
                "; ".join(explain(hit.explanation)), str(hit.pk),
            ]  # fmt: skip

    for _row, cells in heapq.merge(skipped, hit_rows(), key=lambda pair: pair[0]):
        yield cells


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
def run_results(request: HttpRequest, pk: Any) -> StreamingHttpResponse:
    """Hits (query row, entry, score, explanation) and skipped rows, as CSV in the UI language;
    only the entries the downloading user may see."""
    require_screening(request)
    run = _run(request, pk)
    audit_event_record(
        actor=request.user,
        action="screening.results.downloaded",
        target=run,
        data={"run": str(run.pk)},
    )
    writer = csv.writer(_Echo())
    body = (writer.writerow(r) for r in _csv_rows(request, run))
    response = StreamingHttpResponse(_with_bom(body), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="screening-{run.pk}.csv"'
    return response


def _with_bom(body: Iterator[str]) -> Iterator[str]:
    yield "\ufeff"  # Excel opens UTF-8 CSV correctly only with a BOM
    yield from body
