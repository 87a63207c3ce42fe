"""The funder's report: its figures against figures computed here from the raw rows, its formats, who reads it."""

from __future__ import annotations

import datetime as dt
import html
import io
import random

from digiystava import clock
from digiystava.access import COMMAND_LINE
from tests.factories import as_role, enrol, make_cohort, make_location, make_participant
from tests.factories.assessments import answers
from tests.pdf_text import pdf_text

TERM = {"term": "2026 syksy", "starts_on": "2026-08-01", "ends_on": "2026-12-31"}
SKILLS = ("email", "banking", "health")


async def course(location: int, seniors: list[tuple[int, str]], seed: int, name: str) -> tuple[int, dict]:
    """A completed course whose seniors (birth year, language) answered before and after; their levels by id."""
    from assessments.tables import Assessment

    rng = random.Random(seed)
    cohort = await make_cohort(location, name=name, status="completed", start_date=dt.date(2026, 9, 7))
    levels = {}
    for number, (born, language) in enumerate(seniors):
        pid = await make_participant(location, last_name=f"{name} {number}", birth_year=born, language=language)
        await enrol(cohort, pid, "completed")
        before = {code: rng.randint(0, 2) for code in SKILLS}
        after = {code: rng.randint(0, 4) for code in SKILLS}
        levels[pid] = (before, after)
        await Assessment.insert(
            Assessment(participant=pid, cohort=cohort, phase="before", instrument_version=1, answers=answers(**before)),
            Assessment(participant=pid, cohort=cohort, phase="after", instrument_version=1, answers=answers(**after)),
        )
    return cohort, levels


async def programme(client) -> dict:
    """Courses of 12 (splits by age band and language), 7 (an age band of 2: not split) and 3 (too few); costs."""
    from cohorts.tables import CourseSession, VolunteerHours
    from tests.factories.volunteers import make_volunteer

    kallio, pasila = await make_location(), await make_location(name="Pasilan kirjasto")
    big, big_levels = await course(kallio, [(1950, "fi")] * 7 + [(1958, "sv")] * 5, 1, "A")
    mixed, mixed_levels = await course(pasila, [(1948, "fi")] * 5 + [(1938, "fi")] * 2, 2, "B")
    await course(pasila, [(1950, "fi")] * 3, 3, "C")
    volunteer = await make_volunteer("Mikko Laine")
    await VolunteerHours.insert(
        VolunteerHours(volunteer=volunteer, cohort=big, date=dt.date(2026, 9, 14), hours=2.5),
        VolunteerHours(volunteer=volunteer, cohort=mixed, date=dt.date(2026, 9, 21), hours=2.5),
    )
    await as_role(client, "coordinator")
    for line in (
        {**TERM, "funder": "STEA", "category": "coordinator_hours", "quantity": 10},  # 350 €
        {**TERM, "location_id": kallio, "funder": "city", "category": "rooms", "unit_cents": 120000},
        {**TERM, "funder": "STEA", "category": "volunteer_hours"},  # the 5 hours recorded, at 15 €
        {**TERM, "funder": "other", "category": "donated_tablets", "quantity": 3},  # 3 x 150 €
        # NOTE: next term's line is outside the period asked.
        {
            **TERM,
            "starts_on": "2027-01-10",
            "ends_on": "2027-05-31",
            "funder": "city",
            "category": "rooms",
            "unit_cents": 9,
        },
    ):
        assert (await client.post("/api/v1/costs", json=line)).status_code == 201
    today = clock.today()
    held = await CourseSession.count().where(
        CourseSession.cohort.is_in([big, mixed]), CourseSession.cancelled.eq(False), CourseSession.date <= today
    )
    return {"levels": {**big_levels, **mixed_levels}, "held": held}


def expected_independent(levels: dict) -> int:
    return sum(1 for before, after in levels.values() if any(before[c] < 2 <= after[c] for c in SKILLS))


