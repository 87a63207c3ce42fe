"""The one mapper that turns every error into an RFC 9457 problem, or a page.

Services raise the domain errors of ``digiystava/errors.py``; the handlers here are
the only place that chooses a status code, for API calls (``application/problem+json``)
and pages (a friendly HTML page or, for 401, a redirect to the login form).
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException, NotFoundException, ValidationException
from litestar.openapi.spec import Components, OpenAPIMediaType, OpenAPIResponse, OpenAPIType, Reference, Schema
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from digiystava import db
from digiystava.errors import DatabaseReadOnly, DomainError, FieldProblem, NestedTooDeep, ServiceBusy, StorageFull
from digiystava.i18n import N_
from digiystava.web.rendering import error_page
from digiystava.web.session_end import login_redirect, wants_the_login_page

log = logging.getLogger("digiystava.errors")

PROBLEM_JSON = "application/problem+json"


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
    if status == 401 and wants_the_login_page(request):
        return login_redirect(request)
    if wants_html(request):
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


def _too_large(request: Request) -> str:
    """What may be sent to this route, named: a person cannot act on "try again"."""
    limit = request.route_handler.resolve_request_max_body_size() or 0
    return N_(
        "At most {megabytes} MB can be sent at once. "
        "Split a large file into smaller files and send them one at a time.",
        megabytes=max(1, round(limit / (1024 * 1024))),
    )


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
    if exc.status_code == 413:
        return problem_response(request, 413, "Request too large", _too_large(request))
    titles = {
        401: "Not logged in",
        403: "Not allowed",
        405: "Method not allowed",
        429: "Too many attempts",
    }
    detail = exc.detail if exc.status_code < 500 else "Internal error"
    return problem_response(request, exc.status_code, titles.get(exc.status_code, detail), detail, headers=exc.headers)


def handle_unexpected(request: Request, exc: Exception) -> Response:
    """Anything else: a 500 problem with a request id; the trace goes to the log only."""
    if db.is_locked(exc):
        return handle_domain_error(request, ServiceBusy())
    if db.is_read_only(exc):
        log.error("database read-only path=%s", request.url.path)
        return handle_domain_error(request, DatabaseReadOnly())
    if isinstance(exc, RecursionError) and "deserializing" in str(exc):
        return handle_domain_error(request, NestedTooDeep())
    if db.is_disk_full(exc):
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
                description="Login only (401): the password was right; send the code in otp, "
                "or set two-step verification up on the login page.",
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
