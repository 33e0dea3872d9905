"""Small display filters of the records pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

register = template.Library()


@register.filter
def plain(value: Any) -> str:
    """A decimal without trailing zeros or exponent: 12.500 -> 12.5, 800.000 -> 800."""
    if value is None or value == "":
        return ""
    if not isinstance(value, Decimal):
        try:
            value = Decimal(str(value))
        except ArithmeticError:
            return str(value)
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
