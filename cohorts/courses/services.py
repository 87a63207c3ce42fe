"""Planning cohorts: create, change (with sensible status transitions), run again, list."""

from __future__ import annotations

import secrets
from typing import Any

from pydantic import TypeAdapter

from cohorts.courses import sessions as session_service
from cohorts.courses.schedule import last_session_date
from cohorts.courses.schemas import CohortIn, CohortOut, CohortPatch, RunAgainIn
from cohorts.courses.status import needs_completion, start_due_cohorts
from cohorts.enrolments.services import fill_free_seats
from cohorts.tables import Cohort, CohortTrainer, Location, StaffLocation
from digiystava import audit, clock, search
from digiystava.access import (
    Principal,
    cohort_or_404,
    ensure_cohort_open,
    location_ref,
    location_scope,
    require,
    scope_where,
)
from digiystava.accounts.tables import StaffUser
from digiystava.db import must_exist, write_transaction
from digiystava.errors import Conflict, InvalidInput
from digiystava.i18n import N_
from digiystava.paging import paged
from digiystava.schemas import PlainPage, as_models

# Where a cohort may go from each status.
TRANSITIONS = {
    "planned": {"running", "cancelled"},
    "running": {"completed", "cancelled"},
    "completed": set(),
    "cancelled": set(),
}
SCHEDULE_FIELDS = {"start_date", "start_time", "weeks", "pattern"}
# What every calendar event of the cohort shows besides its own session (and its cancellation).
FEED_FIELDS = ("name", "session_minutes")


# The seat figures, the last held session and the trainers are columns the database keeps (figures.py).
COLUMNS = (*Cohort.all_columns(exclude=[Cohort.calendar_token]), Cohort.location.name.as_alias("location_name"))


COHORTS = TypeAdapter(list[CohortOut])


