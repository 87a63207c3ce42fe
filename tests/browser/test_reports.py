"""The steering group's report pages in a real browser: picker by keyboard, charts under the CSP, axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility, log_in

pytestmark = pytest.mark.browser


def test_steering_picks_a_scope_and_reads_the_report(page):
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    log_in(page, "ohjausryhma")
    page.get_by_role("link", name="Raportit").first.click()
    page.wait_for_url("**/reports")
    check_accessibility(page, "reports-picker")
    page.get_by_label("Rinnakkain").select_option("location")
    page.get_by_label("Raportin kieli").select_option("en")
    page.get_by_role("button", name="Näytä raportti").press("Enter")
    page.wait_for_url("**/reports/outcomes?**")
    expect(page.get_by_role("heading", name="Summary")).to_be_visible()
    charts = page.get_by_role("img")
    assert charts.count() >= 3  # before/after, levels, and the change across locations
    # The SVG drew in colour under the CSP: its bars are filled, not black.
    fill = page.locator("figure.report-chart svg path[fill]").first.get_attribute("fill")
    assert fill and fill.lower() != "#000000"
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e]
    check_accessibility(page, "reports-outcomes")
