"""Domain errors and the one mapper that turns every error into an RFC 9457 problem.

Services raise the small hierarchy below; they never know about HTTP. The
handlers at the bottom are the only place that chooses a status code, for API
calls (``application/problem+json``) and pages (a friendly HTML page or, for
401, a redirect to the login form).
"""

from __future__ import annotations

import logging
import sqlite3
import uuid
from dataclasses import dataclass
from typing import Any

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, NotFoundException, ValidationException
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

log = logging.getLogger("digiystava.errors")

PROBLEM_JSON = "application/problem+json"


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


def _read_only(exc: Exception, message: str) -> bool:
    """SQLite's read-only file or folder, or a PostgreSQL server in read-only mode."""
    if isinstance(exc, sqlite3.OperationalError):
        return "readonly database" in message or "read-only" in message
    return exc.__class__.__name__ in ("ReadOnlySQLTransactionError",)


def wants_html(request: Request) -> bool:
    """Pages get HTML errors; the API, the schema and scripts get problem JSON."""
    path = request.url.path
    if path.startswith(("/api/", "/schema", "/health")):
        return False
    return "text/html" in request.headers.get("accept", "")


def problem_response(
    request: Request,
    status: int,
    title: str,
    detail: str,
    errors: list[FieldProblem] | None = None,
    headers: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> Response:
    if status == 401:
        from digiystava.web.session_end import login_redirect, wants_the_login_page

        if wants_the_login_page(request):
            return login_redirect(request)
    if wants_html(request):
        from digiystava.web.rendering import error_page

        return error_page(request, status, detail, errors, headers=headers)
    # NOTE: str() drops the template a page would translate (i18n.Filled): the API answers in English.
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status, "detail": str(detail)}
    if errors:
        body["errors"] = [{"field": e.field, "message": str(e.message)} for e in errors]
    if extra:
        body.update(extra)
    return Response(content=body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _validation_problems(exc: ValidationException) -> list[FieldProblem]:
    problems = []
    for item in exc.extra or []:
        if isinstance(item, dict):
            field = str(item.get("key") or item.get("source") or "body")
            problems.append(FieldProblem(field, str(item.get("message", "invalid value"))))
    return problems


def handle_domain_error(request: Request, exc: DomainError) -> Response:
    return problem_response(request, exc.status, exc.title, exc.detail, exc.errors, exc.headers, exc.extra)


def handle_http_exception(request: Request, exc: HTTPException) -> Response:
    if isinstance(exc, ValidationException):
        problems = _validation_problems(exc)
        if problems:
            return problem_response(
                request, 422, "Invalid input", "; ".join(f"{p.field}: {p.message}" for p in problems), problems
            )
        # No field to name: the body itself could not be read (malformed JSON, bad encoding).
        return problem_response(request, 400, "Malformed request", "The request body is not valid JSON.")
    if isinstance(exc, NotFoundException):
        return problem_response(request, 404, "Not found", "Not found")
    if exc.status_code == 400:
        return problem_response(request, 400, "Malformed request", str(exc.detail))
    titles = {
        401: "Not logged in",
        403: "Not allowed",
        405: "Method not allowed",
        413: "Request too large",
        429: "Too many attempts",
    }
    detail = exc.detail if exc.status_code < 500 else "Internal error"
    return problem_response(request, exc.status_code, titles.get(exc.status_code, detail), detail, headers=exc.headers)


def handle_unexpected(request: Request, exc: Exception) -> Response:
    """Anything else: a 500 problem with a request id; the trace goes to the log only."""
    message = str(exc).lower()
    if isinstance(exc, sqlite3.OperationalError) and "locked" in message:
        return handle_domain_error(request, ServiceBusy())
    if _read_only(exc, message):
        log.error("database read-only path=%s", request.url.path)
        return handle_domain_error(request, DatabaseReadOnly())
    if isinstance(exc, RecursionError) and "deserializing" in message:
        return handle_domain_error(request, NestedTooDeep())
    if "disk is full" in message or "no space left" in message or exc.__class__.__name__ == "DiskFullError":
        log.error("storage full path=%s", request.url.path)
        return handle_domain_error(request, StorageFull())
    request_id = uuid.uuid4().hex[:12]
    log.error("unexpected error request_id=%s path=%s", request_id, request.url.path, exc_info=exc)
    return problem_response(
        request,
        HTTP_500_INTERNAL_SERVER_ERROR,
        "Internal error",
        f"Something went wrong. Quote request id {request_id} to support.",
        extra={"request_id": request_id},
    )


EXCEPTION_HANDLERS = {
    DomainError: handle_domain_error,
    HTTPException: handle_http_exception,
    Exception: handle_unexpected,
}

__all__ = [
    "Conflict",
    "DatabaseReadOnly",
    "DomainError",
    "FieldProblem",
    "Forbidden",
    "InvalidInput",
    "InvalidRows",
    "NotAuthenticated",
    "NotFound",
    "SecondFactorNeeded",
    "ServiceBusy",
    "TooManyAttempts",
    "UnsupportedMediaType",
    "EXCEPTION_HANDLERS",
    "MediaType",
]


PROBLEM_STATUSES = {
    "400": "Malformed request",
    "401": "Not logged in",
    "403": "Role not allowed",
    "404": "Missing or outside the caller's scope",
    "409": "Conflict with the current state",
    "413": "Request too large",
    "422": "Invalid input, naming the field",
    "429": "Too many attempts",
    "503": "Busy, or the database cannot be written; try again",
}


def document_problems(app) -> None:
    """Add the problem-detail answers every operation can give to the published OpenAPI schema."""
    from litestar.openapi.spec import Components, OpenAPIMediaType, OpenAPIResponse, OpenAPIType, Reference, Schema

    problem = Schema(
        type=OpenAPIType.OBJECT,
        required=["title", "status", "detail"],
        properties={
            "type": Schema(type=OpenAPIType.STRING),
            "title": Schema(type=OpenAPIType.STRING),
            "status": Schema(type=OpenAPIType.INTEGER),
            "detail": Schema(type=OpenAPIType.STRING),
            "errors": Schema(type=OpenAPIType.ARRAY, items=Schema(type=OpenAPIType.OBJECT)),
            "request_id": Schema(type=OpenAPIType.STRING),
            "second_factor": Schema(
                type=OpenAPIType.STRING,
                enum=["code", "enrol"],
                description="Login only (401): the password was right; send the code in otp, or set two-step "
                "verification up on the login page.",
            ),
        },
        title="Problem",
        description="RFC 9457 problem details",
    )
    schema = app.openapi_schema
    schema.components = schema.components or Components()
    schema.components.schemas = {**(schema.components.schemas or {}), "Problem": problem}
    problem_ref = Reference(ref="#/components/schemas/Problem")
    bodies: set[str] = set()
    for path_item in (schema.paths or {}).values():
        for method in ("get", "put", "post", "delete", "patch"):
            operation = getattr(path_item, method, None)
            if operation is None:
                continue
            if operation.request_body is not None:
                for media in (operation.request_body.content or {}).values():
                    ref = getattr(media.schema, "ref", None) or getattr(
                        getattr(media.schema, "items", None), "ref", None
                    )
                    if ref:
                        bodies.add(ref.rsplit("/", 1)[-1])
            operation.responses = operation.responses or {}
            for status, description in PROBLEM_STATUSES.items():
                operation.responses[status] = OpenAPIResponse(
                    description=description, content={PROBLEM_JSON: OpenAPIMediaType(schema=problem_ref)}
                )
            if "415" in operation.responses:  # an endpoint that takes one media type only (login)
                operation.responses["415"] = OpenAPIResponse(
                    description=operation.responses["415"].description,
                    content={PROBLEM_JSON: OpenAPIMediaType(schema=problem)},
                )
    # Request models refuse unknown fields (extra="forbid"); say so in the schema.
    components = schema.components.schemas if schema.components and schema.components.schemas else {}
    for name in bodies:
        if name in components:
            components[name].additional_properties = False
