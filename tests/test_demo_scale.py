"""The city-size demo loads in bulk with earlier years, reused tablets and three donors."""

import io

import pytest

from digiystava.demo import load_demo

pytestmark = pytest.mark.slow


async def test_the_city_demo_loads_with_a_progress_bar(db):
    from assessments.tables import Assessment
    from cohorts.tables import Cohort, Donation, Loan, Location, Participant, Tablet, Volunteer

    bar = io.StringIO()
    await load_demo("city", progress=bar)
    assert await Location.count() == 58
    assert await Cohort.count() == 58 * 5
    assert 3500 <= await Participant.count() <= 4300
    assert await Volunteer.count() == 300
    assert await Assessment.count() > 5000
    # Returned tablets go out again to later cohorts, so there are fewer tablets than loans.
    assert await Tablet.count() < await Loan.count()
    assert {r["donor"] for r in await Donation.select(Donation.donor)} == {"DNA", "Vanhusten turva", "other"}
    assert bar.getvalue().rstrip().endswith("costs") and "100%" in bar.getvalue()
    from cohorts.tables import Cost

    assert await Cost.count() > 0, "each term's costs, for the funder's report"
