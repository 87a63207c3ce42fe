"""Domain errors: the small hierarchy services raise on purpose.

Services never know about HTTP; each error carries the status it stands for, and
``digiystava/web/problems.py`` is the one place that turns it into an answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class FieldProblem:
    field: str
    message: str


class DomainError(Exception):
    """Base of every error a service raises on purpose."""

    status = 400
    title = "Bad request"

    def __init__(
        self,
        detail: str = "",
        *,
        errors: list[FieldProblem] | None = None,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ):
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.errors = errors or []
        self.headers = headers or {}
        self.extra = extra or {}


class NotAuthenticated(DomainError):
    """No valid session or token."""

    status, title = 401, "Not logged in"


class SecondFactorNeeded(NotAuthenticated):
    """The password was right; the account's second step (``code`` or ``enrol``) is still to come."""

    def __init__(self, step: str, detail: str):
        super().__init__(detail, extra={"second_factor": step})


class Forbidden(DomainError):
    """The caller's role may not do this at all."""

    status, title = 403, "Not allowed"


class NotFound(DomainError):
    """Missing, or outside the caller's scope (the two look the same on purpose)."""

    status, title = 404, "Not found"


class Conflict(DomainError):
    """The request conflicts with the current state."""

    status, title = 409, "Conflict"


class InvalidInput(DomainError):
    """A field's value is not acceptable."""

    status, title = 422, "Invalid input"

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}", errors=[FieldProblem(field, message)])


class InvalidRows(DomainError):
    """Several fields (or rows of an upload) are not acceptable."""

    status, title = 422, "Invalid input"


class UnsupportedMediaType(DomainError):
    """The body is not in a format this endpoint takes."""

    status, title = 415, "Unsupported media type"


class TooManyAttempts(DomainError):
    """Too many failed attempts; try again later."""

    status, title = 429, "Too many attempts"

    def __init__(self, retry_after: int):
        super().__init__("Too many failed attempts. Try again later.", headers={"Retry-After": str(retry_after)})


class StorageFull(DomainError):
    """The disk (or database file) is full; nothing was written."""

    status, title = 507, "Storage full"

    def __init__(self) -> None:
        super().__init__("The server's storage is full. Nothing was saved; tell the administrator.")


class ServiceBusy(DomainError):
    """The database stayed locked beyond its timeout."""

    status, title = 503, "Busy, try again"

    def __init__(self) -> None:
        super().__init__("The service is busy. Try again in a moment.", headers={"Retry-After": "2"})


class DatabaseReadOnly(DomainError):
    """The database cannot be written (a read-only file, folder or server); nothing was saved."""

    status, title = 503, "Database read-only"

    def __init__(self) -> None:
        super().__init__(
            "The database cannot be written just now. Nothing was saved; tell the administrator.",
            headers={"Retry-After": "60"},
        )


class NestedTooDeep(DomainError):
    """A JSON body nested deeper than the parser goes (no record of the API is)."""

    status, title = 400, "Malformed request"

    def __init__(self) -> None:
        super().__init__("The request body is nested too deeply.")


__all__ = [
    "Conflict",
    "DatabaseReadOnly",
    "DomainError",
    "FieldProblem",
    "Forbidden",
    "InvalidInput",
    "InvalidRows",
    "NestedTooDeep",
    "NotAuthenticated",
    "NotFound",
    "SecondFactorNeeded",
    "ServiceBusy",
    "StorageFull",
    "TooManyAttempts",
    "UnsupportedMediaType",
]
