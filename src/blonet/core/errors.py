"""One error hierarchy; the API renders each as the same JSON shape."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


def error_body(code: str, message: str, fields: dict[str, list[str]] | None = None) -> dict:
    """The one error shape of the API and JSON error pages: {"error": {code, message, fields}}."""
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


class BlonetError(Exception):
    code = "error"
    default_message = _("Something went wrong.")
    status = 400

    def __init__(self, message: str | None = None, *, fields: dict[str, list[str]] | None = None):
        self.message = str(message or self.default_message)
        self.fields = fields or {}
        super().__init__(self.message)


class NotFound(BlonetError):
    """A missing object and a hidden object give the same answer."""

    code = "not_found"
    default_message = _("Not found.")
    status = 404


class PermissionDenied(BlonetError):
    code = "permission_denied"
    default_message = _("You may not do this.")
    status = 403


class ValidationError(BlonetError):
    code = "invalid"
    default_message = _("The input is not valid.")
    status = 400
