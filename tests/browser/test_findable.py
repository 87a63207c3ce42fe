"""A trainer finds their way: the home page's "needs attention" list, and a senior found by typing their name
without its accents and enrolled with the keyboard alone."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility, log_in


def test_needs_attention_and_the_senior_picker_by_keyboard(page):
    log_in(page, "kouluttaja")
    page.get_by_role("link", name="English").click()
    attention = page.locator("section.attention")
    expect(attention.get_by_role("heading", name="Needs attention")).to_be_visible()
    check_accessibility(page, "home-needs-attention")
    # Every line leads to a page of the trainer's own that puts it right.
    for href in attention.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))"):
        assert page.request.get(href).status == 200, href

    # A new senior at one of the trainer's locations, with what she wishes to learn.
    page.goto("/participants/new")
    page.get_by_label("First name").fill("Åsa")
    page.get_by_label("Last name").fill("Söderström")
    location = page.locator("#field-location_id option").nth(1).inner_text()
    page.get_by_label("Location").select_option(label=location)
    page.get_by_label("Paying bills").check()
    page.get_by_label("Consent given on").fill("2026-11-02")
    # Two lines in her own words: the browser sends the line break as CR LF.
    page.get_by_label("Something else, in the senior's own words").fill("Video calls\nSending photos")
    check_accessibility(page, "registration-with-wishes")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(re.compile(r"/participants/\d+"))
    expect(page.locator("main")).to_contain_text("Paying bills")
    expect(page.locator("main")).to_contain_text("Sending photos")

    # Typed the way a hurried keyboard types: no accents, lower case; the list follows as one types.
    page.goto("/participants")
    page.locator("#search-q").press_sequentially("soderstr", delay=30)
    expect(page).to_have_url(re.compile(r"q=soderstr"))
    expect(page.locator("#participant-results")).to_contain_text("Söderström, Åsa")
    check_accessibility(page, "seniors-found-as-you-type")

    # A running cohort at the trainer's other location: she is found there too, with her location named.
    page.goto("/cohorts?status=running")
    rows = page.locator("#cohort-results tbody tr")
    other = next(i for i in range(rows.count()) if location not in rows.nth(i).inner_text())
    rows.nth(other).locator("a").first.click()
    page.locator("#enrol-find").press_sequentially("asa soderstrom", delay=30)
    expect(page.locator("#enrol-status")).to_contain_text("1 senior found.")
    assert page.locator("#enrol-participant option").all_inner_texts() == [f"Söderström, Åsa – {location}"]
    check_accessibility(page, "enrol-picker")
    page.keyboard.press("Tab")  # the Search button
    page.keyboard.press("Tab")  # the senior list
    assert page.evaluate("document.activeElement.id") == "enrol-participant"
    page.keyboard.press("Tab")  # the Enrol button
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"#enrolments$"))
    assert "Söderström, Åsa" in page.locator("#enrolments ~ .table-wrap").first.inner_text()
