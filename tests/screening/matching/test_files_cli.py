"""File interface: CSV/JSONL reading, encodings, bad rows, output format."""

import csv
import json
import subprocess
import sys
from pathlib import Path

from blonet.screening.matching import run_match
from blonet.screening.matching.files import Record, RowIssue, detect_encoding, iter_records

WATCHLIST_CSV = (
    "id,name,aliases,dob,nationality,doc_number\n"
    "W1,Курбонов Юсуф Абдуллоевич,Kurbanov Yusuf;Qurbonov Yusuf,1985-03-12,TJK,\n"
    "W2,Тухтаев Уктам,,1975-04-04,UZ,AA1234567\n"
    "W3,Асанов Бакыт уулу Нурлан,,1990,KGZ,\n"
    "W4,,,,,\n"
    "W2,Duplicate Id,,,,\n"
    "W5,محمد,,,,\n"
    "W6,Иванов,Иван,extra,field,,\n"
    "W7,Сидоров Пётр,,1985-13-45,RUS,\n"
)


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def _rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def test_encoding_detection(tmp_path: Path) -> None:
    text = "id,name\n1,Курбонов\n"
    assert detect_encoding(_write(tmp_path / "a.csv", text)) == "utf-8"
    assert detect_encoding(_write(tmp_path / "b.csv", "\ufeff" + text)) == "utf-8-sig"
    assert detect_encoding(_write(tmp_path / "c.csv", text, "cp1251")) == "cp1251"
    recs = [r for r in iter_records(tmp_path / "c.csv") if isinstance(r, Record)]
    assert recs[0].name == "Курбонов"
    recs = [r for r in iter_records(tmp_path / "b.csv") if isinstance(r, Record)]
    assert recs[0].id == "1"


def test_bad_rows_are_reported_with_line_numbers(tmp_path: Path) -> None:
    w = _write(tmp_path / "w.csv", WATCHLIST_CSV)
    q = _write(tmp_path / "q.csv", "id,name,dob,nationality,doc_number\nQ1,QURBONOV<<YUSUF,,,\n")
    summary = run_match(w, q, tmp_path / "out.csv")
    by_line: dict[tuple[int, str], str] = {}
    for i in summary.issues:
        by_line[(i.line, i.severity)] = by_line.get((i.line, i.severity), "") + i.reason + "|"
    assert by_line[(5, "error")] == "name is empty|"
    assert "duplicate id" in by_line[(6, "error")]
    assert "unsupported script (Arabic)" in by_line[(7, "error")]
    assert "row has 7 fields, header has 6" in by_line[(8, "error")]
    assert "date of birth '1985-13-45' is not a valid date" in by_line[(9, "warning")]
    assert {line for line, _ in by_line} == {5, 6, 7, 8, 9}
    assert summary.watchlist_rows == 8
    assert summary.watchlist_loaded == 4  # W1, W2, W3, W7
    assert Path(summary.issues_path).exists()


def test_output_format_and_ranking(tmp_path: Path) -> None:
    w = _write(tmp_path / "w.csv", WATCHLIST_CSV)
    queries = [
        {"id": "Q1", "name": "QURBONOV<<YUSUF", "dob": "1985-12-03"},
        {"id": "Q2", "name": "Toʻxtayev Oʻktam", "doc_number": "AA1234567"},
        {"id": "Q3", "name": "Smith John"},
        {"id": "Q4", "name": "X"},
    ]
    q = _write(tmp_path / "q.jsonl", "\n".join(json.dumps(x, ensure_ascii=False) for x in queries))
    summary = run_match(w, q, tmp_path / "out.csv", top_k=3)
    rows = _rows(tmp_path / "out.csv")
    assert rows[0] == ["query_id", "entry_id", "score", "rank"]
    assert rows[1][:2] == ["Q1", "W1"]
    assert rows[1][3] == "1"
    assert float(rows[1][2]) >= 0.8
    assert any(r[:2] == ["Q2", "W2"] for r in rows)
    assert not any(r[0] in ("Q3", "Q4") for r in rows[1:])
    assert summary.queries_rows == 4
    assert summary.queries_screened == 3  # Q4 is one letter
    assert any(i.line == 4 and "one letter" in i.reason for i in summary.issues)


