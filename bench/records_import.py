"""Issue 3: the seizure import takes >= 2,000 rows/s on PostgreSQL.

Generates a CSV of N rows in the import template at run time (seeded; nothing is committed):
seizures of 1-3 items (one row per item), each with a driver or courier (names in Cyrillic or
Latin), most with a vehicle, some with a phone, a container or a second person. Then, on the
database named by BLONET_DATABASE_URL (default: the dedicated PostgreSQL database
`blonet_bench_import` on 127.0.0.1:5432, dropped and created afresh), it migrates, loads the
directory and runs `blonet records_import FILE --office kz-kordai-blo`:

1. a dry run (validation only),
2. the import (bulk path: the service's validation, bulk inserts, one audit event),
3. the same file again (everything "already imported"),
4. with --service-rows M > 0, M rows through `--method service` (one `seizure_record` call
   per seizure, one audit event per seizure and entity) for comparison.

Each run is `import_seizures` in a fresh process, the same call the command makes: the figure
covers reading the file, grouping, validation, the writes and the audit event (Python and
Django start-up excluded). Besides rows/s of wall time it prints rows per CPU-second (this
process plus its PostgreSQL backend, from /proc; the import's writer thread sends its batches on
the same connection, so that backend is the only one): on a machine busy with other work the wall
figure falls with the share of the cores the import gets, the CPU figure does not. The verdict
is on the wall figure of the import (2).

Usage (from the repo root):
  .venv/bin/python bench/records_import.py                   # N=20000, PostgreSQL
  .venv/bin/python bench/records_import.py -n 50000 --service-rows 2000
  BLONET_DATABASE_URL=postgres://postgres@127.0.0.1:5432/other_db \\
      .venv/bin/python bench/records_import.py      # that database, migrated, not dropped
  .venv/bin/python bench/records_import.py --sqlite -n 5000  # SQLite, for reference
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib as bl

TARGET_ROWS_PER_S = 2000.0
PG_DB = "blonet_bench_import"
OFFICE = "kz-kordai-blo"

FAMILY = [
    "Qurbonov",
    "Rahimov",
    "Saidov",
    "Nazarov",
    "Aliev",
    "Karimov",
    "Ermekov",
    "Toktogulov",
    "Курбонов",
    "Рахимов",
    "Саидов",
    "Назаров",
    "Алиев",
    "Каримов",
    "Ермеков",
    "Абдыкадыров",
]
GIVEN = [
    "Yusuf",
    "Farrukh",
    "Marat",
    "Daniyar",
    "Bakyt",
    "Timur",
    "Aziz",
    "Rustam",
    "Юсуф",
    "Фаррух",
    "Марат",
    "Данияр",
    "Бакыт",
    "Тимур",
    "Азиз",
    "Рустам",
]
COMMODITIES = [
    ("heroin", "kg", 0.2, 40),
    ("hashish", "kg", 0.5, 300),
    ("opium", "kg", 1, 80),
    ("cannabis_herb", "kg", 0.1, 500),
    ("methamphetamine", "g", 5, 5000),
    ("tramadol", "tablets", 50, 20000),
    ("cash", "currency", 1000, 90000),
    ("acetic_anhydride", "l", 10, 2000),
    ("tobacco", "kg", 5, 900),
]
CONVEYANCES = ["truck", "private_car", "bus", "rail", "pedestrian"]
DETECTION = ["scanner", "canine", "risk_profile", "intelligence", "random_check"]
PLATES = ["01 KG {n:03d} ABC", "{n:03d} ABC 02", "30 {n:03d} AAA", "{n:04d} AA 01"]
COLUMNS = ["seizure_ref", "occurred_at", "site", "agencies", "detection_method", "conveyance",
           "origin_country", "transit_countries", "destination_country", "distribution",
           "counterpart_country", "evaluation", "commodity", "quantity", "unit", "currency",
           "packaging", "markings", "person1_name", "person1_dob", "person1_nationality",
           "person1_role", "person2_name", "person2_role", "vehicle_plate", "vehicle_country",
           "vehicle_make", "container_number", "phone_number"]  # fmt: skip


def _container(rng: random.Random) -> str:
    """A valid ISO 6346 number (owner code, serial, check digit)."""
    owner = "".join(rng.choice("ABCDEFGHIJKLMNOPRSTVWXYZ") for _ in range(3)) + "U"
    serial = f"{rng.randrange(10**6):06d}"
    values = {ch: v for ch, v in zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ",
              [10, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 23, 24, 25, 26, 27, 28, 29, 30, 31,
               32, 34, 35, 36, 37, 38], strict=True)}  # fmt: skip
    total = sum((values[c] if c.isalpha() else int(c)) * 2**i for i, c in enumerate(owner + serial))
    return f"{owner}{serial}{total % 11 % 10}"


def generate(path: Path, n: int, seed: int, prefix: str) -> int:
    """Write about n rows; returns the exact count."""
    rng = random.Random(seed)
    start = dt.datetime(2024, 1, 1, 6, 0)
    rows = 0
    seizure = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        while rows < n:
            seizure += 1
            when = start + dt.timedelta(minutes=rng.randrange(60 * 24 * 690))
            bilateral = rng.random() < 0.6
            people = rng.random() < 0.85
            head = {
                "seizure_ref": f"{prefix}-{seizure:07d}",
                "occurred_at": when.strftime("%Y-%m-%d %H:%M"),
                "site": "kz-kordai-bcp",
                "agencies": rng.choice(["kz-border-service", "kz-border-service;kz-customs"]),
                "detection_method": rng.choice(DETECTION),
                "conveyance": rng.choice(CONVEYANCES),
                "origin_country": "AF",
                "transit_countries": rng.choice(["TJ;KG", "TJ", "UZ;KG", ""]),
                "destination_country": rng.choice(["RU", "KZ", "BY"]),
                "distribution": "bilateral" if bilateral else "national",
                "counterpart_country": "KG" if bilateral else "",
                "evaluation": rng.choice(["B2", "A1", "C3", "X4"]),
            }
            if people:
                head |= {
                    "person1_name": f"{rng.choice(FAMILY)} {rng.choice(GIVEN)}",
                    "person1_dob": f"{rng.randrange(1960, 2004)}-{rng.randrange(1, 13):02d}",
                    "person1_nationality": rng.choice(["TJ", "KG", "UZ", "KZ"]),
                    "person1_role": rng.choice(["driver", "courier"]),
                }
                if rng.random() < 0.25:
                    head |= {"person2_name": f"{rng.choice(FAMILY)} {rng.choice(GIVEN)}",
                             "person2_role": "passenger"}  # fmt: skip
            if rng.random() < 0.7:
                head |= {
                    "vehicle_plate": rng.choice(PLATES).format(n=rng.randrange(1000)),
                    "vehicle_country": rng.choice(["KG", "KZ", "UZ"]),
                    "vehicle_make": rng.choice(["MAN", "Volvo", "KAMAZ", "Toyota"]),
                }
            if rng.random() < 0.15:
                head["container_number"] = _container(rng)
            if rng.random() < 0.3:
                head["phone_number"] = f"+996 {rng.randrange(500, 800)} {rng.randrange(10**6):06d}"
            for _ in range(min(rng.choice([1, 1, 2, 3]), n - rows)):
                commodity, unit, low, high = rng.choice(COMMODITIES)
                item = {"commodity": commodity, "unit": unit,
                        "quantity": f"{rng.uniform(low, high):.3f}",
                        "currency": "USD" if unit == "currency" else "",
                        "packaging": rng.choice(["bricks", "bags", "tablets in boxes", ""]),
                        "markings": rng.choice(["scorpion logo", "999", "", "", ""])}  # fmt: skip
                writer.writerow([{**head, **item}.get(c, "") for c in COLUMNS])
                rows += 1
    return rows


# Runs one import in a fresh process (as `blonet records_import` does) and measures, besides the
# wall time, the CPU seconds of this process and of its PostgreSQL backend (from /proc), so that
# a figure taken on a busy machine can be read as well.
_DRIVER = r"""
import json, os, sys, time, django
django.setup()
from django.db import connection
from blonet.records.io.imports import import_seizures

