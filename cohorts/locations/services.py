"""Reading and changing locations, within the caller's scope."""

from __future__ import annotations

import secrets

from cohorts.locations.schemas import LocationIn, LocationOut, LocationPatch
from cohorts.tables import Location, StaffLocation
from digiystava import audit
from digiystava.access import Principal, ensure_location, require, scope_where
from digiystava.db import must_exist, write_transaction
from digiystava.errors import NotFound
from digiystava.paging import paged
from digiystava.schemas import Page


async def list_locations(
    principal: Principal, limit: int = 50, offset: int = 0, kind: str | None = None, district: str | None = None
) -> Page[LocationOut]:
    require(principal, "locations.read")
    where = [w for w in (scope_where(principal, Location.id),) if w is not None]
    if kind:
        where.append(Location.kind == kind)
    if district:
        where.append(Location.district == district)
    return await paged(
        lambda: (Location.select().order_by(Location.name), Location.count(), where),
        limit,
        offset,
        lambda r: LocationOut(**r),
    )


async def get_location(principal: Principal, location_id: int) -> LocationOut:
    require(principal, "locations.read")
    ensure_location(principal, location_id)
    row = await Location.select().where(Location.id == location_id).first()
    if row is None:
        raise NotFound()
    return LocationOut(**row)


async def create_location(principal: Principal, data: LocationIn) -> LocationOut:
    require(principal, "locations.write")
    async with write_transaction():
        location = Location(**data.model_dump())
        await location.save()
        await audit.record(principal, "create", "location", location.id, data.model_dump().keys())
    return await get_location(principal, location.id)


async def update_location(principal: Principal, location_id: int, data: LocationPatch) -> LocationOut:
    require(principal, "locations.write")
    changes = data.changes()
    async with write_transaction():
        before = await Location.select().where(Location.id == location_id).first()
        if before is None:
            raise NotFound()
        if changes:
            await Location.update({getattr(Location, k): v for k, v in changes.items()}).where(
                Location.id == location_id
            )
        await audit.record(principal, "update", "location", location_id, audit.changed_fields(before, changes))
    return await get_location(principal, location_id)


async def calendar_token(principal: Principal, location_id: int, renew: bool = False) -> str:
    """The secret of the location's calendar link, made on first use; renewing kills the old link."""
    await get_location(principal, location_id)
    row = must_exist(await Location.select(Location.calendar_token).where(Location.id == location_id).first())
    if row["calendar_token"] and not renew:
        return row["calendar_token"]
    token = secrets.token_urlsafe(24)
    async with write_transaction():
        await Location.update({Location.calendar_token: token}).where(Location.id == location_id)
        await audit.record(principal, "renew", "location", location_id, ["calendar_token"])
    return token


async def location_choices(principal: Principal) -> list[dict]:
    """Id and name of every location the caller may see, for a form's choice list."""
    require(principal, "locations.read")
    query = Location.select(Location.id, Location.name).order_by(Location.name)
    where = scope_where(principal, Location.id)
    return await (query.where(where) if where is not None else query)


async def location_trainers(principal: Principal, location_id: int) -> list[dict]:
    """The active trainers who work at the location (and so see its seniors): id and name, by name."""

    await get_location(principal, location_id)
    rows = await StaffLocation.select(
        StaffLocation.user.as_alias("id"),
        StaffLocation.user.display_name.as_alias("display_name"),
        StaffLocation.user.username.as_alias("username"),
    ).where(
        StaffLocation.location == location_id,
        StaffLocation.user._.role == "trainer",
        StaffLocation.user._.active.eq(True),
    )
    trainers = [{"id": r["id"], "name": r["display_name"] or r["username"]} for r in rows]
    return sorted(trainers, key=lambda t: t["name"].casefold())
