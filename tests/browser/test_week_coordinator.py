"""A coordinator's week through the pages, in Chromium: a new cohort two weeks under way,
seniors registered and enrolled, a tablet lent and its agreement printed, a digital friend
paired, attendance with "everyone present", a drop-out undone, the handouts printed.

Every page on the way is checked with axe-core.
"""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from digiystava import clock
from tests.browser.conftest import check_accessibility, demo_server, log_in
from tests.pdf_text import pdf_text

# A senior registered earlier (to enrol from the list), a checked and trained volunteer with
# room every weekday, and a tablet free to lend; prints the tablet's asset tag.
SEED = """
import asyncio, datetime as dt, os
from digiystava import clock, db
from cohorts.tables import Loan, Location, Participant, Tablet, Volunteer

async def main():
    db.bind(db.engine_from_url(os.environ["DIGIYSTAVA_DATABASE_URL"]))
    malmi = (await Location.select(Location.id).where(Location.name == "Malmin kirjasto").first())["id"]
    await Participant.insert(Participant(pseudonym="WEEKWALK1", first_name="Elli", last_name="Esimerkki", language="fi",
                                         district="Malmi", location=malmi, consent_given_on=clock.today()))
    every_day = [{"weekday": d, "start": "08:00", "end": "20:00"} for d in range(7)]
    checked = clock.today() - dt.timedelta(days=30)
    await Volunteer.insert(Volunteer(name="Sara Sundström", languages=["fi", "sv"], districts=["Malmi"],
                                     availability=every_day, max_participants=3,
                                     identity_checked_on=checked, training_done_on=checked))
    lent = [r["tablet"] for r in await Loan.select(Loan.tablet)]
    row = await Tablet.select(Tablet.asset_tag).where(Tablet.status == "available", Tablet.needs_wipe.eq(False),
                                                      Tablet.id.not_in(lent or [0])).order_by(Tablet.id).first()
    print(row["asset_tag"])

asyncio.run(main())
"""

SENIORS = (("Aila", "Testinen", "Seeing"), ("Bertil", "Provsson", None), ("Cecilia", "Kokeilu", None))


@pytest.fixture(scope="module")
def server_url():
    """The demo server, plus this module's seed."""
    with demo_server("digiystava-week-", SEED) as (url, seeded):
        server_url.asset_tag = seeded.strip().splitlines()[-1]
        yield url


def printed_text(page, href: str) -> str:
    """Open a print link as the signed-in browser does, and read the PDF's text."""
    response = page.request.get(href)
    assert response.ok and response.headers["content-type"] == "application/pdf", (href, response.status)
    return pdf_text(response.body())


def register(page, cohort_url: str, first: str, last: str, need: str | None) -> None:
    page.goto(cohort_url)
    page.get_by_role("link", name="Register a new senior").click()
    page.get_by_label("First name").fill(first)
    page.get_by_label("Last name").fill(last)
    if need:
        page.get_by_label(need, exact=True).check()
    page.get_by_label("Consent given on").fill(clock.today().isoformat())
    if need:
        check_accessibility(page, "week-participant-form")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(cohort_url + "*")


def cell(page, who: str, week: int):
    return page.get_by_role("group", name=f"{who}, week {week}", exact=True)


