"""Reading and changing volunteers; trainers see those paired in their locations' cohorts."""

from __future__ import annotations

from typing import Any

from piccolo.query.functions.aggregate import Count

from cohorts.tables import Cohort, Pairing, Volunteer
from cohorts.volunteers.schemas import VolunteerIn, VolunteerOut, VolunteerPatch
from digiystava import audit
from digiystava.access import Principal, location_scope, require
from digiystava.accounts.tables import StaffUser
from digiystava.db import write_transaction
from digiystava.errors import Conflict, InvalidInput, NotFound
from digiystava.i18n import N_
from digiystava.paging import paged
from digiystava.schemas import Page

# NOTE: a volunteer's load counts their active pairs in every cohort whose dates overlap
# (planned ones too: coordinators pair before a course starts); completed and cancelled
# cohorts' pairs do not count.
ENDED_STATUSES = ("completed", "cancelled")


def availability_json(windows: list[Any]) -> list[dict[str, Any]]:
    return [{"weekday": w.weekday, "start": w.start.strftime("%H:%M"), "end": w.end.strftime("%H:%M")} for w in windows]


async def scoped_volunteer_ids(principal: Principal) -> list[int] | None:
    """None: every volunteer; otherwise those paired (now or before) in the caller's locations."""
    scope = location_scope(principal)
    if scope is None:
        return None
    rows = await Pairing.select(Pairing.volunteer).where(Pairing.cohort.location.is_in(sorted(scope) or [0]))
    return sorted({r["volunteer"] for r in rows})


async def active_loads(volunteer_ids: list[int] | None = None, also_cohort: int | None = None) -> dict[int, int]:
    """Seniors each volunteer guides at the same time.

    With ``also_cohort``: active pairs in that cohort and in every other cohort (not
    completed or cancelled) whose dates overlap it, the load a new pair there would
    add to. Without: the most seniors at once over the volunteer's cohorts, each cohort
    counted with those overlapping it (what the volunteer lists show as n / max).
    """
    counted = Pairing.cohort._.status.not_in(list(ENDED_STATUSES))
    where = [Pairing.ended_on.is_null()]
    if volunteer_ids is not None:
        where.append(Pairing.volunteer.is_in(volunteer_ids or [0]))
    if also_cohort is not None:
        dates = await Cohort.select(Cohort.start_date, Cohort.end_date).where(Cohort.id == also_cohort).first()
        if dates is None:
            return {}
        overlapping = (
            counted
            & (Pairing.cohort._.start_date <= dates["end_date"])
            & (Pairing.cohort._.end_date >= dates["start_date"])
        )
        query = Pairing.select(Pairing.volunteer, Count(Pairing.id, alias="n")).where(
            *where, overlapping | (Pairing.cohort == also_cohort)
        )
        return {r["volunteer"]: r["n"] for r in await query.group_by(Pairing.volunteer)}
    rows = await Pairing.select(
        Pairing.volunteer,
        Pairing.cohort,
        Pairing.cohort._.start_date.as_alias("start_date"),
        Pairing.cohort._.end_date.as_alias("end_date"),
    ).where(*where, counted)
    spans: dict[int, dict[int, list]] = {}
    for r in rows:
        span = spans.setdefault(r["volunteer"], {}).setdefault(r["cohort"], [r["start_date"], r["end_date"], 0])
        span[2] += 1
    return {
        volunteer: max(
            sum(n for start, end, n in cohorts.values() if start <= k_end and end >= k_start)
            for k_start, k_end, _n in cohorts.values()
        )
        for volunteer, cohorts in spans.items()
    }


def _out(row: dict[str, Any], loads: dict[int, int]) -> VolunteerOut:
    return VolunteerOut(**{**row, "user_id": row["user"], "active_pairs": loads.get(row["id"], 0)})


