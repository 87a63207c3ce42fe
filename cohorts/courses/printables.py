"""Fetching what the cohort printables show, within the caller's scope."""

from __future__ import annotations

import asyncio

from cohorts.courses.services import fetch_cohort
from cohorts.courses.sessions import fetch_session
from cohorts.tables import CourseSession, Enrolment, Location
from digiystava.access import Principal, require
from digiystava.db import found


async def sign_in_sheet(principal: Principal, session_id: int, lang: str) -> bytes:
    from pdf_templates.course_sheets import sign_in_sheet as render

    require(principal, "cohorts.read")
    session = await fetch_session(principal, session_id)
    cohort = await fetch_cohort(principal, session["cohort"])
    rows = (
        await Enrolment.select(Enrolment.participant.first_name, Enrolment.participant.last_name)
        .where(Enrolment.cohort == cohort["id"], Enrolment.status.is_in(["enrolled", "completed"]))
        .order_by(Enrolment.participant.last_name)
    )
    names = [f"{r['participant.last_name']}, {r['participant.first_name']}" for r in rows]
    # Layout is CPU work: keep it off the event loop.
    return await asyncio.to_thread(render, cohort, session, names, lang)


async def course_schedule(principal: Principal, cohort_id: int, lang: str) -> bytes:
    from pdf_templates.course_sheets import course_schedule as render

    require(principal, "cohorts.read")
    cohort = await fetch_cohort(principal, cohort_id)
    location = found(await Location.select(Location.address).where(Location.id == cohort["location"]).first())
    cohort = {**cohort, "address": location["address"]}
    sessions = await CourseSession.select().where(CourseSession.cohort == cohort_id).order_by(CourseSession.week)
    return await asyncio.to_thread(render, cohort, sessions, lang)
