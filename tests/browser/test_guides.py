"""A trainer opens a senior's own guide on screen: headings, lists, pictures and language for a screen reader."""

from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility, log_in


def test_trainer_reads_a_seniors_guide_on_screen(page):
    log_in(page, "kouluttaja")
    page.get_by_role("link", name="English").click()
    page.goto("/cohorts")
    page.locator("table tbody a").first.click()
    cohort_url = page.url.split("?")[0]
    expect(page.get_by_role("heading", name="Guides and handouts")).to_be_visible()
    page.get_by_role("link", name="Beginner's guide to read on screen").click()
    expect(page.locator("article.guide h1")).to_be_visible()
    check_accessibility(page, "guide-group")
    page.goto(cohort_url)
    page.locator("#enrolments ~ .table-wrap tbody a").first.click()
    page.get_by_role("link", name="read on screen").first.click()
    page.wait_for_load_state()  # a long page: counted only once all of it has arrived
    article = page.locator("article.guide")
    assert article.get_attribute("lang") in ("fi", "sv", "en")
    assert article.locator("ol.guide-steps li").count() > 50
    # Pictures beside the steps, each with a text alternative for the screen reader.
    assert article.locator("ol.guide-steps img").count() > 30
    expect(article.locator("img:not([alt])")).to_have_count(0)
    expect(article.locator(".guide-scene img")).to_have_count(13)
    # Every picture is shown, not just its text alternative (a broken address would show the words only).
    shown = "Array.from(document.images).filter(i => i.complete && i.naturalWidth > 0).length"
    assert page.evaluate(shown) == page.evaluate("document.images.length")
    check_accessibility(page, "guide-senior")
    page.goto(page.url.split("?")[0].replace("/beginner", "/trainer") + "?lang=sv")
    assert page.locator("article.guide").get_attribute("lang") == "sv"
    check_accessibility(page, "guide-trainer")
