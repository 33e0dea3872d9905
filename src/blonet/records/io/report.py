"""The import report: what the page and the command show, and what the audit log keeps."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from blonet.records.io.mapping import Problem


@dataclass
class SeizureLine:
    """One seizure of the file, as the preview lists it."""

    ref: str
    sheet: str
    rows: list[int]
    occurred_at: str
    site: str
    items: str
    entities: int
    reference: str = ""  # the register's reference (created, or already there)
    note: str = ""

    @property
    def rows_label(self) -> str:
        if len(self.rows) == 1:
            return str(self.rows[0])
        return (
            f"{self.rows[0]}–{self.rows[-1]}"
            if self._consecutive
            else ", ".join(map(str, self.rows))
        )

    @property
    def _consecutive(self) -> bool:
        return self.rows == list(range(self.rows[0], self.rows[0] + len(self.rows)))


@dataclass
class ImportReport:
    filename: str
    sha256: str
    size: int
    office_id: str
    dry_run: bool
    method: str = "bulk"
    format: str = ""
    layout: str = ""
    encoding: str = ""
    delimiter: str = ""
    rows_total: int = 0
    groups_total: int = 0
    created: list[SeizureLine] = field(default_factory=list)
    created_ids: dict[str, list[str]] = field(default_factory=dict)
    already: list[SeizureLine] = field(default_factory=list)
    rejected: int = 0  # seizures
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # the file as a whole; nothing imported
    seconds: float = 0.0
    audited: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def rows_rejected(self) -> int:
        return len({(p.sheet, p.row) for p in self.problems})

    @property
    def rows_per_second(self) -> float:
        return self.rows_total / self.seconds if self.seconds else 0.0

    def counts(self) -> dict[str, int]:
        return {
            "rows": self.rows_total,
            "seizures": self.groups_total,
            "created": len(self.created),
            "already_imported": len(self.already),
            "rejected_seizures": self.rejected,
            "rejected_rows": self.rows_rejected,
        }

    def audit_data(self) -> dict[str, Any]:
        """Counts, the file's hash and identifiers only: no names, no file name."""
        return {
            "sha256": self.sha256,
            "size": self.size,
            "office": self.office_id,
            "format": self.format,
            "layout": self.layout,
            "method": self.method,
            **self.counts(),
            "errors": len(self.errors),
            "created_ids": {k: list(v) for k, v in self.created_ids.items()},
        }

    def lines(self) -> list[str]:
        """The report as text (the command prints it)."""
        out = []
        mode = _("Dry run: nothing was written.") if self.dry_run else _("Import run.")
        out.append(f"{mode} {self.filename} ({self.format or '?'}, sha256 {self.sha256[:12]}…)")
        for message in self.errors:
            out.append(_("ERROR: %s") % message)
        for message in self.warnings:
            out.append(_("WARNING: %s") % message)
        c = self.counts()
        values = {"rows": c["rows"], "seizures": c["seizures"], "created": c["created"],
                  "already": c["already_imported"], "rejected": c["rejected_seizures"],
                  "rejected_rows": c["rejected_rows"]}  # fmt: skip
        if self.dry_run:
            summary = _("%(rows)s rows, %(seizures)s seizures: %(created)s would be created, "
                        "%(already)s already imported, %(rejected)s rejected (%(rejected_rows)s "
                        "rows).")  # fmt: skip
        else:
            summary = _("%(rows)s rows, %(seizures)s seizures: %(created)s created, "
                        "%(already)s already imported, %(rejected)s rejected "
                        "(%(rejected_rows)s rows).")  # fmt: skip
        out.append(summary % values)
        for line in self.already:
            where = line.reference or line.note
            out.append(
                _("  already imported: rows %(rows)s (%(ref)s) -> %(where)s")
                % {"rows": line.rows_label, "ref": line.ref or "-", "where": where}
            )
        for p in self.problems:
            sheet = f"{p.sheet}!" if p.sheet else ""
            out.append(
                _("  row %(row)s, %(column)s = “%(value)s”: %(message)s")
                % {"row": f"{sheet}{p.row}", "column": p.column or "-", "value": p.value,
                   "message": p.message}
            )  # fmt: skip
        if self.seconds and self.rows_total:
            out.append(
                _("%(seconds).2f s, %(rate).0f rows/s.")
                % {"seconds": self.seconds, "rate": self.rows_per_second}
            )
        return out
