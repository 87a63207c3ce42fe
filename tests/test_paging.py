"""A list's page and its total come from one statement, kept compiled per scope, filters and page."""

from __future__ import annotations

from tests.factories import as_role
from tests.factories.tablets import make_tablet


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
