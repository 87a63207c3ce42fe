"""A senior's whole course at a glance, for their page: per course the place, attendance,
digital friend, tablet and which skill answers are recorded.

Only the courses at the caller's locations are told (a trainer may see a senior who also
took a course elsewhere; that course is not theirs to see), and each part only to the roles
that read it: pairs with ``pairings.read``, loans with ``loans.read``.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from assessments.tables import Assessment
from cohorts.enrolments.attendance import attendance_rate
from cohorts.participants.services import fetch_participant
from cohorts.tables import Attendance, Enrolment, Loan, Pairing
from digiystava import clock
from digiystava.access import Principal, allowed, require, scope_where


def _scoped(principal: Principal, location_column, *where) -> list:
    scope = scope_where(principal, location_column)
    return [*where, scope] if scope is not None else list(where)


async def senior_courses(principal: Principal, participant_id: int) -> list[dict[str, Any]]:
    """The senior's courses in the caller's locations, newest first, each with what the page shows about it.

    Each course: ``cohort_id``, ``cohort_name``, ``location_id``, ``location_name``,
    ``start_date``, ``end_date``, ``cohort_status``, ``status`` (on the course),
    ``waitlist_position``, ``attendance`` (``present``, ``absent``, ``excused``, ``rate``),
    ``friends`` (pairs, the active one first; None when the caller may not read pairs),
    ``loans`` (None likewise), ``assessed`` (phase -> the date it was recorded) and ``wishes``
    (codes and own words of the first questionnaire; None before it is recorded).
    """
    require(principal, "participants.read")
    await fetch_participant(principal, participant_id)
    courses = {
        r["cohort_id"]: {
            **r,
            "attendance": {"present": 0, "absent": 0, "excused": 0, "rate": None},
            "friends": [] if allowed(principal, "pairings.read") else None,
            "loans": [] if allowed(principal, "loans.read") else None,
            "assessed": {},
            "wishes": None,
        }
        for r in await Enrolment.select(
            Enrolment.cohort.as_alias("cohort_id"),
            Enrolment.cohort.name.as_alias("cohort_name"),
            Enrolment.cohort.location.as_alias("location_id"),
            Enrolment.cohort._.location._.name.as_alias("location_name"),
            Enrolment.cohort.start_date.as_alias("start_date"),
            Enrolment.cohort.end_date.as_alias("end_date"),
            Enrolment.cohort.status.as_alias("cohort_status"),
            Enrolment.status,
            Enrolment.waitlist_position,
        )
        .where(*_scoped(principal, Enrolment.cohort._.location, Enrolment.participant == participant_id))
        .order_by(Enrolment.cohort.start_date, ascending=False)
    }
    if not courses:
        return []
    ids = list(courses)
    tally: dict[int, dict[str, int]] = defaultdict(lambda: {"present": 0, "absent": 0, "excused": 0})
    for row in await Attendance.select(Attendance.session.cohort.as_alias("cohort"), Attendance.status).where(
        Attendance.participant == participant_id, Attendance.session.cohort.is_in(ids)
    ):
        tally[row["cohort"]][row["status"]] += 1
    for cohort_id, counts in tally.items():
        courses[cohort_id]["attendance"] = {**counts, "rate": attendance_rate(counts["present"], sum(counts.values()))}
    if allowed(principal, "pairings.read"):
        for row in (
            await Pairing.select(
                Pairing.cohort,
                Pairing.volunteer.as_alias("volunteer_id"),
                Pairing.volunteer.name.as_alias("volunteer_name"),
                Pairing.started_on,
                Pairing.ended_on,
                Pairing.fit,
            )
            .where(Pairing.participant == participant_id, Pairing.cohort.is_in(ids))
            .order_by(Pairing.started_on, ascending=False)
        ):
            courses[row["cohort"]]["friends"].append(row)
        for course in courses.values():
            course["friends"].sort(key=lambda p: p["ended_on"] is not None)
    if allowed(principal, "loans.read"):
        today = clock.today()
        for row in (
            await Loan.select(
                Loan.id,
                Loan.cohort,
                Loan.tablet.as_alias("tablet_id"),
                Loan.tablet.asset_tag.as_alias("asset_tag"),
                Loan.tablet.model.as_alias("model"),
                Loan.tablet.os.as_alias("os"),
                Loan.out_at,
                Loan.due_date,
                Loan.agreement_signed_on,
                Loan.returned_at,
                Loan.outcome,
            )
            .where(Loan.participant == participant_id, Loan.cohort.is_in(ids))
            .order_by(Loan.out_at, ascending=False)
        ):
            row["overdue"] = row["returned_at"] is None and row["due_date"] < today
            courses[row["cohort"]]["loans"].append(row)
    for row in (
        await Assessment.select(
            Assessment.cohort, Assessment.phase, Assessment.recorded_at, Assessment.wishes, Assessment.wishes_text
        )
        .where(Assessment.participant == participant_id, Assessment.cohort.is_in(ids))
        .output(load_json=True)
    ):
        courses[row["cohort"]]["assessed"][row["phase"]] = clock.local_date(row["recorded_at"])
        if row["phase"] == "before":
            courses[row["cohort"]]["wishes"] = (row["wishes"] or [], row["wishes_text"])
    return list(courses.values())
