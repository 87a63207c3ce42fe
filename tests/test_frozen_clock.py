"""The suite's own clock: a ``clock`` test must not leave its frozen dates in the worker's app."""

import pytest

from tests.conftest import _APPS, worker_app
from tests.factories import InLoopClient, as_role


@pytest.mark.clock
async def test_the_worker_app_first_built_in_a_clock_test_takes_dates_in_queries(db, settings):
    from digiystava.app import app_state

    # The worker's app on this engine is built now, as when a clock test is the first of its
    # worker to ask, and the tests after this one use it (the other engine's app is kept).
    _APPS.pop((id(db), id(settings)), None)
    app = worker_app(db, settings)
    app.state = app_state(settings, db)
    async with app.lifespan(), InLoopClient(app) as client:
        await as_role(client, "coordinator")
        answer = await client.get(
            "/api/v1/volunteers/hours/totals", params={"date_from": "2026-09-14", "date_to": "2026-09-14"}
        )
    assert answer.status_code == 200, answer.text
