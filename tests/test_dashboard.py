"""The programme dashboard: figures by term against the raw rows; the steering group's view in aggregate only."""

from __future__ import annotations

import datetime as dt
import html

from digiystava import clock
from tests.factories import as_role, enrol, make_cohort, make_location, make_participant


async def courses() -> dict:
    """An autumn course of 6 (2 waiting), an autumn course of 3 and a spring course of 7, with tablets lent."""
    from cohorts.tables import Loan
    from tests.factories.tablets import make_tablet

    location = await make_location()
    big = await make_cohort(location, name="A", status="running", start_date=dt.date(2026, 9, 7), capacity=6)
    small = await make_cohort(location, name="B", status="running", start_date=dt.date(2026, 9, 14), capacity=12)
    spring = await make_cohort(location, name="C", status="completed", start_date=dt.date(2026, 2, 2), capacity=10)
    for cohort, placed, waiting in ((big, 6, 2), (small, 3, 0), (spring, 7, 0)):
        for i in range(placed + waiting):
            pid = await make_participant(location, last_name=f"{cohort} {i}")
            if i < placed:
                await enrol(cohort, pid, "completed" if cohort == spring else "enrolled")
            else:
                await enrol(cohort, pid, "waitlisted", waitlist_position=i - placed + 1)
            if i < 2 and i < placed:
                tablet = await make_tablet("DNA")
                # NOTE: one loan overdue on each course, one not yet due.
                due = clock.today() - dt.timedelta(days=1) if i == 0 else clock.today() + dt.timedelta(days=30)
                await Loan.insert(Loan(tablet=tablet, participant=pid, cohort=cohort, due_date=due))
    return {"big": big, "small": small, "spring": spring}


async def test_the_coordinator_sees_every_figure_by_term(client):
    await courses()
    await as_role(client, "coordinator")
    terms = {t["term"]: t for t in (await client.get("/api/v1/dashboard")).json()["terms"]}
    autumn, spring = terms["2026-autumn"], terms["2026-spring"]
    assert (autumn["cohorts"], autumn["seats"], autumn["seniors"], autumn["waitlisted"]) == (2, 18, 9, 2)
    assert (autumn["lent"], autumn["out"], autumn["overdue"]) == (4, 4, 2)
    assert autumn["assessments_due"] == 9, "nobody has answered the first questionnaire"
    assert (spring["seniors"], spring["assessments_due"]) == (7, 14), "before and after, for each who completed"


async def test_the_steering_group_sees_aggregates_only(client):
    await courses()
    await as_role(client, "steering")
    board = (await client.get("/api/v1/dashboard")).json()
    assert board["aggregated"]
    terms = {t["term"]: t for t in board["terms"]}
    autumn = terms["2026-autumn"]
    assert autumn["seniors"] == 6, "the course of 3 is left out"
    assert autumn["waitlisted"] == 0, "a waiting list of 2 is left out"
    assert autumn["lent"] is None and autumn["overdue"] is None, "2 tablets: under 5, hidden"
    assert (autumn["cohorts"], autumn["seats"]) == (2, 18), "courses and seats are not about seniors"
    for term in board["terms"]:
        for name, value in term.items():
            if name not in ("term", "year", "season", "cohorts", "seats") and value is not None:
                assert value == 0 or value >= 5, (term["term"], name, value)
    page = await client.get("/dashboard", headers={"accept": "text/html"})
    assert page.status_code == 200 and "<svg" in page.text and 'style="' not in page.text.split("<main", 1)[1]
    assert "Syksy 2026" in html.unescape(page.text)


async def test_only_coordinators_and_the_steering_group(client):
    for role in ("trainer", "volunteer"):
        await as_role(client, role)
        assert (await client.get("/api/v1/dashboard")).status_code == 403


async def test_the_costs_page_adds_a_line_and_names_the_field_at_fault(client):
    await as_role(client, "coordinator")
    page = await client.get("/costs")
    assert page.status_code == 200 and "15 €" in html.unescape(page.text)
    token = client.cookies.get("digiystava_csrf") or ""
    form = {"term": "2026 syksy", "starts_on": "2026-08-01", "ends_on": "2026-12-31", "funder": "city"}
    bad = await client.post("/costs", data={**form, "category": "rooms", "_csrf": token})
    assert bad.status_code == 422 and "field-unit_cents" in bad.text
    good = await client.post("/costs", data={**form, "category": "rooms", "unit_cents": "50000", "_csrf": token})
    assert good.status_code in (200, 303)
    assert "500" in (await client.get("/costs")).text
    report = await client.get("/reports/funder", params={"funder": "", "from": "", "to": ""})
    assert report.status_code == 200 and "Rahoittajan raportti" in report.text
