"""A finished course in the browser: the follow-up call list, and a senior's feedback on a tablet through a card."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility, demo_server, log_in

# A course at the demo trainer's first location that ended 14 weeks ago (follow-up due), three seniors who
# finished it; prints the cohort's id.
SEED = """
import asyncio, datetime as dt
from digiystava import clock, db
from tests.factories import enrol, make_cohort, make_participant

async def main():
    db.bind(db.engine_from_url(__import__("os").environ["DIGIYSTAVA_DATABASE_URL"]))
    start = clock.today() - dt.timedelta(weeks=23)
    cohort = await make_cohort(1, name="Seurantakurssi", start_date=start, status="completed")
    for first, last, phone in (("Aino", "Aaltonen", "040 101 2020"), ("Bertil", "Björklund", "050 303 4040")):
        await enrol(cohort, await make_participant(1, first_name=first, last_name=last, phone=phone), "completed")
    print(cohort)

asyncio.run(main())
"""
TABLET = {"width": 800, "height": 1280}  # a 10-inch tablet held upright


@pytest.fixture(scope="module")
def server_url():
    with demo_server("digiystava-feedback-", SEED) as (url, seeded):
        server_url.cohort_id = int(seeded.strip().splitlines()[-1])
        yield url


def test_the_trainer_sees_the_follow_up_calls_and_opens_the_follow_up_grid(page):
    log_in(page, "kouluttaja")
    page.locator("#followups").get_by_role("link", name="Seurannan soittolista").click()
    page.wait_for_url("**/followups")
    row = page.get_by_role("row").filter(has_text="Bertil Björklund")
    assert "050 303 4040" in row.inner_text() and "Seurantakurssi" in row.inner_text()
    check_accessibility(page, "followup-calls")
    row.get_by_role("link", name="Kirjaa vastaukset").click()
    page.wait_for_url(f"**/cohorts/{server_url.cohort_id}/assessments/followup*")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Taidot seurannassa")
    check_accessibility(page, "followup-grid")


def test_a_senior_fills_the_feedback_form_on_a_tablet_through_the_card_and_the_second_use_is_refused_kindly(
    page, browser
):
    log_in(page, "kouluttaja")
    page.goto(f"/cohorts/{server_url.cohort_id}/feedback")
    check_accessibility(page, "feedback-cohort")
    # The links the cards print, made as the card button does (the PDF holds the same addresses).
    links = page.evaluate(
        """async (cohort) => {
            const token = document.querySelector('meta[name=csrf-token]').content;
            const r = await fetch(`/api/v1/cohorts/${cohort}/feedback-links`, {method: 'POST',
                headers: {'Content-Type': 'application/json', 'X-CSRFToken': token}, body: JSON.stringify({count: 1})});
            return (await r.json()).links;
        }""",
        server_url.cohort_id,
    )
    [link] = links

    tablet = browser.new_context(viewport=TABLET, has_touch=True, is_mobile=True)  # no login on the senior's tablet
    senior = tablet.new_page()
    try:
        senior.goto(link)
        assert senior.get_by_role("heading", level=1).inner_text() == "Palautteesi kurssista"
        check_accessibility(senior, "feedback-form-tablet")
        choice = senior.get_by_role("group", name="Suosittelisitko kurssia ystävällesi?").locator(
            "label.choice", has_text="Kyllä"
        )
        box = choice.bounding_box()
        assert box["height"] >= 48 and box["width"] >= 200, "a large target for a finger"
        choice.tap()
        senior.get_by_role("group", name="Oliko kurssin tahti sinulle sopiva?").get_by_role(
            "radio", name="Sopiva", exact=True
        ).tap()
        senior.get_by_role("group", name="Oliko digiystävästäsi apua?").get_by_role("radio", name="Jonkin verran").tap()
        expect(senior.get_by_role("radio", name="Kyllä").first, "a tap on the label chooses").to_be_checked()
        senior.get_by_label("Mitä haluaisit vielä oppia?").fill("Videopuhelut lastenlasten kanssa")
        senior.get_by_role("button", name="Lähetä vastaukseni").tap()
        senior.get_by_role("heading", name="Kiitos vastauksistasi!").wait_for()
        check_accessibility(senior, "feedback-thanks")

        senior.goto(link)  # the card a second time
        senior.get_by_role("heading", name="Kiitos, tämä kortti on jo käytetty").wait_for()
        assert "pyydä kouluttajalta uusi kortti" in senior.locator("main").inner_text()
        check_accessibility(senior, "feedback-used")
    finally:
        tablet.close()

    page.goto(f"/cohorts/{server_url.cohort_id}/feedback")
    assert "1 vastaus tähän mennessä" in page.locator("main").inner_text()
    # One answer counts nowhere; the location's finished demo courses have five and more.
    page.goto(f"/reports/feedback?cohort_id={server_url.cohort_id}")
    assert "Alle 5 vastausta" in page.locator("main").inner_text()
    page.goto("/reports/feedback?location_id=1")
    page.get_by_role("table", name="Suosittelisitko kurssia ystävällesi?").wait_for()
    assert "Senioreiden omat sanat" not in page.locator("main").inner_text(), "a trainer sees the counts only"
    check_accessibility(page, "feedback-report")
