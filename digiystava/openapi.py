"""The published OpenAPI document says what the server really does.

Litestar builds the document from the handlers and the pydantic models; this
module adds what it cannot know: times of day (it would say "duration"), the
bounds of ids in paths and query strings, the token that scripts sign in with,
and the documents that are not JSON.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar.openapi.spec import Components, OpenAPIMediaType, OpenAPIType, Schema, SecurityScheme
from litestar.plugins import OpenAPISchemaPlugin
from litestar.routes import HTTPRoute

from digiystava.accounts.authentication import SESSION_COOKIE
from digiystava.schemas import MAX_ID, ONE_LINE, TIME_PATTERN, PublishedPattern
from digiystava.web.downloads import MEDIA_TYPES


class TimeOfDaySchema(OpenAPISchemaPlugin):
    """Every ``datetime.time`` of the API is a local time of day in Helsinki, written HH:MM."""

    @staticmethod
    def is_plugin_supported_type(value: Any) -> bool:
        return value is dt.time

    def to_openapi_schema(self, field_definition: Any, schema_creator: Any) -> Schema:
        return Schema(
            type=OpenAPIType.STRING,
            pattern=TIME_PATTERN,
            description="local time of day in Helsinki, HH:MM",
            examples=["13:00"],
        )


class DatePatternSchema(OpenAPISchemaPlugin):
    """A request's date (``schemas.Date``) is published as ISO text with the pattern that bounds it."""

    def is_plugin_supported_field(self, field_definition: Any) -> bool:
        return field_definition.annotation is dt.date and field_definition.has_metadata(PublishedPattern)

    def to_openapi_schema(self, field_definition: Any, schema_creator: Any) -> Schema:
        published = field_definition.get_from_metadata(PublishedPattern)
        return Schema(type=OpenAPIType.STRING, format="date", pattern=published.pattern)  # type: ignore[arg-type]


def bound_parameters(schema: Any) -> None:
    """Integers in paths and query strings fit PostgreSQL's integer, and text is one line without
    control characters: ``InputBoundsMiddleware`` refuses the rest before any handler runs."""
    for path_item in (schema.paths or {}).values():
        for operation in _operations(path_item):
            for parameter in operation.parameters or []:
                param_schema = getattr(parameter, "schema", None)
                for candidate in [param_schema, *(getattr(param_schema, "one_of", None) or [])]:
                    if isinstance(candidate, Schema) and candidate.type == OpenAPIType.INTEGER:
                        if candidate.maximum is None:
                            candidate.maximum = MAX_ID
                        if candidate.minimum is None:
                            candidate.minimum = -MAX_ID
                    if (
                        isinstance(candidate, Schema)
                        and candidate.type == OpenAPIType.STRING
                        and not candidate.enum
                        and not candidate.pattern
                    ):
                        candidate.pattern = ONE_LINE
                    if (
                        isinstance(candidate, Schema)
                        and candidate.type == OpenAPIType.ARRAY
                        and isinstance(candidate.items, Schema)
                    ):
                        if candidate.items.type == OpenAPIType.INTEGER and candidate.items.maximum is None:
                            candidate.items.maximum, candidate.items.minimum = MAX_ID, -MAX_ID


def _operations(path_item: Any) -> list[Any]:
    return [
        op for op in (getattr(path_item, m, None) for m in ("get", "put", "post", "delete", "patch")) if op is not None
    ]


JSON = "application/json"


def _bare(media_type: str) -> str:
    return media_type.split(";", 1)[0].strip()


def _document_schema(media_type: str) -> Schema:
    """Text formats are strings; PDFs, ZIPs and other binaries are bytes."""
    if media_type.startswith("text/"):
        return Schema(type=OpenAPIType.STRING)
    return Schema(type=OpenAPIType.STRING, format="binary")  # type: ignore[arg-type]


def document_answers(app: Any) -> None:
    """Each operation's answers as they are sent, and how a caller signs in.

    - A handler that sends a document (``media_type`` PDF, CSV, calendar, ZIP) is documented with that type, not JSON.
    - A handler that answers several formats names them in ``opt["formats"]`` (``{"pdf": "application/pdf"}``):
      the JSON answer keeps its model, each other format its own media type.
    - Scripts sign in with ``Authorization: Bearer TOKEN``, the pages with the session cookie;
      public operations (``opt["public"]``) need neither.
    """

    schema = app.openapi_schema
    schema.components = schema.components or Components()
    schema.components.security_schemes = {
        "bearer": SecurityScheme(
            type="http",
            scheme="bearer",
            description="an API token from POST /api/v1/me/tokens or `digiystava user token`",
        ),
        "session": SecurityScheme(
            type="apiKey",
            security_scheme_in="cookie",
            name=SESSION_COOKIE,
            description="the pages' session; unsafe requests also send X-CSRFToken",
        ),
    }
    schema.security = [{"bearer": []}, {"session": []}]
    _distinct_titles(schema.components.schemas or {})
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        path_item = (schema.paths or {}).get(route.path_format)
        if path_item is None:
            continue
        for handler in route.route_handlers:
            for method in handler.http_methods:
                operation = getattr(path_item, method.lower(), None)
                if operation is None:
                    continue
                if handler.opt.get("public"):
                    operation.security = []
                _document_formats(operation, handler, route.path_format, OpenAPIMediaType)


def _document_formats(operation: Any, handler: Any, path: str, media_class: Any) -> None:
    status = str(handler.status_code)
    response = (operation.responses or {}).get(status)
    if response is None or not getattr(response, "content", None):
        return
    declared = _bare(str(getattr(handler.media_type, "value", handler.media_type)))
    extension = "." + path.rsplit(".", 1)[-1] if "." in path.rsplit("/", 1)[-1] else ""
    # A path that names its file type answers that type (one handler may serve .csv and .xlsx).
    declared = MEDIA_TYPES.get(extension, declared)
    formats: dict[str, str] = handler.opt.get("formats", {})
    content: dict[str, Any] = {}
    if declared in (JSON, ""):  # "": a handler returning a Response of a model, sent as JSON
        json_media = response.content.get(JSON)
        model = json_media.schema if json_media is not None else None
        alternatives = getattr(model, "one_of", None)
        if alternatives:
            # Litestar lists the other formats as empty schemas no answer could meet: keep the model.
            model = next(a for a in alternatives if getattr(a, "ref", None) or getattr(a, "type", None))
        content[JSON] = media_class(schema=model)
    else:
        content[declared] = media_class(schema=_document_schema(declared))
    for media_type in formats.values():
        content[_bare(media_type)] = media_class(schema=_document_schema(_bare(media_type)))
    response.content = content


def _distinct_titles(components: dict[str, Any]) -> None:
    """Two models of one name (``ImportResult`` of tablets and of assessments) get their distinct keys as titles:
    client generators name their classes by the title and would drop one."""
    seen: dict[str, list[str]] = {}
    for key, component in components.items():
        seen.setdefault(getattr(component, "title", None) or key, []).append(key)
    for keys in seen.values():
        if len(keys) > 1:
            for key in keys:
                components[key].title = key
