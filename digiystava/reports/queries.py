"""The rows behind one outcome report: a fixed handful of queries, however large the scope."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import msgspec
from piccolo.query.functions.aggregate import Count, Sum

from assessments.tables import Assessment
from cohorts.tables import Attendance, Cohort, Enrolment, Loan, Pairing, VolunteerHours
from digiystava.reports.collector import collector_paused
from digiystava.reports.scope import REPORTED_STATUSES, Scope

Row = dict[str, Any]
# NOTE: waitlisted seniors never had a place on the course, so they are no part of it.
PLACED = ("enrolled", "completed", "dropped")


@dataclass
class ScopeRows:
    """Everything a report counts, for every senior of the cohorts in scope."""

    cohorts: list[Row] = field(default_factory=list)  # running and completed: the ones a report counts
    not_counted: list[Row] = field(default_factory=list)  # planned and cancelled cohorts in scope (id, status)
    enrolments: list[Row] = field(default_factory=list)
    assessments: list[Row] = field(default_factory=list)
    attendance: list[Row] = field(default_factory=list)  # cohort, participant, status, marks
    loans: list[Row] = field(default_factory=list)
    pairings: list[Row] = field(default_factory=list)
    hours: dict[int, float] = field(default_factory=dict)  # cohort -> hours


async def load_rows(scope: Scope) -> ScopeRows:
    """Seven queries: the cohorts in scope, then each table's rows for the started ones."""
    with collector_paused():
        return await _load_rows(scope)


async def _load_rows(scope: Scope) -> ScopeRows:
    where = []
    if scope.cohort_id is not None:
        where.append(Cohort.id == scope.cohort_id)
    if scope.location_id is not None:
        where.append(Cohort.location == scope.location_id)
    if scope.kind:
        where.append(Cohort.location.kind == scope.kind)
    if scope.district:
        where.append(Cohort.location.district == scope.district)
    if scope.date_from:
        where.append(Cohort.start_date >= scope.date_from)
    if scope.date_to:
        where.append(Cohort.start_date <= scope.date_to)
    query = (
        Cohort.select(
            Cohort.id,
            Cohort.name,
            Cohort.start_date,
            Cohort.status,
            Cohort.location,
            Cohort.location.name.as_alias("location_name"),
        )
        .order_by(Cohort.start_date)
        .order_by(Cohort.id)
    )
    in_scope = await (query.where(*where) if where else query)
    cohorts = [c for c in in_scope if c["status"] in REPORTED_STATUSES]
    rows = ScopeRows(cohorts=cohorts, not_counted=[c for c in in_scope if c["status"] not in REPORTED_STATUSES])
    ids = [c["id"] for c in cohorts]
    if not ids:
        return rows
    rows.enrolments = await Enrolment.select(Enrolment.cohort, Enrolment.participant, Enrolment.status).where(
        Enrolment.cohort.is_in(ids), Enrolment.status.is_in(list(PLACED))
    )
    rows.assessments = await Assessment.select(
        Assessment.cohort, Assessment.participant, Assessment.phase, Assessment.answers, Assessment.wishes
    ).where(Assessment.cohort.is_in(ids))
    # NOTE: decoded here rather than by Piccolo's load_json (the standard library's parser, then a copy of each
    # dict): a programme's 45,000 questionnaires decode four to five times faster.
    for row in rows.assessments:
        row["answers"], row["wishes"] = _json(row["answers"]), _json(row["wishes"])
    session_cohort = Attendance.session.cohort
    rows.attendance = (
        await Attendance.select(
            session_cohort.as_alias("cohort"), Attendance.participant, Attendance.status, Count(alias="marks")
        )
        .where(session_cohort.is_in(ids), Attendance.session._.cancelled.eq(False))
        .group_by(session_cohort, Attendance.participant, Attendance.status)
    )
    rows.loans = await Loan.select(
        Loan.cohort, Loan.participant, Loan.tablet.donor.as_alias("donor"), Loan.outcome
    ).where(Loan.cohort.is_in(ids))
    rows.pairings = await Pairing.select(Pairing.cohort, Pairing.participant, Pairing.volunteer).where(
        Pairing.cohort.is_in(ids)
    )
    hours = (
        await VolunteerHours.select(VolunteerHours.cohort, Sum(VolunteerHours.hours, alias="hours"))
        .where(VolunteerHours.cohort.is_in(ids))
        .group_by(VolunteerHours.cohort)
    )
    rows.hours = {h["cohort"]: float(h["hours"] or 0) for h in hours}
    return rows


def _json(value: str | bytes | None) -> Any:
    """A JSON column's value as Python: text on both engines, None for NULL."""
    return None if value is None else msgspec.json.decode(value)
