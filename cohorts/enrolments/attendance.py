"""Attendance per session (present, absent, excused) and attendance rates."""

from __future__ import annotations

from collections import defaultdict

from cohorts.courses.sessions import fetch_session
from cohorts.enrolments.schemas import AttendanceIn, AttendanceOut, AttendanceRateOut, CohortAttendanceOut
from cohorts.participants.erased import ERASED, erased_among
from cohorts.tables import Attendance, CourseSession, Enrolment
from cohorts.tablets.history import locked
from digiystava import audit, clock
from digiystava.access import Principal, cohort_or_404, ensure_cohort_open, require
from digiystava.db import write_transaction
from digiystava.errors import FieldProblem, InvalidRows, NotFound
from digiystava.i18n import N_

SEATED = ["enrolled", "completed"]


async def _roster(cohort_id: int, erased: bool = True) -> list[dict]:
    """The seated seniors; without the erased ones (who can be marked no more) when ``erased`` is False."""
    where = [Enrolment.cohort == cohort_id, Enrolment.status.is_in(SEATED)]
    if not erased:
        where.append(Enrolment.participant.erased_at.is_null())
    return (
        await Enrolment.select(
            Enrolment.participant.as_alias("participant_id"),
            Enrolment.participant.first_name.as_alias("first_name"),
            Enrolment.participant.last_name.as_alias("last_name"),
        )
        .where(*where)
        .order_by(Enrolment.participant.last_name)
        .order_by(Enrolment.participant.first_name)
    )


async def get_attendance(principal: Principal, session_id: int) -> list[AttendanceOut]:
    require(principal, "cohorts.read")
    session = await fetch_session(principal, session_id)
    marks = {
        r["participant"]: r["status"]
        for r in await Attendance.select(Attendance.participant, Attendance.status).where(
            Attendance.session == session_id
        )
    }
    return [
        AttendanceOut(**r, status=marks.get(r["participant_id"]))
        for r in await _roster(session["cohort"], erased=False)
    ]


async def cohort_marks(principal: Principal, cohort_id: int) -> tuple[list[AttendanceOut], dict[tuple[int, int], str]]:
    """The seated seniors and every mark on the cohort's sessions, keyed (senior, session): two queries for the
    whole grid.
    """
    require(principal, "cohorts.read")
    rows = await Attendance.select(Attendance.participant, Attendance.session, Attendance.status).where(
        Attendance.session.cohort == cohort_id
    )
    marks = {(r["participant"], r["session"]): r["status"] for r in rows}
    return [AttendanceOut(**r, status=None) for r in await _roster(cohort_id, erased=False)], marks


async def put_attendance(principal: Principal, session_id: int, items: list[AttendanceIn]) -> list[AttendanceOut]:
    """Set the marks given; seniors not listed keep theirs. Only seated seniors can be marked, never erased ones.

    A completed or cancelled course is a coordinator's to correct (``access.ensure_cohort_open``).
    """
    require(principal, "attendance.write")
    async with write_transaction():
        session = await fetch_session(principal, session_id)
        # NOTE: two markings of one session take turns (PostgreSQL; SQLite's immediate
        # transaction already does): otherwise both delete nothing and the second insert
        # meets the first at the unique index.
        await locked(CourseSession.select(CourseSession.id).where(CourseSession.id == session_id))
        action = ensure_cohort_open(principal, session["cohort_status"])
        seated = {r["participant_id"] for r in await _roster(session["cohort"])}
        erased = await erased_among([item.participant_id for item in items if item.participant_id in seated])
        problems = [
            FieldProblem(
                f"[{i}].participant_id", ERASED if item.participant_id in erased else "not enrolled in this cohort"
            )
            for i, item in enumerate(items)
            if item.participant_id not in seated or item.participant_id in erased
        ]
        ids = [item.participant_id for item in items]
        if len(ids) != len(set(ids)):
            problems.append(FieldProblem("participant_id", "listed twice"))
        if session["date"] > clock.today():
            # NOTE: present or absent is a fact only once the session has been held; "excused" is
            # known ahead (a senior phones to say they will be away), so it may be recorded early.
            problems += [
                FieldProblem(
                    f"[{i}].status", N_("The session has not been held yet: only excused can be recorded ahead.")
                )
                for i, item in enumerate(items)
                if item.status != "excused"
            ]
        if problems:
            raise InvalidRows(N_("Some rows cannot be saved."), errors=problems)
        if ids:
            await Attendance.delete().where(Attendance.session == session_id, Attendance.participant.is_in(ids))
            await Attendance.insert(
                *[
                    Attendance(
                        session=session_id,
                        participant=i.participant_id,
                        status=i.status,
                        recorded_by=principal.user_id or None,
                    )
                    for i in items
                ]
            )
        await audit.record(principal, action, "attendance", session_id, ["status"])
    return await get_attendance(principal, session_id)


async def put_cohort_marks(principal: Principal, cohort_id: int, marks: dict[int, list[AttendanceIn]]) -> None:
    """The attendance grid's save: the marks of several sessions of one cohort, all or none.

    A session that is not this cohort's answers as one that does not exist.
    """
    require(principal, "attendance.write")
    async with write_transaction():
        await cohort_or_404(principal, cohort_id)
        own = {r["id"] for r in await CourseSession.select(CourseSession.id).where(CourseSession.cohort == cohort_id)}
        if any(session_id not in own for session_id in marks):
            raise NotFound()
        problems: list[FieldProblem] = []
        for session_id, items in marks.items():
            try:
                await put_attendance(principal, session_id, items)
            except InvalidRows as exc:
                # NOTE: each session's problems keep its id in front (``12[0].status``), so the grid can point at the
                # cell.
                problems += [
                    FieldProblem(
                        f"{session_id}{problem.field if problem.field.startswith('[') else '.' + problem.field}",
                        problem.message,
                    )
                    for problem in exc.errors
                ]
        if problems:
            raise InvalidRows(N_("Some rows cannot be saved."), errors=problems)


def attendance_rate(present: int, marked: int) -> float | None:
    return round(present / marked, 3) if marked else None


async def cohort_attendance(principal: Principal, cohort_id: int) -> CohortAttendanceOut:
    """Rate = present ÷ sessions marked for that senior; excused counts as not present."""
    require(principal, "cohorts.read")
    await cohort_or_404(principal, cohort_id)
    rows = await Attendance.select(Attendance.participant, Attendance.status, Attendance.session).where(
        Attendance.session.cohort == cohort_id
    )
    tally: dict[int, dict[str, int]] = defaultdict(lambda: {"present": 0, "absent": 0, "excused": 0})
    for row in rows:
        tally[row["participant"]][row["status"]] += 1
    seniors = []
    for person in await _roster(cohort_id):
        t = tally[person["participant_id"]]
        seniors.append(AttendanceRateOut(**person, **t, rate=attendance_rate(t["present"], sum(t.values()))))
    present = sum(t["present"] for t in tally.values())
    marks = sum(sum(t.values()) for t in tally.values())
    return CohortAttendanceOut(
        cohort_id=cohort_id,
        sessions_marked=len({r["session"] for r in rows}),
        rate=attendance_rate(present, marks),
        seniors=seniors,
    )
