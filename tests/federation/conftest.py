"""Fixtures of the federation tests."""

from .conftest_nats import nats_lab

__all__ = ["nats_lab"]