async def list_volunteers(
    principal: Principal, limit: int = 50, offset: int = 0, active: bool | None = None, organisation: str | None = None
) -> Page[VolunteerOut]:
    require(principal, "volunteers.read")
    where = []
    ids = await scoped_volunteer_ids(principal)
    if ids is not None:
        where.append(Volunteer.id.is_in(ids or [0]))
    if active is not None:
        where.append(Volunteer.active == active)
    if organisation:
        where.append(Volunteer.organisation == organisation)
    query = Volunteer.select().order_by(Volunteer.name).order_by(Volunteer.id).output(load_json=True)
    page = await paged(lambda: (query, Volunteer.count(), where), limit, offset)
    loads = await active_loads([r["id"] for r in page.items])
    page.items = [_out(r, loads) for r in page.items]
    return page


async def get_volunteer(principal: Principal, volunteer_id: int) -> VolunteerOut:
    require(principal, "volunteers.read")
    ids = await scoped_volunteer_ids(principal)
    if ids is not None and volunteer_id not in ids:
        raise NotFound()
    row = await Volunteer.select().where(Volunteer.id == volunteer_id).output(load_json=True).first()
    if row is None:
        raise NotFound()
    return _out(row, await active_loads([volunteer_id]))


async def _check_user(user_id: int | None, volunteer_id: int | None) -> None:
    if user_id is None:
        return
    user = await StaffUser.select(StaffUser.role).where(StaffUser.id == user_id).first()
    if user is None:
        raise InvalidInput("user_id", N_("no such user"))
    if user["role"] != "volunteer":
        raise InvalidInput("user_id", N_("the user's role must be volunteer"))
    other = await Volunteer.select(Volunteer.id).where(Volunteer.user == user_id).first()
    if other is not None and other["id"] != volunteer_id:
        raise Conflict(N_("That login already belongs to another volunteer."))


def _columns(values: dict[str, Any]) -> dict[str, Any]:
    values = dict(values)
    if "availability" in values:
        values["availability"] = availability_json(values["availability"])
    if "user_id" in values:
        values["user"] = values.pop("user_id")
    return values


async def create_volunteer(principal: Principal, data: VolunteerIn) -> VolunteerOut:
    require(principal, "volunteers.write")
    async with write_transaction():
        await _check_user(data.user_id, None)
        volunteer = Volunteer(**_columns({**data.model_dump(), "availability": data.availability}))
        await volunteer.save()
        await audit.record(principal, "create", "volunteer", volunteer.id, data.model_dump().keys())
    return await get_volunteer(principal, volunteer.id)


async def update_volunteer(principal: Principal, volunteer_id: int, data: VolunteerPatch) -> VolunteerOut:
    require(principal, "volunteers.write")
    changes = data.changes(nullable=("identity_checked_on", "training_done_on", "user_id"))
    if "availability" in changes:
        changes["availability"] = data.availability
    async with write_transaction():
        before = await Volunteer.select().where(Volunteer.id == volunteer_id).output(load_json=True).first()
        if before is None:
            raise NotFound()
        if "user_id" in changes:
            await _check_user(changes["user_id"], volunteer_id)
        columns = _columns(changes)
        before["user_id"] = before["user"]
        if columns:
            await Volunteer.update({getattr(Volunteer, k): v for k, v in columns.items()}).where(
                Volunteer.id == volunteer_id
            )
        compared = {**changes, **({"availability": columns["availability"]} if "availability" in columns else {})}
        await audit.record(principal, "update", "volunteer", volunteer_id, audit.changed_fields(before, compared))
    return await get_volunteer(principal, volunteer_id)


async def login_choices(principal: Principal, current: int | None) -> list[tuple[str, str]]:
    """Volunteer logins not yet linked to another volunteer, for linking one."""
    require(principal, "volunteers.write")
    taken = {r["user"] for r in await Volunteer.select(Volunteer.user).where(Volunteer.user.is_not_null())} - {current}
    users = (
        await StaffUser.select(StaffUser.id, StaffUser.username)
        .where(StaffUser.role == "volunteer")
        .order_by(StaffUser.username)
    )
    return [(str(u["id"]), u["username"]) for u in users if u["id"] not in taken]