def test_mrz_bad_check_digit_is_reported_and_still_screened(tmp_path: Path) -> None:
    w = _write(tmp_path / "w.csv", "id,name,dob\nW1,Eriksson Anna Maria,1974-08-12\n")
    l1 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
    l2 = "L898902C36UTO7408125F1204159ZE184226B<<<<<10"  # DOB check digit wrong
    q = _write(tmp_path / "q.jsonl", json.dumps({"id": "Q1", "name": l1 + "\n" + l2}))
    summary = run_match(w, q, tmp_path / "out.csv")
    assert any("check digit of date of birth" in i.reason for i in summary.issues)
    assert _rows(tmp_path / "out.csv")[1][:2] == ["Q1", "W1"]


def test_jsonl_errors_and_control_characters(tmp_path: Path) -> None:
    w = _write(
        tmp_path / "w.jsonl",
        '{"id": "W1", "name": "Alimov\\u0007 Botir", "aliases": ["Алимов Ботир"]}\n'
        "not json\n"
        "[1, 2]\n"
        "\n"
        '{"id": "W2", "name": "Karimov Aziz", "aliases": 5}\n',
    )
    items = list(iter_records(w))
    issues = [i for i in items if isinstance(i, RowIssue)]
    assert [(i.line, i.severity) for i in issues] == [(2, "error"), (3, "error"), (5, "error")]
    q = _write(tmp_path / "q.csv", "id,name\nQ1,ALIMOV<<BOTIR\n")
    summary = run_match(w, q, tmp_path / "o.csv")
    assert any("control characters" in i.reason for i in summary.issues)
    assert _rows(tmp_path / "o.csv")[1][:2] == ["Q1", "W1"]


def test_unsupported_file_type_and_missing_columns(tmp_path: Path) -> None:
    bad = _write(tmp_path / "w.xlsx", "x")
    assert "unsupported file type" in next(iter(iter_records(bad))).reason  # type: ignore[union-attr]
    nocols = _write(tmp_path / "w.csv", "a,b\n1,2\n")
    first = next(iter(iter_records(nocols)))
    assert isinstance(first, RowIssue)
    assert "lacks column" in first.reason


def test_module_is_runnable(tmp_path: Path) -> None:
    w = _write(tmp_path / "w.csv", "id,name\nW1,Курбонов Юсуф\n", "cp1251")
    q = _write(tmp_path / "q.csv", "id,name\nQ1,QURBONOV<<YUSUF\n")
    out = tmp_path / "r.csv"
    src = Path(__file__).resolve().parents[3] / "src"
    proc = subprocess.run(
        [sys.executable, "-m", "blonet.screening.matching", str(w), str(q), str(out), "--top", "5"],
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONPATH": str(src), "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 0, proc.stderr
    assert "1 of 1 rows loaded" in proc.stdout
    assert _rows(out)[1][:2] == ["Q1", "W1"]


def test_two_workers_write_what_one_writes(tmp_path: Path) -> None:
    """Queries screened by forked workers come out in file order, with the same rows and
    issues as a single pass (small chunks, so that several are in flight)."""
    import blonet.screening.matching.cli as cli

    w = _write(tmp_path / "w.csv", WATCHLIST_CSV)
    lines = ["id,name,dob,nationality,doc_number"]
    for i in range(60):
        name = ("QURBONOV<<YUSUF", "Tukhtaev Uktam", "Asanov Bakyt", "", "Q1dup")[i % 5]
        qid = "Q1" if name == "Q1dup" else f"Q{i}"
        lines.append(f"{qid},{'Kurbanov Yusuf' if name == 'Q1dup' else name},,,")
    q = _write(tmp_path / "q.csv", "\n".join(lines) + "\n")
    old = cli._CHUNK
    cli._CHUNK = 7
    try:
        one = run_match(w, q, tmp_path / "one.csv", workers=1)
        two = run_match(w, q, tmp_path / "two.csv", workers=2)
    finally:
        cli._CHUNK = old
    assert _rows(tmp_path / "one.csv") == _rows(tmp_path / "two.csv")
    assert len(_rows(tmp_path / "one.csv")) > 30
    assert [str(i) for i in one.issues] == [str(i) for i in two.issues]
    assert (one.queries_rows, one.queries_screened, one.result_rows) == (
        two.queries_rows,
        two.queries_screened,
        two.result_rows,
    )
