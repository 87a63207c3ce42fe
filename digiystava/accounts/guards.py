"""Who is calling: a middleware resolves the principal; one guard demands login and CSRF.

Route handlers that anyone may reach (login, health, public pages) carry
``opt={"public": True}``.
"""

from __future__ import annotations

import copy
import hmac
import json
from urllib.parse import urlsplit

from litestar.connection import ASGIConnection
from litestar.enums import ScopeType
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, ReceiveMessage, Scope, Send
from litestar.utils.scope.state import CONNECTION_STATE_KEY, ScopeState

from digiystava.access import Principal
from digiystava.accounts.authentication import (
    SESSION_COOKIE,
    KeptCredentials,
    principal_from_session,
    principal_from_token,
)
from digiystava.errors import Forbidden, InvalidInput, NotAuthenticated, UnsupportedMediaType
from digiystava.read_cache import NOTHING_KEPT, ReadCache, Reading
from digiystava.table_versions import Unconfirmed, unconfirmed
from digiystava.web.session_end import keep_sent_form

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
    """Sets ``scope["user"]`` to a Principal or None; never rejects by itself.

    With the read cache off, a list's GET takes a credential used within the last
    minute on trust (``KeptCredentials``): its page's own statement confirms it, and
    the answer is held until something has.
    """

    scopes = (ScopeType.HTTP,)

    def should_bypass_for_scope(self, scope: Scope) -> bool:
        return scope["path"].startswith("/static/")

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        cache: ReadCache | None = getattr(scope["app"].state, "read_cache", None)
        reading = await cache.reading() if cache is not None else NOTHING_KEPT
        kept = _kept_credentials(scope, reading)
        trust_token = unconfirmed.set(None)
        try:
            await _authenticate(scope, reading, kept)
            scope["reading"] = reading  # type: ignore[typeddict-unknown-key]  # the list answers use the same version
            trust = unconfirmed.get()
            if trust is None:
                await next_app(scope, receive, send)
            else:
                await _answer_on_trust(trust, scope, receive, send, next_app, reading, kept)
        finally:
            unconfirmed.reset(trust_token)


def _kept_credentials(scope: Scope, reading: Reading) -> KeptCredentials | None:
    """A GET of a list (``CACHED_READ``) may take its caller on trust, when the read cache does not hold them."""
    if reading.versions is not None or scope.get("method") != "GET":
        return None
    if not scope["route_handler"].opt.get("cached_read"):
        return None
    return scope["app"].state.get("kept_credentials")


async def _authenticate(scope: Scope, reading: Reading, kept: KeptCredentials | None) -> None:
    principal: Principal | None = None
    authorization = _header(scope, b"authorization")
    if authorization and authorization.lower().startswith("bearer "):
        principal = await principal_from_token(authorization[7:].strip(), reading, kept)
        if principal is None:
            # A wrong token is an error even on public routes: scripts need to know.
            scope["auth"] = "invalid-token"
    else:
        cookie = _cookie(scope, SESSION_COOKIE)
        if cookie:
            ended: dict[str, int] = {}
            principal = await principal_from_session(cookie, reading, ended, kept)
            if principal is None:
                # The browser had a session that is over: pages say so, and keep a form it sent.
                scope["session_ended"] = ended  # type: ignore[typeddict-unknown-key]
    scope["user"] = principal


