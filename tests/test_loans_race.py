"""No double loan, ever: 20 simultaneous requests for one tablet give one loan and 19 conflicts."""

import asyncio

from cohorts.tablets import loans
from cohorts.tablets.schemas import LoanIn
from digiystava import clock
from digiystava.access import Principal
from digiystava.errors import Conflict
from tests.factories import as_role, make_user, send_at_once
from tests.factories.tablets import add_senior, make_course, make_tablet

REQUESTS = 20


async def twenty_seniors() -> tuple[dict, list[int]]:
    course = await make_course()
    seniors = [course["participant_id"]] + [
        await add_senior(course, f"Senior{i}", "Mäkinen") for i in range(REQUESTS - 1)
    ]
    return course, seniors


async def test_twenty_requests_through_the_api(client):
    await as_role(client, "coordinator")
    course, seniors = await twenty_seniors()
    tablet_id = await make_tablet()
    responses = await send_at_once(
        client,
        [
            ("POST", "/api/v1/loans", {"tablet_id": tablet_id, "participant_id": p, "cohort_id": course["cohort_id"]})
            for p in seniors
        ],
    )
    codes = sorted(r.status_code for r in responses)
    assert codes == [201] + [409] * (REQUESTS - 1), [r.text for r in responses if r.status_code not in (201, 409)]
    from cohorts.tables import Loan

    assert await Loan.count().where(Loan.tablet == tablet_id) == 1


async def test_twenty_requests_through_the_service(db):
    course, seniors = await twenty_seniors()
    tablet_id = await make_tablet()
    user_id = await make_user("coordinator", "race.coordinator")
    principal = Principal(user_id=user_id, username="race.coordinator", role="coordinator")

    async def attempt(participant_id: int) -> str:
        try:
            await loans.create_loan(
                principal, LoanIn(tablet_id=tablet_id, participant_id=participant_id, cohort_id=course["cohort_id"])
            )
            return "created"
        except Conflict:
            return "conflict"

    results = await asyncio.gather(*[attempt(p) for p in seniors])
    assert sorted(results) == ["conflict"] * (REQUESTS - 1) + ["created"]


async def test_the_database_refuses_a_second_open_loan(db):
    """Even without the service's check, the partial unique index stops a double loan."""

    import pytest

    from cohorts.tables import Loan

    course, seniors = await twenty_seniors()
    tablet_id = await make_tablet()
    await Loan.insert(
        Loan(tablet=tablet_id, participant=seniors[0], cohort=course["cohort_id"], due_date=clock.today())
    )
    with pytest.raises(Exception) as error:
        await Loan.insert(
            Loan(tablet=tablet_id, participant=seniors[1], cohort=course["cohort_id"], due_date=clock.today())
        )
    assert "unique" in str(error.value).lower()
    # A returned loan does not count: the tablet may go out again.
    await Loan.update({Loan.returned_at: clock.now()}).where(Loan.tablet == tablet_id)
    await Loan.insert(
        Loan(tablet=tablet_id, participant=seniors[1], cohort=course["cohort_id"], due_date=clock.today())
    )


async def test_requests_that_never_met_in_the_app_are_not_called_a_race(client):
    """``send_at_once`` itself: a lone request never overlaps another, and the helper says so."""
    import pytest

    await as_role(client, "coordinator")
    with pytest.raises(AssertionError, match="one after another"):
        await send_at_once(client, [("GET", "/api/v1/loans", None)])
