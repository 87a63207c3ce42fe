"""The coordinator accepts a pairing suggestion in a real browser; the volunteer then sees the senior's first name."""

from __future__ import annotations

import pytest

from tests.browser.conftest import check_accessibility, demo_server, log_in

# NOTE: the demo may have no cohorts on its own, so this module seeds one running cohort
# with a Swedish-speaking senior before the server starts.
SEED = """
import asyncio, datetime as dt, secrets
from digiystava import clock
from digiystava import db
from cohorts.tables import Cohort, CourseSession, Enrolment, Location, Pairing, Participant, Volunteer
from digiystava.accounts.tables import StaffUser


async def main():
    db.bind(db.engine_from_url(__import__("os").environ["DIGIYSTAVA_DATABASE_URL"]))
    location = (await Location.select(Location.id).order_by(Location.id).first())["id"]
    start = clock.today() - dt.timedelta(weeks=1)
    start -= dt.timedelta(days=start.weekday())  # a Monday
    cohort = Cohort(
        location=location,
        name="Selaintesti syksy",
        start_date=start,
        start_time=dt.time(13),
        status="running",
        end_date=start + dt.timedelta(weeks=9),
        calendar_token=secrets.token_urlsafe(24),
    )
    await cohort.save()
    await CourseSession.insert(
        *[
            CourseSession(
                cohort=cohort.id,
                week=w,
                date=start + dt.timedelta(weeks=w - 1),
                start_time=dt.time(13),
                kind="group" if w % 2 else "practice",
            )
            for w in range(1, 11)
        ]
    )
    senior = Participant(
        pseudonym="BROWSER1",
        first_name="Birgitta",
        last_name="Selander",
        language="sv",
        district="Töölö",
        phone="040 999 8888",
    )
    await senior.save()
    other = Participant(
        pseudonym="BROWSER2",
        first_name="Kalevi",
        last_name="Korhonen",
        language="fi",
        district="Kallio",
        phone="040 777 6666",
    )
    await other.save()
    await Enrolment.insert(
        Enrolment(cohort=cohort.id, participant=senior.id, status="enrolled"),
        Enrolment(cohort=cohort.id, participant=other.id, status="enrolled"),
    )
    # The demo's pairs fill its volunteers: free the demo login's volunteer, and add a Swedish speaker with room.
    ville = (await StaffUser.select(StaffUser.id).where(StaffUser.username == "vapaaehtoinen").first())["id"]
    await Pairing.update({Pairing.ended_on: clock.today()}).where(
        Pairing.volunteer.user == ville, Pairing.ended_on.is_null()
    )
    await Volunteer.update({Volunteer.max_participants: 4}).where(Volunteer.user == ville)
    monday = [{"weekday": 0, "start": "12:00", "end": "16:00"}]
    # NOTE: checked and trained, or she would not be suggested at all.
    await Volunteer.insert(
        Volunteer(
            name="Sara Sundström",
            languages=["sv", "fi"],
            districts=["Töölö"],
            availability=monday,
            max_participants=2,
            identity_checked_on=clock.today() - dt.timedelta(days=30),
            training_done_on=clock.today() - dt.timedelta(days=20),
        )
    )


asyncio.run(main())
"""


@pytest.fixture(scope="module")
def server_url():
    """The demo server, plus this module's seed."""
    with demo_server("digiystava-pairing-", SEED) as (url, seeded):
        yield url


def test_coordinator_accepts_a_suggestion_and_the_volunteer_sees_a_first_name(page, browser, server_url):
    log_in(page, "koordinaattori")
    page.get_by_role("link", name="Parit", exact=True).first.click()
    page.wait_for_url("**/pairings")
    page.get_by_role("link", name="Ehdota pareja ryhmälle Selaintesti syksy").click()
    row = page.get_by_role("row").filter(has_text="Birgitta Selander")
    # The Swedish-speaking senior is offered a Swedish speaker, with the reason in words.
    assert "Yhteinen kieli: ruotsi" in row.inner_text()
    chosen = row.get_by_label("Vapaaehtoinen: Birgitta Selander").evaluate("el => el.options[el.selectedIndex].text")
    check_accessibility(page, "pairing-suggestions")
    row.get_by_role("button", name="Hyväksy Birgitta Selander").click()
    page.wait_for_url("**accepted=1")
    assert "1 pari hyväksytty." in page.get_by_role("status").inner_text()
    assert "Jokaisella" not in page.content()  # Kalevi is still without a pair
    assert chosen.split(" (")[0] in page.get_by_role("listitem").filter(has_text="Birgitta Selander").inner_text()
    # By hand: Kalevi goes to the volunteer with the demo login, accepted with "all selected".
    kalevi = page.get_by_role("row").filter(has_text="Kalevi Korhonen")
    select = kalevi.get_by_label("Vapaaehtoinen: Kalevi Korhonen")
    ville = select.evaluate("el => [...el.options].find(o => o.text.startsWith('Ville Vapaaehtoinen')).value")
    select.select_option(ville)
    kalevi.get_by_label("Valitse Kalevi Korhonen").check()
    page.get_by_role("button", name="Hyväksy kaikki valitut").click()
    page.wait_for_url("**accepted=1")
    assert "Jokaisella ilmoittautuneella seniorilla on pari." in page.content()
    assert "Ville Vapaaehtoinen" in page.get_by_role("listitem").filter(has_text="Kalevi Korhonen").inner_text()
    page.goto("/pairings")
    assert "Selaintesti syksy" in page.inner_text("main")
    check_accessibility(page, "pairs-at-a-glance")


def test_volunteer_sees_only_first_names_and_sessions(browser, server_url):
    context = browser.new_context(base_url=server_url)
    page = context.new_page()
    log_in(page, "vapaaehtoinen")
    page.goto("/my-pairings")
    text = page.inner_text("main")
    assert "Omat seniorit ja harjoituskerrat" in text and "Kalevi" in text
    assert "Korhonen" not in text and "Birgitta" not in text and "040" not in text
    check_accessibility(page, "my-pairings")
    context.close()