async def _answer_on_trust(
    trust: Unconfirmed,
    scope: Scope,
    receive: Receive,
    send: Send,
    next_app: ASGIApp,
    reading: Reading,
    kept: KeptCredentials | None,
) -> None:
    """Answer as the caller taken on trust, holding the answer until the trust is confirmed.

    The page's own statement confirms it (``table_versions.Unconfirmed``); if none did, the
    credential is read again now. A caller who is not who the request took them for
    (revoked, deactivated, given other locations) is answered again as who they are now:
    a list's GET only reads, so nothing was done in their name.
    """
    held: list[Message] = []
    received: list[ReceiveMessage] = []

    async def hold(message: Message) -> None:
        held.append(message)

    async def remember() -> ReceiveMessage:
        message = await receive()
        received.append(message)
        return message

    # NOTE: Litestar keeps what it made of the request in the scope's state; a second answer starts from it as it was.
    before = copy.copy(ScopeState.from_scope(scope))
    await next_app(scope, remember, hold)
    if not trust.confirmed:
        trusted = scope["user"]
        await _authenticate(scope, reading, kept)
        if scope["user"] != trusted:
            held.clear()
            replay = iter(received)

            async def again() -> ReceiveMessage:
                return next(replay, None) or await receive()

            scope["state"][CONNECTION_STATE_KEY] = before
            await next_app(scope, again, hold)
    for message in held:
        await send(message)


async def login_and_csrf_guard(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    """Every non-public route needs a principal; unsafe session requests need the CSRF token."""
    if connection.scope.get("auth") == "invalid-token":
        raise NotAuthenticated("The API token is not valid.")
    principal: Principal | None = connection.scope.get("user")
    # NOTE: the path from the scope, as ``connection.url`` would give it, without building the whole URL.
    path = connection.scope.get("root_path", "") + connection.scope["path"]
    if handler.opt.get("public") or path.startswith("/schema"):
        return
    if principal is None:
        await keep_sent_form(connection)
        raise NotAuthenticated()
    if principal.auth == "session" and connection.scope.get("method", "GET") not in SAFE_METHODS:
        sent = connection.headers.get(CSRF_HEADER)
        if not sent and "form" in connection.headers.get("content-type", ""):
            sent = (await connection.form()).get(CSRF_FIELD)  # type: ignore[attr-defined]
        if not sent or not principal.csrf_token or not hmac.compare_digest(str(sent), principal.csrf_token):
            raise Forbidden("The form has expired or the CSRF token is missing. Reload the page and try again.")


# --- login requests ------------------------------------------------------------
# A login changes who the browser is, so it must not be forgeable from another site:
# the SameSite cookie and the CSRF token protect requests made *with* a session, not
# the request that creates one.


def same_origin_only(connection: ASGIConnection) -> None:
    """Refuse a request a browser says came from another site.

    Browsers send ``Origin`` with every POST and ``Sec-Fetch-Site`` with every request;
    scripts (curl, Python) send neither and are let through, because a forged
    cross-site request always comes from a browser.
    """
    fetch_site = connection.headers.get("sec-fetch-site")
    if fetch_site and fetch_site not in ("same-origin", "none"):
        raise Forbidden("Logging in from another site is not allowed.")
    origin = connection.headers.get("origin")
    if origin is None:
        return
    host = (connection.headers.get("host") or "").lower()
    parts = urlsplit(origin.lower())
    # NOTE: a proxy that passes nginx's $host drops the port; the host name must still match.
    matches = bool(parts.netloc) and (parts.netloc == host or (":" not in host and parts.hostname == host))
    if not matches:
        raise Forbidden("Logging in from another site is not allowed.")


def _refuse_duplicate_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    seen: dict[str, object] = {}
    for key, value in pairs:
        if key in seen:
            raise InvalidInput(key, "is given more than once")
        seen[key] = value
    return seen


async def json_login_guard(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    """The login API takes only a JSON body, from the same site, with each key once."""
    same_origin_only(connection)
    media_type = (connection.headers.get("content-type") or "").split(";", 1)[0].strip().lower()
    if media_type != "application/json":
        raise UnsupportedMediaType("Send the login as JSON (Content-Type: application/json).")
    try:
        json.loads(await connection.body(), object_pairs_hook=_refuse_duplicate_keys)  # type: ignore[attr-defined]
    except ValueError:
        return  # not JSON at all: the body's own validation answers 400
    # NOTE: InvalidInput is not a ValueError, so a duplicate key is refused above.


async def form_login_guard(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    """The login pages' forms are posted only from the app's own pages."""
    same_origin_only(connection)
