"""Cross-cutting response rules: security headers, no caching of personal data, the page language."""

from __future__ import annotations

import logging
import re
import time
from typing import Any, cast
from urllib.parse import parse_qsl

from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.routes import HTTPRoute
from litestar.types import ASGIApp, HTTPResponseStartEvent, HTTPScope, Message, Receive, Scope, Send

from cohorts.courses.status import start_due_cohorts
from digiystava import clock, i18n
from digiystava.errors import InvalidInput, NotFound
from digiystava.paging import kept_totals
from digiystava.read_cache import NOTHING_KEPT, Reading
from digiystava.schemas import MAX_ID
from digiystava.table_versions import recording

access_log = logging.getLogger("digiystava.access")
calendar_log = logging.getLogger("digiystava.calendar")
# The app state's key for the Helsinki date whose due cohorts have been started.
CHECKED_ON = "calendar_checked_on"

# Unicode's control characters (category Cc), found without a call per character.
CONTROL_CHARACTER = re.compile("[\x00-\x1f\x7f-\x9f]")

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)

SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]


async def security_headers(message: Message, scope: Scope) -> None:
    """Adds the headers to every response, error pages included (a hook on ``send``,
    so the router's own 404 and 405 answers get them too).

    Everything but the static assets is ``no-store``: nearly every page and
    API answer may hold someone's personal data.
    """
    if message["type"] != "http.response.start":
        return
    static = scope.get("path", "").startswith("/static/")
    headers = []
    for key, value in message.get("headers", []):
        if key.lower() == b"cache-control" and not static:
            continue
        if key.lower() == b"content-type":
            value = _one_charset(value)
        headers.append((key, value))
    headers.extend(SECURITY_HEADERS)
    headers.append((b"cache-control", b"public, max-age=3600" if static else b"no-store"))
    message["headers"] = headers


async def allow_every_method(message: Message, scope: Scope) -> None:
    """The automatic OPTIONS answer names every method of the path.

    Litestar's names only those of the first handler registered on a path
    (``OPTIONS, POST`` where GET exists too); the app's route table knows them all.
    """
    if message["type"] != "http.response.start" or scope.get("method") != "OPTIONS" or message["status"] != 204:
        return
    app = scope["app"]
    allowed = app.state.get("allow_by_path")
    if allowed is None:
        allowed = app.state["allow_by_path"] = {
            route.path_format: ", ".join(sorted(route.methods)).encode()
            for route in app.routes
            if isinstance(route, HTTPRoute)
        }
    methods = allowed.get(scope.get("path_template", ""))
    if methods:
        message["headers"] = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"allow"] + [
            (b"allow", methods)
        ]


def _one_charset(content_type: bytes) -> bytes:
    """``text/csv; charset=utf-8; charset=utf-8`` (a handler's and the framework's) said once."""
    parts = [part.strip() for part in content_type.split(b";")]
    kept: list[bytes] = []
    for part in parts:
        if part and part.lower() not in (k.lower() for k in kept):
            kept.append(part)
    return b"; ".join(kept)


class InputBoundsMiddleware(ASGIMiddleware):
    """Path and query values no column could hold are refused before any query runs.

    An id beyond PostgreSQL's integer names no record (404); an integer query
    parameter beyond it, or a control character (NUL, line feed) in any query
    value, is a 422 naming the parameter. PostgreSQL would otherwise fail on them.
    """

    scopes = (ScopeType.HTTP,)

    def __init__(self) -> None:
        self._int_parameters: dict[int, frozenset[str]] = {}

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        for value in scope.get("path_params", {}).values():
            if isinstance(value, int) and not -MAX_ID <= value <= MAX_ID:
                raise NotFound()
        query = scope.get("query_string", b"")
        if query:
            integers = self._integer_query_names(scope.get("route_handler"))
            for name, value in parse_qsl(query.decode("latin-1"), keep_blank_values=True):
                if CONTROL_CHARACTER.search(name) or CONTROL_CHARACTER.search(value):
                    raise InvalidInput(name, "must not contain control characters")
                if name in integers and _beyond_an_integer(value):
                    raise InvalidInput(name, f"must be between {-MAX_ID} and {MAX_ID}")
        await next_app(scope, receive, send)

    def _integer_query_names(self, handler: Any) -> frozenset[str]:
        if handler is None:
            return frozenset()
        key = id(handler)
        if key not in self._int_parameters:
            names = set()
            for name, field in handler.parsed_fn_signature.parameters.items():
                if int in _annotations(field):
                    names.add(getattr(field.kwarg_definition, "query", None) or name)
            self._int_parameters[key] = frozenset(names)
        return self._int_parameters[key]


