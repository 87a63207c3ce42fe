"""Volunteers' hours: recorded by hand or filled in from the practice sessions, and their totals."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from cohorts.tables import Attendance, Cohort, CourseSession, Pairing, Volunteer, VolunteerHours
from cohorts.volunteers.schemas import (
    HoursFillIn,
    HoursFillOut,
    HoursIn,
    HoursOut,
    HoursPage,
    HoursTotals,
    OrganisationTotal,
    VolunteerTotal,
)
from digiystava import audit, clock
from digiystava.access import Principal, cohort_ref, require
from digiystava.db import must_exist, write_transaction
from digiystava.errors import Conflict, DomainError, InvalidInput, NotFound
from digiystava.i18n import N_

HOURS_COLUMNS = (
    VolunteerHours.id,
    VolunteerHours.volunteer.as_alias("volunteer_id"),
    VolunteerHours.cohort.as_alias("cohort_id"),
    VolunteerHours.cohort.name.as_alias("cohort_name"),
    VolunteerHours.date,
    VolunteerHours.hours,
    VolunteerHours.source,
)


async def _ensure_volunteer(volunteer_id: int) -> None:
    if not await Volunteer.exists().where(Volunteer.id == volunteer_id):
        raise NotFound()


def _period(date_from: dt.date | None, date_to: dt.date | None) -> list[Any]:
    if date_from and date_to and date_from > date_to:
        raise InvalidInput("date_to", N_("must not be before date_from"))
    where = []
    if date_from:
        where.append(VolunteerHours.date >= date_from)
    if date_to:
        where.append(VolunteerHours.date <= date_to)
    return where


async def list_hours(
    principal: Principal,
    volunteer_id: int,
    limit: int = 50,
    offset: int = 0,
    cohort_id: int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> HoursPage:
    require(principal, "hours.manage")
    await _ensure_volunteer(volunteer_id)
    where = [VolunteerHours.volunteer == volunteer_id, *_period(date_from, date_to)]
    if cohort_id is not None:
        where.append(VolunteerHours.cohort == cohort_id)
    rows = (
        await VolunteerHours.select(*HOURS_COLUMNS)
        .where(*where)
        .order_by(VolunteerHours.date, ascending=False)
        .order_by(VolunteerHours.id)
    )
    return HoursPage(
        items=[HoursOut(**r) for r in rows[offset : offset + limit]],
        total=len(rows),
        limit=limit,
        offset=offset,
        hours_total=round(sum(r["hours"] for r in rows), 2),
    )


async def _insert(
    principal: Principal, volunteer_id: int, cohort_id: int, date: dt.date, hours: float, source: str
) -> int:
    row = VolunteerHours(volunteer=volunteer_id, cohort=cohort_id, date=date, hours=hours, source=source)
    await row.save()
    await audit.record(
        principal, "create", "volunteer_hours", row.id, ["volunteer_id", "cohort_id", "date", "hours", "source"]
    )
    return row.id


async def add_hours(principal: Principal, volunteer_id: int, data: HoursIn) -> HoursOut:
    require(principal, "hours.manage")
    try:
        async with write_transaction():
            await _ensure_volunteer(volunteer_id)
            await cohort_ref(principal, data.cohort_id, "cohort_id")
            if await VolunteerHours.exists().where(
                VolunteerHours.volunteer == volunteer_id,
                VolunteerHours.cohort == data.cohort_id,
                VolunteerHours.date == data.date,
            ):
                raise Conflict(
                    N_("Hours for this date and cohort are already recorded; remove them first to correct them.")
                )
            hours_id = await _insert(principal, volunteer_id, data.cohort_id, data.date, data.hours, "form")
    except DomainError:
        raise
    except Exception as exc:  # NOTE: the unique index, when two requests race
        if "unique" in f"{type(exc).__name__} {exc}".lower():
            raise Conflict(N_("Hours for this date and cohort are already recorded.")) from exc
        raise
    return await _one(hours_id)


async def _one(hours_id: int) -> HoursOut:
    row = await VolunteerHours.select(*HOURS_COLUMNS).where(VolunteerHours.id == hours_id).first()
    if row is None:
        raise NotFound()
    return HoursOut(**row)


async def delete_hours(principal: Principal, volunteer_id: int, hours_id: int) -> None:
    require(principal, "hours.manage")
    async with write_transaction():
        if not await VolunteerHours.exists().where(
            VolunteerHours.id == hours_id, VolunteerHours.volunteer == volunteer_id
        ):
            raise NotFound()
        await VolunteerHours.delete().where(VolunteerHours.id == hours_id)
        await audit.record(principal, "delete", "volunteer_hours", hours_id)


def quarter_hours(minutes: int) -> float:
    return max(0.25, round(minutes / 15) / 4)


async def fill_from_sessions(principal: Principal, volunteer_id: int, data: HoursFillIn) -> HoursFillOut:
    """One row per practice session a paired senior of this volunteer attended, dates not yet recorded.

    A session counts when it was not cancelled, fell inside one of the volunteer's pairs
    on that cohort, and at least one of those seniors was marked present.
    """
    require(principal, "hours.manage")
    until = data.until or clock.today()
    created: list[int] = []
    async with write_transaction():
        await _ensure_volunteer(volunteer_id)
        where = [Pairing.volunteer == volunteer_id]
        if data.cohort_id is not None:
            where.append(Pairing.cohort == data.cohort_id)
        pairs = await Pairing.select(Pairing.cohort, Pairing.participant, Pairing.started_on, Pairing.ended_on).where(
            *where
        )
        by_cohort: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for p in pairs:
            by_cohort[p["cohort"]].append(p)
        recorded = {
            (r["cohort"], r["date"])
            for r in await VolunteerHours.select(VolunteerHours.cohort, VolunteerHours.date).where(
                VolunteerHours.volunteer == volunteer_id
            )
        }
        for cohort_id, cohort_pairs in sorted(by_cohort.items()):
            minutes = must_exist(await Cohort.select(Cohort.session_minutes).where(Cohort.id == cohort_id).first())[
                "session_minutes"
            ]
            sessions = (
                await CourseSession.select(CourseSession.id, CourseSession.date)
                .where(
                    CourseSession.cohort == cohort_id,
                    CourseSession.kind == "practice",
                    CourseSession.cancelled == False,  # noqa: E712 - a Piccolo expression
                    CourseSession.date <= until,
                )
                .order_by(CourseSession.date)
            )
            present = await Attendance.select(Attendance.session, Attendance.participant).where(
                Attendance.session.is_in([s["id"] for s in sessions] or [0]), Attendance.status == "present"
            )
            seen = {(a["session"], a["participant"]) for a in present}
            for session in sessions:
                if (cohort_id, session["date"]) in recorded:
                    continue
                attended = any(
                    p["started_on"] <= session["date"]
                    and (p["ended_on"] is None or session["date"] <= p["ended_on"])
                    and (session["id"], p["participant"]) in seen
                    for p in cohort_pairs
                )
                if attended:
                    created.append(
                        await _insert(
                            principal, volunteer_id, cohort_id, session["date"], quarter_hours(minutes), "sessions"
                        )
                    )
                    recorded.add((cohort_id, session["date"]))
    items = [await _one(i) for i in created]
    return HoursFillOut(created=items, count=len(items))


async def totals(
    principal: Principal,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    organisation: str | None = None,
) -> HoursTotals:
    """Hours per volunteer and per organisation in a period, for the organisations' own reporting."""
    require(principal, "hours.manage")
    where = _period(date_from, date_to)
    if organisation:
        where.append(VolunteerHours.volunteer.organisation == organisation)
    query = VolunteerHours.select(
        VolunteerHours.volunteer.as_alias("volunteer_id"),
        VolunteerHours.volunteer.name.as_alias("name"),
        VolunteerHours.volunteer.organisation.as_alias("organisation"),
        VolunteerHours.date,
        VolunteerHours.hours,
    )
    rows = await (query.where(*where) if where else query)
    per_volunteer: dict[int, dict[str, Any]] = {}
    for r in rows:
        entry = per_volunteer.setdefault(
            r["volunteer_id"], {"name": r["name"], "organisation": r["organisation"], "hours": 0.0, "dates": set()}
        )
        entry["hours"] += r["hours"]
        entry["dates"].add(r["date"])
    volunteers = sorted(
        (
            VolunteerTotal(
                volunteer_id=k,
                name=v["name"],
                organisation=v["organisation"],
                hours=round(v["hours"], 2),
                days=len(v["dates"]),
            )
            for k, v in per_volunteer.items()
        ),
        key=lambda t: (t.organisation.casefold(), t.name.casefold(), t.volunteer_id),
    )
    per_org: dict[str, list[VolunteerTotal]] = defaultdict(list)
    for t in volunteers:
        per_org[t.organisation].append(t)
    organisations = [
        OrganisationTotal(organisation=org, hours=round(sum(t.hours for t in ts), 2), volunteers=len(ts))
        for org, ts in per_org.items()
    ]
    return HoursTotals(
        date_from=date_from,
        date_to=date_to,
        volunteers=volunteers,
        organisations=organisations,
        total_hours=round(sum(t.hours for t in volunteers), 2),
    )


async def cohort_choices(principal: Principal, volunteer_id: int) -> list[tuple[str, str]]:
    """Cohorts the volunteer has guided in, or every running cohort when none yet."""
    require(principal, "hours.manage")
    ids = sorted({r["cohort"] for r in await Pairing.select(Pairing.cohort).where(Pairing.volunteer == volunteer_id)})
    query = Cohort.select(Cohort.id, Cohort.name, Cohort.location.name.as_alias("location_name")).order_by(
        Cohort.start_date, ascending=False
    )
    rows = await (query.where(Cohort.id.is_in(ids)) if ids else query.where(Cohort.status == "running"))
    # Every cohort is named with its location: the same course name runs at many.
    return [(str(r["id"]), f"{r['name']} – {r['location_name']}") for r in rows]
