"""`nats_lab`: real nats-servers (hub REG, leaves KZ, KG, UZ) on free loopback ports in tmp_path.

No Django database: the transport is pure Python.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from blonet.federation.nats.lab import Lab


@pytest.fixture
def nats_lab(tmp_path: Path) -> Iterator[Lab]:
    lab = Lab(tmp_path / "nats", nodes=("REG", "KZ", "KG", "UZ"), hub="REG")
    try:
        yield lab
    finally:
        lab.stop()
