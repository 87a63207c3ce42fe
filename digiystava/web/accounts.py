"""Pages for logging in and out, choosing the language, API tokens, users and the audit log."""

from __future__ import annotations

import hmac
import secrets
from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, get, post
from litestar.datastructures import Cookie
from litestar.params import FromPath, FromQuery, URLEncodedBody
from litestar.response import Redirect, Template

from cohorts.locations.services import location_choices
from digiystava import i18n
from digiystava.access import require
from digiystava.accounts import authentication, second_factor, services
from digiystava.accounts.controllers import client_address, session_cookie
from digiystava.accounts.guards import form_login_guard
from digiystava.accounts.schemas import TokenIn, UserIn, UserPatch
from digiystava.errors import DomainError, FieldProblem
from digiystava.i18n import _
from digiystava.settings import get_settings
from digiystava.web import records
from digiystava.web.forms import submit
from digiystava.web.params import Caller
from digiystava.web.rendering import page, safe_next

LOGIN_CSRF_COOKIE = "digiystava_login_csrf"
Form = URLEncodedBody[dict[str, Any]]


def challenge_cookie(value: str, *, expire: bool = False) -> Cookie:
    """The half-done login between the password and the second step: only the login pages see it."""
    return Cookie(
        key=authentication.CHALLENGE_COOKIE,
        value=value,
        httponly=True,
        samesite="strict",
        secure=get_settings().production,
        path="/login",
        max_age=0 if expire else authentication.CHALLENGE_MINUTES * 60,
    )


def role_labels() -> dict[str, str]:
    return {
        "coordinator": _("Coordinator"),
        "trainer": _("Trainer"),
        "steering": _("Steering group"),
        "volunteer": _("Volunteer"),
    }


