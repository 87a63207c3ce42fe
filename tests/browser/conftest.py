"""A real server with the demo data, and Debian's Chromium driven by Playwright.

Skipped, with the reason shown, where Chromium or Playwright is missing.
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import demo_database
from tests.factories.commands import Served, python_code

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[2]
# Screenshots of the checked pages, for looking at: DIGIYSTAVA_SCREENSHOTS=folder keeps them
# there. Off by default: they assert nothing, and on a busy machine Chromium now and then
# answers "Unable to capture screenshot", which failed the test around it.
SCREENSHOTS = Path(os.environ["DIGIYSTAVA_SCREENSHOTS"]) if os.environ.get("DIGIYSTAVA_SCREENSHOTS") else None

if not Path(CHROMIUM).exists():
    pytest.skip(
        f"{CHROMIUM} is not installed (apt-get install chromium): browser tests skipped", allow_module_level=True
    )
try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover
    pytest.skip("playwright is not installed: browser tests skipped", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def demo_server(prefix: str = "digiystava-browser-", seed: str | None = None) -> Iterator[tuple[str, str]]:
    """A served demo database, optionally with ``seed`` (Python code) run against it first.

    Yields the server's URL and what the seed printed.
    """
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    # A copy of the run's migrated demo database (made once, see tests/conftest.py).
    env = {
        **os.environ,
        "DIGIYSTAVA_DATABASE_URL": demo_database("sqlite", workdir),
        "DIGIYSTAVA_VAR_DIR": str(workdir),
    }
    seeded = ""
    if seed:
        result = python_code(seed, env=env)
        assert result.returncode == 0, result.stderr
        seeded = result.stdout
    port = _free_port()
    server = Served("--port", str(port), env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(url + "/health", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("the server did not start")
        yield url, seeded
    finally:
        server.stop()
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def server_url():
    with demo_server() as (url, _seeded):
        yield url


# One Chromium for the browser tests in a row (a launch costs a second), closed as they end:
# Playwright's sync API keeps an event loop running while it lives, which the async database
# tests after it cannot share. The run keeps the browser tests together (``xdist_group``).
@pytest.fixture(scope="package")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, server_url):
    context = browser.new_context(base_url=server_url, viewport={"width": 1024, "height": 768})
    page = context.new_page()
    yield page
    context.close()


def check_accessibility(page, name: str) -> None:
    """No serious or critical axe-core violation; a screenshot is kept if asked for (``SCREENSHOTS``)."""
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import Error as PlaywrightError

    page.wait_for_load_state()  # after a click the new page may still be arriving
    if SCREENSHOTS is not None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        try:
            page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
        except PlaywrightError:  # the whole page could not be captured: its first screen instead
            page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    assert not bad, "\n".join(f"{v['id']}: {v['help']} ({[n['target'] for n in v['nodes']][:3]})" for v in bad)


# The second factors the tests have set up, per server and user, as a person keeps them:
# the key in their authenticator app, the step of the code used last, the recovery codes on paper.
SECOND_FACTORS: dict[tuple[str, str], dict] = {}


def _origin(page) -> str:
    parts = urlsplit(page.url)
    return f"{parts.scheme}://{parts.netloc}"


def log_in(page, username: str, password: str = "digiystava-demo") -> None:
    """Log in on the page, with the second step where the user has one (coordinators)."""
    page.goto("/login")
    page.get_by_label("Käyttäjätunnus").fill(username)
    page.get_by_label("Salasana").fill(password)
    page.get_by_role("button", name="Kirjaudu").click()
    page.wait_for_url(lambda url: urlsplit(url).path != "/login")
    path = urlsplit(page.url).path
    if path == "/login/setup":
        set_up_second_factor(page, username)
    elif path == "/login/code":
        enter_second_factor(page, username)
    page.wait_for_url("**/")


def set_up_second_factor(page, username: str) -> list[str]:
    """On the set-up page: read the key as the app would, enter its code, keep the recovery codes."""
    import pyotp

    key = page.locator("#totp-key").inner_text().replace(" ", "")
    step = int(time.time()) // 30
    page.locator("#field-code").fill(pyotp.TOTP(key).generate_otp(step))
    page.locator("main form button[type=submit]").click()
    page.locator(".recovery-codes").wait_for()  # the answer to the form, at the same address
    codes = page.locator(".recovery-code code").all_inner_texts()
    SECOND_FACTORS[(_origin(page), username)] = {"key": key, "last_step": step, "recovery": list(codes)}
    page.locator("main a.button").click()
    return codes


def enter_second_factor(page, username: str) -> None:
    """On the code page: the app's code of a step not used yet, else a recovery code, as a person would."""
    import pyotp

    known = SECOND_FACTORS[(_origin(page), username)]
    now = int(time.time()) // 30
    step = max(now, known["last_step"] + 1)
    if step <= now + 1:
        code = pyotp.TOTP(known["key"]).generate_otp(step)
        known["last_step"] = step
    else:
        code = known["recovery"].pop()
    page.locator("#field-code").fill(code)
    page.locator("main form button[type=submit]").click()
