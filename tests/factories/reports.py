"""A small cohort with known before/after levels, for statistics checked by hand, and helpers for scopes."""

from __future__ import annotations

import datetime as dt

from tests.factories import enrol, make_cohort, make_location, make_participant
from tests.factories.assessments import answers

# NOTE: names nobody else uses, so a test can prove none of them reaches a steering member.
SENIOR_NAMES = [
    ("Zacharias", "Öhmanius"),
    ("Wilhelmiina", "Qvarnström"),
    ("Yrjöönpoika", "Xylander"),
    ("Ulla-Brita", "Vänskäläinen"),
    ("Taavetti", "Ruskeaniemi"),
    ("Saga", "Pöyhönenberg"),
]
# Six seniors' levels (before, after) on three skills; every other skill stays at 1.
LEVELS = {
    # banking: differences 2,3,1,0,1,2 -> five changed pairs: too few to test
    "banking": ([0, 0, 1, 1, 2, 0], [2, 3, 2, 1, 3, 2]),
    # email: six rises (1,2,1,1,2,2): exact two-sided p = 2/64 = 0.03125, r = 1
    "email": ([0, 0, 0, 1, 1, 0], [1, 2, 1, 2, 3, 2]),
    # search: five rises and one fall, all of size 1: p = 14/64 = 0.21875, r = (17.5 - 3.5) / 21
    "search": ([1, 1, 1, 1, 1, 2], [2, 2, 2, 2, 2, 1]),
}


async def seeded_cohort(
    location_id: int | None = None,
    name: str = "Kevät 2026",
    start: dt.date = dt.date(2026, 1, 12),
    names=SENIOR_NAMES,
    levels=LEVELS,
    status: str = "completed",
    donor: str = "DNA",
) -> dict:
    """A completed cohort of six seniors with assessments, attendance, loans, pairs and hours."""
    from assessments.tables import Assessment
    from cohorts.tables import Attendance, CourseSession, Loan, VolunteerHours
    from tests.factories.tablets import make_tablet
    from tests.factories.volunteers import make_pairing, make_volunteer

    location_id = location_id or await make_location()
    cohort_id = await make_cohort(location_id, name=name, start_date=start, status=status)
    sessions = [
        s["id"]
        for s in await CourseSession.select(CourseSession.id)
        .where(CourseSession.cohort == cohort_id)
        .order_by(CourseSession.week)
    ]
    ids = []
    for i, (first, last) in enumerate(names):
        pid = await make_participant(location_id, first_name=first, last_name=last)
        await enrol(cohort_id, pid, "dropped" if i == len(names) - 1 else "completed")
        ids.append(pid)
        before = answers(**{code: b[i % len(b)] for code, (b, _a) in levels.items()})
        after = answers(**{code: a[i % len(a)] for code, (_b, a) in levels.items()})
        await Assessment.insert(
            Assessment(
                participant=pid,
                cohort=cohort_id,
                phase="before",
                instrument_version=1,
                answers=before,
                wishes=["bills", "email"] + (["health"] if i < 2 else []),
            ),
            Assessment(
                participant=pid, cohort=cohort_id, phase="after", instrument_version=1, answers=after, wishes=[]
            ),
        )
        # NOTE: ten "present" and two "absent" marks over the six seniors: attendance 10/12.
        await Attendance.insert(
            Attendance(session=sessions[0], participant=pid, status="present"),
            Attendance(session=sessions[1], participant=pid, status="absent" if i < 2 else "present"),
        )
        tablet = await make_tablet(donor)
        outcome = {0: "lost", 1: ""}.get(i, "returned")
        await Loan.insert(
            Loan(
                tablet=tablet,
                participant=pid,
                cohort=cohort_id,
                due_date=start + dt.timedelta(weeks=11),
                outcome=outcome,
            )
        )
    volunteers = [await make_volunteer(f"Vapaa Ehtoinen{n}") for n in range(2)]
    for volunteer, pid in zip([volunteers[0], volunteers[0], volunteers[1]], ids):
        await make_pairing(cohort_id, volunteer, pid, started_on=start)
    await VolunteerHours.insert(
        VolunteerHours(volunteer=volunteers[0], cohort=cohort_id, date=start, hours=1.5),
        VolunteerHours(volunteer=volunteers[1], cohort=cohort_id, date=start, hours=2.0),
    )
    return {"location_id": location_id, "cohort_id": cohort_id, "participant_ids": ids}


async def small_cohort(
    location_id: int,
    size: int,
    name: str = "Pieni ryhmä",
    before: int = 0,
    after: int = 2,
    start: dt.date = dt.date(2026, 1, 19),
    first_name: str = "Kerttu",
) -> dict:
    """A completed cohort of ``size`` seniors who all rise from ``before`` to ``after`` on every skill."""
    from assessments.tables import Assessment

    cohort_id = await make_cohort(location_id, name=name, start_date=start, status="completed")
    ids = []
    for i in range(size):
        pid = await make_participant(location_id, first_name=first_name, last_name=f"Pienonen{i}")
        await enrol(cohort_id, pid, "completed")
        codes = answers()
        await Assessment.insert(
            Assessment(
                participant=pid,
                cohort=cohort_id,
                phase="before",
                instrument_version=1,
                answers={c: before for c in codes},
                wishes=["kela"],
            ),
            Assessment(
                participant=pid,
                cohort=cohort_id,
                phase="after",
                instrument_version=1,
                answers={c: after for c in codes},
                wishes=[],
            ),
        )
        ids.append(pid)
    return {"cohort_id": cohort_id, "participant_ids": ids}
