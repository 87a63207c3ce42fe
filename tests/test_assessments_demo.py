"""The demo's assessments: believable gains, larger in the skills taught first, with gaps."""

import random
import statistics

from assessments.tables import Assessment
from digiystava.demo import TAUGHT_FIRST, DemoContext, _assessments
from tests.factories import enrol, make_cohort, make_location, make_participant


async def test_demo_answers_for_completed_and_running_cohorts(db):
    location_id = await make_location()
    completed = await make_cohort(location_id, name="Kevät 2026", status="completed")
    running = await make_cohort(location_id, name="Syksy 2026", status="running")
    planned = await make_cohort(location_id, name="Kevät 2027", status="planned")
    for cohort_id, count in ((completed, 60), (running, 19), (planned, 5)):
        for i in range(count):
            await enrol(cohort_id, await make_participant(location_id, first_name=f"Senior{i}"))

    await _assessments(DemoContext(scale="small", rng=random.Random(2024)))

    rows = await Assessment.select().output(load_json=True)
    phases = {
        (c, p): sum(1 for r in rows if r["cohort"] == c and r["phase"] == p)
        for c in (completed, running, planned)
        for p in ("before", "after")
    }
    assert phases[(running, "after")] == 0 and phases[(running, "before")] == 19
    assert phases[(planned, "before")] == phases[(planned, "after")] == 0
    assert phases[(completed, "after")] == 60 and 50 <= phases[(completed, "before")] < 60, "a few after-only records"
    assert any(level is None for r in rows for level in r["answers"].values()), "some answers are missing"

    by_senior = {(r["participant"], r["phase"]): r["answers"] for r in rows if r["cohort"] == completed}
    gains: dict[str, list[int]] = {}
    for (participant, phase), after in by_senior.items():
        before = by_senior.get((participant, "before"))
        if phase == "after" and before:
            for code, level in after.items():
                if level is not None and before.get(code) is not None:
                    gains.setdefault(code, []).append(level - before[code])
    taught = statistics.mean(g for code in TAUGHT_FIRST for g in gains[code])
    rest = statistics.mean(g for code, values in gains.items() if code not in TAUGHT_FIRST for g in values)
    assert taught > rest > 0
    assert all(g >= 0 for values in gains.values() for g in values)


async def test_demo_without_cohorts_adds_nothing(db):
    await _assessments(DemoContext(scale="small", rng=random.Random(2024)))
    assert await Assessment.count() == 0
