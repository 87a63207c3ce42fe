"""The trainer's and the steering group's part of the week, in Chromium: both assessment grids
typed both ways (a digit alone, and a digit then Tab as in a spreadsheet), a senior's own
guide printed, and the outcome report opened by the steering group. Every page is checked
with axe-core.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import check_accessibility, demo_server, log_in
from tests.pdf_text import pdf_text

# A cohort of the demo trainer's first location in its last week (so the end answers are open),
# with four seniors; prints the cohort's id.
SEED = """
import asyncio, datetime as dt, os
from digiystava import clock, db
from tests.factories import enrol, make_cohort, make_participant

async def main():
    db.bind(db.engine_from_url(os.environ["DIGIYSTAVA_DATABASE_URL"]))
    start = clock.today() - dt.timedelta(weeks=9)
    cohort = await make_cohort(1, name="Loppuviikon kurssi", start_date=start, status="running")
    seniors = (("Aino", "Aaltonen", "fi"), ("Bertil", "Björklund", "sv"), ("Eeva", "Eskola", "fi"),
               ("Olli", "Oja", "fi"))
    for first, last, lang in seniors:
        await enrol(cohort, await make_participant(1, first_name=first, last_name=last, language=lang))
    print(cohort)

asyncio.run(main())
"""

SKILLS = 13


@pytest.fixture(scope="module")
def server_url():
    """The demo server, plus this module's seed."""
    with demo_server("digiystava-week-trainer-", SEED) as (url, seeded):
        server_url.cohort_id = int(seeded.strip().splitlines()[-1])
        yield url


def levels(page, row: int) -> list[str]:
    return (
        page.locator("#assessment-grid tbody tr")
        .nth(row)
        .locator("select.level")
        .evaluate_all("cells => cells.map(c => c.value)")
    )


def type_row(page, row: int, digits: list[str], tab: bool) -> None:
    page.locator("#assessment-grid tbody tr").nth(row).locator("select.level").first.focus()
    for digit in digits:
        page.keyboard.press(digit)
        if tab:
            page.keyboard.press("Tab")


def fill_grid(page, phase: str, first: list[str], second: list[str]) -> None:
    """Aino's row with a Tab after every digit, Bertil's with digits alone; both whole rows."""
    page.goto(f"/cohorts/{server_url.cohort_id}/assessments/{phase}")
    check_accessibility(page, f"week-grid-{phase}")
    rows = page.locator("#assessment-grid tbody tr")
    assert "Aino Aaltonen" in rows.nth(0).inner_text() and "Bertil Björklund" in rows.nth(1).inner_text()
    type_row(page, 0, first, tab=True)
    # The Tab after the row's last digit stayed on the next row's first skill.
    assert page.evaluate(
        "[document.activeElement.closest('tr').dataset.name, document.activeElement.matches('select.level')]"
    ) == [
        "Bertil Björklund",
        True,
    ]
    type_row(page, 1, second, tab=False)
    rows.nth(0).locator(".row-status").filter(has_text="Tallennettu").wait_for(timeout=5000)
    rows.nth(1).locator(".row-status").filter(has_text="Tallennettu").wait_for(timeout=5000)
    page.wait_for_load_state("networkidle")
    page.reload()
    assert levels(page, 0) == first, f"{phase}: digit then Tab"
    assert levels(page, 1) == second, f"{phase}: digits alone"
    assert levels(page, 2) == [""] * SKILLS, f"{phase}: the next senior was not touched"


def test_the_trainer_types_both_grids_both_ways_and_prints_the_guide(page):
    log_in(page, "kouluttaja")
    page.get_by_role("link", name="Taitoarviot", exact=True).first.click()
    row = page.get_by_role("row").filter(has_text="Loppuviikon kurssi")
    assert "0 / 4 kirjattu" in row.inner_text()
    check_accessibility(page, "week-assessments-overview")

    before = ["1", "0", "2", "1", "0", "1", "2", "1", "0", "1", "1", "2", "0"]
    fill_grid(page, "before", before, ["2", "1", "2", "3", "0", "4", "2", "1", "0", "1", "3", "2", "1"])
    fill_grid(page, "after", ["3", "2", "3", "3", "2", "2", "3", "3", "2", "2", "3", "4", "2"], ["4"] * SKILLS)

    page.goto("/assessments")
    row = page.get_by_role("row").filter(has_text="Loppuviikon kurssi")
    assert row.inner_text().count("2 / 4 kirjattu") == 2, row.inner_text()

    # The group's guide for the trainer, printed from the cohort's page.
    page.goto(f"/cohorts/{server_url.cohort_id}")
    check_accessibility(page, "week-trainer-cohort")
    response = page.request.get(f"/api/v1/cohorts/{server_url.cohort_id}/handouts/trainer.pdf")
    assert response.ok and response.headers["content-type"] == "application/pdf"
    text = pdf_text(response.body())
    assert "Aino Aaltonen" in text and "Olli Oja" in text


def test_the_steering_group_opens_the_report(page):
    log_in(page, "ohjausryhma")
    page.get_by_role("link", name="Svenska").click()
    page.get_by_role("link", name="Rapporter").first.click()
    page.wait_for_url("**/reports")
    check_accessibility(page, "week-steering-reports")
    page.get_by_role("button", name="Visa rapporten").click()
    page.wait_for_url("**/reports/outcomes?**")
    main = page.locator("main").inner_text()
    # Figures, never a senior's name.
    assert "Aino" not in main and "Aaltonen" not in main and "Björklund" not in main
    assert page.get_by_role("img").count() >= 1
    check_accessibility(page, "week-steering-outcomes")