class SessionPages(Controller):
    """Login, logout and language: reachable without a session."""

    @get("/login", opt={"public": True})
    async def login_form(
        self,
        request: Request,
        next: FromQuery[str] = "/",
        expired: FromQuery[bool] = False,
        ended: FromQuery[bool] = False,
        kept: FromQuery[bool] = False,
    ) -> Template:
        token = request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(24)
        request.scope["login_csrf"] = token  # type: ignore[typeddict-unknown-key]
        errors = (
            [FieldProblem("username", _("The login took too long or was interrupted. Please log in again."))]
            if expired
            else []
        )
        notice = None
        if kept:
            notice = _("Your session had ended. Log in again: the form you sent is kept and comes back filled in.")
        elif ended:
            notice = _("Your session had ended. Log in again to continue where you were.")
        response = page(request, "login.html", next=safe_next(next), username="", errors=errors, notice=notice)
        response.cookies.append(
            Cookie(
                key=LOGIN_CSRF_COOKIE,
                value=token,
                httponly=True,
                samesite="strict",
                secure=get_settings().production,
                path="/login",
            )
        )
        return response

    @post("/login", opt={"public": True}, guards=[form_login_guard])
    async def login(self, request: Request, data: Form) -> Template | Redirect:
        username, password = str(data.get("username", "")), str(data.get("password", ""))
        next_path = safe_next(str(data.get("next", "/")))
        if not self._login_csrf_ok(request, data):
            return self._expired_form(request, "login.html", next=next_path, username=username)
        try:
            user = await authentication.check_password(username, password, client_address(request))
            step = second_factor.step_for(user)
            if step is None:
                cookie, _principal = await authentication.start_session(
                    user, client_address(request), request.cookies.get(authentication.SESSION_COOKIE)
                )
                return Redirect(path=next_path, cookies=[session_cookie(cookie)], status_code=303)
            challenge = await authentication.start_challenge(user, step, client_address(request))
        except DomainError as exc:
            message = (
                _("Wrong username or password.")
                if exc.status == 401
                else _("Too many failed attempts. Try again in 15 minutes.")
            )
            response = page(
                request,
                "login.html",
                status_code=exc.status,
                errors=[FieldProblem("username", message)],
                next=next_path,
                username=username,
            )
            response.headers.update(exc.headers)
            return response
        target = "/login/code" if step == "code" else "/login/setup"
        return Redirect(
            path=target, query_params={"next": next_path}, cookies=[challenge_cookie(challenge)], status_code=303
        )

    def _login_csrf_ok(self, request: Request, data: dict) -> bool:
        """The login forms' double-submit token: the cookie set with the login page, and the form field."""
        expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
        request.scope["login_csrf"] = expected  # type: ignore[typeddict-unknown-key]
        return bool(expected) and hmac.compare_digest(str(data.get("_csrf", "")), expected)

    def _expired_form(self, request: Request, template: str, **context: Any) -> Template:
        problems = [FieldProblem("form", _("The form expired. Please try again."))]
        return page(request, template, status_code=403, errors=problems, **context)

    async def _second_step_page(
        self, request: Request, kind: str, next_path: str, status: int = 200, errors: list | None = None
    ) -> Template | Redirect:
        found = await authentication.challenge(request.cookies.get(authentication.CHALLENGE_COOKIE))
        if found is None or found[0]["kind"] != kind:
            return Redirect(path="/login", query_params={"next": next_path, "expired": "1"}, status_code=303)
        row, user = found
        request.scope["login_csrf"] = request.cookies.get(LOGIN_CSRF_COOKIE, "")  # type: ignore[typeddict-unknown-key]
        if kind == "code":
            return page(request, "login_code.html", status_code=status, next=next_path, errors=errors or [])
        seed = second_factor.seed_for(row["totp_salt"])
        return page(
            request,
            "login_setup.html",
            status_code=status,
            next=next_path,
            errors=errors or [],
            qr_code=second_factor.qr_data_uri(seed, user["username"]),
            manual_key=second_factor.manual_key(seed),
        )

    @get("/login/code", opt={"public": True})
    async def code_form(self, request: Request, next: FromQuery[str] = "/") -> Template | Redirect:
        return await self._second_step_page(request, "code", safe_next(next))

    @get("/login/setup", opt={"public": True})
    async def setup_form(self, request: Request, next: FromQuery[str] = "/") -> Template | Redirect:
        return await self._second_step_page(request, "enrol", safe_next(next))

    @post("/login/code", opt={"public": True}, guards=[form_login_guard])
    async def code(self, request: Request, data: Form) -> Template | Redirect:
        return await self._finish_second_step(request, data, "code")

    @post("/login/setup", opt={"public": True}, guards=[form_login_guard])
    async def setup(self, request: Request, data: Form) -> Template | Redirect:
        return await self._finish_second_step(request, data, "enrol")

    async def _finish_second_step(self, request: Request, data: dict, kind: str) -> Template | Redirect:
        next_path = safe_next(str(data.get("next", "/")))
        if not self._login_csrf_ok(request, data):
            return await self._second_step_page(
                request, kind, next_path, 403, [FieldProblem("code", _("The form expired. Please try again."))]
            )
        try:
            cookie, principal, recovery_codes = await authentication.finish_challenge(
                request.cookies.get(authentication.CHALLENGE_COOKIE),
                str(data.get("code", "")),
                client_address(request),
                request.cookies.get(authentication.SESSION_COOKIE),
            )
        except authentication.LoginStepExpired:
            return Redirect(path="/login", query_params={"next": next_path, "expired": "1"}, status_code=303)
        except DomainError as exc:
            message = (
                _("Wrong code. Enter the code the app shows now.")
                if exc.status == 401
                else _("Too many failed attempts. Try again in 15 minutes.")
            )
            response = await self._second_step_page(
                request, kind, next_path, exc.status, [FieldProblem("code", message)]
            )
            response.headers.update(exc.headers)
            return response
        cookies = [session_cookie(cookie), challenge_cookie("", expire=True)]
        if not recovery_codes:
            return Redirect(path=next_path, cookies=cookies, status_code=303)
        request.scope["user"] = principal
        response = page(request, "login_recovery_codes.html", codes=recovery_codes, next=next_path)
        response.cookies.extend(cookies)
        return response

    @post("/logout")
    async def logout(self, request: Request) -> Redirect:
        await authentication.logout(request.cookies.get(authentication.SESSION_COOKIE))
        return Redirect(path="/login", cookies=[session_cookie("", expire=True)], status_code=303)

    @get("/language/{lang:str}", opt={"public": True})
    async def choose_language(self, lang: FromPath[str], next: FromQuery[str] = "/") -> Redirect:
        """Remember the chosen language in a cookie for a year."""
        lang = i18n.normalise(lang)
        cookie = Cookie(
            key=i18n.LANGUAGE_COOKIE,
            value=lang,
            max_age=365 * 24 * 3600,
            samesite="lax",
            path="/",
            secure=get_settings().production,
        )
        return Redirect(path=safe_next(next), cookies=[cookie], status_code=303)


class TokenPages(Controller):
    path = "/me/tokens"

    @get("/")
    async def tokens(self, request: Request, principal: Caller) -> Template:
        require(principal, "tokens.page")
        return page(request, "accounts/tokens.html", tokens=await services.list_tokens(principal))

    @post("/")
    async def create(self, request: Request, principal: Caller, data: Form) -> Template | Redirect:
        require(principal, "tokens.page")

        async def tokens_page(new_token: str | None, errors: list[FieldProblem], status: int) -> Template:
            tokens = await services.list_tokens(principal)
            return page(
                request, "accounts/tokens.html", tokens=tokens, new_token=new_token, errors=errors, status_code=status
            )

        async def save(form: TokenIn) -> Template:
            # NOTE: the secret is shown here once, never put in an address to redirect to.
            return await tokens_page((await services.create_token(principal, form.name)).token, [], 200)

        async def show(typed: dict[str, Any], errors: list[FieldProblem], status: int) -> Template:
            return await tokens_page(None, errors, status)

        return await submit(TokenIn, data, save, show)

    @post("/{token_id:int}/revoke")
    async def revoke(self, principal: Caller, token_id: FromPath[int]) -> Redirect:
        require(principal, "tokens.page")
        await services.revoke_token(principal, token_id)
        return Redirect(path="/me/tokens", status_code=303)


