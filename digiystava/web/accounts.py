"""Pages for logging in and out, choosing the language, API tokens, users and the audit log."""

from __future__ import annotations

import hmac
import secrets
from typing import Any
from urllib.parse import urlencode

from litestar.params import FromPath, FromQuery, URLEncodedBody
from litestar import Controller, Request, get, post
from litestar.datastructures import Cookie
from litestar.response import Redirect, Template

from cohorts.locations.services import location_choices
from digiystava import i18n
from digiystava.access import Caller, require
from digiystava.accounts import authentication, services
from digiystava.accounts.controllers import client_address, session_cookie
from digiystava.accounts.guards import form_login_guard
from digiystava.accounts.schemas import TokenIn, UserIn, UserPatch
from digiystava.errors import DomainError, FieldProblem
from digiystava.i18n import _
from digiystava.settings import get_settings
from digiystava.web.rendering import domain_problems, page, parse_form, safe_next

LOGIN_CSRF_COOKIE = "digiystava_login_csrf"
Form = URLEncodedBody[dict[str, Any]]


def role_labels() -> dict[str, str]:
    return {"coordinator": _("Coordinator"), "trainer": _("Trainer"), "steering": _("Steering group"), "volunteer": _("Volunteer")}


class SessionPages(Controller):
    """Login, logout and language: reachable without a session."""

    @get("/login", opt={"public": True})
    async def login_form(self, request: Request, next: FromQuery[str] = "/") -> Template:
        token = request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(24)
        request.scope["login_csrf"] = token
        response = page(request, "login.html", next=safe_next(next), username="")
        response.cookies.append(Cookie(key=LOGIN_CSRF_COOKIE, value=token, httponly=True, samesite="strict", secure=get_settings().production, path="/login"))
        return response

    @post("/login", opt={"public": True}, guards=[form_login_guard])
    async def login(self, request: Request, data: Form) -> Template | Redirect:
        username, password = str(data.get("username", "")), str(data.get("password", ""))
        expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
        request.scope["login_csrf"] = expected
        next_path = safe_next(str(data.get("next", "/")))
        if not expected or not hmac.compare_digest(str(data.get("_csrf", "")), expected):
            problems = [FieldProblem("form", _("The form expired. Please try again."))]
            return page(request, "login.html", status_code=403, errors=problems, next=next_path, username=username)
        try:
            cookie, _principal = await authentication.login(
                username, password, client_address(request), request.cookies.get(authentication.SESSION_COOKIE)
            )
        except DomainError as exc:
            message = _("Wrong username or password.") if exc.status == 401 else _("Too many failed attempts. Try again in 15 minutes.")
            response = page(request, "login.html", status_code=exc.status, errors=[FieldProblem("username", message)], next=next_path, username=username)
            response.headers.update(exc.headers)
            return response
        return Redirect(path=next_path, cookies=[session_cookie(cookie)], status_code=303)

    @post("/logout")
    async def logout(self, request: Request) -> Redirect:
        await authentication.logout(request.cookies.get(authentication.SESSION_COOKIE))
        return Redirect(path="/login", cookies=[session_cookie("", expire=True)], status_code=303)

    @get("/language/{lang:str}", opt={"public": True})
    async def choose_language(self, lang: FromPath[str], next: FromQuery[str] = "/") -> Redirect:
        """Remember the chosen language in a cookie for a year."""
        lang = i18n.normalise(lang)
        cookie = Cookie(key=i18n.LANGUAGE_COOKIE, value=lang, max_age=365 * 24 * 3600, samesite="lax", path="/", secure=get_settings().production)
        return Redirect(path=safe_next(next), cookies=[cookie], status_code=303)


class TokenPages(Controller):
    path = "/me/tokens"

    @get("/")
    async def tokens(self, request: Request, principal: Caller) -> Template:
        return page(request, "accounts/tokens.html", tokens=await services.list_tokens(principal))

    @post("/")
    async def create(self, request: Request, principal: Caller, data: Form) -> Template:
        form, errors = parse_form(TokenIn, data)
        new_token = None
        if form:
            new_token = (await services.create_token(principal, form.name)).token  # type: ignore[attr-defined]
        return page(request, "accounts/tokens.html", tokens=await services.list_tokens(principal), new_token=new_token, errors=errors, status_code=422 if errors else 200)

    @post("/{token_id:int}/revoke")
    async def revoke(self, principal: Caller, token_id: FromPath[int]) -> Redirect:
        await services.revoke_token(principal, token_id)
        return Redirect(path="/me/tokens", status_code=303)


