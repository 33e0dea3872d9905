"""Freight container numbers (ISO 6346): owner code, category, serial number, check digit."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["ContainerCheck", "container_check_digit", "normalize_container", "validate_container"]

_SHAPE = re.compile(r"^[A-Z]{3}[UJZR]\d{6}\d?$")


def _letter_values() -> dict[str, int]:
    # A=10 upwards, skipping multiples of 11 (11, 22, 33)
    values: dict[str, int] = {}
    v = 10
    for ch in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        if v % 11 == 0:
            v += 1
        values[ch] = v
        v += 1
    return values


_VALUES = _letter_values()


def normalize_container(number: str) -> str:
    """Upper case with spaces, dashes and slashes removed (``CSQU 305438-3`` -> ``CSQU3054383``)."""
    return re.sub(r"[^0-9A-Z]", "", (number or "").upper())


def container_check_digit(first10: str) -> int:
    """Check digit of the first ten characters (owner code, category, six-digit serial)."""
    total = 0
    for i, ch in enumerate(first10):
        value = int(ch) if ch.isdigit() else _VALUES[ch]
        total += value * (1 << i)
    return total % 11 % 10


@dataclass(frozen=True, slots=True)
class ContainerCheck:
    number: str  # normalised
    valid: bool
    reason: str  # "" when valid
    expected_check_digit: int | None = None


def validate_container(number: str) -> ContainerCheck:
    """Validate an ISO 6346 container number; never raises."""
    n = normalize_container(number)
    if not _SHAPE.match(n):
        return ContainerCheck(n, False, "not of the form AAAU1234567 (owner, category, serial)")
    expected = container_check_digit(n[:10])
    if len(n) == 10:
        return ContainerCheck(n, False, "check digit missing", expected)
    if int(n[10]) != expected:
        return ContainerCheck(
            n, False, f"check digit {n[10]} is wrong, expected {expected}", expected
        )
    return ContainerCheck(n, True, "", expected)