def _user_form_values(data: dict[str, Any]) -> dict[str, Any]:
    values = {k: v for k, v in data.items() if k != "_csrf"}
    ids = data.get("location_ids", [])
    values["location_ids"] = [int(i) for i in (ids if isinstance(ids, list) else [ids]) if str(i).isdecimal()]
    return values


class UserPages(Controller):
    path = "/users"

    @get("/")
    async def list_users(self, request: Request, principal: Caller, offset: FromQuery[int] = 0) -> Template:
        users = await services.list_users(principal, 50, max(offset, 0))
        names = {row["id"]: row["name"] for row in await location_choices(principal)}
        user_locations = {u.id: ", ".join(names.get(i, "") for i in u.location_ids) for u in users.items}
        return page(
            request,
            "accounts/users.html",
            page=users,
            role_labels=role_labels(),
            user_locations=user_locations,
            query_base="",
        )

    async def _form(self, request: Request, user: Any, values: dict, errors: list, status: int = 200) -> Template:
        title = _("Edit user") if user else _("Add a user")
        action = f"/users/{user.id}" if user else "/users"
        return page(
            request,
            "accounts/user_form.html",
            status_code=status,
            user=user,
            values=values,
            errors=errors,
            title=title,
            action=action,
            roles=list(role_labels().items()),
            locations=await location_choices(request.scope["user"]),
            field_labels={
                "username": _("Username"),
                "display_name": _("Name"),
                "email": _("Email"),
                "phone": _("Phone"),
                "role": _("Role"),
                "password": _("Password"),
                "location_ids": _("Locations"),
            },
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

        async def save(form: Any) -> str:
            return f"/users/{(await services.create_user(principal, form)).id}?saved=1"

        async def show(typed: dict, errors: list, status: int) -> Template:
            return await self._form(request, None, typed, errors, status)

        return await submit(UserIn, values, save, show)

    @get("/{user_id:int}")
    async def edit_user(
        self,
        request: Request,
        principal: Caller,
        user_id: FromPath[int],
        saved: FromQuery[bool] = False,
        reset: FromQuery[bool] = False,
    ) -> Template:
        user = await services.get_user(principal, user_id)
        response = await self._form(request, user, user.model_dump(), [])
        if saved:
            response.context["flash"] = _("Saved.")
        if reset:
            response.context["flash"] = _(
                "Two-step verification was turned off. The user sets it up again at their next login."
            )
        return response

    @post("/{user_id:int}")
    async def update_user(
        self, request: Request, principal: Caller, user_id: FromPath[int], data: Form
    ) -> Template | Redirect:
        user = await services.get_user(principal, user_id)
        raw = await request.form()
        values = _user_form_values(dict(raw.multi_items()) | {"location_ids": raw.getall("location_ids", [])})
        values["active"] = raw.get("active") == "true"
        if not values.get("password"):
            values.pop("password", None)

        async def save(form: Any) -> str:
            await services.update_user(principal, user_id, form)
            return f"/users/{user_id}?saved=1"

        async def show(typed: dict, errors: list, status: int) -> Template:
            return await self._form(request, user, typed, errors, status)

        return await submit(UserPatch, values, save, show)

    @post("/{user_id:int}/second-factor/reset")
    async def reset_second_factor(self, principal: Caller, user_id: FromPath[int]) -> Redirect:
        await second_factor.reset(principal, user_id)
        return Redirect(path=f"/users/{user_id}?reset=1", status_code=303)


class AuditPages(Controller):
    path = "/audit"

    @get("/")
    async def audit_log(
        self,
        request: Request,
        principal: Caller,
        offset: FromQuery[int] = 0,
        entity: FromQuery[str | None] = None,
        user: FromQuery[str | None] = None,
    ) -> Template:
        entries = await services.list_audit(principal, 50, max(offset, 0), entity or None, None, user or None)
        query_base = urlencode({k: v for k, v in (("entity", entity), ("user", user)) if v}) + "&"
        return page(
            request,
            "accounts/audit.html",
            page=entries,
            entity=entity,
            user=user,
            query_base=query_base,
            records=records,
            record_types=records.record_type_choices(),
        )
