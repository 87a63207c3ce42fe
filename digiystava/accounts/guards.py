"""Who is calling: a middleware resolves the principal; one guard demands login and CSRF.

Route handlers that anyone may reach (login, health, public pages) carry
``opt={"public": True}``.
"""

from __future__ import annotations

import hmac

from litestar.connection import ASGIConnection
from litestar.enums import ScopeType
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send

from digiystava.access import Principal
from digiystava.accounts.authentication import SESSION_COOKIE, principal_from_session, principal_from_token
from digiystava.errors import Forbidden, NotAuthenticated
from digiystava.read_cache import NOTHING_KEPT, ReadCache

CSRF_HEADER = "x-csrftoken"
CSRF_FIELD = "_csrf"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _cookie(scope: Scope, name: str) -> str | None:
    for key, value in scope.get("headers", []):
        if key == b"cookie":
            for part in value.decode("latin-1").split(";"):
                k, _, v = part.strip().partition("=")
                if k == name and v:
                    return v
    return None


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return None


class AuthenticationMiddleware(ASGIMiddleware):
    """Sets ``scope["user"]`` to a Principal or None; never rejects by itself."""

    scopes = (ScopeType.HTTP,)

    def should_bypass_for_scope(self, scope: Scope) -> bool:
        return scope["path"].startswith("/static/")

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        cache: ReadCache | None = getattr(scope["app"].state, "read_cache", None)
        reading = await cache.reading() if cache is not None else NOTHING_KEPT
        principal: Principal | None = None
        authorization = _header(scope, b"authorization")
        if authorization and authorization.lower().startswith("bearer "):
            principal = await principal_from_token(authorization[7:].strip(), reading)
            if principal is None:
                # A wrong token is an error even on public routes: scripts need to know.
                scope["auth"] = "invalid-token"
        else:
            cookie = _cookie(scope, SESSION_COOKIE)
            if cookie:
                principal = await principal_from_session(cookie, reading)
        scope["user"] = principal
        scope["reading"] = reading  # type: ignore[typeddict-unknown-key] - the list answers use the same version
        await next_app(scope, receive, send)


async def login_and_csrf_guard(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    """Every non-public route needs a principal; unsafe session requests need the CSRF token."""
    if connection.scope.get("auth") == "invalid-token":
        raise NotAuthenticated("The API token is not valid.")
    principal: Principal | None = connection.scope.get("user")
    if handler.opt.get("public") or connection.url.path.startswith("/schema"):
        return
    if principal is None:
        raise NotAuthenticated()
    if principal.auth == "session" and connection.scope.get("method", "GET") not in SAFE_METHODS:
        sent = connection.headers.get(CSRF_HEADER)
        if not sent and "form" in connection.headers.get("content-type", ""):
            sent = (await connection.form()).get(CSRF_FIELD)  # type: ignore[attr-defined]
        if not sent or not principal.csrf_token or not hmac.compare_digest(str(sent), principal.csrf_token):
            raise Forbidden("The form has expired or the CSRF token is missing. Reload the page and try again.")
