"""One export run, for the page and the command: the list's filters on what the user may see,
the size cap, the audit event, then the rows in the asked format."""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO, Any

from django.db.models import Prefetch, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from blonet.audit.services import audit_event_record
from blonet.records import selectors
from blonet.records.filters import SeizureFilter
from blonet.records.io import exports
from blonet.records.models import Seizure, SeizureItem

FORMATS = ("csv", "xlsx", "cen")
IGNORED_PARAMS = ("format", "page")


class ExportProblem(Exception):
    def __init__(self, *messages: str) -> None:
        self.messages = [str(m) for m in messages]
        super().__init__("; ".join(self.messages))


@dataclass
class Export:
    format: str
    query: str
    rows: int
    head: list[str]
    body: Any  # iterator of rows

    @property
    def filename(self) -> str:
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        if self.format == "cen":
            return f"seizures-cen-{stamp}.csv"
        return f"seizures-{stamp}.{self.format}"

    @property
    def content_type(self) -> str:
        if self.format == "xlsx":
            return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return "text/csv; charset=utf-8"

    def csv_chunks(self) -> Any:
        return exports.csv_stream(self.head, self.body)

    def xlsx(self) -> IO[bytes]:
        return exports.xlsx_file(self.head, self.body)


def _base_queryset(user: Any) -> QuerySet[Seizure]:
    if user is not None:
        return selectors.seizure_list_visible_to(user=user)
    # The node's own command line (no --user): every live record of this node, as the services
    # treat actor=None.
    return (
        Seizure.objects.alive()
        .select_related("owner_office", "owner_country", "site")
        .prefetch_related(
            Prefetch("items", queryset=SeizureItem.objects.order_by("position", "pk"))
        )
    )


def start_export(*, user: Any, params: QueryDict | dict[str, str], fmt: str) -> Export:
    """Filter, count, audit; raises ExportProblem for an unknown format, invalid filters or an
    export above the cap."""
    if fmt not in FORMATS:
        raise ExportProblem(_("Unknown format “%s”: use csv, xlsx or cen.") % fmt)
    query = params.copy() if isinstance(params, QueryDict) else QueryDict(mutable=True)
    if not isinstance(params, QueryDict):
        for key, value in params.items():
            query[key] = value
    for name in IGNORED_PARAMS:
        query.pop(name, None)
    filterset = SeizureFilter(query or None, queryset=_base_queryset(user))
    if filterset.is_bound and not filterset.is_valid():
        raise ExportProblem(
            *(f"{name}: {' '.join(map(str, errs))}" for name, errs in filterset.errors.items())
        )
    queryset = filterset.qs
    rows = exports.row_count(queryset)
    if fmt == "cen":
        rows = SeizureItem.objects.filter(seizure__in=queryset.order_by().values("pk")).count()
    if rows > exports.MAX_ROWS:
        raise ExportProblem(
            _("The export would have %(rows)s rows; the limit is %(limit)s: narrow the filters "
              "(for example the period).")
            % {"rows": f"{rows:,}", "limit": f"{exports.MAX_ROWS:,}"}
        )  # fmt: skip
    audit_event_record(
        actor=user,
        action="records.export.run",
        target_type="records.seizure",
        data={"format": fmt, "query": query.urlencode(), "rows": rows},
    )
    if fmt == "cen":
        return Export(fmt, query.urlencode(), rows, list(exports.CEN_COLUMNS),
                      exports.cen_rows(queryset))  # fmt: skip
    counts = exports.entity_counts(queryset)
    body = exports.template_rows(queryset, user=user, counts=counts, xlsx=fmt == "xlsx")
    return Export(fmt, query.urlencode(), rows, exports.header(counts), body)
