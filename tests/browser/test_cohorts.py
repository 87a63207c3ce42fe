"""A coordinator plans a cohort, enrols seniors past capacity, drops one, sees the list move, takes attendance."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility, log_in


def register(page, first, last, cohort_url):
    page.goto(cohort_url)
    page.get_by_role("link", name="Register a new senior").click()
    page.get_by_label("First name").fill(first)
    page.get_by_label("Last name").fill(last)
    page.get_by_label("Consent given on").fill("2026-11-02")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(cohort_url + "*")


def test_cohort_enrolment_waiting_list_and_attendance(page):
    log_in(page, "koordinaattori")
    page.get_by_role("link", name="English").click()
    page.goto("/cohorts")
    check_accessibility(page, "cohorts")
    page.get_by_role("link", name="Plan a cohort").click()
    page.get_by_label("Location").select_option(label="Malmin kirjasto")
    page.locator("#field-name").fill("Testikurssi")
    page.get_by_label("First session").fill("2026-11-02")
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("Seats").fill("2")
    check_accessibility(page, "cohort-form")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Testikurssi"
    cohort_url = page.url.split("?")[0]

    for first, last in (("Aila", "Testinen"), ("Bertil", "Provsson"), ("Cecilia", "Kokeilu")):
        register(page, first, last, cohort_url)
    rows = page.locator("#enrolments ~ .table-wrap tbody tr")
    assert "On the waiting list (number 1)" in rows.filter(has_text="Kokeilu").inner_text()
    check_accessibility(page, "cohort-detail")

    # Dropping out asks first, names who gets the seat, and then asks for a call to them.
    page.get_by_role("link", name="Drop out Aila Testinen").click()
    assert "Cecilia Kokeilu" in page.locator("main").inner_text()
    check_accessibility(page, "drop-out-question")
    page.get_by_role("button", name="Yes, Aila Testinen drops out").click()
    page.wait_for_url(cohort_url + "*")
    assert "Enrolled" in page.locator("#enrolments ~ .table-wrap tbody tr").filter(has_text="Kokeilu").inner_text()
    expect(page.get_by_role("button", name="Called Cecilia Kokeilu")).to_be_visible()
    expect(page.get_by_role("button", name="Undo the drop-out").first).to_be_visible()
    check_accessibility(page, "cohort-after-drop-out")

    page.get_by_role("link", name="Take attendance").click()
    check_accessibility(page, "attendance-grid")
    page.get_by_role("group", name="Bertil Provsson, week 1", exact=True).get_by_label("Present").check()
    page.get_by_role("group", name="Cecilia Kokeilu, week 1", exact=True).get_by_label("Absent").check()
    page.get_by_role("button", name="Save attendance").click()
    expect(page.locator(".notice.success")).to_be_visible()
    bertil = page.get_by_role("group", name="Bertil Provsson, week 1", exact=True)
    expect(bertil.get_by_label("Present")).to_be_checked()


def test_trainer_home_shows_next_session(page):
    log_in(page, "kouluttaja")
    # NOTE: the demo's running cohorts started six weeks ago, so this week has their sessions.
    week = page.locator("ul.sessions li")
    assert week.count() > 0
    assert all("/attendance" in week.nth(i).locator("a").get_attribute("href") for i in range(week.count()))
    held = [week.nth(i) for i in range(week.count()) if "Peruttu" not in week.nth(i).inner_text()]
    if held:  # a week of holidays only would have no next session to show
        notice = page.locator(".notice").filter(has=page.get_by_role("heading", name="Seuraava tapaaminen"))
        expect(notice).to_be_visible()
        expect(notice.locator("a")).to_have_attribute("href", re.compile("/attendance"))
    check_accessibility(page, "home-trainer-cohorts")
    page.goto("/participants/new")
    check_accessibility(page, "participant-form")
