"""Cross-cutting response rules: security headers, no caching of personal data, the page language."""

from __future__ import annotations

import logging
import time

from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from digiystava import i18n

access_log = logging.getLogger("digiystava.access")

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


class SecurityHeadersMiddleware(ASGIMiddleware):
    """Adds the headers to every response, error pages included.

    Everything but the static assets is ``no-store``: nearly every page and
    API answer may hold someone's personal data.
    """

    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        static = scope["path"].startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in (b"cache-control",) or static]
                headers.extend(SECURITY_HEADERS)
                headers.append((b"cache-control", b"public, max-age=3600" if static else b"no-store"))
                message["headers"] = headers
            await send(message)

        await next_app(scope, receive, send_with_headers)


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
            access_log.info("%s %s %s %.0fms", scope["method"], scope["path"], status, (time.perf_counter() - started) * 1000)


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
