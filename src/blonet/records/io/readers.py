"""Reading an uploaded CSV or XLSX file into rows of named cells, with the row numbers a
spreadsheet shows. Nothing here evaluates a formula: XLSX is read with `data_only=True` (the
value Excel cached, if any) and CSV cells are plain text.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from blonet.records.io import columns as cols

MAX_BYTES = 20 * 2**20
MAX_ROWS = 50_000
MAX_COLUMNS = 300
MAX_UNCOMPRESSED = 300 * 2**20  # an XLSX is a zip: refuse a "zip bomb"
EXTENSIONS = (".csv", ".txt", ".xlsx", ".xlsm")
ZIP_MAGIC = b"PK\x03\x04"


class FileProblem(Exception):
    """The file as a whole cannot be read; nothing is imported."""

    def __init__(self, *messages: str) -> None:
        self.messages = [str(m) for m in messages]
        super().__init__("; ".join(self.messages))


@dataclass
class Row:
    sheet: str
    number: int  # as the spreadsheet shows it (the header is row 1 of a plain file)
    values: dict[str, Any]  # column -> non-blank cell (text stripped; dates as dates)


@dataclass
class Sheet:
    name: str
    columns: list[str]
    rows: list[Row]
    header_row: int = 1
    ignored: list[str] = field(default_factory=list)  # header cells that are not columns


@dataclass
class Source:
    format: str  # "csv" or "xlsx"
    layout: str  # "flat" or "related"
    sheets: dict[str, Sheet]
    encoding: str = ""
    delimiter: str = ""

    @property
    def row_count(self) -> int:
        return sum(len(s.rows) for s in self.sheets.values())


def check_name_and_size(filename: str, size: int) -> None:
    suffix = PurePath(filename or "").suffix.lower()
    if suffix not in EXTENSIONS:
        raise FileProblem(
            _("Upload a .csv or .xlsx file (this one is “%s”).") % (suffix or filename or "?")
        )
    if size == 0:
        raise FileProblem(_("The file is empty."))
    if size > MAX_BYTES:
        raise FileProblem(
            _("The file is %(size)s MB; the limit is %(limit)s MB: split it into smaller files.")
            % {"size": round(size / 2**20, 1), "limit": MAX_BYTES // 2**20}
        )


def read_source(content: bytes, filename: str) -> Source:
    """The file's sheets; raises FileProblem with a clear message for anything unreadable."""
    check_name_and_size(filename, len(content))
    if content.startswith(ZIP_MAGIC):
        return _read_xlsx(content)
    if PurePath(filename).suffix.lower() in (".xlsx", ".xlsm"):
        raise FileProblem(_("This is not an XLSX workbook: save it again from the spreadsheet."))
    return _read_csv(content)


# --------------------------------------------------------------------------- CSV


def decode(content: bytes) -> tuple[str, str]:
    """(text, encoding): UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1251."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):  # fmt: skip
        if content.startswith(bom):
            try:
                return content.decode(encoding), encoding
            except UnicodeDecodeError:
                raise FileProblem(_("The file says it is %s but is not.") % encoding) from None
    if b"\x00" in content:
        raise FileProblem(_("This is not a text file: upload a CSV or an XLSX file."))
    try:
        return content.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = content.decode("cp1251")
    except UnicodeDecodeError:
        raise FileProblem(
            _("The text is neither UTF-8 nor Windows-1251: save it as CSV UTF-8.")
        ) from None
    return text, "windows-1251"


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\r\n")
    return controls > max(2, len(sample) // 200)


def sniff_delimiter(text: str) -> str:
    """`;`, `,` or tab: whichever the header line holds most of, outside quotes."""
    line, quoted = [], False
    for ch in text.lstrip("\r\n"):
        if ch == '"':
            quoted = not quoted
        elif ch in "\r\n" and not quoted:
            break
        elif not quoted:
            line.append(ch)
    counts = {d: line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def _read_csv(content: bytes) -> Source:
    text, encoding = decode(content)
    if _looks_binary(text):
        raise FileProblem(_("This is not a text file: upload a CSV or an XLSX file."))
    if not text.strip():
        raise FileProblem(_("The file is empty."))
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records: list[tuple[int, list[Any]]] = []
    try:
        for number, record in enumerate(reader, start=1):
            records.append((number, record))
            if len(records) > MAX_ROWS + 50:
                break
    except csv.Error as exc:
        raise FileProblem(
            _("Row %(row)s cannot be read as CSV: %(error)s.")
            % {"row": len(records) + 1, "error": exc}
        ) from None
    sheet = _sheet("", records)
    return Source("csv", "flat", {"": sheet}, encoding=encoding, delimiter=delimiter)


# --------------------------------------------------------------------------- XLSX


def _cell(value: Any) -> Any:
    """A cell value as text, keeping dates and times as they are."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value)