async def test_the_figures_are_those_of_the_raw_rows(client):
    made = await programme(client)
    await as_role(client, "steering")
    body = (await client.get("/api/v1/reports/funder", params={"from": "2026-08-01", "to": "2026-12-31"})).json()
    assert body["course"]["seniors"] == 19 and body["course"]["cohorts"] == 2, "the course of 3 is left out"
    assert body["sessions_held"] == made["held"]
    independent = expected_independent(made["levels"])
    assert body["independent_seniors"] == independent
    reach = {b["by"]: {r["key"]: r["seniors"] for r in b["rows"]} for b in body["reach"]}
    assert reach["age"] == {"65_74": 5, "75_84": 7, "not_shown": 7}, "B has an age band of 2: not broken down"
    assert reach["language"] == {"fi": 14, "sv": 5}
    assert reach["district"] == {"Kallio": 19}
    money, in_kind = 35000 + 120000, 5 * 1500 + 3 * 15000
    assert (body["money_cents"], body["in_kind_cents"]) == (money, in_kind)
    assert body["cost_per_senior_cents"] == round(money / 19)
    assert body["cost_per_senior_with_in_kind_cents"] == round((money + in_kind) / 19)
    assert body["cost_per_independent_cents"] == round(money / independent)
    for skill in body["skills"]:
        if skill["code"] in SKILLS:
            pairs = list(made["levels"].values())
            assert skill["n"] == 19
            assert skill["independent_after"] == sum(1 for _, after in pairs if after[skill["code"]] >= 2)
    assert body["summary"] and str(body["course"]["seniors"]) in body["summary"][0]
    stea = (await client.get("/api/v1/reports/funder", params={"funder": "STEA", "to": "2026-12-31"})).json()
    assert (stea["money_cents"], stea["in_kind_cents"]) == (35000, 5 * 1500)
    assert [c["category"] for c in stea["costs"]] == ["coordinator_hours", "volunteer_hours"]


async def test_every_format_and_language(client):
    from openpyxl import load_workbook

    await programme(client)
    await as_role(client, "coordinator")
    url = "/api/v1/reports/funder"
    for lang, title in (("fi", "Rahoittajan raportti"), ("sv", "Rapport till finansiären"), ("en", "Funder's report")):
        pdf = await client.get(url, params={"format": "pdf", "lang": lang})
        assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
        assert title in pdf_text(pdf.content)
        sheet = await client.get(url, params={"format": "xlsx", "lang": lang})
        cells = [c for row in load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True) for c in row]
        assert title in cells
        page = await client.get(url, params={"format": "html", "lang": lang})
        assert page.status_code == 200 and title in html.unescape(page.text)
    assert (await client.get(url)).json()["feedback"]["free_text"] is None, "the seniors' own words stay"


async def test_who_reads_it_and_bad_periods(client):
    await as_role(client, "trainer")
    assert (await client.get("/api/v1/reports/funder")).status_code == 403
    await as_role(client, "volunteer")
    assert (await client.get("/api/v1/reports/funder")).status_code == 403
    await as_role(client, "steering")
    for params, field in (({"from": "2026-13-01"}, "from"), ({"from": "2026-10-01", "to": "2026-09-01"}, "to")):
        response = await client.get("/api/v1/reports/funder", params=params)
        assert response.status_code in (400, 422) and field in response.text
    assert (await client.get("/api/v1/reports/funder", params={"funder": "bank"})).status_code in (400, 422)


async def test_the_demo_has_costs_and_its_funder_report_renders(db):
    from digiystava.demo import load_demo
    from digiystava.reports.funder import funder_report
    from digiystava.reports.funder_formats import funder_pdf, funder_xlsx

    await load_demo("small")
    report = await funder_report(COMMAND_LINE, None, None, None, "fi")
    assert report.money_cents > 0 and report.in_kind_cents > 0
    assert report.cost_per_senior_cents and report.cost_per_independent_cents
    assert {c.category for c in report.costs} >= {"coordinator_hours", "rooms", "volunteer_hours", "donated_tablets"}
    assert funder_pdf(report).startswith(b"%PDF") and funder_xlsx(report).startswith(b"PK")
    stea = await funder_report(COMMAND_LINE, None, None, "STEA", "sv")
    assert 0 < stea.money_cents < report.money_cents
