"""Managing staff users and their API tokens; reading the audit log."""

from __future__ import annotations

import json

from cohorts.tables import Location, StaffLocation
from digiystava import audit, clock
from digiystava.access import Principal, require
from digiystava.accounts import second_factor
from digiystava.accounts.authentication import keyed_hash, new_token_secret
from digiystava.accounts.passwords import check_strength, hash_password
from digiystava.accounts.schemas import AuditOut, NewTokenOut, TokenOut, UserIn, UserOut, UserPatch
from digiystava.accounts.tables import ApiToken, AuditEntry, LoginSession, StaffUser
from digiystava.db import must_exist, write_transaction
from digiystava.errors import Conflict, InvalidInput, NotFound
from digiystava.i18n import N_
from digiystava.paging import paged
from digiystava.schemas import Page


async def _set_locations(user_id: int, location_ids: list[int]) -> None:
    ids = sorted(set(location_ids))
    if ids:
        found = {row["id"] for row in await Location.select(Location.id).where(Location.id.is_in(ids))}
        missing = [i for i in ids if i not in found]
        if missing:
            raise InvalidInput("location_ids", f"unknown location {missing[0]}")
    await StaffLocation.delete().where(StaffLocation.user == user_id)
    if ids:
        await StaffLocation.insert(*[StaffLocation(user=user_id, location=i) for i in ids])


async def _users_out(rows: list[dict]) -> list[UserOut]:
    """Users with their locations, in one extra query for the whole page."""
    ids = [r["id"] for r in rows]
    locations: dict[int, list[int]] = {i: [] for i in ids}
    if ids:
        for link in await StaffLocation.select(StaffLocation.user, StaffLocation.location).where(
            StaffLocation.user.is_in(ids)
        ):
            locations[link["user"]].append(link["location"])
    return [UserOut(**r, location_ids=sorted(locations[r["id"]])) for r in rows]


async def _user_out(row: dict) -> UserOut:
    return (await _users_out([row]))[0]


async def list_users(principal: Principal, limit: int, offset: int) -> Page[UserOut]:
    require(principal, "users.manage")
    page = await paged(
        lambda: (StaffUser.select(*_USER_COLUMNS).order_by(StaffUser.username), StaffUser.count(), []), limit, offset
    )
    page.items = await _users_out(page.items)
    return page


_USER_COLUMNS = (
    StaffUser.id,
    StaffUser.username,
    StaffUser.role,
    StaffUser.active,
    StaffUser.display_name,
    StaffUser.email,
    StaffUser.phone,
    StaffUser.created_at,
    StaffUser.second_factor_since,
)


async def get_user(principal: Principal, user_id: int) -> UserOut:
    require(principal, "users.manage")
    row = await StaffUser.select(*_USER_COLUMNS).where(StaffUser.id == user_id).first()
    if row is None:
        raise NotFound()
    return await _user_out(row)


async def create_user(principal: Principal, data: UserIn) -> UserOut:
    """Create a staff user (a coordinator, or an operator at the command line)."""
    require(principal, "users.manage")
    check_strength(data.password)
    password_hash = await hash_password(data.password)
    async with write_transaction():
        if await StaffUser.exists().where(StaffUser.username == data.username):
            raise Conflict(f"The username '{data.username}' is taken.")
        user = StaffUser(
            username=data.username,
            role=data.role,
            password_hash=password_hash,
            display_name=data.display_name,
            email=data.email,
            phone=data.phone,
        )
        await user.save()
        await _set_locations(user.id, data.location_ids)
        await audit.record(principal, "create", "user", user.id, ["username", "role", "location_ids"])
    return await get_user(principal, user.id)


