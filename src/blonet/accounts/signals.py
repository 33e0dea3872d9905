"""Logins and failed logins are audited (no password, no personal data beyond the username)."""

from __future__ import annotations

from typing import Any

from allauth.mfa import signals as mfa_signals
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from blonet.audit.services import audit_event_record


@receiver(user_logged_in)
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_event_record(actor=user, action="accounts.login", target=user)


@receiver(user_logged_out)
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_event_record(actor=user, action="accounts.logout", target=user)


@receiver(user_login_failed)
def _login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kw: Any) -> None:
    username = str(credentials.get("username") or credentials.get("login") or "")[:150]
    audit_event_record(actor=None, action="accounts.login_failed", data={"username": username})


@receiver(mfa_signals.authentication_failed)
def _mfa_failed(sender: Any, user: Any, authenticator: Any = None, **kwargs: Any) -> None:
    audit_event_record(
        actor=None,
        action="accounts.mfa_failed",
        target=user,
        data={"authenticator": getattr(authenticator, "type", "")},
    )


def _mfa_changed(action: str) -> Any:
    def handler(sender: Any, user: Any, authenticator: Any = None, **kwargs: Any) -> None:
        audit_event_record(
            actor=user,
            action=action,
            target=user,
            data={"authenticator": getattr(authenticator, "type", "")},
        )

    return handler


mfa_signals.authenticator_added.connect(
    _mfa_changed("accounts.mfa_added"), weak=False, dispatch_uid="blonet.mfa_added"
)
mfa_signals.authenticator_removed.connect(
    _mfa_changed("accounts.mfa_removed"), weak=False, dispatch_uid="blonet.mfa_removed"
)
