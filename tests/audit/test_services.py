from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.utils import DatabaseError

from blonet.audit.models import AuditEvent
from blonet.audit.services import audit_event_record

pytestmark = pytest.mark.django_db


def record(n: int) -> None:
    for i in range(n):
        audit_event_record(actor=None, action="test.event", target_id=str(i), data={"i": i})


def raw(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_events_chain_and_verify():
    record(5)
    assert list(AuditEvent.objects.values_list("seq", flat=True)) == [1, 2, 3, 4, 5]
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    assert "intact: 5 rows" in out.getvalue()


@pytest.mark.parametrize(
    ("tamper", "named"),
    [
        ("""UPDATE audit_auditevent SET data = '{"i": 99}' WHERE seq = 3""", "row 3"),
        ("DELETE FROM audit_auditevent WHERE seq = 2", "row 3"),
        ("UPDATE audit_auditevent SET action = 'x' WHERE seq = 4", "row 4"),
    ],
)
def test_verify_names_the_tampered_row(tamper, named):
    if connection.vendor == "postgresql":
        pytest.xfail("PostgreSQL refuses the edit itself; see test_postgres_refuses_edits")
    record(5)
    raw(tamper, [])
    with pytest.raises(CommandError, match=f"BROKEN at audit {named}"):
        call_command("audit_verify", stdout=io.StringIO())


def test_verify_finds_swapped_rows():
    if connection.vendor == "postgresql":
        pytest.xfail("PostgreSQL refuses the edit itself")
    record(4)
    raw("UPDATE audit_auditevent SET seq = 1000 WHERE seq = 2", [])
    raw("UPDATE audit_auditevent SET seq = 2 WHERE seq = 3", [])
    raw("UPDATE audit_auditevent SET seq = 3 WHERE seq = 1000", [])
    with pytest.raises(CommandError, match="BROKEN at audit row 2"):
        call_command("audit_verify", stdout=io.StringIO())


@pytest.mark.postgres
def test_postgres_refuses_edits():
    record(2)
    for sql in (
        "UPDATE audit_auditevent SET action = 'x' WHERE seq = 1",
        "DELETE FROM audit_auditevent WHERE seq = 1",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            raw(sql, [])
    assert AuditEvent.objects.count() == 2
