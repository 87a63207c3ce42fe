"""A session that ends mid-form in a real browser: nothing typed is lost, and links lead back.

The session is ended on the server (its idle time run out), as when a coordinator leaves
a form open over lunch; the browser keeps its now useless cookie.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import ROOT, check_accessibility, demo_server, enter_second_factor, log_in

# A cohort with two seniors at the demo trainer's location; prints its id and the database's address.
SEED = """
import asyncio, os
from digiystava import db
from tests.factories import enrol, make_cohort, make_participant

async def main():
    db.bind(db.engine_from_url(os.environ["DIGIYSTAVA_DATABASE_URL"]))
    cohort = await make_cohort(1, name="Istuntokurssi", status="running")
    for first, last in (("Aino", "Aaltonen"), ("Bertil", "Björklund")):
        await enrol(cohort, await make_participant(1, first_name=first, last_name=last))
    print(cohort)
    print(os.environ["DIGIYSTAVA_DATABASE_URL"])

asyncio.run(main())
"""

# Every session's idle time runs out, as after a long lunch.
EXPIRE = """
import asyncio, datetime as dt, os
from digiystava import clock, db
from digiystava.accounts.tables import LoginSession

async def main():
    db.bind(db.engine_from_url(os.environ["DIGIYSTAVA_DATABASE_URL"]))
    await LoginSession.update({LoginSession.last_seen_at: clock.now() - dt.timedelta(hours=3)}, force=True)

asyncio.run(main())
"""


@pytest.fixture(scope="module")
def server_url():
    with demo_server("digiystava-session-end-", SEED) as (url, seeded):
        lines = seeded.strip().splitlines()
        server_url.cohort_id, server_url.database = int(lines[-2]), lines[-1]
        yield url


def end_sessions() -> None:
    env = {**os.environ, "DIGIYSTAVA_DATABASE_URL": server_url.database}
    subprocess.run([sys.executable, "-c", EXPIRE], cwd=ROOT, env=env, check=True, capture_output=True)


def sign_in_here(page, username: str) -> None:
    """On the login page the browser was sent to: the password, then the code where the user has one."""
    page.get_by_label("Käyttäjätunnus").fill(username)
    page.get_by_label("Salasana").fill("digiystava-demo")
    page.get_by_role("button", name="Kirjaudu").click()
    page.wait_for_url(lambda url: urlsplit(url).path != "/login")
    if urlsplit(page.url).path == "/login/code":
        enter_second_factor(page, username)
        page.wait_for_url(lambda url: not urlsplit(url).path.startswith("/login"))


def test_a_form_sent_after_the_session_ended_comes_back_filled(page):
    log_in(page, "koordinaattori")
    page.goto("/locations/1/edit")
    page.locator("#field-name").fill("Kirjaston uusi nimi")
    page.locator("#field-district").fill("Vallila")
    end_sessions()
    page.get_by_role("button", name="Tallenna", exact=True).click()

    page.wait_for_url("**/login?**")
    assert "Istuntosi oli päättynyt" in page.locator("main .notice").inner_text()
    check_accessibility(page, "login-after-session-ended")
    sign_in_here(page, "koordinaattori")

    assert urlsplit(page.url).path == "/locations/1/edit"
    assert page.locator("#field-name").input_value() == "Kirjaston uusi nimi"
    assert page.locator("#field-district").input_value() == "Vallila"
    assert "mitä kirjoitit, on tallessa" in page.locator("main .notice").inner_text()
    check_accessibility(page, "form-back-after-session-ended")
    page.get_by_role("button", name="Tallenna", exact=True).click()
    page.wait_for_url("**/locations/1?saved=1")
    assert "Kirjaston uusi nimi" in page.locator("main").inner_text()


def test_a_shared_report_link_opens_that_cohorts_report_after_login(page):
    target = f"/reports/outcomes?cohort_id={server_url.cohort_id}"
    page.goto(target)
    assert urlsplit(page.url).path == "/login"
    sign_in_here(page, "ohjausryhma")
    parts = urlsplit(page.url)
    assert f"{parts.path}?{parts.query}" == target
    assert "Istuntokurssi" in page.locator("main").inner_text()


def test_the_grid_says_sign_in_again_and_keeps_the_answers(page):
    log_in(page, "kouluttaja")
    grid = f"/cohorts/{server_url.cohort_id}/assessments/before"
    page.goto(grid)
    end_sessions()
    page.locator("select.level").first.focus()
    for key in ["2", "1", "3"]:
        page.keyboard.press(key)
    page.keyboard.press("Enter")
    status = page.locator("#assessment-grid tbody tr").first.locator(".row-status")
    status.filter(has_text="Ei tallennettu: istuntosi on päättynyt").wait_for(timeout=5000)
    check_accessibility(page, "grid-signed-out")

    status.get_by_role("link", name="Kirjaudu uudelleen").click()
    page.wait_for_url("**/login?**")
    sign_in_here(page, "kouluttaja")
    assert urlsplit(page.url).path == grid
    first_row = page.locator("#assessment-grid tbody tr").first
    first_row.locator(".row-status").filter(has_text=re.compile("^Tallennettu$")).wait_for(timeout=8000)
    levels = first_row.locator("select.level").evaluate_all("cells => cells.map(c => c.value)")
    assert levels[:3] == ["2", "1", "3"]
    page.reload()
    levels = (
        page.locator("#assessment-grid tbody tr")
        .first.locator("select.level")
        .evaluate_all("cells => cells.map(c => c.value)")
    )
    assert levels[:3] == ["2", "1", "3"]