async def update_user(principal: Principal, user_id: int, data: UserPatch) -> UserOut:
    require(principal, "users.manage")
    changes = data.model_dump(exclude_unset=True)
    if "password" in changes:
        check_strength(data.password or "")
        changes["password_hash"] = await hash_password(changes.pop("password"))
        changes["password_edges_trimmed"] = False  # the new one is exact
    async with write_transaction():
        before = await StaffUser.select().where(StaffUser.id == user_id).first()
        if before is None:
            raise NotFound()
        if user_id == principal.user_id and (
            changes.get("active") is False or changes.get("role", "coordinator") != "coordinator"
        ):
            raise Conflict(N_("You cannot deactivate yourself or take away your own coordinator role."))
        location_ids = changes.pop("location_ids", None)
        if changes:
            await StaffUser.update({getattr(StaffUser, k): v for k, v in changes.items()}).where(
                StaffUser.id == user_id
            )
        if location_ids is not None:
            await _set_locations(user_id, location_ids)
        if changes.get("active") is False or "password_hash" in changes:
            # A deactivated user or a reset password ends every open browser session.
            await LoginSession.delete().where(LoginSession.user == user_id)
        if changes.get("role") == "coordinator" and before["role"] != "coordinator":
            # Coordinators log in with a second factor: what was opened without one ends.
            await second_factor.end_access_made_without_it(user_id)
        fields = [
            k for k in changes if k not in ("password_hash", "password_edges_trimmed") and before.get(k) != changes[k]
        ]
        fields += ["password"] if "password_hash" in changes else []
        fields += ["location_ids"] if location_ids is not None else []
        await audit.record(principal, "update", "user", user_id, fields)
    return await get_user(principal, user_id)


async def trainer_choices(principal: Principal) -> list[dict]:
    """Active trainers, for a cohort's trainer checkboxes (planning cohorts is the coordinator's)."""
    require(principal, "cohorts.write")
    return (
        await StaffUser.select(StaffUser.id, StaffUser.display_name, StaffUser.username)
        .where(StaffUser.role == "trainer", StaffUser.active.eq(True))
        .order_by(StaffUser.display_name)
    )


async def find_user_id(username: str) -> int:
    row = await StaffUser.select(StaffUser.id).where(StaffUser.username == username).first()
    if row is None:
        raise NotFound(f"No user named '{username}'.")
    return row["id"]


# --- tokens ------------------------------------------------------------------


def _token_owner(principal: Principal, user_id: int | None) -> int:
    """Own tokens for everyone; another user's tokens for a coordinator."""
    if user_id is None or user_id == principal.user_id:
        require(principal, "tokens.own")
        return principal.user_id
    require(principal, "users.manage")
    return user_id


async def list_tokens(principal: Principal, user_id: int | None = None) -> list[TokenOut]:
    owner = _token_owner(principal, user_id)
    rows = await ApiToken.select().where(ApiToken.user == owner).order_by(ApiToken.created_at, ascending=False)
    return [TokenOut(**r) for r in rows]


async def create_token(principal: Principal, name: str, user_id: int | None = None) -> NewTokenOut:
    owner = _token_owner(principal, user_id)
    secret = new_token_secret()
    async with write_transaction():
        token = ApiToken(user=owner, name=name, prefix=secret[:10], token_hash=keyed_hash(secret))
        await token.save()
        await audit.record(principal, "create", "api_token", token.id, ["name"])
    row = must_exist(await ApiToken.select().where(ApiToken.id == token.id).first())
    return NewTokenOut(**row, token=secret)


async def revoke_token(principal: Principal, token_id: int, user_id: int | None = None) -> None:
    owner = _token_owner(principal, user_id)
    async with write_transaction():
        row = (
            await ApiToken.select(ApiToken.id, ApiToken.revoked_at)
            .where(ApiToken.id == token_id, ApiToken.user == owner)
            .first()
        )
        if row is None:
            raise NotFound()
        if row["revoked_at"] is None:
            await ApiToken.update({ApiToken.revoked_at: clock.now()}).where(ApiToken.id == token_id)
            await audit.record(principal, "revoke", "api_token", token_id, ["revoked_at"])


# --- audit -------------------------------------------------------------------


async def list_audit(
    principal: Principal,
    limit: int,
    offset: int,
    entity: str | None = None,
    entity_id: str | None = None,
    user: str | None = None,
) -> Page[AuditOut]:
    require(principal, "audit.read")
    where = []
    if entity:
        where.append(AuditEntry.entity == entity)
    if entity_id:
        where.append(AuditEntry.entity_id == entity_id)
    if user:
        where.append(AuditEntry.username == user)
    query = AuditEntry.select().order_by(AuditEntry.id, ascending=False)
    return await paged(lambda: (query, AuditEntry.count(), where), limit, offset, _audit_out)


def _audit_out(r: dict) -> AuditOut:
    return AuditOut(
        id=r["id"],
        at=r["at"],
        user=r["username"],
        action=r["action"],
        entity=r["entity"],
        entity_id=r["entity_id"],
        fields=json.loads(r["fields"]) if isinstance(r["fields"], str) else r["fields"],
    )
