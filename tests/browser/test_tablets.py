"""At the scanner desk: find a tablet by its label and lend it, keyboard and scanner only."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility, demo_server, log_in

pytestmark = pytest.mark.browser

SEED = """
import asyncio, os
from digiystava import db


async def main():
    db.bind(db.engine_from_url(os.environ["DIGIYSTAVA_DATABASE_URL"]))
    from cohorts.tables import Loan, Tablet
    from tests.factories.tablets import make_course

    await make_course(location_id=1, first_name="Selma", last_name="Skannaaja")
    lent = [r["tablet"] for r in await Loan.select(Loan.tablet)]
    row = (
        await Tablet.select(Tablet.asset_tag)
        .where(Tablet.status == "available", Tablet.needs_wipe.eq(False), Tablet.id.not_in(lent or [0]))
        .order_by(Tablet.id)
        .first()
    )
    print(row["asset_tag"])


asyncio.run(main())
"""


@pytest.fixture(scope="module")
def desk():
    """The demo programme plus a running course with one senior still without a tablet."""
    with demo_server("digiystava-desk-", SEED) as (url, seeded):
        yield url, seeded.strip()


@pytest.fixture
def desk_page(browser, desk):
    context = browser.new_context(base_url=desk[0], viewport={"width": 1024, "height": 768})
    page = context.new_page()
    yield page
    context.close()


def test_find_a_tablet_by_scanning_its_label(desk_page, desk):
    page, tag = desk_page, desk[1]
    log_in(page, "koordinaattori")
    page.goto("/tablets")
    # The find field has the focus (Chromium gives it just after the page loads): the scanner
    # types the tag and presses Enter.
    expect(page.locator("#field-asset_tag")).to_be_focused()
    check_accessibility(page, "tablets-list")
    page.keyboard.type(tag.lower())
    page.keyboard.press("Enter")
    page.wait_for_url("**/tablets/*")
    assert page.get_by_role("heading", level=1).inner_text() == f"Tabletti {tag}"
    check_accessibility(page, "tablet-detail")


def test_lend_a_tablet_with_the_scanner(desk_page, desk):
    page, tag = desk_page, desk[1]
    log_in(page, "koordinaattori")
    page.goto("/loans/new")
    expect(page.locator("#field-asset_tag")).to_be_focused()
    check_accessibility(page, "lend-form")
    page.keyboard.type(tag)
    page.keyboard.press("Enter")
    # Enter from the scanner moves on to the senior instead of sending a half-filled form.
    assert page.evaluate("document.activeElement.id") == "field-enrolment"
    # The senior found by typing, accents or not, as on the enrol page; Enter searches in place, the tag stays.
    page.keyboard.press("Shift+Tab")  # the Search button
    page.keyboard.press("Shift+Tab")  # the search box
    assert page.evaluate("document.activeElement.id") == "lend-find-q"
    page.keyboard.type("skannaaja selma", delay=30)
    expect(page.locator("#lend-status")).to_have_text("1 seniori löytyi.")
    page.keyboard.press("Enter")
    expect(page.locator("#field-enrolment option")).to_have_count(1)
    assert "Skannaaja Selma" in page.locator("#field-enrolment option").inner_text()
    assert page.locator("#field-asset_tag").input_value() == tag
    check_accessibility(page, "lend-form-senior-found")
    page.keyboard.press("Tab")  # the Search button
    page.keyboard.press("Tab")  # the senior, found and chosen
    assert page.evaluate("document.activeElement.id") == "field-enrolment"
    page.get_by_role("button", name="Lainaa", exact=True).click()
    page.wait_for_url("**/loans/*")
    assert tag in page.get_by_role("heading", level=1).inner_text()
    assert "Selma Skannaaja" in page.locator("main").inner_text()
    check_accessibility(page, "loan-detail")
    # The same tablet scanned again is refused, saying why, at the scan field.
    page.goto("/loans/new")
    expect(page.locator("#field-asset_tag")).to_be_focused()  # a scanner types only into a ready field
    page.keyboard.type(tag)
    page.get_by_role("button", name="Lainaa", exact=True).click()
    assert "Tämä tabletti on jo lainassa." in page.locator(".error-summary").inner_text()


def test_reminders_and_donations_pages_are_accessible(desk_page):
    page = desk_page
    log_in(page, "koordinaattori")
    for path, name in (
        ("/loans/reminders", "reminders"),
        ("/donations", "donations"),
        ("/donors/Vanhusten%20turva", "donor"),
        ("/tablets/import", "import"),
    ):
        page.goto(path)
        check_accessibility(page, name)
