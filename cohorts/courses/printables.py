"""Fetching what the cohort printables show, within the caller's scope; the layout is in pdf_templates."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from cohorts.courses.services import COLUMNS
from cohorts.courses.sessions import fetch_session
from cohorts.tables import CourseSession, Enrolment, Location
from digiystava.access import Principal, cohort_or_404, require
from digiystava.db import must_exist

if TYPE_CHECKING:
    from pdf_templates.course_sheets import SheetSession


def _session(row: dict) -> SheetSession:
    from pdf_templates import course_sheets

    return course_sheets.SheetSession(
        week=row["week"],
        date=row["date"],
        start_time=row["start_time"],
        kind=row["kind"],
        cancelled=bool(row.get("cancelled")),
        holiday=row.get("holiday") or "",
    )


async def sign_in_sheet(principal: Principal, session_id: int, lang: str) -> bytes:
    from pdf_templates import course_sheets  # NOTE: reportlab loads on the first sheet

    require(principal, "cohorts.read")
    session = await fetch_session(principal, session_id)
    cohort = await cohort_or_404(principal, session["cohort"], *COLUMNS)
    rows = (
        await Enrolment.select(Enrolment.participant.first_name, Enrolment.participant.last_name)
        .where(Enrolment.cohort == cohort["id"], Enrolment.status.is_in(["enrolled", "completed"]))
        .order_by(Enrolment.participant.last_name)
    )
    names = [f"{r['participant.last_name']}, {r['participant.first_name']}" for r in rows]
    sheet = course_sheets.SignInSheet(lang, cohort["name"], cohort["location_name"], _session(session), tuple(names))
    # Layout is CPU work: keep it off the event loop.
    return await asyncio.to_thread(course_sheets.sign_in_sheet, sheet)


async def course_schedule(principal: Principal, cohort_id: int, lang: str) -> bytes:
    from pdf_templates import course_sheets

    require(principal, "cohorts.read")
    cohort = await cohort_or_404(principal, cohort_id, *COLUMNS)
    location = must_exist(await Location.select(Location.address).where(Location.id == cohort["location"]).first())
    sessions = await CourseSession.select().where(CourseSession.cohort == cohort_id).order_by(CourseSession.week)
    schedule = course_sheets.CourseSchedule(
        lang, cohort["name"], cohort["location_name"], location["address"], tuple(_session(s) for s in sessions)
    )
    return await asyncio.to_thread(course_sheets.course_schedule, schedule)