def _user_form_values(data: dict[str, Any]) -> dict[str, Any]:
    values = {k: v for k, v in data.items() if k != "_csrf"}
    ids = data.get("location_ids", [])
    values["location_ids"] = [int(i) for i in (ids if isinstance(ids, list) else [ids]) if str(i).isdigit()]
    return values


class UserPages(Controller):
    path = "/users"

    @get("/")
    async def list_users(self, request: Request, principal: Caller, offset: FromQuery[int] = 0) -> Template:
        users = await services.list_users(principal, 50, max(offset, 0))
        names = {row["id"]: row["name"] for row in await location_choices(principal)}
        user_locations = {u.id: ", ".join(names.get(i, "") for i in u.location_ids) for u in users.items}
        return page(request, "accounts/users.html", page=users, role_labels=role_labels(), user_locations=user_locations, query_base="")

    async def _form(self, request: Request, user: Any, values: dict, errors: list, status: int = 200) -> Template:
        title = _("Edit user") if user else _("Add a user")
        action = f"/users/{user.id}" if user else "/users"
        return page(
            request, "accounts/user_form.html", status_code=status, user=user, values=values, errors=errors, title=title, action=action,
            roles=list(role_labels().items()), locations=await location_choices(request.scope["user"]),
            field_labels={"username": _("Username"), "display_name": _("Name"), "email": _("Email"), "phone": _("Phone"), "role": _("Role"), "password": _("Password"), "location_ids": _("Locations")},
        )

    @get("/new")
    async def new_user(self, request: Request, principal: Caller) -> Template:
        require(principal, "users.manage")
        return await self._form(request, None, {"role": "trainer", "location_ids": []}, [])

    @post("/")
    async def create_user(self, request: Request, principal: Caller, data: Form) -> Template | Redirect:
        require(principal, "users.manage")
        raw = await request.form()
        values = _user_form_values(dict(raw.multi_items()) | {"location_ids": raw.getall("location_ids", [])})
        form, errors = parse_form(UserIn, values)
        if form:
            try:
                user = await services.create_user(principal, form)  # type: ignore[arg-type]
                return Redirect(path=f"/users/{user.id}?saved=1", status_code=303)
            except DomainError as exc:
                errors = domain_problems(exc)
        return await self._form(request, None, values, errors, 422)

    @get("/{user_id:int}")
    async def edit_user(self, request: Request, principal: Caller, user_id: FromPath[int], saved: FromQuery[bool] = False) -> Template:
        user = await services.get_user(principal, user_id)
        response = await self._form(request, user, user.model_dump(), [])
        if saved:
            response.context["flash"] = _("Saved.")
        return response

    @post("/{user_id:int}")
    async def update_user(self, request: Request, principal: Caller, user_id: FromPath[int], data: Form) -> Template | Redirect:
        user = await services.get_user(principal, user_id)
        raw = await request.form()
        values = _user_form_values(dict(raw.multi_items()) | {"location_ids": raw.getall("location_ids", [])})
        values["active"] = raw.get("active") == "true"
        if not values.get("password"):
            values.pop("password", None)
        form, errors = parse_form(UserPatch, values)
        if form:
            try:
                await services.update_user(principal, user_id, form)  # type: ignore[arg-type]
                return Redirect(path=f"/users/{user_id}?saved=1", status_code=303)
            except DomainError as exc:
                errors = domain_problems(exc)
        return await self._form(request, user, values, errors, 422)


class AuditPages(Controller):
    path = "/audit"

    @get("/")
    async def audit_log(self, request: Request, principal: Caller, offset: FromQuery[int] = 0, entity: FromQuery[str | None] = None, user: FromQuery[str | None] = None) -> Template:
        entries = await services.list_audit(principal, 50, max(offset, 0), entity or None, None, user or None)
        query_base = urlencode({k: v for k, v in (("entity", entity), ("user", user)) if v}) + "&"
        return page(request, "accounts/audit.html", page=entries, entity=entity, user=user, query_base=query_base)
