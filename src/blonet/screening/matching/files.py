"""Watchlist and query files (CSV or JSONL) and the result CSV.

CSV may be UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1251; the encoding is
detected from the first megabyte. Rows are streamed, so a large manifest is not held in memory.
Every row that cannot be used is reported with its line number and the reason; nothing is
skipped silently.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Literal

__all__ = [
    "Record",
    "ResultRow",
    "RowIssue",
    "detect_encoding",
    "iter_records",
    "write_issues",
    "write_results",
]

Severity = Literal["error", "warning"]
FIELDS = ("id", "name", "aliases", "dob", "nationality", "doc_number")
_SNIFF_BYTES = 1 << 20


@dataclass(slots=True)
class RowIssue:
    file: str
    line: int
    severity: Severity
    reason: str
    record_id: str = ""

    def __str__(self) -> str:
        rid = f" (id {self.record_id})" if self.record_id else ""
        return f"{self.file}:{self.line}{rid}: {self.severity}: {self.reason}"


@dataclass(slots=True)
class Record:
    line: int
    id: str
    name: str
    aliases: list[str] = field(default_factory=list)
    dob: str = ""
    nationality: str = ""
    doc_number: str = ""


@dataclass(frozen=True, slots=True)
class ResultRow:
    query_id: str
    entry_id: str
    score: float
    rank: int


def detect_encoding(path: str | Path) -> str:
    """``utf-8-sig``, ``utf-16``, ``utf-8`` or ``cp1251`` for the file at ``path``."""
    with open(path, "rb") as fh:
        head = fh.read(_SNIFF_BYTES)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(head, final=False)  # a sequence cut at the end of the sample is fine
    except UnicodeDecodeError:
        return "cp1251"
    return "utf-8"


def _has_controls(text: str) -> bool:
    return any(unicodedata.category(ch) in ("Cc", "Cf") and ch not in "\t" for ch in text)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise TypeError(f"expected text, got {type(value).__name__}")


def _aliases(value: object, *, csv_mode: bool) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return [_text(v) for v in value if _text(v).strip()]
    if isinstance(value, str):
        s = value.strip()
        if s.startswith("["):
            try:
                parsed = json.loads(s)
            except json.JSONDecodeError as exc:
                raise ValueError(f"aliases look like JSON but are not valid ({exc.msg})") from exc
            return _aliases(parsed, csv_mode=csv_mode)
        return [a.strip() for a in s.split(";") if a.strip()]
    raise TypeError(f"aliases must be a list or text, got {type(value).__name__}")


def _record(file: str, line: int, raw: dict[str, object], *, csv_mode: bool) -> Record | RowIssue:
    try:
        rid = _text(raw.get("id")).strip()
        name = _text(raw.get("name"))
        if not rid:
            return RowIssue(file, line, "error", "id is empty")
        return Record(
            line=line,
            id=rid,
            name=name,
            aliases=_aliases(raw.get("aliases"), csv_mode=csv_mode),
            dob=_text(raw.get("dob")).strip(),
            nationality=_text(raw.get("nationality")).strip(),
            doc_number=_text(raw.get("doc_number")).strip(),
        )
    except (TypeError, ValueError) as exc:
        return RowIssue(file, line, "error", str(exc), _text(raw.get("id") or "")[:64])


def _iter_csv(path: Path) -> Iterator[Record | RowIssue]:
    file = path.name
    encoding = detect_encoding(path)
    with open(path, encoding=encoding, errors="replace", newline="") as fh:
        yield from _iter_csv_stream(file, fh, encoding)


def _iter_csv_stream(file: str, fh: IO[str], encoding: str) -> Iterator[Record | RowIssue]:
    nul_lines: set[int] = set()

    def lines() -> Iterator[str]:
        for i, ln in enumerate(fh, start=1):
            if "\x00" in ln:
                nul_lines.add(i)
                ln = ln.replace("\x00", "")
            yield ln

    reader = csv.reader(lines())
    try:
        header = next(reader)
    except StopIteration:
        yield RowIssue(file, 1, "error", "file is empty (no header row)")
        return
    except csv.Error as exc:
        yield RowIssue(file, 1, "error", f"header is not valid CSV ({exc})")
        return
    cols = [h.strip().lstrip("\ufeff").lower() for h in header]
    missing = [c for c in ("id", "name") if c not in cols]
    if missing:
        yield RowIssue(file, 1, "error", f"header lacks column(s) {', '.join(missing)}; "
                       f"found {', '.join(cols) or 'nothing'} (encoding {encoding})")  # fmt: skip
        return
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield RowIssue(file, reader.line_num, "error", f"row is not valid CSV ({exc})")
            continue
        line = reader.line_num
        if not row or all(not c.strip() for c in row):
            continue  # blank line: not a row
        if len(row) != len(cols):
            msg = f"row has {len(row)} fields, header has {len(cols)}"
            rid = row[cols.index("id")] if len(row) > cols.index("id") else ""
            yield RowIssue(file, line, "error", msg, rid)
            continue
        item = _record(file, line, dict(zip(cols, row, strict=True)), csv_mode=True)
        if isinstance(item, Record) and "\ufffd" in "".join(row):
            yield RowIssue(file, line, "warning",
                           f"bytes that are not {encoding} were replaced", item.id)  # fmt: skip
        if isinstance(item, Record) and line in nul_lines:
            yield RowIssue(file, line, "warning", "NUL characters removed", item.id)
        yield item


def _iter_jsonl(path: Path) -> Iterator[Record | RowIssue]:
    file = path.name
    with open(path, "rb") as raw_fh:
        for line_no, raw in enumerate(raw_fh, start=1):
            if line_no == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8) :]
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                yield RowIssue(file, line_no, "error", "line is not UTF-8 (JSONL must be UTF-8)")
                continue
            if not text.strip():
                continue
            try:
                obj = json.loads(text)
            except json.JSONDecodeError as exc:
                yield RowIssue(
                    file, line_no, "error", f"invalid JSON ({exc.msg} at column {exc.colno})"
                )
                continue
            if not isinstance(obj, dict):
                yield RowIssue(file, line_no, "error", "line is not a JSON object")
                continue
            yield _record(file, line_no, obj, csv_mode=False)


def iter_records(path: str | Path) -> Iterator[Record | RowIssue]:
    """Records and issues of a ``.csv`` or ``.jsonl`` file, in file order. Never raises for
    bad content; an unreadable or unsupported file yields a single error issue."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in (".csv", ".jsonl"):
        yield RowIssue(p.name, 0, "error", f"unsupported file type {suffix!r}; use .csv or .jsonl")
        return
    try:
        if suffix == ".csv":
            yield from _iter_csv(p)
        else:
            yield from _iter_jsonl(p)
    except OSError as exc:
        yield RowIssue(p.name, 0, "error", f"cannot read file ({exc.strerror or exc})")


def read_csv_text(text: str, file: str = "<text>") -> list[Record | RowIssue]:
    """Parse CSV given as text (used by tests and uploads already decoded)."""
    return list(_iter_csv_stream(file, io.StringIO(text, newline=""), "text"))


def contains_control_characters(text: str) -> bool:
    """True if ``text`` has control or format characters (other than tab)."""
    return _has_controls(text)


def write_results(out: IO[str], rows: Iterable[ResultRow]) -> int:
    """Write ``query_id,entry_id,score,rank`` rows (with header if at position 0)."""
    writer = csv.writer(out, lineterminator="\n")
    if out.tell() == 0:
        writer.writerow(["query_id", "entry_id", "score", "rank"])
    n = 0
    for r in rows:
        writer.writerow([r.query_id, r.entry_id, f"{r.score:.4f}", r.rank])
        n += 1
    return n


def write_issues(path: str | Path, issues: Iterable[RowIssue]) -> None:
    """Write issues as CSV ``file,line,id,severity,reason``."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["file", "line", "id", "severity", "reason"])
        for i in issues:
            writer.writerow([i.file, i.line, i.record_id, i.severity, i.reason])