def _annotations(field: Any) -> list[Any]:
    """The field's type and every type inside it: ``list[int] | None`` holds ``int`` too."""
    return [field.annotation, *(a for inner in field.inner_types for a in _annotations(inner))]


def _beyond_an_integer(value: str) -> bool:
    try:
        return not -MAX_ID <= int(value) <= MAX_ID
    except ValueError:
        return False  # not a number at all: the handler's own validation names it


class AccessLogMiddleware(ASGIMiddleware):
    """One log line per request: method, path without the query string, status, milliseconds.

    Query strings can hold a searched name, and tokens never reach the log.
    """

    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        started, status = time.perf_counter(), 0

        async def capture(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await next_app(scope, receive, capture)
        finally:
            access_log.info(
                "%s %s %s %.0fms",
                cast(HTTPScope, scope)["method"],
                scope["path"],
                status,
                (time.perf_counter() - started) * 1000,
            )


class LanguageMiddleware(ASGIMiddleware):
    """The page language comes from the remembered choice, Finnish by default."""

    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        lang = None
        for key, value in scope.get("headers", []):
            if key == b"cookie":
                for part in value.decode("latin-1").split(";"):
                    name, _, val = part.strip().partition("=")
                    if name == i18n.LANGUAGE_COOKIE:
                        lang = val
        scope["lang"] = i18n.set_language(lang)  # type: ignore[typeddict-unknown-key]
        await next_app(scope, receive, send)


class CalendarMiddleware(ASGIMiddleware):
    """Before the first request of each Helsinki day in this app reads anything, start the cohorts that are due.

    The day last checked is kept in the app's state (``app_state``), beside the read cache.
    """

    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        today = clock.today()
        state = scope["app"].state
        if state.get(CHECKED_ON) != today:
            # NOTE: two first requests may both try; the move is idempotent and the second finds nothing to do.
            try:
                await start_due_cohorts(today)
                state[CHECKED_ON] = today
            except Exception as exc:  # noqa: BLE001 - a busy or full database is for the request itself to report; the next one tries again
                calendar_log.warning("starting due cohorts failed: %s", type(exc).__name__)
        await next_app(scope, receive, send)


class ReadCacheMiddleware(ASGIMiddleware):
    """Answers a logged-in GET of a ``CACHED_READ`` route from the cache, under the versions
    the authentication read (``scope["reading"]``) before it read the credential.

    Every request's lists use the app's kept totals (``paging.KeptTotals``), cache or not:
    a kept total is checked against the versions its page's own statement reads.
    """

    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        token = kept_totals.set(scope["app"].state.get("kept_totals"))
        try:
            principal = scope.get("user")
            if (
                principal is None
                or cast(HTTPScope, scope)["method"] != "GET"
                or not scope["route_handler"].opt.get("cached_read")
            ):
                await next_app(scope, receive, send)
                return
            reading: Reading = scope.get("reading", NOTHING_KEPT)  # type: ignore[assignment]
            # The whole principal: an answer depends on the caller's role and locations too.
            await answer(reading, principal, scope, receive, send, next_app)
        finally:
            kept_totals.reset(token)


async def answer(reading: Reading, caller: Any, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
    """Send the kept answer for this request, or make it and keep it if it is a plain 200."""
    if reading.cache is None or reading.versions is None:
        await next_app(scope, receive, send)
        return
    key = ("answer", caller, scope.get("lang"), scope["path"], scope.get("query_string", b""), clock.today())
    # The start message as the handler made it, and the whole body.
    kept: tuple[HTTPResponseStartEvent, bytes] | None = reading.get(key)
    if kept is not None:
        kept_start, kept_body = kept
        await send({**kept_start, "headers": list(kept_start["headers"])})
        await send({"type": "http.response.body", "body": kept_body, "more_body": False})
        return
    messages: list[Message] = []

    async def capture(message: Message) -> None:
        # A copy as the handler made it: the outer middleware adds its headers to the
        # message it is given, and adds them again when the kept answer is replayed.
        if message["type"] == "http.response.start":
            messages.append({**message, "headers": list(message["headers"])})
        else:
            messages.append(message)
        await send(message)

    with recording() as tables:
        await next_app(scope, receive, capture)
    if len(messages) != 2:
        return
    start, body = messages
    if start["type"] != "http.response.start" or body["type"] != "http.response.body" or body.get("more_body"):
        return
    # NOTE: an answer that named no table read the database in a way the engines did not
    # see (or not at all): nothing would tell when it changes, so it is not kept.
    if (
        tables
        and start["status"] == 200
        and not any(name.lower() == b"set-cookie" for name, _ in start.get("headers", []))
    ):
        content = bytes(body.get("body", b""))
        reading.put(
            key,
            ({"type": start["type"], "status": 200, "headers": list(start["headers"])}, content),
            tables,
            len(content) + 512,
        )
