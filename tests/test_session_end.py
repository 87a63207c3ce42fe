"""No lost work when a session ends: the same address after signing in, and the typed form back."""

import datetime as dt
import re
from urllib.parse import parse_qs, urlsplit

from digiystava import clock
from digiystava.accounts.tables import FormDraft, LoginSession
from tests.factories import PASSWORD, enrol, make_cohort, make_location, make_participant, make_user, second_factor_code
from tests.test_pages import csrf, page_login

HTML = {"accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def login_target(response) -> dict[str, str]:
    assert response.status_code == 302, response.text
    location = urlsplit(response.headers["location"])
    assert location.path == "/login"
    return {k: v[0] for k, v in parse_qs(location.query).items()}


async def sign_in(client, username: str, next_path: str) -> str:
    """Log in on the login page as a browser does after being sent there; returns where it lands."""
    form = await client.get("/login", params={"next": next_path}, headers=HTML)
    response = await client.post(
        "/login", data={"username": username, "password": PASSWORD, "_csrf": csrf(form.text), "next": next_path}
    )
    assert response.status_code == 303, response.text
    if response.headers["location"].startswith("/login/code"):
        data = {"code": await second_factor_code(username), "_csrf": csrf(form.text), "next": next_path}
        response = await client.post("/login/code", data=data)
        assert response.status_code == 303, response.text
    return response.headers["location"]


async def end_sessions() -> None:
    """The idle timeout passes while the page stays open."""
    await LoginSession.update({LoginSession.last_seen_at: clock.now() - dt.timedelta(hours=3)}, force=True)


async def test_a_shared_report_link_opens_that_report_after_login(client):
    await make_user("steering", "sanna")
    sent = await client.get("/reports/outcomes?cohort_id=25", headers=HTML)
    assert login_target(sent)["next"] == "/reports/outcomes?cohort_id=25"
    assert await sign_in(client, "sanna", "/reports/outcomes?cohort_id=25") == "/reports/outcomes?cohort_id=25"


async def test_next_never_leaves_the_site(client):
    await make_user("trainer", "timo")
    for target in ("https://evil.example/x", "//evil.example/x", "/\\evil.example"):
        client.cookies.clear()
        form = await client.get("/login", params={"next": target}, headers=HTML)
        assert 'name="next" value="/"' in form.text
        assert await sign_in(client, "timo", target) == "/"


async def test_a_print_link_opened_signed_out_shows_the_login_page(client):
    # A browser opening a PDF link: the login page, coming back to the PDF.
    sent = await client.get("/api/v1/loans/7/agreement.pdf?lang=sv", headers=HTML)
    assert login_target(sent)["next"] == "/api/v1/loans/7/agreement.pdf?lang=sv"
    # Scripts still get the problem detail.
    for headers in ({"accept": "application/json"}, {**HTML, "authorization": "Bearer dy_not-a-token"}):
        refused = await client.get("/api/v1/loans/7/agreement.pdf", headers=headers)
        assert refused.status_code == 401
        assert refused.headers["content-type"].startswith("application/problem+json")


async def test_a_form_sent_after_the_session_ended_comes_back_filled(client):
    await make_user("coordinator", "kaisa")
    location_id = await make_location(name="Kinaporin palvelukeskus", district="Kallio")
    await page_login(client, "kaisa")
    edit = f"/locations/{location_id}/edit"
    form = await client.get(edit, headers=HTML)
    await end_sessions()
    typed = {"_csrf": csrf(form.text), "name": "Kinaporin seniorikeskus", "kind": "library", "district": "Sörnäinen"}
    sent = await client.post(edit, data=typed, headers={**HTML, "referer": f"http://testserver.local{edit}"})
    query = login_target(sent)
    assert query == {"next": edit, "kept": "1"}
    login_page = await client.get(sent.headers["location"], headers=HTML)
    assert "Istuntosi oli päättynyt" in login_page.text

    assert await sign_in(client, "kaisa", edit) == edit
    back = await client.get(edit, headers=HTML)
    assert back.status_code == 200
    assert 'value="Kinaporin seniorikeskus"' in back.text and 'value="Sörnäinen"' in back.text
    assert '<option value="library" selected>' in back.text
    assert "mitä kirjoitit, on tallessa" in back.text
    # Nothing was saved behind the user's back, and the draft is used once.
    assert "Kinaporin palvelukeskus" in (await client.get(f"/locations/{location_id}", headers=HTML)).text
    assert not await FormDraft.exists()
    again = await client.get(edit, headers=HTML)
    assert 'value="Kinaporin palvelukeskus"' in again.text and "on tallessa" not in again.text


async def test_a_kept_form_is_not_shown_to_someone_else(client):
    await make_user("coordinator", "kaisa")
    await make_user("coordinator", "kalle")
    location_id = await make_location()
    await page_login(client, "kaisa")
    edit = f"/locations/{location_id}/edit"
    form = await client.get(edit, headers=HTML)
    await end_sessions()
    typed = {"_csrf": csrf(form.text), "name": "Kaisan luonnos", "kind": "library"}
    sent = await client.post(edit, data=typed, headers={**HTML, "referer": f"http://testserver.local{edit}"})
    assert login_target(sent)["kept"] == "1"
    assert await sign_in(client, "kalle", edit) == edit
    assert "Kaisan luonnos" not in (await client.get(edit, headers=HTML)).text


async def test_a_request_that_never_had_a_session_keeps_nothing(client):
    location_id = await make_location()
    sent = await client.post(f"/locations/{location_id}/edit", data={"name": "Roskaa", "kind": "library"}, headers=HTML)
    assert login_target(sent) == {"next": f"/locations/{location_id}/edit"}
    assert not await FormDraft.exists()


async def test_a_page_opened_after_the_session_ended_says_so_at_login(client):
    await make_user("trainer", "timo")
    await page_login(client, "timo")
    await end_sessions()
    sent = await client.get("/cohorts?status=running", headers=HTML)
    assert login_target(sent) == {"next": "/cohorts?status=running", "ended": "1"}
    login_page = await client.get(sent.headers["location"], headers=HTML)
    assert "Istuntosi oli päättynyt. Kirjaudu uudelleen jatkaaksesi" in login_page.text


async def test_attendance_marked_after_the_session_ended_comes_back_marked(client):
    from cohorts.tables import Attendance, CourseSession

    location_id = await make_location()
    await make_user("trainer", "timo", [location_id])
    cohort_id = await make_cohort(location_id)  # starts 7.9.2026: the first weeks are behind
    aino = await make_participant(location_id, first_name="Aino")
    await enrol(cohort_id, aino)
    first = (
        await CourseSession.select(CourseSession.id)
        .where(CourseSession.cohort == cohort_id, CourseSession.week == 1)
        .first()
    )
    await page_login(client, "timo")
    grid = f"/cohorts/{cohort_id}/attendance"
    form = await client.get(grid, headers=HTML)
    await end_sessions()
    cell = f"a-{first['id']}-{aino}"
    sent = await client.post(
        grid,
        data={"_csrf": csrf(form.text), cell: "present"},
        headers={**HTML, "referer": f"http://testserver.local{grid}"},
    )
    assert login_target(sent) == {"next": grid, "kept": "1"}
    assert await sign_in(client, "timo", grid) == grid
    back = await client.get(grid, headers=HTML)
    assert re.search(rf'name="{cell}" value="present" checked', back.text)
    assert not await Attendance.exists()


async def test_ticked_boxes_come_back_ticked(client):
    await make_user("coordinator", "kaisa")
    location_id = await make_location()
    tiina = await make_user("trainer", "tiina", [location_id])
    await make_user("trainer", "toni", [location_id])
    await page_login(client, "kaisa")
    form = await client.get("/cohorts/new", headers=HTML)
    await end_sessions()
    typed = {"_csrf": csrf(form.text), "name": "Kevät 2027", "location_id": str(location_id), "trainer_ids": str(tiina)}
    sent = await client.post("/cohorts", data=typed, headers={**HTML, "referer": "http://testserver.local/cohorts/new"})
    assert login_target(sent) == {"next": "/cohorts/new", "kept": "1"}
    assert await sign_in(client, "kaisa", "/cohorts/new") == "/cohorts/new"
    back = await client.get("/cohorts/new", headers=HTML)
    assert 'value="Kevät 2027"' in back.text
    ticked = re.findall(r'name="trainer_ids" value="(\d+)" checked', back.text)
    assert ticked == [str(tiina)]