def backend_cpu():
    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

path, office, dry_run, method = sys.argv[1], sys.argv[2], sys.argv[3] == "1", sys.argv[4]
content = open(path, "rb").read()
connection.ensure_connection()
b0, c0, w0 = backend_cpu(), time.process_time(), time.perf_counter()
report = import_seizures(actor=None, office=office, content=content,
                         filename=os.path.basename(path), dry_run=dry_run, method=method)
w1, c1, b1 = time.perf_counter(), time.process_time(), backend_cpu()
print(json.dumps({"rows": report.rows_total, "wall_s": w1 - w0, "client_cpu_s": c1 - c0,
                  "db_cpu_s": b1 - b0, "summary": report.lines()[1], "counts": report.counts()}))
"""


def import_once(env: dict[str, str], path: Path, label: str, *, dry_run: bool = False,
                method: str = "bulk") -> dict[str, Any]:  # fmt: skip
    argv = [str(bl.VENV_BIN / "python"), "-c", _DRIVER, str(path), OFFICE,
            "1" if dry_run else "0", method]  # fmt: skip
    res = subprocess.run(argv, env=env, cwd=bl.REPO, capture_output=True, text=True, timeout=1800)
    if res.returncode != 0:
        raise RuntimeError(f"import failed:\n{res.stderr[-3000:]}")
    r = json.loads(res.stdout.strip().splitlines()[-1])
    cpu = r["client_cpu_s"] + r["db_cpu_s"]
    r |= {"label": label, "rows_per_s": round(r["rows"] / r["wall_s"]),
          "rows_per_cpu_s": round(r["rows"] / cpu) if cpu else 0}  # fmt: skip
    print(f"  {label:<24} wall {r['wall_s']:>7.2f} s = {r['rows_per_s']:>5} rows/s | CPU "
          f"{r['client_cpu_s']:.2f} s python + {r['db_cpu_s']:.2f} s postgres = "
          f"{r['rows_per_cpu_s']:>5} rows per CPU-second | {r['summary']}")  # fmt: skip
    return r


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("-n", type=int, default=20000, help="rows in the file (default 20000)")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument(
        "--service-rows",
        type=int,
        default=1000,
        help="rows through the per-seizure service path (0: skip; default 1000)",
    )
    ap.add_argument("--sqlite", action="store_true", help="SQLite in the temporary var dir")
    ap.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    ap.add_argument("--keep", action="store_true", help="keep the temporary var dir and file")
    args = ap.parse_args()
    bl.set_deadline(1800)
    bl.print_machine()
    with bl.temp_var_dir("blonet-bench-import-", keep=args.keep) as var:
        # BLONET_DATABASE_URL is used as it is (migrated, never dropped); without it the
        # dedicated database is dropped and created afresh.
        db_url = (
            None
            if args.sqlite
            else (os.environ.get("BLONET_DATABASE_URL") or bl.recreate_pg_database(PG_DB))
        )
        env = bl.bench_env(var, db_url)
        print(f"database: {db_url or 'sqlite (temporary var dir)'}")
        bl.run_blonet(["migrate", "--no-input", "-v", "0"], env, 600)
        bl.run_blonet(["directory_load"], env)
        path = var / "seizures.csv"
        run_id = int(time.time())  # fresh seizure_refs on a database kept from an earlier run
        rows = generate(path, args.n, args.seed, f"B{run_id}")
        print(f"file: {rows} rows, {path.stat().st_size / 2**20:.1f} MB")
        results = [
            import_once(env, path, "dry run", dry_run=True),
            import_once(env, path, "import"),
            import_once(env, path, "the same file again"),
        ]
        if args.service_rows:
            small = var / "service.csv"
            generate(small, args.service_rows, args.seed + 1, f"S{run_id}")
            results.append(import_once(env, small, "service path", method="service"))
        # The command line gives the same report (and its own rows/s figure).
        out = bl.run_blonet(["records_import", str(path), "--office", OFFICE, "--dry-run"], env)
        print("  blonet records_import --dry-run: " + out.strip().splitlines()[-1])
    rate, per_cpu = results[1]["rows_per_s"], results[1]["rows_per_cpu_s"]
    ok = rate >= TARGET_ROWS_PER_S
    print(f"import: {rate} rows/s wall ({per_cpu} rows per CPU-second, load average "
          f"{bl.machine_info()['loadavg']}); target >= {TARGET_ROWS_PER_S:.0f} rows/s: "
          f"{'PASS' if ok else 'MISS'}")  # fmt: skip
    bl.dump_json(args.json, {"machine": bl.machine_info(), "rows": rows, "results": results})
    return 0 if ok else 1


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
