"""Enrolling seniors: seats up to capacity, then a waiting list in order; dropping promotes.

Every change runs in a write transaction that first locks the cohort row
(SQLite: BEGIN IMMEDIATE; PostgreSQL: SELECT ... FOR UPDATE), so two seniors
racing for the last seat get one seat and one waiting-list place.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

from digiystava import clock
from digiystava import audit
from digiystava.access import FINISHED, Principal, ensure_cohort_open, ensure_location, require, senior_ref
from digiystava.db import write_transaction
from digiystava.errors import Conflict, InvalidInput, NotFound
from digiystava.i18n import N_

from cohorts.enrolments.schemas import EnrolmentOut
from cohorts.participants.privacy import ERASED
from cohorts.tables import Cohort, Enrolment, Participant

SEATED = ("enrolled", "completed")


async def _lock_cohort(principal: Principal, cohort_id: int) -> dict:
    query = Cohort.select(Cohort.id, Cohort.location, Cohort.capacity, Cohort.status).where(Cohort.id == cohort_id)
    if Cohort._meta.db.engine_type == "postgres":
        query = query.lock_rows("UPDATE")
    row = await query.first()
    if row is None:
        raise NotFound()
    ensure_location(principal, row["location"])
    return row


async def _seated(cohort_id: int) -> int:
    return await Enrolment.count().where(Enrolment.cohort == cohort_id, Enrolment.status.is_in(list(SEATED)))


async def _next_position(cohort_id: int) -> int:
    rows = await Enrolment.select(Enrolment.waitlist_position).where(Enrolment.cohort == cohort_id, Enrolment.status == "waitlisted")
    return max((r["waitlist_position"] or 0 for r in rows), default=0) + 1


async def _renumber_waitlist(cohort_id: int) -> None:
    rows = (
        await Enrolment.select(Enrolment.id, Enrolment.waitlist_position)
        .where(Enrolment.cohort == cohort_id, Enrolment.status == "waitlisted")
        .order_by(Enrolment.waitlist_position)
        .order_by(Enrolment.id)
    )
    for position, row in enumerate(rows, start=1):
        if row["waitlist_position"] != position:
            await Enrolment.update({Enrolment.waitlist_position: position}).where(Enrolment.id == row["id"])


async def fill_free_seats(cohort_id: int) -> list[int]:
    """Promote the first on the waiting list into every free seat; returns promoted enrolment ids.

    A completed or cancelled course takes nobody: its waiting list stays as it is.
    """
    cohort = await Cohort.select(Cohort.capacity, Cohort.status).where(Cohort.id == cohort_id).first()
    if cohort["status"] in FINISHED:
        return []
    free = cohort["capacity"] - await _seated(cohort_id)
    promoted = []
    if free > 0:
        rows = (
            await Enrolment.select(Enrolment.id)
            .where(Enrolment.cohort == cohort_id, Enrolment.status == "waitlisted")
            .order_by(Enrolment.waitlist_position)
            .order_by(Enrolment.id)
            .limit(free)
        )
        promoted = [r["id"] for r in rows]
        if promoted:
            now = clock.now()
            await Enrolment.update({Enrolment.status: "enrolled", Enrolment.waitlist_position: None, Enrolment.changed_at: now}).where(
                Enrolment.id.is_in(promoted)
            )
            await _renumber_waitlist(cohort_id)
    return promoted


COLUMNS = (
    *Enrolment.all_columns(exclude=[Enrolment.changed_at]),
    Enrolment.participant.first_name.as_alias("first_name"),
    Enrolment.participant.last_name.as_alias("last_name"),
)


def _out(row: dict) -> EnrolmentOut:
    return EnrolmentOut(
        **{k: v for k, v in row.items() if k not in ("cohort", "participant")}, cohort_id=row["cohort"], participant_id=row["participant"]
    )


async def list_enrolments(principal: Principal, cohort_id: int) -> list[EnrolmentOut]:
    from cohorts.courses.services import fetch_cohort

    require(principal, "cohorts.read")
    await fetch_cohort(principal, cohort_id)
    rows = (
        await Enrolment.select(*COLUMNS)
        .where(Enrolment.cohort == cohort_id)
        .order_by(Enrolment.status)
        .order_by(Enrolment.waitlist_position)
        .order_by(Enrolment.participant.last_name)
    )
    return [_out(r) for r in rows]


async def get_enrolment(enrolment_id: int) -> EnrolmentOut:
    row = await Enrolment.select(*COLUMNS).where(Enrolment.id == enrolment_id).first()
    if row is None:
        raise NotFound()
    return _out(row)


async def enrol(principal: Principal, cohort_id: int, participant_id: int) -> EnrolmentOut:
    """A seat while there is one, otherwise the end of the waiting list; twice is a 409."""
    require(principal, "enrolments.write")
    try:
        async with write_transaction():
            cohort = await _lock_cohort(principal, cohort_id)
            if cohort["status"] in ("completed", "cancelled"):
                ended = cohort["status"] == "completed"
                raise Conflict(N_("The course has ended; nobody can join it.") if ended else N_("The course was cancelled; nobody can join it."))
            # NOTE: a senior the caller may not see answers as one who does not exist.
            await senior_ref(principal, participant_id, "participant_id")
            existing = await Enrolment.select(Enrolment.id, Enrolment.status).where(
                Enrolment.cohort == cohort_id, Enrolment.participant == participant_id
            ).first()
            if existing and existing["status"] != "dropped":
                raise Conflict(N_("The senior is already on this cohort or its waiting list."))
            seat_free = await _seated(cohort_id) < cohort["capacity"]
            status = "enrolled" if seat_free else "waitlisted"
            position = None if seat_free else await _next_position(cohort_id)
            now = clock.now()
            if existing:
                enrolment_id = existing["id"]
                await Enrolment.update({Enrolment.status: status, Enrolment.waitlist_position: position, Enrolment.changed_at: now}).where(
                    Enrolment.id == enrolment_id
                )
            else:
                row = await Enrolment.insert(
                    Enrolment(cohort=cohort_id, participant=participant_id, status=status, waitlist_position=position)
                ).returning(Enrolment.id)
                enrolment_id = row[0]["id"]
            await audit.record(principal, "create", "enrolment", enrolment_id, ["status", "waitlist_position"])
    except (sqlite3.IntegrityError, _unique_violation()) as exc:  # a parallel request won the same row
        raise Conflict(N_("The senior is already on this cohort or its waiting list.")) from exc
    return await get_enrolment(enrolment_id)


def _unique_violation() -> type[Exception]:
    from asyncpg.exceptions import UniqueViolationError

    return UniqueViolationError


async def change_status(principal: Principal, enrolment_id: int, status: str) -> EnrolmentOut:
    """Drop, complete or re-enrol; dropping a seated senior promotes the first on the list at once.

    On a completed course a trainer may only mark an enrolled senior completed; the rest is a
    coordinator's correction. On a cancelled course the only change is dropping out.
    """
    require(principal, "enrolments.write")
    row = await Enrolment.select(Enrolment.cohort).where(Enrolment.id == enrolment_id).first()
    if row is None:
        raise NotFound()
    async with write_transaction():
        cohort = await _lock_cohort(principal, row["cohort"])
        current = await Enrolment.select(*Enrolment.all_columns(), Enrolment.participant.erased_at.as_alias("erased_at")).where(Enrolment.id == enrolment_id).first()
        old = current["status"]
        # NOTE: marking a senior who finished as completed closes the course; any other change to it is a correction.
        closing = cohort["status"] == "completed" and (old, status) == ("enrolled", "completed")
        action = "update" if closing else ensure_cohort_open(principal, cohort["status"])
        if status == old:
            return await get_enrolment(enrolment_id)
        if status != "dropped" and cohort["status"] == "cancelled":
            raise Conflict(N_("The course was cancelled; nobody can join it."))
        if status != "dropped" and current["erased_at"] is not None:
            raise InvalidInput("participant_id", ERASED)
        now = clock.now()
        values = {Enrolment.status: status, Enrolment.changed_at: now, Enrolment.waitlist_position: None}
        # NOTE: a correction of a course that has ended records what happened; seats no longer count.
        if status in ("enrolled", "completed") and old in ("waitlisted", "dropped") and cohort["status"] not in FINISHED:
            if await _seated(cohort["id"]) >= cohort["capacity"]:
                if old == "waitlisted":
                    raise Conflict(N_("The cohort is full; the senior stays on the waiting list."))
                values[Enrolment.status] = "waitlisted"
                values[Enrolment.waitlist_position] = await _next_position(cohort["id"])
        if status == "waitlisted" and old != "waitlisted":
            values[Enrolment.waitlist_position] = await _next_position(cohort["id"])
        await Enrolment.update(values).where(Enrolment.id == enrolment_id)
        await _renumber_waitlist(cohort["id"])
        if old in SEATED or status == "dropped":
            await fill_free_seats(cohort["id"])
        await audit.record(principal, action, "enrolment", enrolment_id, ["status"])
    return await get_enrolment(enrolment_id)


async def candidates(principal: Principal, cohort_id: int) -> list[dict]:
    """Seniors registered at the cohort's location who are not on it (or dropped out), for the enrol list."""
    from cohorts.courses.services import fetch_cohort

    require(principal, "enrolments.write")
    cohort = await fetch_cohort(principal, cohort_id)
    on_it = Enrolment.select(Enrolment.participant).where(Enrolment.cohort == cohort_id, Enrolment.status != "dropped")
    return (
        await Participant.select(Participant.id, Participant.first_name, Participant.last_name)
        .where(Participant.erased_at.is_null(), Participant.location == cohort["location"], Participant.id.not_in(on_it))
        .order_by(Participant.last_name)
        .order_by(Participant.first_name)
    )