def _read_xlsx(content: bytes) -> Source:
    import openpyxl

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as zf:
            if sum(i.file_size for i in zf.infolist()) > MAX_UNCOMPRESSED:
                raise FileProblem(_("The workbook unpacks to more than 300 MB: split it."))
        workbook = openpyxl.load_workbook(
            io.BytesIO(content), read_only=True, data_only=True, keep_links=False
        )
    except FileProblem:
        raise
    except Exception:  # any parser error of an untrusted file
        raise FileProblem(
            _("This is not an XLSX workbook that can be read: save it again as .xlsx.")
        ) from None
    try:
        by_name = {ws.title.strip().lower(): ws for ws in workbook.worksheets}
        related = cols.SHEET_SEIZURES in by_name and cols.SHEET_ITEMS in by_name
        wanted = (
            [
                n
                for n in (cols.SHEET_SEIZURES, cols.SHEET_ITEMS, cols.SHEET_ENTITIES)
                if n in by_name
            ]
            if related
            else [next(iter(by_name), "")]
        )
        if not wanted or not wanted[0]:
            raise FileProblem(_("The workbook has no sheet."))
        sheets: dict[str, Sheet] = {}
        total = 0
        for name in wanted:
            ws = by_name[name]
            ws.reset_dimensions()  # never trust the stored dimensions
            records: list[tuple[int, list[Any]]] = []
            for number, cells in enumerate(ws.iter_rows(values_only=True), start=1):
                records.append((number, [_cell(v) for v in cells[: MAX_COLUMNS + 1]]))
                total += 1
                if total > MAX_ROWS + 50:
                    break
            sheets[name if related else ""] = _sheet(name if related else ws.title, records)
    except FileProblem:
        raise
    except Exception:
        raise FileProblem(_("The workbook cannot be read: save it again as .xlsx.")) from None
    finally:
        workbook.close()
    return Source("xlsx", "related" if related else "flat", sheets)


# --------------------------------------------------------------------------- both


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _sheet(name: str, records: list[tuple[int, list[Any]]]) -> Sheet:
    """The first non-blank record is the header; later non-blank records are rows."""
    header_at = next((i for i, (_n, r) in enumerate(records) if not all(map(_blank, r))), None)
    if header_at is None:
        raise FileProblem(_("The sheet “%s” is empty.") % name if name else _("The file is empty."))
    header_number, header = records[header_at]
    if len(header) > MAX_COLUMNS:
        raise FileProblem(_("The header has more than %d columns.") % MAX_COLUMNS)
    names = [cols.canonical(str(h)) if not _blank(h) else "" for h in header]
    seen: dict[str, int] = {}
    dupes = []
    for n in names:
        if n and n in seen:
            dupes.append(n)
        seen[n] = 1
    if dupes:
        raise FileProblem(
            ngettext(
                "The column %(names)s appears twice in the header.",
                "The columns %(names)s appear twice in the header.",
                len(dupes),
            )
            % {"names": ", ".join(dict.fromkeys(dupes))}
        )
    rows: list[Row] = []
    for number, record in records[header_at + 1 :]:
        if all(map(_blank, record)):
            continue
        values = {}  # the non-blank cells only
        for i, value in enumerate(record):
            if i < len(names) and names[i]:
                if isinstance(value, str):
                    value = value.strip()
                if value != "" and value is not None:
                    values[names[i]] = value
        rows.append(Row(name, number, values))
    if len(rows) > MAX_ROWS:
        raise FileProblem(
            _("The file has more than %(limit)s rows: split it into smaller files.")
            % {"limit": f"{MAX_ROWS:,}"}
        )
    return Sheet(name, [n for n in names if n], rows, header_number)
