"""Fixtures of the federation tests."""

import os

import pytest

from .conftest_nats import nats_lab

__all__ = ["nats_lab"]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # The lab's nodes run in their own processes on their own SQLite databases, whatever the
    # tier: running them again in the PostgreSQL tier would test nothing new.
    if os.environ.get("BLONET_TEST_TIER") != "postgres":
        return
    once = pytest.mark.skip(reason="lab tests run once, in the SQLite tier (own databases)")
    for item in items:
        if item.nodeid.startswith("tests/federation/test_lab_faults.py"):
            item.add_marker(once)
