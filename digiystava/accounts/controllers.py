"""JSON API of login, the caller's own account and tokens, staff users and the audit log."""

from __future__ import annotations

from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.datastructures import Cookie
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, FromQuery, JSONBody

from digiystava.accounts import authentication, second_factor, services
from digiystava.accounts.guards import json_login_guard
from digiystava.accounts.schemas import (
    AuditOut,
    LoginIn,
    MeOut,
    NewTokenOut,
    TokenIn,
    TokenOut,
    UserIn,
    UserOut,
    UserPatch,
)
from digiystava.schemas import Page
from digiystava.settings import get_settings
from digiystava.web.params import Caller, Limit, Offset
from digiystava.web.problems import PROBLEM_JSON


def client_address(request: Request) -> str:
    return (request.client.host if request.client else "") or "unknown"


def session_cookie(value: str, *, expire: bool = False) -> Cookie:
    return Cookie(
        key=authentication.SESSION_COOKIE,
        value=value,
        httponly=True,
        samesite="lax",
        secure=get_settings().production,
        path="/",
        max_age=0 if expire else None,
    )


def me_out(principal: Caller) -> MeOut:
    return MeOut(
        username=principal.username,
        role=principal.role,
        location_ids=sorted(principal.location_ids),
        display_name=principal.display_name,
        csrf_token=principal.csrf_token,
    )


class AuthController(Controller):
    path = "/api/v1/auth"
    tags = ["auth"]

    @post(
        "/login",
        opt={"public": True},
        status_code=200,
        guards=[json_login_guard],
        responses={
            415: ResponseSpec(
                data_container=None,
                description="The body is not application/json",
                media_type=PROBLEM_JSON,
                generate_examples=False,
            )
        },
    )
    async def login(self, request: Request, data: JSONBody[LoginIn]) -> Response[MeOut]:
        """Start a browser session; the answer carries the CSRF token for later unsafe requests.

        Only `application/json`, each key once, and from the app's own origin (a request
        without an `Origin` header, as scripts send, is taken). Accounts with a second
        factor (every coordinator) send it in `otp`; without it the answer is 401 with
        `second_factor`: `code` (send the code) or `enrol` (set it up on the login page
        first). Attempts, codes included, are limited per account and per address (429).
        """
        cookie, principal = await authentication.login(
            data.username,
            data.password,
            client_address(request),
            request.cookies.get(authentication.SESSION_COOKIE),
            data.otp,
        )
        return Response(me_out(principal), cookies=[session_cookie(cookie)], headers={"Cache-Control": "no-store"})

    @post("/logout", status_code=200)
    async def logout(self, request: Request) -> Response[dict]:
        await authentication.logout(request.cookies.get(authentication.SESSION_COOKIE))
        return Response({"ok": True}, cookies=[session_cookie("", expire=True)])


class MeController(Controller):
    path = "/api/v1/me"
    tags = ["me"]

    @get("/")
    async def me(self, principal: Caller) -> MeOut:
        return me_out(principal)

    @get("/tokens")
    async def tokens(self, principal: Caller) -> list[TokenOut]:
        return await services.list_tokens(principal)

    @post("/tokens")
    async def create_token(self, principal: Caller, data: JSONBody[TokenIn]) -> NewTokenOut:
        """The secret is in this answer only; store it now."""
        return await services.create_token(principal, data.name)

    @delete("/tokens/{token_id:int}")
    async def revoke_token(self, principal: Caller, token_id: FromPath[int]) -> None:
        await services.revoke_token(principal, token_id)


class UserController(Controller):
    path = "/api/v1/users"
    tags = ["users"]

    @get("/")
    async def list_users(self, principal: Caller, limit: Limit = 50, offset: Offset = 0) -> Page[UserOut]:
        return await services.list_users(principal, limit, offset)

    @post("/")
    async def create_user(self, principal: Caller, data: JSONBody[UserIn]) -> UserOut:
        return await services.create_user(principal, data)

    @get("/{user_id:int}")
    async def get_user(self, principal: Caller, user_id: FromPath[int]) -> UserOut:
        return await services.get_user(principal, user_id)

    @patch("/{user_id:int}")
    async def update_user(self, principal: Caller, user_id: FromPath[int], data: JSONBody[UserPatch]) -> UserOut:
        return await services.update_user(principal, user_id, data)

    @delete("/{user_id:int}/second-factor")
    async def reset_second_factor(self, principal: Caller, user_id: FromPath[int]) -> None:
        """Turn off another user's two-step verification (a lost phone); they set it up again at their next login."""
        await second_factor.reset(principal, user_id)

    @get("/{user_id:int}/tokens")
    async def user_tokens(self, principal: Caller, user_id: FromPath[int]) -> list[TokenOut]:
        return await services.list_tokens(principal, user_id)

    @delete("/{user_id:int}/tokens/{token_id:int}")
    async def revoke_user_token(self, principal: Caller, user_id: FromPath[int], token_id: FromPath[int]) -> None:
        await services.revoke_token(principal, token_id, user_id)


class AuditController(Controller):
    path = "/api/v1/audit"
    tags = ["audit"]

    @get("/")
    async def list_audit(
        self,
        principal: Caller,
        limit: Limit = 50,
        offset: Offset = 0,
        entity: FromQuery[str | None] = None,
        entity_id: FromQuery[str | None] = None,
        user: FromQuery[str | None] = None,
    ) -> Page[AuditOut]:
        return await services.list_audit(principal, limit, offset, entity, entity_id, user)
