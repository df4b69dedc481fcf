"""One error family for the whole system.

Services raise a ``DomainError`` subclass; the API renders it as
``{"code", "message", "fields"}`` with its HTTP status, and web forms show the same message
next to the field it names.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    code: str = "ERROR"
    status: int = 400
    default_message: str | Promise = _("The request could not be completed.")

    def __init__(
        self,
        message: str | Promise | None = None,
        *,
        field: str | None = None,
        fields: Mapping[str, str | Promise] | None = None,
        code: str | None = None,
        retry_after: int | None = None,
    ) -> None:
        self.message = message if message is not None else self.default_message
        # Seconds until trying again may succeed (a rate limit, a lock): Retry-After.
        self.retry_after = retry_after
        if code:
            self.code = code
        self.fields: dict[str, str | Promise] = dict(fields or {})
        if field:
            self.fields.setdefault(field, self.message)
        super().__init__(str(self.message))

    @property
    def headers(self) -> dict[str, str]:
        """HTTP headers an answer carrying this error sends."""
        return {"Retry-After": str(self.retry_after)} if self.retry_after else {}

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "message": str(self.message),
            "fields": {k: str(v) for k, v in self.fields.items()},
        }


class ValidationFailed(DomainError):
    code = "VALIDATION_FAILED"
    status = 422
    default_message = _("Some answers need correcting.")


class NotFound(DomainError):
    code = "NOT_FOUND"
    status = 404
    default_message = _("Not found.")


class PermissionDenied(DomainError):
    code = "PERMISSION_DENIED"
    status = 403
    default_message = _("You do not have permission to do this.")


class Conflict(DomainError):
    code = "CONFLICT"
    status = 409
    default_message = _("This conflicts with the current state.")


class RateLimited(DomainError):
    code = "RATE_LIMITED"
    status = 429
    default_message = _("Too many attempts. Wait a few minutes and try again.")
