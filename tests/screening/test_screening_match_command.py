"""The file interface as a blonet command: the Cyrillic watchlist entry is found from an MRZ."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def test_mrz_query_finds_cyrillic_entry(tmp_path):
    watchlist = tmp_path / "w.csv"
    watchlist.write_text(
        "id,name,aliases,dob,nationality,doc_number\n"
        "W1,Курбонов Юсуф Абдуллоевич,Qurbonov Yusuf,1980-05-12,TJK,\n"
        "W2,Иванов Пётр Сергеевич,,1975-01-01,RUS,\n",
        encoding="utf-8",
    )
    queries = tmp_path / "q.csv"
    queries.write_text(
        "id,name,dob,nationality,doc_number\nQ1,QURBONOV<<YUSUF,1980-05-12,TJK,\n",
        encoding="utf-8",
    )
    out = tmp_path / "r.csv"
    stdout = io.StringIO()
    call_command(
        "screening_match",
        "--watchlist",
        str(watchlist),
        "--queries",
        str(queries),
        "--out",
        str(out),
        "--top",
        "3",
        stdout=stdout,
    )
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert rows[0]["query_id"] == "Q1"
    assert rows[0]["entry_id"] == "W1"
    assert rows[0]["rank"] == "1"
    assert float(rows[0]["score"]) > 0.8
    assert all(r["entry_id"] != "W2" or float(r["score"]) < float(rows[0]["score"]) for r in rows)
    assert "1 of 1 rows screened" in stdout.getvalue()


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command(
            "screening_match",
            "--watchlist",
            str(tmp_path / "nope.csv"),
            "--queries",
            str(tmp_path / "q.csv"),
            "--out",
            str(tmp_path / "r.csv"),
        )
