"""The coordinator's costs form, the funder's report and the dashboard in a real browser: keyboard, CSP, axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility, log_in

pytestmark = pytest.mark.browser


def test_the_coordinator_records_a_cost_and_reads_the_funders_report(page):
    log_in(page, "koordinaattori")
    page.get_by_role("link", name="Kustannukset").first.click()
    page.wait_for_url("**/costs")
    check_accessibility(page, "costs")
    # A sum of money without its amount: the error summary names the field, and the field says why.
    page.get_by_label("Kausi").fill("2026 syksy")
    page.get_by_label("Ensimmäinen päivä").fill("2026-08-01")
    page.get_by_label("Viimeinen päivä").fill("2026-12-31")
    page.get_by_label("Kustannuslaji").select_option("rooms")
    page.get_by_role("button", name="Lisää kustannus").press("Enter")
    summary = page.locator(".error-summary")
    assert "Yhden hinta senttiä" in summary.inner_text()
    check_accessibility(page, "costs-error")
    page.get_by_label("Yhden hinta senttiä").fill("45000")
    page.get_by_role("button", name="Lisää kustannus").press("Enter")
    page.wait_for_url("**/costs?saved=1")
    expect(page.get_by_role("cell", name="450").first).to_be_visible()
    page.get_by_role("link", name="Rahoittajan raportti").first.click()
    page.wait_for_url("**/reports/funder")
    expect(page.get_by_role("heading", name="Tiivistelmä")).to_be_visible()
    check_accessibility(page, "funder-report")


def test_the_steering_group_reads_the_dashboard_under_the_csp(page):
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    log_in(page, "ohjausryhma")
    page.get_by_role("link", name="Tilannekuva").first.click()
    page.wait_for_url("**/dashboard")
    expect(page.get_by_role("img")).to_have_count(3)
    fill = page.locator("figure.report-chart svg path[fill]").first.get_attribute("fill")
    assert fill and fill.lower() != "#000000"
    expect(page.locator("table.report-table"), "each chart's numbers in a table beside it").to_have_count(3)
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e]
    check_accessibility(page, "dashboard")
