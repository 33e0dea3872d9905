"""Small helpers shared by tests."""

from __future__ import annotations

import time


def totp_code(secret: str) -> str:
    """The current TOTP code for a secret, as an authenticator app would show it."""
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))
