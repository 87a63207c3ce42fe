"""Who is due for the follow-up: the skills asked again about three months after the course.

The follow-up tells the steering group whether the gains lasted. A senior who finished a
course (enrolment ``completed``) is due from ``FOLLOWUP_DUE_AFTER`` past the course's last
day until their follow-up answers are recorded, or until ``FOLLOWUP_LAST_CALL`` has passed
(after half a year a rating says more about the months since than about the course).
"""

from __future__ import annotations

import datetime as dt

import anyio

from assessments.services import COHORT_COLUMNS, phase_not_open
from assessments.tables import Assessment
from cohorts.handouts.services import course_info
from cohorts.tables import Cohort, Enrolment
from digiystava import clock
from digiystava.access import Principal, allowed, cohort_or_404, require, scope_where
from digiystava.db import must_exist
from digiystava.errors import InvalidInput
from digiystava.i18n import N_, format_date, normalise
from digiystava.schemas import Out

FOLLOWUP_DUE_AFTER = dt.timedelta(weeks=13)
FOLLOWUP_LAST_CALL = dt.timedelta(weeks=26)


class FollowupDue(Out):
    """A senior to invite to the follow-up, with what a trainer needs to phone them."""

    participant_id: int
    first_name: str
    last_name: str
    phone: str
    language: str
    cohort_id: int
    cohort_name: str
    location_id: int
    location_name: str
    end_date: dt.date
    due_on: dt.date
    answered_after: bool  # the follow-up compares with the end-of-course answers


def due_on(end_date: dt.date) -> dt.date:
    return end_date + FOLLOWUP_DUE_AFTER


async def followups_due(
    principal: Principal, cohort_id: int | None = None, today: dt.date | None = None
) -> list[FollowupDue]:
    """Seniors due for the follow-up in the caller's locations, the longest waiting first.

    Coordinators and trainers only (403 for the other roles); ``open_followups`` answers an empty list instead.
    """
    require(principal, "assessments.write")
    today = today or clock.today()
    where = [
        Enrolment.status == "completed",
        Enrolment.participant.erased_at.is_null(),
        Enrolment.cohort.status != "cancelled",
        # NOTE: the window as end dates: due from 13 weeks after the end, listed until 26 weeks after.
        Enrolment.cohort.end_date <= today - FOLLOWUP_DUE_AFTER,
        Enrolment.cohort.end_date > today - FOLLOWUP_LAST_CALL,
    ]
    scope = scope_where(principal, Enrolment.cohort._.location)
    if scope is not None:
        where.append(scope)
    if cohort_id is not None:
        where.append(Enrolment.cohort == cohort_id)
    rows = (
        await Enrolment.select(
            Enrolment.participant.as_alias("participant_id"),
            Enrolment.participant.first_name.as_alias("first_name"),
            Enrolment.participant.last_name.as_alias("last_name"),
            Enrolment.participant.phone.as_alias("phone"),
            Enrolment.participant.language.as_alias("language"),
            Enrolment.cohort.as_alias("cohort_id"),
            Enrolment.cohort.name.as_alias("cohort_name"),
            Enrolment.cohort.location.as_alias("location_id"),
            Enrolment.cohort._.location._.name.as_alias("location_name"),
            Enrolment.cohort.end_date.as_alias("end_date"),
        )
        .where(*where)
        .order_by(Enrolment.cohort.end_date)
        .order_by(Enrolment.cohort.id)
        .order_by(Enrolment.participant.last_name)
        .order_by(Enrolment.participant.first_name)
    )
    if not rows:
        return []
    answered = {
        (a["cohort"], a["participant"], a["phase"])
        for a in await Assessment.select(Assessment.cohort, Assessment.participant, Assessment.phase).where(
            Assessment.cohort.is_in(sorted({r["cohort_id"] for r in rows})),
            Assessment.phase.is_in(["after", "followup"]),
        )
    }
    return [
        FollowupDue(
            **row,
            due_on=due_on(row["end_date"]),
            answered_after=(row["cohort_id"], row["participant_id"], "after") in answered,
        )
        for row in rows
        if (row["cohort_id"], row["participant_id"], "followup") not in answered
    ]


async def open_followups(principal: Principal) -> list[FollowupDue]:
    """``followups_due`` for a page every role sees (the home page): nothing for roles that record no answers."""
    return await followups_due(principal) if allowed(principal, "assessments.write") else []


async def followup_letter(principal: Principal, cohort_id: int, participant_id: int | None) -> bytes:
    """The large-print invitation for one senior who finished the cohort, in their language."""

    from pdf_templates.followup_letter import FollowupLetter, render_followup_letter

    require(principal, "assessments.write")
    cohort = await cohort_or_404(principal, cohort_id, *COHORT_COLUMNS)
    if participant_id is None:
        raise InvalidInput("participant_id", N_("choose the senior"))
    not_open = phase_not_open(cohort, "followup")
    if not_open:
        raise InvalidInput("cohort_id", not_open)
    senior = (
        await Enrolment.select(
            Enrolment.participant.first_name.as_alias("first_name"),
            Enrolment.participant.last_name.as_alias("last_name"),
            Enrolment.participant.language.as_alias("language"),
        )
        .where(
            Enrolment.cohort == cohort_id,
            Enrolment.participant == participant_id,
            Enrolment.status == "completed",
            Enrolment.participant.erased_at.is_null(),
        )
        .first()
    )
    if senior is None:
        raise InvalidInput("participant_id", N_("the senior did not finish this cohort"))
    full = must_exist(
        await Cohort.select(Cohort.id, Cohort.name, Cohort.location, Cohort.session_minutes)
        .where(Cohort.id == cohort_id)
        .first()
    )
    info = await course_info(full)
    person = next((c for c in info.trainers if c.phone), None) or info.coordinator
    lang = normalise(senior["language"])  # the letter is in fi, sv and en
    letter = FollowupLetter(
        name=f"{senior['first_name']} {senior['last_name']}".strip(),
        language=lang,
        course=info.cohort_name,
        place=info.place,
        address=info.address,
        end=format_date(cohort["end_date"], lang, "long"),
        contact=", ".join(v for v in (person.name, person.phone) if v) if person else "",
    )
    return await anyio.to_thread.run_sync(render_followup_letter, letter)
