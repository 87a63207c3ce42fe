"""The entry grid in a real browser: one senior's row filled by keyboard alone, saved, reloaded."""

from __future__ import annotations

import pytest

from tests.browser.conftest import check_accessibility, demo_server, log_in

# A cohort at the demo trainer's first location with three seniors enrolled, whatever
# the demo itself holds; prints the cohort's id.
SEED = """
import asyncio
from digiystava import db
from tests.factories import enrol, make_cohort, make_participant

async def main():
    db.bind(db.engine_from_url(__import__("os").environ["DIGIYSTAVA_DATABASE_URL"]))
    cohort = await make_cohort(1, name="Selainkurssi", status="running")
    for first, last in (("Aino", "Aaltonen"), ("Bertil", "Björklund"), ("Eeva", "Eskola")):
        await enrol(cohort, await make_participant(1, first_name=first, last_name=last))
    print(cohort)

asyncio.run(main())
"""


@pytest.fixture(scope="module")
def server_url():
    """The demo server, plus this module's seed."""
    with demo_server("digiystava-grid-", SEED) as (url, seeded):
        server_url.cohort_id = int(seeded.strip().splitlines()[-1])
        yield url


def levels(page, row: int) -> list[str]:
    return (
        page.locator("#assessment-grid tbody tr")
        .nth(row)
        .locator("select.level")
        .evaluate_all("cells => cells.map(c => c.value)")
    )


def test_fill_a_row_by_keyboard_and_see_it_saved_after_reload(page):
    log_in(page, "kouluttaja")
    page.goto(f"/cohorts/{server_url.cohort_id}/assessments/before")
    check_accessibility(page, "assessment-grid")
    first_row = page.locator("#assessment-grid tbody tr").first
    assert "Aino Aaltonen" in first_row.inner_text()

    page.locator("select.level").first.focus()
    # 13 skills: digits set a level and move on, "-" and "x" mean no answer.
    for key in ["0", "1", "2", "3", "4", "-", "2", "x", "1", "3", "4", "0", "2"]:
        page.keyboard.press(key)
    # The last key moved focus on to the next senior's row, so the first row saved itself.
    assert page.evaluate("document.activeElement.closest('tr').dataset.name") == "Bertil Björklund"
    status = first_row.locator(".row-status")
    status.filter(has_text="Tallennettu").wait_for(timeout=5000)
    page.locator("#grid-announcer").filter(has_text="Aino Aaltonen: tallennettu").wait_for(timeout=5000)

    # A correction by keyboard too: up to the first row, Delete empties the cell, down saves it.
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Delete")
    page.keyboard.press("ArrowDown")
    status.filter(has_text="Tallennettu").wait_for(timeout=5000)
    page.wait_for_load_state("networkidle")

    page.reload()
    assert levels(page, 0) == ["", "1", "2", "3", "4", "", "2", "", "1", "3", "4", "0", "2"]
    assert levels(page, 1) == [""] * 13, "the next senior was not touched"
    assert "Tallennettu" in page.locator("#assessment-grid tbody tr").first.locator(".row-status").inner_text()


def test_digit_then_tab_fills_the_same_cells_as_digits_alone(page):
    """Spreadsheet habit: "2 Tab 1 Tab 2 Tab" must not skip every other skill."""
    log_in(page, "kouluttaja")
    page.goto(f"/cohorts/{server_url.cohort_id}/assessments/before")
    help_text = page.locator("#grid-help").inner_text()
    assert "Sarkain" in help_text, help_text  # the page says what Tab does after a digit
    rows = page.locator("#assessment-grid tbody tr")
    typed = ["2", "1", "2", "3", "0", "4"]

    # Bertil's row with a Tab after every digit, Eeva's with digits alone.
    rows.nth(1).locator("select.level").first.focus()
    for key in typed:
        page.keyboard.press(key)
        page.keyboard.press("Tab")
    rows.nth(2).locator("select.level").first.focus()
    for key in typed:
        page.keyboard.press(key)
    # Both cursors stand on the seventh skill of their own row.
    assert page.evaluate(
        "[document.activeElement.closest('tr').dataset.name, "
        "Array.from(document.activeElement.closest('tr').querySelectorAll('select.level')).indexOf(document.activeElement)]"
    ) == ["Eeva Eskola", 6]
    page.keyboard.press("Enter")
    rows.nth(1).locator(".row-status").filter(has_text="Tallennettu").wait_for(timeout=5000)
    rows.nth(2).locator(".row-status").filter(has_text="Tallennettu").wait_for(timeout=5000)
    page.wait_for_load_state("networkidle")

    page.reload()
    expected = typed + [""] * 7
    assert levels(page, 1) == expected, "digit then Tab"
    assert levels(page, 2) == expected, "digits alone"
    check_accessibility(page, "assessment-grid-tab")