def test_a_coordinators_week(page):
    log_in(page, "koordinaattori")
    page.get_by_role("link", name="English").click()

    # Monday: a new cohort whose first session was two weeks ago (planned late, as happens).
    page.goto("/cohorts/new")
    page.get_by_label("Location").select_option(label="Malmin kirjasto")
    page.locator("#field-name").fill("Viikkokurssi")
    page.get_by_label("First session").fill((clock.today() - dt.timedelta(days=14)).isoformat())
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("Seats").fill("3")
    check_accessibility(page, "week-cohort-form")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Viikkokurssi"
    cohort_url = page.url.split("?")[0]
    cohort_id = cohort_url.rstrip("/").rsplit("/", 1)[-1]

    # Three seniors registered from the cohort's page; the fourth, registered earlier, goes on the list.
    for first, last, need in SENIORS:
        register(page, cohort_url, first, last, need)
    page.locator("#enrol-find").press_sequentially("esimerkki", delay=30)
    expect(page.locator("#enrol-status")).to_contain_text("1 senior found.")
    page.locator("#enrol-participant").select_option(index=0)
    page.get_by_role("button", name="Enrol", exact=True).click()
    rows = page.locator("#enrolments ~ .table-wrap tbody tr")
    assert "waiting list" in rows.filter(has_text="Esimerkki").inner_text()
    assert "Running" in page.locator("main").inner_text()  # the first session is behind it
    check_accessibility(page, "week-cohort-detail")

    # Tuesday: a tablet for Aila, and the agreement printed for her to sign.
    page.goto("/loans/new")
    page.get_by_label("Tablet asset tag").fill(server_url.asset_tag)
    page.get_by_label("Senior and course").select_option(label="Testinen Aila – Viikkokurssi, Malmin kirjasto")
    check_accessibility(page, "week-lend-form")
    page.get_by_role("button", name="Lend", exact=True).click()
    page.wait_for_url("**/loans/*")
    check_accessibility(page, "week-loan")
    agreement = printed_text(page, page.get_by_role("link", name="Print the loan agreement").get_attribute("href"))
    assert "Aila Testinen" in agreement and server_url.asset_tag in agreement

    # A digital friend for Aila, from the suggestions.
    page.goto("/pairings")
    page.get_by_role("link", name="Suggest pairs for Viikkokurssi").click()
    check_accessibility(page, "week-pairing-suggestions")
    page.get_by_role("row").filter(has_text="Aila Testinen").get_by_role("button", name="Accept Aila Testinen").click()
    page.wait_for_url("**accepted=1")
    assert "1 pair accepted." in page.get_by_role("status").inner_text()

    # Attendance of the two weeks behind: Bertil was away in week 1, the rest came ("everyone present");
    # in week 2 Cecilia had phoned in. One click per change.
    page.goto(f"/cohorts/{cohort_id}/attendance")
    check_accessibility(page, "week-attendance")
    cell(page, "Bertil Provsson", 1).get_by_label("Absent").check()
    page.get_by_role("button", name="Everyone present, week 1").click()
    expect(page.locator(".notice.success")).to_be_visible()
    expect(cell(page, "Aila Testinen", 1).get_by_label("Present")).to_be_checked()
    expect(cell(page, "Bertil Provsson", 1).get_by_label("Absent")).to_be_checked()
    expect(cell(page, "Cecilia Kokeilu", 1).get_by_label("Present")).to_be_checked()
    cell(page, "Cecilia Kokeilu", 2).get_by_label("Excused").check()
    page.get_by_role("button", name="Everyone present, week 2").click()
    expect(cell(page, "Cecilia Kokeilu", 2).get_by_label("Excused")).to_be_checked()
    expect(cell(page, "Bertil Provsson", 2).get_by_label("Present")).to_be_checked()
    # A session still to come has no such button: nobody can be present yet.
    expect(page.get_by_role("button", name="Everyone present, week 4")).to_have_count(0)
    # The weeks scroll inside their table; the page itself does not scroll sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 1024
    check_accessibility(page, "week-attendance-saved")

    # Wednesday: Cecilia drops out by mistake, and it is undone the same day; Elli goes back on the list.
    page.goto(cohort_url)
    page.get_by_role("link", name="Drop out Cecilia Kokeilu").click()
    assert "Elli Esimerkki" in page.locator("main").inner_text()  # who would get the seat
    check_accessibility(page, "week-drop-question")
    page.get_by_role("button", name="Yes, Cecilia Kokeilu drops out").click()
    page.wait_for_url(cohort_url + "*")
    assert "Enrolled" in rows.filter(has_text="Esimerkki").inner_text()
    page.get_by_role("button", name="Undo the drop-out Cecilia Kokeilu").click()
    page.wait_for_url(cohort_url + "*")
    assert "Enrolled" in rows.filter(has_text="Kokeilu").inner_text()
    assert "waiting list" in rows.filter(has_text="Esimerkki").inner_text()
    check_accessibility(page, "week-after-undo")

    # Thursday: the handouts. The trainer's guide (in the page's language) lists who needs what.
    trainer_guide = printed_text(page, page.get_by_role("link", name="Trainer's guide (PDF)").get_attribute("href"))
    assert "Needs help with" in trainer_guide and "Aila Testinen not on loan yet" not in trainer_guide
    assert "Aila Testinen" in trainer_guide and "seeing" in trainer_guide and "näkeminen" not in trainer_guide
    schedule = printed_text(page, page.get_by_role("link", name="Course schedule (English, PDF)").get_attribute("href"))
    assert "Viikkokurssi" in schedule
    page.get_by_role("link", name="read on screen – Trainer's guide").click()
    check_accessibility(page, "week-trainer-guide-on-screen")


