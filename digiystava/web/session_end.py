"""When a session ends mid-work: back to the same address after signing in, and no typing lost.

- A signed-out browser is sent to the login page with ``next`` = the address it asked
  for, query string included (a shared report link opens that report, not the programme).
- A page form sent after the session ended is kept (``accounts.drafts``); after signing in
  the form's page comes back filled with what was typed, and says why it was not saved.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie
from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.response import Redirect
from litestar.types import ASGIApp, Receive, Scope, Send

from digiystava.accounts import drafts
from digiystava.settings import get_settings

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_NOT_TYPED = frozenset({"_csrf"})


def _address(path: str, query: str) -> str:
    return f"{path}?{query}" if query else path


def return_address(connection: ASGIConnection) -> str:
    """Where to come back to: the address asked for, or for a form sent, the page the form was on."""
    if connection.scope.get("method", "GET") in SAFE_METHODS:
        return _address(connection.url.path, connection.url.query)
    referer = connection.headers.get("referer")
    if referer:
        parts = urlsplit(referer)
        if parts.netloc == connection.headers.get("host") and parts.path.startswith("/"):
            return _address(parts.path, parts.query)
    return connection.url.path


def wants_the_login_page(request: Request) -> bool:
    """A browser finds the login page where a script gets a 401 problem (a print link under /api/ too)."""
    if request.headers.get("authorization"):
        return False
    accept = request.headers.get("accept", "")
    if request.url.path.startswith(("/api/", "/schema", "/health")):
        return request.method == "GET" and "text/html" in accept
    return "text/html" in accept or "draft" in request.scope


def login_redirect(request: Request) -> Redirect:
    query = {"next": return_address(request)}
    cookies = []
    draft = request.scope.get("draft")
    if isinstance(draft, str):
        query["kept"] = "1"
        cookies.append(draft_cookie(draft))
    elif "session_ended" in request.scope:
        query["ended"] = "1"
    return Redirect(path="/login", query_params=query, cookies=cookies)


def draft_cookie(value: str, *, expire: bool = False) -> Cookie:
    return Cookie(
        key=drafts.DRAFT_COOKIE,
        value=value,
        httponly=True,
        samesite="lax",
        secure=get_settings().production,
        path="/",
        max_age=0 if expire else drafts.KEPT_HOURS * 3600,
    )


async def keep_sent_form(connection: ASGIConnection) -> None:
    """A page form sent after its session ended: keep what was typed for its author's next login.

    Only from a browser that held a session (an idle timeout, a restart): a request that never
    had one has nothing to lose, and must not be able to fill the table.
    """
    if connection.scope.get("method") in SAFE_METHODS or connection.url.path.startswith(("/api/", "/login")):
        return
    if "session_ended" not in connection.scope or "text/html" not in connection.headers.get("accept", ""):
        return
    if "form" not in connection.headers.get("content-type", "") or not isinstance(connection, Request):
        return  # a guard of an HTTP route gets the request: only it has a form
    form = await connection.form()
    fields: dict[str, Any] = {}
    for name, value in form.multi_items():
        if name in _NOT_TYPED or not isinstance(value, str):
            continue  # an uploaded file is not kept: it is still on the user's computer
        if name in fields:
            previous = fields[name]
            fields[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            fields[name] = value
    if not fields:
        return  # a button (log out, a confirmation): nothing typed to keep
    ended = connection.scope.get("session_ended")
    key = await drafts.keep(
        return_address(connection), fields, ended.get("user_id") if isinstance(ended, dict) else None
    )
    _put(connection.scope, "draft", key)


class DraftMiddleware(ASGIMiddleware):
    """After signing in, the page of a kept form finds the typed fields in ``scope["restored"]``."""

    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        user = scope.get("user")
        key = _cookie(scope, drafts.DRAFT_COOKIE)
        found = None
        if key and user is not None and scope.get("method") == "GET":
            query = scope.get("query_string", b"").decode("latin-1")
            found = await drafts.find(key, user.user_id, _address(scope["path"], query))
            if found is not None:
                _put(scope, "restored", found[1])
        await next_app(scope, receive, send)
        if found is not None and scope.get("restored_shown"):
            await drafts.forget(found[0])


def _put(scope: Scope, key: str, value: Any) -> None:
    """This module's own key in the scope: ASGI lets an app add keys, Litestar types the scope as closed."""
    scope[key] = value  # type: ignore[literal-required]


def _cookie(scope: Scope, name: str) -> str | None:
    for key, value in scope.get("headers", []):
        if key == b"cookie":
            for part in value.decode("latin-1").split(";"):
                k, _, v = part.strip().partition("=")
                if k == name and v:
                    return v
    return None


def restore(request: Request, context: dict[str, Any]) -> Cookie | None:
    """Put a kept form's fields over the page's ``values``; returns the cookie that clears the draft.

    Lists (checkbox groups, several choices) and yes/no boxes the page gave come back as
    the same kind, and an unticked box as unticked: the browser sends nothing for it.
    Draft and form are the same page's, so the names are the page's own.
    """
    fields = request.scope.get("restored")
    if not isinstance(fields, dict) or not isinstance(context.get("values"), dict):
        return None
    values = dict(context["values"])
    for name, default in context["values"].items():
        if name not in fields and isinstance(default, (list, bool)):
            values[name] = [] if isinstance(default, list) else False
    for name, typed in fields.items():
        default = values.get(name)
        if isinstance(default, list) and not isinstance(typed, list):
            typed = [typed]
        if isinstance(typed, list):
            # Ticked ids (trainers, locations) are numbers to the page, as the record gives them.
            typed = [int(item) if item.isdecimal() else item for item in typed]
        elif isinstance(default, bool):
            typed = typed not in ("", "false", "0", "off")
        values[name] = typed
    context["values"] = values
    _put(request.scope, "restored_shown", True)
    return draft_cookie("", expire=True)