def cohort_fields(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of ``COLUMNS`` as ``CohortOut``'s fields, plain: its JSON's values (see ``PlainPage``)."""
    today = clock.today()
    return [
        {
            "id": row["id"],
            "location_id": row["location"],
            "location_name": row["location_name"],
            "name": row["name"],
            "start_date": row["start_date"],
            "start_time": row["start_time"],
            "weekday": row["start_date"].weekday(),
            "session_minutes": row["session_minutes"],
            "weeks": row["weeks"],
            "capacity": row["capacity"],
            "trainer_ids": sorted(map(int, row["trainer_ids"].split(","))) if row["trainer_ids"] else [],
            "status": row["status"],
            "end_date": row["end_date"],
            "pattern": row["pattern"],
            "enrolled": row["enrolled"],
            "waitlisted": row["waitlisted"],
            "free_seats": max(0, row["capacity"] - row["enrolled"]),
            "needs_completion": needs_completion(row["status"], row["last_session"], today),
        }
        for row in rows
    ]


def cohorts_out(rows: list[dict[str, Any]]) -> list[CohortOut]:
    """Rows of ``COLUMNS`` as cohorts with their seat figures, validated together."""
    return COHORTS.validate_python(cohort_fields(rows))


def _where(principal: Principal, location_id: int | None, status: str | None) -> list:
    where = [w for w in (scope_where(principal, Cohort.location),) if w is not None]
    if location_id is not None:
        where.append(Cohort.location == location_id)
    if status:
        where.append(Cohort.status == status)
    return where


async def cohort_page(
    principal: Principal,
    limit: int = 50,
    offset: int = 0,
    location_id: int | None = None,
    status: str | None = None,
    q: str | None = None,
) -> PlainPage:
    """A page of cohorts, newest first, as the API answers it (``list_cohorts`` gives them as models);
    ``q`` finds words of the cohort's or its location's name, accents ignored."""
    require(principal, "cohorts.read")
    query_words = search.words(q)
    if query_words:
        # NOTE: a programme has some thousand cohorts: their names are folded in Python, the same on both engines.
        where = _where(principal, location_id, status)
        named = Cohort.select(Cohort.id, Cohort.name, Cohort.location._.name.as_alias("location_name"))
        named = named.where(*where) if where else named
        found = [
            r["id"]
            for r in await named.order_by(Cohort.start_date, ascending=False).order_by(Cohort.id)
            if search.matches(query_words, r["name"], r["location_name"])
        ]
        shown = found[offset : offset + limit]
        rows = await Cohort.select(*COLUMNS).where(Cohort.id.is_in(shown or [0]))
        rows.sort(key=lambda r: shown.index(r["id"]))
        return PlainPage.model_construct(items=cohort_fields(rows), total=len(found), limit=limit, offset=offset)

    def build():
        query = Cohort.select(*COLUMNS).order_by(Cohort.start_date, ascending=False).order_by(Cohort.id)
        return query, Cohort.count(), _where(principal, location_id, status)

    key = ("cohorts", location_scope(principal), location_id, status)
    page = await paged(build, limit, offset, key=key)
    return PlainPage.model_construct(items=cohort_fields(page.items), total=page.total, limit=limit, offset=offset)


list_cohorts = as_models(cohort_page, COHORTS)


async def get_cohort(principal: Principal, cohort_id: int) -> CohortOut:
    require(principal, "cohorts.read")
    return cohorts_out([await cohort_or_404(principal, cohort_id, *COLUMNS)])[0]


async def trainer_names(trainer_ids: list[int]) -> list[dict[str, Any]]:
    """The cohort's trainers as the page names them: display name, else username."""
    rows = await StaffUser.select(StaffUser.id, StaffUser.display_name, StaffUser.username).where(
        StaffUser.id.is_in(trainer_ids or [0])
    )
    return sorted(
        ({"id": r["id"], "name": r["display_name"] or r["username"]} for r in rows), key=lambda r: r["name"].casefold()
    )


async def _set_trainers(
    principal: Principal, cohort_id: int, location_id: int, trainer_ids: list[int], widen_access: bool = False
) -> None:
    """The cohort's trainers; a trainer who does not work at its location yet gets it only when asked.

    Working at a location lets a trainer see every senior, cohort and loan there, so a
    choice that would widen someone's access is refused (409, naming who and where)
    unless ``widen_access`` confirms it; each widening is audited on the user.
    """
    ids = sorted(set(trainer_ids))
    if ids:
        rows = await StaffUser.select(StaffUser.id, StaffUser.role, StaffUser.username, StaffUser.display_name).where(
            StaffUser.id.is_in(ids)
        )
        known = {r["id"]: r for r in rows if r["role"] in ("trainer", "coordinator")}
        unknown = [i for i in ids if i not in known]
        if unknown:
            raise InvalidInput("trainer_ids", N_("user {id} is not a trainer", id=unknown[0]))
        have = {
            r["user"]
            for r in await StaffLocation.select(StaffLocation.user).where(
                StaffLocation.location == location_id, StaffLocation.user.is_in(ids)
            )
        }
        # NOTE: coordinators see every location anyway; only a trainer's access grows.
        widening = [known[i] for i in ids if i not in have and known[i]["role"] == "trainer"]
        if widening and not widen_access:
            place = must_exist(await Location.select(Location.name).where(Location.id == location_id).first())["name"]
            names = ", ".join(r["display_name"] or r["username"] for r in widening)
            raise Conflict(
                N_(
                    "Choosing {names} would let them see every senior, cohort and loan at {location}. Confirm "
                    "with widen_access: true.",
                    names=names,
                    location=place,
                ),
                extra={
                    "widens": [
                        {
                            "user_id": r["id"],
                            "username": r["username"],
                            "name": r["display_name"] or r["username"],
                            "location_id": location_id,
                            "location_name": place,
                        }
                        for r in widening
                    ]
                },
            )
        if widening:
            await StaffLocation.insert(*[StaffLocation(user=r["id"], location=location_id) for r in widening])
            for r in widening:
                await audit.record(principal, "widen", "user", r["id"], ["location_ids"])
    await CohortTrainer.delete().where(CohortTrainer.cohort == cohort_id)
    if ids:
        await CohortTrainer.insert(*[CohortTrainer(cohort=cohort_id, user=i) for i in ids])


async def create_cohort(principal: Principal, data: CohortIn) -> CohortOut:
    require(principal, "cohorts.write")
    async with write_transaction():
        await location_ref(principal, data.location_id, "location_id")
        weeks = data.weeks or 10
        cohort = Cohort(
            location=data.location_id,
            name=data.name,
            start_date=data.start_date,
            start_time=data.start_time,
            session_minutes=data.session_minutes,
            weeks=weeks,
            end_date=last_session_date(data.start_date, weeks),
            capacity=data.capacity,
            status=data.status,
            pattern=data.pattern,
            calendar_token=secrets.token_urlsafe(24),
        )
        await cohort.save()
        await _set_trainers(principal, cohort.id, data.location_id, data.trainer_ids, data.widen_access)
        await session_service.generate(cohort.id)
        await audit.record(
            principal,
            "create",
            "cohort",
            cohort.id,
            data.model_dump(exclude_unset=True, exclude={"widen_access"}).keys(),
        )
        await start_due_cohorts(clock.today(), cohort.id)
    return await get_cohort(principal, cohort.id)


async def update_cohort(principal: Principal, cohort_id: int, data: CohortPatch) -> CohortOut:
    require(principal, "cohorts.write")
    changes = data.changes()
    widen_access = bool(changes.pop("widen_access", False))
    async with write_transaction():
        before = await cohort_or_404(principal, cohort_id, *COLUMNS)
        action = ensure_cohort_open(principal, before["status"])
        new_status = changes.get("status", before["status"])
        if new_status != before["status"] and new_status not in TRANSITIONS[before["status"]]:
            raise InvalidInput("status", f"cannot change from {before['status']} to {new_status}")
        trainer_ids = changes.pop("trainer_ids", None)
        if changes:
            values = dict(changes)
            if SCHEDULE_FIELDS & changes.keys():
                values["end_date"] = last_session_date(
                    changes.get("start_date", before["start_date"]), changes.get("weeks", before["weeks"])
                )
            await Cohort.update({getattr(Cohort, k): v for k, v in values.items()}).where(Cohort.id == cohort_id)
            if "capacity" in changes:
                await fill_free_seats(cohort_id)
        if trainer_ids is not None:
            await _set_trainers(principal, cohort_id, before["location"], trainer_ids, widen_access)
        if any(name in changes and changes[name] != before[name] for name in FEED_FIELDS) or (
            new_status == "cancelled" != before["status"]
        ):
            await session_service.raise_revisions(cohort_id)
        if SCHEDULE_FIELDS & changes.keys():
            await session_service.generate(cohort_id)
        fields = audit.changed_fields(before, changes) + (["trainer_ids"] if trainer_ids is not None else [])
        await audit.record(principal, action, "cohort", cohort_id, fields)
        await start_due_cohorts(clock.today(), cohort_id)
    return await get_cohort(principal, cohort_id)


async def run_again(principal: Principal, cohort_id: int, data: RunAgainIn) -> CohortOut:
    """Copy a cohort's set-up (place, time, length, capacity, trainers, pattern) to a new term."""
    require(principal, "cohorts.write")
    source = await get_cohort(principal, cohort_id)
    copy = CohortIn(
        location_id=source.location_id,
        name=data.name or f"{source.name[:190]} ({data.start_date.year})",  # NOTE: a name is at most 200 characters
        start_date=data.start_date,
        start_time=source.start_time,
        session_minutes=source.session_minutes,
        weeks=source.weeks,
        capacity=source.capacity,
        trainer_ids=source.trainer_ids,
        pattern=source.pattern,
    )
    return await create_cohort(principal, copy)


async def calendar_token(principal: Principal, cohort_id: int, renew: bool = False) -> str:
    """The secret of the cohort's calendar link; renewing it kills the old link."""
    require(principal, "cohorts.read")
    row = await cohort_or_404(principal, cohort_id, Cohort.calendar_token)
    if not renew:
        return row["calendar_token"]
    require(principal, "cohorts.write")
    token = secrets.token_urlsafe(24)
    async with write_transaction():
        await Cohort.update({Cohort.calendar_token: token}).where(Cohort.id == cohort_id)
        await audit.record(principal, "renew", "cohort", cohort_id, ["calendar_token"])
    return token
