"""A list's page and its total come from one statement, kept compiled per scope, filters and page; the total is kept
while the tables its count reads are unchanged."""

from __future__ import annotations

from cohorts.tables import Cohort, Loan
from digiystava.read_cache import ReadCache
from tests.factories import as_role, make_location
from tests.factories.handouts import lend
from tests.factories.tablets import add_senior, make_course, make_tablet


async def test_every_page_tells_the_total_even_past_the_end_and_after_a_write(client):
    await as_role(client, "coordinator")
    for _ in range(3):
        await make_tablet()

    async def page(offset: int) -> tuple[int, int]:
        answer = (await client.get(f"/api/v1/tablets?limit=2&offset={offset}")).json()
        return len(answer["items"]), answer["total"]

    assert [await page(offset) for offset in (0, 2, 10)] == [(2, 3), (1, 3), (0, 3)]
    # The same pages again, their statements kept, read what the database holds now.
    await make_tablet()
    assert [await page(offset) for offset in (0, 2, 10)] == [(2, 4), (2, 4), (0, 4)]
    filtered = (await client.get("/api/v1/tablets?limit=2&status=retired")).json()
    assert (filtered["items"], filtered["total"]) == ([], 0)


class _Statements:
    """The statements the engine runs, recorded while the test runs."""

    def __init__(self, engine, monkeypatch) -> None:
        self.seen: list[str] = []
        original = type(engine).run_querystring

        async def recorded(engine, querystring, *args, **kwargs):
            self.seen.append(str(querystring))
            return await original(engine, querystring, *args, **kwargs)

        # NOTE: engines have __slots__, so the method is wrapped on the class for this test only.
        monkeypatch.setattr(type(engine), "run_querystring", recorded)

    def counted(self) -> bool:
        counted = any("COUNT(" in sql.upper() for sql in self.seen)
        self.seen.clear()
        return counted


async def test_a_kept_total_is_given_only_while_every_table_its_count_reads_is_unchanged(app, client, db, monkeypatch):
    # NOTE: the read cache off, so that every request reads its page (as DIGIYSTAVA_READ_CACHE_ENTRIES=0 does).
    app.state.read_cache = ReadCache(db, max_entries=0)
    first = await make_course()
    second = await make_course(location_id=first["location_id"], first_name="Elsa", last_name="Lindqvist")
    seniors = [first["participant_id"], await add_senior(first, "Matti", "Nieminen"), second["participant_id"]]
    for senior, course in zip(seniors, (first, first, second)):
        await lend(senior, course["cohort_id"], "android")
    await as_role(client, "trainer", [first["location_id"]])
    statements = _Statements(db, monkeypatch)

    async def total() -> int:
        answer = (await client.get("/api/v1/loans?limit=2")).json()
        assert len(answer["items"]) == min(2, answer["total"])
        return answer["total"]

    assert (await total(), statements.counted()) == (3, True)
    # The same list again: the page's own statement reads the versions, and the total is the one kept.
    assert (await total(), statements.counted()) == (3, False)
    # A trainer's loans are counted through their cohorts' locations: moving a cohort away
    # changes the total without a write to the loans, and the list counts again.
    await Cohort.update({Cohort.location: await make_location("Kallion kirjasto")}).where(
        Cohort.id == second["cohort_id"]
    )
    assert (await total(), statements.counted()) == (2, True)
    assert (await total(), statements.counted()) == (2, False)
    # A table the count does not read leaves the kept total alone.
    await make_tablet()
    assert (await total(), statements.counted()) == (2, False)
    await Loan.delete().where(Loan.participant == seniors[0])
    assert (await total(), statements.counted()) == (1, True)
