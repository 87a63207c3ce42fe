"""A cohort's weekly sessions: generation from the cohort, moving and cancelling."""

from __future__ import annotations

import datetime as dt

from cohorts.courses.schedule import holiday_name, plan_sessions
from cohorts.courses.schemas import SessionOut, SessionPatch
from cohorts.courses.status import start_due_cohorts
from cohorts.tables import Attendance, Cohort, CourseSession
from digiystava import audit, clock
from digiystava.access import Principal, cohort_or_404, ensure_cohort_open, ensure_location, require, scope_where
from digiystava.db import must_exist, write_transaction
from digiystava.errors import NotFound

# What a calendar event of a session shows; a change to any of them raises the session's revision.
CALENDAR_FIELDS = ("date", "start_time", "kind", "cancelled")


def _out(row: dict) -> SessionOut:
    return SessionOut(**{k: v for k, v in row.items() if k != "cohort"}, cohort_id=row["cohort"])


async def generate(cohort_id: int) -> None:
    """(Re)build the sessions from the cohort's start, time, weeks and pattern.

    Sessions that already have attendance are history and stay as they are;
    every other week is planned anew, and weeks beyond the new length go. A week
    planned anew keeps its session, so calendars see the same event (UID) moved,
    with its revision (SEQUENCE) raised. Runs inside the caller's transaction.
    """
    cohort = must_exist(await Cohort.select().where(Cohort.id == cohort_id).first())
    existing = await CourseSession.select().where(CourseSession.cohort == cohort_id).order_by(CourseSession.id)
    marked = {
        row["session"]
        for row in await Attendance.select(Attendance.session).where(
            Attendance.session.is_in([s["id"] for s in existing] or [0])
        )
    }
    kept_weeks = {s["week"] for s in existing if s["id"] in marked}
    reusable = {s["week"]: s for s in reversed(existing) if s["id"] not in marked}
    reused: set[int] = set()
    planned: list[CourseSession] = []
    for p in plan_sessions(cohort["start_date"], cohort["start_time"], cohort["weeks"], cohort["pattern"]):
        if p.week in kept_weeks:
            continue
        old = reusable.pop(p.week, None)
        if old is None:
            planned.append(
                CourseSession(
                    cohort=cohort_id, week=p.week, date=p.date, start_time=p.start_time, kind=p.kind, holiday=p.holiday
                )
            )
            continue
        reused.add(old["id"])
        values = {
            "date": p.date,
            "start_time": p.start_time,
            "kind": p.kind,
            "cancelled": False,
            "holiday": p.holiday,
            "note": "",
        }
        if any(old[k] != v for k, v in values.items()):
            if any(old[k] != values[k] for k in CALENDAR_FIELDS):
                values["revision"] = old["revision"] + 1
            await CourseSession.update({getattr(CourseSession, k): v for k, v in values.items()}).where(
                CourseSession.id == old["id"]
            )
    removable = [s["id"] for s in existing if s["id"] not in marked and s["id"] not in reused]
    if removable:
        await CourseSession.delete().where(CourseSession.id.is_in(removable))
    if planned:
        await CourseSession.insert(*planned)


async def raise_revisions(cohort_id: int) -> None:
    """Every session of the cohort changed in calendars (the cohort cancelled, renamed, lengthened); inside the caller's
    transaction.
    """
    await CourseSession.update({CourseSession.revision: CourseSession.revision + 1}).where(
        CourseSession.cohort == cohort_id
    )


async def list_sessions(principal: Principal, cohort_id: int) -> list[SessionOut]:
    require(principal, "cohorts.read")
    await cohort_or_404(principal, cohort_id)
    rows = await CourseSession.select().where(CourseSession.cohort == cohort_id).order_by(CourseSession.week)
    return [_out(r) for r in rows]


async def fetch_session(principal: Principal, session_id: int) -> dict:
    row = (
        await CourseSession.select(
            *CourseSession.all_columns(),
            CourseSession.cohort.location.as_alias("location"),
            CourseSession.cohort.status.as_alias("cohort_status"),
        )
        .where(CourseSession.id == session_id)
        .first()
    )
    if row is None:
        raise NotFound()
    ensure_location(principal, row["location"])
    return row


async def update_session(principal: Principal, session_id: int, data: SessionPatch) -> SessionOut:
    """Move, re-time, re-kind or cancel one session; a moved session is re-checked for holidays."""
    require(principal, "sessions.write")
    changes = data.changes()
    async with write_transaction():
        before = await fetch_session(principal, session_id)
        action = ensure_cohort_open(principal, before["cohort_status"])
        values = dict(changes)
        if "date" in changes:
            values["holiday"] = holiday_name(changes["date"])
        if any(name in changes and changes[name] != before[name] for name in CALENDAR_FIELDS):
            values["revision"] = before["revision"] + 1
        if values:
            await CourseSession.update({getattr(CourseSession, k): v for k, v in values.items()}).where(
                CourseSession.id == session_id
            )
        await audit.record(principal, action, "session", session_id, audit.changed_fields(before, changes))
        await start_due_cohorts(clock.today(), before["cohort"])
    row = must_exist(await CourseSession.select().where(CourseSession.id == session_id).first())
    return _out(row)


async def sessions_between(principal: Principal, first: dt.date, last: dt.date) -> list[dict]:
    """Sessions of running cohorts in the caller's scope between two dates, for home pages."""
    where = [
        CourseSession.date >= first,
        CourseSession.date <= last,
        CourseSession.cohort.status.is_in(["running", "planned"]),
    ]
    scope = scope_where(principal, CourseSession.cohort.location)
    if scope is not None:
        where.append(scope)
    return (
        await CourseSession.select(
            *CourseSession.all_columns(),
            CourseSession.cohort.name.as_alias("cohort_name"),
            CourseSession.cohort._.location._.name.as_alias("location_name"),
        )
        .where(*where)
        .order_by(CourseSession.date)
        .order_by(CourseSession.start_time)
    )
