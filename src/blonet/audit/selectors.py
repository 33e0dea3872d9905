from __future__ import annotations

from collections.abc import Iterator

from blonet.audit.chain import Break, ChainRow, verify
from blonet.audit.models import AuditEvent


def audit_chain_rows(batch_size: int = 5000) -> Iterator[ChainRow]:
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=batch_size):
        yield ChainRow(
            seq=event.seq,
            prev_hash=event.prev_hash,
            hash=event.hash,
            content=event.chain_content(),
        )


def audit_chain_verify() -> tuple[int, Break | None]:
    """(number of rows checked, first break or None)."""
    count = 0

    def counted() -> Iterator[ChainRow]:
        nonlocal count
        for row in audit_chain_rows():
            count += 1
            yield row

    broken = verify(counted())
    return count, broken
