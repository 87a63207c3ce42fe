"""A list of 50 costs a handful of queries, not one per row: counted on the main endpoints and pages.

The small demo gives every list at least 15 rows (most well over 50), so a query
per row would show up as dozens of queries against the bound here.
"""

from __future__ import annotations

import pytest

from digiystava.demo import DEMO_PASSWORD
from tests.factories import login

# NOTE: a request also costs up to 2 queries before the handler runs (the tables' versions; the
# session, when not kept), which the counter leaves out: whether the session is re-read is not the list's.
MAX_QUERIES = 6
# NOTE: the versions read as a whole; a page's statement reads its count's tables' versions too, and counts.
BEFORE_THE_HANDLER = ("SELECT name, version FROM table_version", "FROM login_session", "FROM api_token")

API_LISTS = [
    "/api/v1/cohorts",
    "/api/v1/participants",
    "/api/v1/tablets",
    "/api/v1/loans",
    "/api/v1/volunteers",
    "/api/v1/assessments",
    "/api/v1/pairings",
    "/api/v1/donations",
]
PAGES = [
    "/cohorts",
    "/participants",
    "/tablets",
    "/loans?show=all",
    "/volunteers",
    "/assessments",
    "/pairings",
    "/donations",
]


class QueryCounter:
    """Counts every statement the engine runs while ``active``."""

    def __init__(self, engine, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count, self.active = 0, False
        # NOTE: engines have __slots__, so the methods are wrapped on the class for this test only.
        for name in ("run_querystring", "run_ddl"):
            monkeypatch.setattr(type(engine), name, self._wrap(getattr(type(engine), name)))

    def _wrap(self, original):
        async def counted(engine, *args, **kwargs):
            if self.active and not any(marker in str(args[0] if args else "") for marker in BEFORE_THE_HANDLER):
                self.count += 1
            return await original(engine, *args, **kwargs)

        return counted

    async def measure(self, client, url: str):
        self.count, self.active = 0, True
        try:
            response = await client.get(url)
        finally:
            self.active = False
        assert response.status_code == 200, (url, response.status_code, response.text[:300])
        return self.count, response


@pytest.fixture
async def demo_client(db, demo_data, client, monkeypatch):
    await login(client, "koordinaattori", DEMO_PASSWORD)
    # The first request reads the session and keeps it until the database changes; every
    # measured request below then finds it kept, so each count is the list's own.
    assert (await client.get("/api/v1/me")).status_code == 200
    return client, QueryCounter(db, monkeypatch)


@pytest.mark.parametrize("url", API_LISTS)
async def test_an_api_list_costs_the_same_for_5_rows_as_for_50(demo_client, url):
    client, counter = demo_client
    few, _ = await counter.measure(client, f"{url}?limit=5")
    many, response = await counter.measure(client, f"{url}?limit=50")
    assert len(response.json()["items"]) >= min(15, response.json()["total"])
    assert many == few, f"{url}: {few} queries for 5 rows, {many} for 50"
    assert many <= MAX_QUERIES, f"{url}: {many} queries for a list of 50"


@pytest.mark.parametrize("url", PAGES)
async def test_a_list_page_costs_a_handful_of_queries(demo_client, url):
    client, counter = demo_client
    count, response = await counter.measure(client, url)
    assert "<table" in response.text
    assert count <= MAX_QUERIES, f"{url}: {count} queries for one page of up to 50 rows"


@pytest.mark.parametrize("suffix", ["", "/attendance", "/enrolments", "/assessments/before"])
async def test_a_running_cohorts_pages_cost_a_handful_of_queries(demo_client, suffix):
    """A cohort of up to 19 seniors and 10 sessions: its detail, attendance grid, enrolments and entry grid."""
    from cohorts.tables import Cohort

    client, counter = demo_client
    cohort_id = (await Cohort.select(Cohort.id).where(Cohort.status == "running").order_by(Cohort.id).first())["id"]
    url = f"/api/v1/cohorts/{cohort_id}/enrolments" if suffix == "/enrolments" else f"/cohorts/{cohort_id}{suffix}"
    count, _ = await counter.measure(client, url)
    # NOTE: the detail page gathers six things (cohort, counts, trainers, roster, sessions, rates), each in one query.
    assert count <= MAX_QUERIES + 6, f"{url}: {count} queries"
