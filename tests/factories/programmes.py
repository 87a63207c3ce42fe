"""Whole programmes for the report-privacy property test: small and odd-sized groups on purpose.

``programmes()`` draws the structure (locations, kinds, districts, cohorts with their
status and start, how many seniors borrowed which donors' tablets or none, how many
answered); a seed fills in the levels, wishes, attendance and pairs. ``insert`` writes one
into the tables the way the services would have.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import secrets
from dataclasses import dataclass

from hypothesis import strategies as st

KINDS = ("community_house", "service_centre", "library", "other")
DISTRICTS = ("Kallio", "Malmi", "Töölö")
# Seniors' birth years: age bands 65-74, 75-84, 85+ and "not known" in a 2026 course.
BIRTH_YEARS = (1958, 1950, 1950, 1948, 1938, None)
# A senior's donors on one course: none, one, or (after a swap) two.
PATTERNS = ((), ("DNA",), ("Vanhusten turva",), ("other",), ("DNA", "Vanhusten turva"))
# NOTE: most parts small or empty, so cuts that leave 1-4 seniors come up often...
PART_SIZES = (st.integers(0, 6), st.integers(0, 8), st.integers(0, 8), st.integers(0, 3), st.integers(0, 2))
# ...and some cohorts split cleanly (every part none or 5+), so donors' figures are shown too.
CLEAN_PART_SIZES = (
    st.sampled_from((0, 0, 5, 6)),
    st.sampled_from((0, 5, 6, 7)),
    st.sampled_from((0, 5, 6, 7)),
    st.sampled_from((0, 0, 0, 5)),
    st.just(0),
)
SKILLS = (
    "search",
    "email",
    "calendar",
    "banking",
    "shopping",
    "health",
    "photos",
    "e_reading",
    "streaming",
    "music",
    "games",
    "contact",
    "remote_groups",
)
WISHES = ("contact", "information", "timetables", "photos", "email", "bills")
_serial = itertools.count(1)


@dataclass(frozen=True)
class CohortPlan:
    location: int  # index into the locations
    status: str
    start_weeks: int  # weeks from today (negative: started)
    parts: tuple[int, ...]  # seniors per PATTERNS entry
    waitlisted: int
    before_rate: float  # share who answered the first questionnaire
    after_rate: float
    followup_rate: float  # share who answered the follow-up (some without an "after": it happens)
    missing_rate: float  # share of single answers left empty
    marked_rate: float  # share with attendance marks
    paired_rate: float


@dataclass(frozen=True)
class Programme:
    locations: tuple[tuple[str, str], ...]  # (kind, district)
    cohorts: tuple[CohortPlan, ...]
    seed: int


@st.composite
def cohort_plans(draw, locations: int) -> CohortPlan:
    status = draw(st.sampled_from(("completed", "completed", "running", "running", "planned", "cancelled")))
    # NOTE: some planned cohorts have had their first session: reports must count them as running.
    start = draw(st.integers(-40, -1)) if status in ("completed", "running") else draw(st.integers(-3, 8))
    clean = draw(st.booleans())
    # NOTE: a clean cohort where everyone answered everything splits its answers too, so donors' skills show.
    complete = clean and draw(st.booleans())
    return CohortPlan(
        location=draw(st.integers(0, locations - 1)),
        status=status,
        start_weeks=start,
        parts=tuple(draw(size) for size in (CLEAN_PART_SIZES if clean else PART_SIZES)),
        waitlisted=draw(st.integers(0, 1)),
        before_rate=1.0 if complete else draw(st.sampled_from((1.0, 0.8, 0.5))),
        after_rate=1.0 if complete else draw(st.sampled_from((1.0, 0.7, 0.0))),
        # NOTE: a clean cohort's follow-up is often everyone or nobody, so its figures show; otherwise odd shares.
        followup_rate=draw(st.sampled_from((1.0, 0.0) if complete else (1.0, 0.8, 0.6, 0.3, 0.0))),
        missing_rate=0.0 if complete else draw(st.sampled_from((0.0, 0.1, 0.4))),
        marked_rate=1.0 if complete else draw(st.sampled_from((1.0, 0.6, 0.0))),
        paired_rate=draw(st.sampled_from((0.0, 0.5, 1.0))),
    )


@st.composite
def programmes(draw, max_cohorts: int = 4) -> Programme:
    count = draw(st.integers(1, 3))
    locations = tuple((draw(st.sampled_from(KINDS)), draw(st.sampled_from(DISTRICTS))) for _ in range(count))
    cohorts = tuple(draw(st.lists(cohort_plans(count), min_size=1, max_size=max_cohorts)))
    return Programme(locations, cohorts, draw(st.integers(0, 2**31)))


@dataclass
class Inserted:
    location_ids: list[int]
    cohorts: list[dict]  # id, location, kind, district, start


async def insert(programme: Programme, today: dt.date) -> Inserted:
    """Write the programme: locations, cohorts with sessions, seniors, answers, marks, loans, pairs, hours."""
    from assessments.tables import Assessment
    from cohorts.tables import Attendance, CourseSession, Enrolment, Loan, Pairing, Participant, Tablet, VolunteerHours
    from tests.factories import make_cohort, make_location
    from tests.factories.volunteers import make_volunteer

    rng = random.Random(programme.seed)
    # NOTE: a stream of its own, so the seniors' backgrounds leave every other draw as it was.
    background = random.Random(programme.seed + 1)
    location_ids = [
        await make_location(f"Paikka {i}", kind, district) for i, (kind, district) in enumerate(programme.locations)
    ]
    volunteers = [await make_volunteer(f"Vapaa Ehtoinen{i}") for i in range(3)]
    inserted = Inserted(location_ids, [])
    for number, plan in enumerate(programme.cohorts):
        start = today + dt.timedelta(weeks=plan.start_weeks)
        location = location_ids[plan.location]
        cohort = await make_cohort(location, name=f"Kurssi {number}", start_date=start, status=plan.status)
        kind, district = programme.locations[plan.location]
        inserted.cohorts.append(
            {"id": cohort, "location": location, "kind": kind, "district": district, "start": start}
        )
        sessions = [
            s["id"]
            for s in await CourseSession.select(CourseSession.id)
            .where(CourseSession.cohort == cohort)
            .order_by(CourseSession.week)
        ]
        seniors = [pattern for pattern, size in zip(PATTERNS, plan.parts) for _ in range(size)]
        people = [
            Participant(
                pseudonym=f"P{next(_serial):07d}{secrets.token_hex(2)}",
                first_name="Senior",
                last_name=f"N{i}",
                location=location,
                birth_year=background.choice(BIRTH_YEARS),
                language=background.choice(("fi", "fi", "fi", "sv")),
                district=background.choice(("Kallio", "Kallio", "Malmi", "")),
            )
            for i in range(len(seniors) + plan.waitlisted)
        ]
        ids = [row["id"] for row in await Participant.insert(*people)] if people else []
        enrolments, assessments, marks, loans, pairings = [], [], [], [], []
        for pid, pattern in zip(ids, seniors):
            status = {
                "completed": rng.choice(("completed",) * 4 + ("dropped",)),
                "running": rng.choice(("enrolled",) * 4 + ("dropped",)),
            }.get(plan.status, "enrolled")
            enrolments.append(Enrolment(cohort=cohort, participant=pid, status=status))
            if rng.random() < plan.before_rate:
                levels = {code: None if rng.random() < plan.missing_rate else rng.randint(0, 3) for code in SKILLS}
                wishes = [w for w in WISHES if rng.random() < 0.4]
                assessments.append(
                    Assessment(
                        participant=pid,
                        cohort=cohort,
                        phase="before",
                        instrument_version=1,
                        answers=levels,
                        wishes=wishes,
                    )
                )
            if rng.random() < plan.after_rate:
                levels = {code: None if rng.random() < plan.missing_rate else rng.randint(0, 4) for code in SKILLS}
                assessments.append(
                    Assessment(
                        participant=pid, cohort=cohort, phase="after", instrument_version=1, answers=levels, wishes=[]
                    )
                )
            if rng.random() < plan.followup_rate:
                levels = {code: None if rng.random() < plan.missing_rate else rng.randint(0, 4) for code in SKILLS}
                assessments.append(
                    Assessment(
                        participant=pid,
                        cohort=cohort,
                        phase="followup",
                        instrument_version=1,
                        answers=levels,
                        wishes=[],
                    )
                )
            if rng.random() < plan.marked_rate:
                for session in sessions[: rng.randint(1, 3)]:
                    marks.append(
                        Attendance(
                            session=session,
                            participant=pid,
                            status=rng.choice(("present", "present", "absent", "excused")),
                        )
                    )
            for i, donor in enumerate(pattern):
                tablet = Tablet(
                    asset_tag=f"T{next(_serial):08d}",
                    serial_number=f"S{next(_serial):09d}",
                    donor=donor,
                    status="on_loan",
                )
                await tablet.save()
                # NOTE: with two donors the first tablet was swapped, so its loan has ended.
                outcome = (
                    "returned"
                    if i < len(pattern) - 1
                    else rng.choice(("", "", "returned", "kept", "lost", "maintenance"))
                )
                returned = dt.datetime(start.year, start.month, start.day, 12, tzinfo=dt.UTC) if outcome else None
                loans.append(
                    Loan(
                        tablet=tablet.id,
                        participant=pid,
                        cohort=cohort,
                        due_date=start + dt.timedelta(weeks=11),
                        outcome=outcome,
                        returned_at=returned,
                    )
                )
            if rng.random() < plan.paired_rate:
                pairings.append(
                    Pairing(cohort=cohort, volunteer=rng.choice(volunteers), participant=pid, started_on=start)
                )
        for pid in ids[len(seniors) :]:
            enrolments.append(Enrolment(cohort=cohort, participant=pid, status="waitlisted", waitlist_position=1))
        for table, rows in (
            (Enrolment, enrolments),
            (Assessment, assessments),
            (Attendance, marks),
            (Loan, loans),
            (Pairing, pairings),
        ):
            if rows:
                await table.insert(*rows)
        if rng.random() < 0.7:
            await VolunteerHours.insert(
                VolunteerHours(volunteer=volunteers[0], cohort=cohort, date=start, hours=rng.choice((1.5, 2.0, 3.5)))
            )
    return inserted


async def empty_tables() -> None:
    """Every table emptied, as between tests: each example of a property test starts from nothing."""
    from piccolo.table import sort_table_classes

    from digiystava import db as dbmod

    engine = dbmod.current_engine()
    tables = dbmod.all_tables()
    if engine.engine_type == "postgres":
        names = ", ".join(f'"{t._meta.tablename}"' for t in tables)
        await engine.run_ddl(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
        return
    for table in reversed(sort_table_classes(tables)):
        await engine.run_ddl(f'DELETE FROM "{table._meta.tablename}"')
