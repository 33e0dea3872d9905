"""In-process probes of the register for `bench/records_latency.py` (run with Django set up).

    python bench/records/probe.py samples USERNAME
    python bench/records/probe.py queries USERNAME TOKEN URL...
    python bench/records/probe.py selector USERNAME N QUERYSTRING...
    python bench/records/probe.py explain USERNAME QUERYSTRING...
    python bench/records/probe.py api USERNAME TOKEN N exact|capped URL...
    python bench/records/probe.py cpu USERNAME TOKEN N URL...

`samples` picks real search terms and ids from the database (a plate, a Latin and a Cyrillic
family name, seizures the user may see); `queries` counts the SQL queries and SQL time of each URL
through the Django test client; `selector` times `SeizureFilter(...).qs` + the list page's
paginator without HTTP; `api` times API URLs through the test client in process, with the
API's own paginator or with `core.listing.CappedPagination` (what switching to it would give);
`cpu` measures the CPU time each URL costs, in this process (Django) and in its PostgreSQL
backend (from /proc), through the test client: on a machine shared with other work the wall
time includes waiting for a core, the CPU time does not; `explain` prints EXPLAIN ANALYZE
of each list page's row and count queries (PostgreSQL). Each prints one JSON document
(explain: text) on the last line.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any
from urllib.parse import parse_qsl

import django

django.setup()

from django.db import connection  # noqa: E402
from django.http import QueryDict  # noqa: E402
from django.test import Client  # noqa: E402

from blonet.accounts.models import User  # noqa: E402
from blonet.core.listing import PAGE_SIZE, paginator_for  # noqa: E402
from blonet.records.filters import SeizureFilter  # noqa: E402
from blonet.records.models import Person, Seizure, Vehicle  # noqa: E402
from blonet.records.selectors import seizure_list_visible_to  # noqa: E402


def _user(name: str) -> User:
    return User.objects.get(username=name)


def samples(username: str) -> dict[str, Any]:
    user = _user(username)
    visible = seizure_list_visible_to(user=user)
    # Seizures spread over the whole table: every 997th visible one, newest first.
    newest = visible.order_by("-occurred_at").values_list("pk", flat=True)[:30_000]
    ids = [str(pk) for pk in list(newest)[::997]]
    vehicle = (
        Vehicle.objects.visible_to(user)
        .filter(country="KG", involvements__seizure__isnull=False)
        .order_by("plate_normalised")
        .first()
    )
    latin = (
        Person.objects.visible_to(user).filter(nationality="UZ", family_name__regex=r"^[A-Z]")
        .order_by("family_name").values_list("family_name", flat=True).first()
    )  # fmt: skip
    cyrillic = (
        Person.objects.visible_to(user).filter(nationality="KG", family_name__regex=r"^[А-Я]")
        .order_by("family_name").values_list("family_name", flat=True).first()
    )  # fmt: skip
    return {
        "seizures": Seizure.objects.count(),
        "visible": None,  # counting a million rows is what the pages avoid; not needed here
        "ids": ids,
        "plate": vehicle.plate if vehicle else "",
        "latin": latin or "",
        "cyrillic": cyrillic or "",
        "vendor": connection.vendor,
    }


def queries(username: str, token: str, urls: list[str]) -> dict[str, Any]:
    spent: list[float] = []

    def timer(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent.append(time.perf_counter() - t0)

    html = Client()
    html.force_login(_user(username))
    api = Client(HTTP_AUTHORIZATION=f"Token {token}")
    out: dict[str, Any] = {}
    for url in urls:
        client = api if url.startswith("/api/") else html
        client.get(url)  # fills caches (content types, translations, site names)
        spent.clear()
        with connection.execute_wrapper(timer):
            r = client.get(url)
        out[url] = {
            "status": r.status_code,
            "queries": len(spent),
            "sql_ms": round(sum(spent) * 1000, 1),
            "bytes": len(r.content),
        }
    return out


def _filtered(username: str, querystring: str) -> Any:
    params = QueryDict(querystring)
    f = SeizureFilter(params or None, queryset=seizure_list_visible_to(user=_user(username)))
    if f.is_bound and not f.is_valid():
        raise SystemExit(f"invalid filter {querystring!r}: {f.errors}")
    return f.qs


def selector(username: str, n: int, querystrings: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for qs_text in querystrings:
        times: list[float] = []
        for _ in range(n + 2):
            t0 = time.perf_counter()
            rows = _filtered(username, qs_text)
            paginator = paginator_for(rows, PAGE_SIZE, search="q=" in qs_text)
            page = paginator.get_page(1)
            list(page.object_list)
            _total = paginator.count
            times.append((time.perf_counter() - t0) * 1000)
        s = sorted(times[2:])
        out[qs_text or "(none)"] = {
            "p50_ms": round(s[len(s) // 2], 1),
            "p95_ms": round(s[min(len(s) - 1, int(len(s) * 0.95))], 1),
        }
    return out


def explain(username: str, querystrings: list[str]) -> str:
    lines: list[str] = []
    for qs_text in querystrings:
        rows = _filtered(username, qs_text)
        paginator = paginator_for(rows, PAGE_SIZE)
        page_qs = rows[:PAGE_SIZE]
        for label, sql_qs in (("page", page_qs), ("count", paginator.count_queryset())):
            sql, params = sql_qs.query.sql_with_params()
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
                plan = "\n".join(r[0] for r in cursor.fetchall())
            lines.append(f"===== {qs_text or '(none)'} [{label}]\n{plan}")
    return "\n".join(lines)


def api(username: str, token: str, n: int, mode: str, urls: list[str]) -> dict[str, Any]:
    if mode == "capped":
        from blonet.core.listing import CappedPagination
        from blonet.records.api.views import IncidentViewSet, SeizureViewSet

        SeizureViewSet.pagination_class = CappedPagination
        IncidentViewSet.pagination_class = CappedPagination
    client = Client(HTTP_AUTHORIZATION=f"Token {token}")
    out: dict[str, Any] = {}
    for url in urls:
        client.get(url)
        times = []
        for _ in range(n):
            t0 = time.perf_counter()
            r = client.get(url)
            times.append((time.perf_counter() - t0) * 1000)
        s = sorted(times)
        out[url] = {
            "status": r.status_code,
            "p50_ms": round(s[len(s) // 2], 1),
            "p95_ms": round(s[min(len(s) - 1, int(len(s) * 0.95))], 1),
            "count": r.json().get("count") if r.status_code == 200 else None,
        }
    return out


def _backend_cpu() -> float:
    """CPU seconds of this connection's PostgreSQL backend (0 elsewhere)."""
    import os

    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    with open(f"/proc/{pid}/stat") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu(username: str, token: str, n: int, urls: list[str]) -> dict[str, Any]:
    html = Client()
    html.force_login(_user(username))
    api = Client(HTTP_AUTHORIZATION=f"Token {token}")
    out: dict[str, Any] = {}
    for url in urls:
        client = api if url.startswith("/api/") else html
        client.get(url)
        django_ms, db_ms, wall_ms = [], [], []
        for _ in range(n):
            b0, c0, w0 = _backend_cpu(), time.process_time(), time.perf_counter()
            r = client.get(url)
            w1, c1, b1 = time.perf_counter(), time.process_time(), _backend_cpu()
            django_ms.append((c1 - c0) * 1000)
            db_ms.append((b1 - b0) * 1000)
            wall_ms.append((w1 - w0) * 1000)
        med = lambda v: round(sorted(v)[len(v) // 2], 1)  # noqa: E731
        out[url] = {"status": r.status_code, "django_cpu_ms": med(django_ms),
                    "db_cpu_ms": med(db_ms), "wall_ms": med(wall_ms)}  # fmt: skip
    return out


def main(argv: list[str]) -> None:
    command, username, *rest = argv
    if command == "samples":
        print(json.dumps(samples(username)))
    elif command == "queries":
        print(json.dumps(queries(username, rest[0], rest[1:])))
    elif command == "selector":
        print(json.dumps(selector(username, int(rest[0]), rest[1:])))
    elif command == "api":
        print(json.dumps(api(username, rest[0], int(rest[1]), rest[2], rest[3:])))
    elif command == "cpu":
        print(json.dumps(cpu(username, rest[0], int(rest[1]), rest[2:])))
    elif command == "explain":
        print(explain(username, rest))
    else:
        raise SystemExit(f"unknown probe {command!r}")


if __name__ == "__main__":
    main(sys.argv[1:])

_ = parse_qsl  # (kept for ad-hoc use from a shell)
