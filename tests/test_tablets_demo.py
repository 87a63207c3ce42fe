"""The demo inventory: tablets from both donors in every state, and loans for the cohorts' seniors."""

import datetime as dt
import random

import pytest

from digiystava import clock
from digiystava.demo import DemoContext, _tablets
from tests.factories import enrol, make_cohort, make_location, make_participant


@pytest.mark.clock
async def test_demo_has_both_donors_in_every_state(db):
    from cohorts.tables import Donation, Loan, Tablet

    location = await make_location()
    running = await make_cohort(location, name="Syksy", start_date=clock.today() - dt.timedelta(weeks=3))
    # NOTE: a course that ended months ago, so its loans have come back (or not).
    completed = await make_cohort(
        location, name="Kevät", start_date=clock.today() - dt.timedelta(weeks=40), status="completed"
    )
    for i in range(40):
        participant = await make_participant(location, first_name=f"Senior{i}")
        await enrol(running if i < 8 else completed, participant, "enrolled" if i < 8 else "completed")
    await _tablets(DemoContext(scale="small", rng=random.Random(2024)))

    states = {(r["donor"], r["status"]) for r in await Tablet.select(Tablet.donor, Tablet.status)}
    for donor in ("DNA", "Vanhusten turva"):
        for status in ("available", "on_loan", "maintenance", "retired", "lost"):
            assert (donor, status) in states, (donor, status)
    outcomes = {r["outcome"] for r in await Loan.select(Loan.outcome)}
    assert {"", "returned", "kept", "lost"} <= outcomes
    assert (
        await Loan.count().where(Loan.returned_at.is_null(), Loan.due_date < clock.today()) > 0
    )  # overdue ones to remind
    kept_donors = {
        r["donor"] for r in await Loan.select(Loan.tablet.donor.as_alias("donor")).where(Loan.outcome == "kept")
    }
    assert kept_donors == {"Vanhusten turva"}
    assert {r["donor"] for r in await Donation.select(Donation.donor)} == {"DNA", "Vanhusten turva"}


async def test_demo_without_cohorts_makes_the_inventory_only(db):
    from cohorts.tables import Loan, Tablet

    await _tablets(DemoContext(scale="small", rng=random.Random(2024)))
    assert await Tablet.count() > 0 and await Loan.count() == 0