def test_a_delivery_arrives_is_imported_and_labelled(page, tmp_path):
    log_in(page, "koordinaattori")
    page.get_by_role("link", name="Tabletit", exact=True).first.click()
    page.get_by_role("link", name="Lahjoitukset").click()
    check_accessibility(page, "week-donations")
    page.locator("#field-donor").select_option("DNA")
    page.get_by_label("Vastaanotettu").fill(clock.today().isoformat())
    page.get_by_label("Tablettien määrä").fill("3")
    page.get_by_label("Viite").fill("DNA-VIIKKO-49")
    page.get_by_role("button", name="Tallenna").click()
    assert "DNA-VIIKKO-49" in page.locator("main table").inner_text()

    # The delivery note as a spreadsheet: three tablets with the tags they came with.
    delivery = tmp_path / "toimitus.csv"
    delivery.write_text(
        "asset_tag;serial_number;model;os\n"
        "VKO49-1;R9WEEK0001;Samsung Galaxy Tab A9+;android\n"
        "VKO49-2;R9WEEK0002;Samsung Galaxy Tab A9+;android\n"
        "VKO49-3;DMPWEEK0003;iPad 9;ipados\n",
        encoding="utf-8",
    )
    page.goto("/tablets/import")
    check_accessibility(page, "week-import")
    page.get_by_label("Taulukkotiedosto (.xlsx tai .csv)").set_input_files(str(delivery))
    batch = page.get_by_label("Lahjoituserä")
    batch.select_option(batch.evaluate("el => [...el.options].find(o => o.text.includes('DNA-VIIKKO-49')).value"))
    page.get_by_role("button", name="Tuo", exact=True).click()
    page.wait_for_load_state()

    # The whole delivery's labels, one click on the donations page.
    page.goto("/donations")
    link = page.get_by_role("row").filter(has_text="DNA-VIIKKO-49").get_by_role("link", name="Tulosta tarrat")
    labels = printed_text(page, link.get_attribute("href"))
    assert all(tag in labels for tag in ("VKO49-1", "VKO49-2", "VKO49-3")), labels[:300]
    check_accessibility(page, "week-donations-after-import")

    # What was done reads in Finnish: the audit log and a tablet's history.
    page.goto("/audit?entity=tablet")
    log = page.locator("main table tbody").inner_text()
    assert "Tuotu tiedostosta" in log and "Tabletti" in log and "import" not in log
    check_accessibility(page, "week-audit-log")
    page.goto("/tablets")
    expect(page.locator("#field-asset_tag")).to_be_focused()  # a scanner types only into a ready field
    page.keyboard.type("VKO49-3")
    page.keyboard.press("Enter")
    page.wait_for_url("**/tablets/*")
    history = page.get_by_role("table").filter(has=page.locator("caption", has_text="Historia")).inner_text()
    assert "Taulukosta" in history and "import" not in history
    check_accessibility(page, "week-tablet-history")
