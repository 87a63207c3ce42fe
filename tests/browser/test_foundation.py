"""Log in, switch language, create a location, log out, in a real browser; axe on every page."""

from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility, log_in


def test_login_language_location_logout(page):
    page.goto("/login")
    check_accessibility(page, "login")
    log_in(page, "koordinaattori")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Tervetuloa")
    check_accessibility(page, "home-coordinator")

    page.get_by_role("link", name="Svenska").click()
    assert page.locator("html").get_attribute("lang") == "sv"
    nav = page.get_by_role("navigation", name="Huvudmeny")
    expect(nav.get_by_role("link", name="Verksamhetsställen")).to_be_visible()
    page.get_by_role("link", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Locations").click()
    check_accessibility(page, "locations")
    page.get_by_role("link", name="Add a location").click()
    check_accessibility(page, "location-form")
    page.get_by_role("button", name="Save").click()  # empty name: the error summary appears
    expect(page.locator(".error-summary")).to_be_visible()
    check_accessibility(page, "location-form-errors")
    page.get_by_label("Name").fill("Maunulan yhteisötalo")
    page.get_by_label("Kind").select_option("community_house")
    page.get_by_label("District").fill("Maunula")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Maunulan yhteisötalo"
    check_accessibility(page, "location-detail")

    for path in ("/users", "/users/new", "/audit", "/me/tokens"):
        page.goto(path)
        check_accessibility(page, path.strip("/").replace("/", "-"))

    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/login")
    page.goto("/locations")
    assert "/login" in page.url


def test_keyboard_only_login(page):
    """The skip link and form work from the keyboard alone."""
    page.goto("/login")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.get_by_label("Käyttäjätunnus").focus()
    page.keyboard.type("kouluttaja")
    page.keyboard.press("Tab")
    page.keyboard.type("digiystava-demo")
    page.keyboard.press("Enter")
    page.wait_for_url("**/")
    check_accessibility(page, "home-trainer")


def test_zoom_200_percent_keeps_the_page_usable(page):
    page.set_viewport_size({"width": 640, "height": 800})  # 1280 px wide screen at 200 %
    log_in(page, "koordinaattori")
    page.goto("/locations")
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
    assert not overflow
    check_accessibility(page, "locations-zoom")
