"""Two-step verification in a real browser: set up and used from the keyboard alone, axe on every page."""

import time

import pyotp
from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility, demo_server


def _wrong_code(key: str) -> str:
    now = int(time.time()) // 30
    valid = {pyotp.TOTP(key).generate_otp(now + d) for d in (-1, 0, 1, 2)}
    return next(c for c in ("123456", "654321", "111111") if c not in valid)


def test_the_demo_coordinator_sets_up_the_second_step_and_logs_in_with_it(browser):
    # NOTE: a server of its own, so the demo's coordinator has not set it up yet.
    with demo_server("digiystava-2fa-") as (url, _seeded):
        context = browser.new_context(base_url=url, viewport={"width": 1024, "height": 768})
        page = context.new_page()
        page.goto("/login")
        page.get_by_label("Käyttäjätunnus").fill("koordinaattori")
        page.keyboard.press("Tab")
        page.keyboard.type("digiystava-demo")
        page.keyboard.press("Enter")
        page.wait_for_url("**/login/setup**")
        assert page.get_by_role("heading", level=1).inner_text() == "Kaksivaiheisen tunnistautumisen käyttöönotto"
        expect(page.get_by_role("img", name="QR-koodi todennussovellusta varten", exact=False)).to_be_visible()
        check_accessibility(page, "login-setup")

        key = page.locator("#totp-key").inner_text().replace(" ", "")
        page.get_by_label("Koodi").focus()
        page.keyboard.type(_wrong_code(key))
        page.keyboard.press("Enter")
        page.locator(".error-summary").wait_for()
        expect(page.locator(".error-summary")).to_be_visible()
        expect(page.locator(".error-summary")).to_contain_text("Väärä koodi")
        assert page.get_by_label("Koodi").get_attribute("aria-invalid") == "true"
        check_accessibility(page, "login-setup-error")

        page.get_by_label("Koodi").focus()
        step = int(time.time()) // 30
        page.keyboard.type(pyotp.TOTP(key).generate_otp(step))
        page.keyboard.press("Enter")
        page.get_by_role("heading", level=1, name="Tallenna varakoodisi").wait_for()
        expect(page.locator(".recovery-code")).to_have_count(10)
        check_accessibility(page, "login-recovery-codes")
        page.get_by_role("link", name="Olen tallentanut ne, jatka").focus()
        page.keyboard.press("Enter")
        page.wait_for_url("**/")
        assert page.get_by_role("heading", level=1).inner_text().startswith("Tervetuloa")

        page.get_by_role("button", name="Kirjaudu ulos").click()
        page.wait_for_url("**/login")
        page.get_by_label("Käyttäjätunnus").fill("koordinaattori")
        page.get_by_label("Salasana").fill("digiystava-demo")
        page.keyboard.press("Enter")
        page.wait_for_url("**/login/code**")
        check_accessibility(page, "login-code")
        page.get_by_label("Koodi").focus()
        page.keyboard.type(pyotp.TOTP(key).generate_otp(step + 1))
        page.keyboard.press("Enter")
        page.wait_for_url("**/")
        assert page.get_by_role("heading", level=1).inner_text().startswith("Tervetuloa")
        context.close()
