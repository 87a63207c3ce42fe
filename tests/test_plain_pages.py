"""The busiest API lists answer their rows' plain values as they are (``PlainPage``): every page of
the demo programme must read exactly as its output model would have written it, byte for byte,
on both engines, for a coordinator and for a trainer.

A field the model has and the plain row lacks, one it spells or types otherwise (a 0 for
false, a date as text, a missing default), fails here.
"""

from __future__ import annotations

import json

import pytest

from cohorts.courses import services as cohorts
from cohorts.courses.schemas import CohortOut
from cohorts.tables import StaffLocation
from cohorts.tablets import loans
from cohorts.tablets import services as tablets
from cohorts.tablets.schemas import LoanOut, TabletOut
from digiystava.access import Principal
from digiystava.accounts.tables import StaffUser
from digiystava.schemas import Page, PlainPage, model_json
from tests.factories import as_role

SIZE = 7  # pages of the small demo: several per list and caller
LISTS = {
    "cohorts": (cohorts.cohort_page, CohortOut),
    "tablets": (tablets.tablet_page, TabletOut),
    "loans": (loans.loan_page, LoanOut),
}


async def _principals() -> list[Principal]:
    coordinator = (
        await StaffUser.select(StaffUser.id, StaffUser.username).where(StaffUser.role == "coordinator").first()
    )
    trainer = await StaffUser.select(StaffUser.id, StaffUser.username).where(StaffUser.role == "trainer").first()
    locations = await StaffLocation.select(StaffLocation.location).where(StaffLocation.user == trainer["id"])
    return [
        Principal(user_id=coordinator["id"], username=coordinator["username"], role="coordinator"),
        Principal(
            user_id=trainer["id"],
            username=trainer["username"],
            role="trainer",
            location_ids=frozenset(r["location"] for r in locations),
        ),
    ]


@pytest.mark.parametrize("name", LISTS)
async def test_every_page_reads_as_its_model_writes_it(demo_data, name):
    page_of, model = LISTS[name]
    compared = pages = 0
    for principal in await _principals():
        offset, total = 0, 1
        while offset < total:
            page = await page_of(principal, SIZE, offset)
            pages += 1
            assert type(page) is PlainPage
            typed = Page[model](items=page.items, total=page.total, limit=page.limit, offset=page.offset)  # type: ignore[valid-type]
            assert bytes(model_json(page)) == typed.model_dump_json().encode(), (name, principal.role, offset)
            compared += len(page.items)
            offset, total = offset + SIZE, page.total
    assert compared >= 20 and pages >= 4, f"the demo should hold pages of {name} for both callers"


@pytest.mark.parametrize("name", LISTS)
async def test_the_api_answers_the_plain_page(client, demo_data, monkeypatch, name):
    """The API's list goes through the page function (not its models), and its items arrive as written."""
    import importlib

    page_of, model = LISTS[name]
    module = importlib.import_module(page_of.__module__)
    calls = []

    async def counted(*args, **kwargs):
        calls.append(args)
        return await page_of(*args, **kwargs)

    monkeypatch.setattr(module, page_of.__name__, counted)
    await as_role(client, "coordinator")
    answer = await client.get(f"/api/v1/{name}", params={"limit": 50})
    assert answer.status_code == 200
    assert len(calls) == 1, "the API answered without its plain page"
    page = await page_of(calls[0][0], 50, 0)
    assert answer.json() == json.loads(bytes(model_json(page)))
    Page[model].model_validate_json(answer.content)  # type: ignore[valid-type]
