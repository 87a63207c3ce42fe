"""With the read cache off, a list's GET takes its caller's credential on trust and its page's own statement
confirms it: one statement per request, and still never an answer for a caller who is no longer who they were.

Each test writes behind the app's back, straight through another connection, and
expects the very next request to see it: a revoked token, a deactivated user, a
trainer given another location. Lists with rows are confirmed by their page's
statement; an empty list, whose statement returns no row to carry the versions, has
its credential read again before the answer leaves.
"""

from __future__ import annotations

import datetime as dt

import pytest

from cohorts.tables import Loan, Location, StaffLocation
from digiystava import clock
from digiystava.access import COMMAND_LINE
from digiystava.accounts.authentication import SESSION_COOKIE
from digiystava.accounts.tables import ApiToken, StaffUser
from digiystava.read_cache import ReadCache
from tests.factories import as_role, make_location, make_user, set_cookie
from tests.factories.handouts import lend
from tests.factories.tablets import make_course


class _Statements:
    """How many statements the engine runs, counted while the test runs."""

    def __init__(self, engine, monkeypatch) -> None:
        self.count = 0
        original = type(engine).run_querystring

        async def counted(engine, querystring, *args, **kwargs):
            self.count += 1
            return await original(engine, querystring, *args, **kwargs)

        # NOTE: engines have __slots__, so the method is wrapped on the class for this test only.
        monkeypatch.setattr(type(engine), "run_querystring", counted)

    def taken(self) -> int:
        count, self.count = self.count, 0
        return count


@pytest.fixture
def uncached(app, db):
    """The app with the read cache off, as DIGIYSTAVA_READ_CACHE_ENTRIES=0 runs it."""
    app.state.read_cache = ReadCache(db, max_entries=0)
    return app


async def _token(username: str, role: str = "coordinator", location_ids: list[int] = ()) -> dict[str, str]:  # type: ignore[assignment]
    from digiystava.accounts import services

    user_id = await make_user(role, username, list(location_ids))
    created = await services.create_token(COMMAND_LINE, "skripti", user_id=user_id)
    return {"Authorization": f"Bearer {created.token}"}


async def test_a_list_reads_its_caller_and_its_page_in_one_statement(uncached, client, db, monkeypatch):
    course = await make_course()
    await lend(course["participant_id"], course["cohort_id"], "android")
    headers = await _token("kaisa")
    statements = _Statements(db, monkeypatch)
    # The first use reads the credential and notes the token's use (a write); the next is checked again once.
    for _ in range(2):
        assert (await client.get("/api/v1/loans", headers=headers)).json()["total"] == 1
    statements.taken()
    for _ in range(3):
        assert (await client.get("/api/v1/loans", headers=headers)).json()["total"] == 1
        assert statements.taken() == 1


@pytest.mark.parametrize("path", ["/api/v1/loans", "/api/v1/volunteers"])
async def test_a_token_revoked_behind_the_apps_back_is_refused_at_once(uncached, client, db, monkeypatch, path):
    """The loans page has a row to confirm the credential; the empty volunteers page does not."""
    course = await make_course()
    await lend(course["participant_id"], course["cohort_id"], "android")
    headers = await _token("kaisa")
    for _ in range(3):
        assert (await client.get(path, headers=headers)).status_code == 200
    await ApiToken.update({ApiToken.revoked_at: clock.now()}).where(ApiToken.revoked_at.is_null())
    response = await client.get(path, headers=headers)
    assert response.status_code == 401, response.text
    assert "items" not in response.text
    # Refused once, the token is no longer kept: the next try reads the credential only, never a page.
    statements = _Statements(db, monkeypatch)
    assert (await client.get(path, headers=headers)).status_code == 401
    assert statements.taken() == 1


async def test_a_deactivated_users_session_is_refused_at_once(uncached, client):
    course = await make_course()
    await lend(course["participant_id"], course["cohort_id"], "android")
    username = await as_role(client, "coordinator")
    for _ in range(3):
        assert (await client.get("/api/v1/loans")).json()["total"] == 1
    await StaffUser.update({StaffUser.active: False}).where(StaffUser.username == username)
    response = await client.get("/api/v1/loans")
    assert response.status_code == 401, response.text
    assert "items" not in response.text


@pytest.mark.parametrize("given", ["a location", "none"])
async def test_a_trainer_given_another_location_sees_its_answers_at_once(uncached, client, given):
    """A trainer with a location of their own gets a row that confirms; one with none gets an empty page."""
    course = await make_course()
    await lend(course["participant_id"], course["cohort_id"], "android")
    own = [await make_location("Oodi")] if given == "a location" else []
    if own:
        other = await make_course(location_id=own[0], first_name="Elsa", last_name="Lindqvist")
        await lend(other["participant_id"], other["cohort_id"], "android")
    username = await as_role(client, "trainer", location_ids=own)
    for _ in range(3):
        assert (await client.get("/api/v1/loans")).json()["total"] == len(own)
    trainer = await StaffUser.select(StaffUser.id).where(StaffUser.username == username).first()
    await StaffLocation.insert(StaffLocation(user=trainer["id"], location=course["location_id"]))
    assert (await client.get("/api/v1/loans")).json()["total"] == len(own) + 1


async def test_a_trainer_whose_location_is_taken_away_no_longer_sees_its_seniors(uncached, client):
    """The other way round, and the one that matters: trust never outlives the right to see."""
    course = await make_course()
    await lend(course["participant_id"], course["cohort_id"], "android")
    username = await as_role(client, "trainer", location_ids=[course["location_id"]])
    for _ in range(3):
        assert (await client.get("/api/v1/loans")).json()["total"] == 1
    trainer = await StaffUser.select(StaffUser.id).where(StaffUser.username == username).first()
    await StaffLocation.delete().where(StaffLocation.user == trainer["id"])
    answer = (await client.get("/api/v1/loans")).json()
    assert (answer["total"], answer["items"]) == (0, [])


async def test_a_logged_out_session_is_refused_at_once(uncached, client):
    course = await make_course()
    await lend(course["participant_id"], course["cohort_id"], "android")
    await as_role(client, "coordinator")
    cookie = client.cookies.get(SESSION_COOKIE)
    for _ in range(3):
        assert (await client.get("/api/v1/loans")).json()["total"] == 1
    assert (await client.post("/api/v1/auth/logout")).status_code == 200
    set_cookie(client, SESSION_COOKIE, cookie)  # kept by whoever copied it
    response = await client.get("/api/v1/loans")
    assert response.status_code == 401, response.text
    assert "items" not in response.text


async def test_an_idle_session_ends_when_its_time_is_up(uncached, client, monkeypatch):
    from digiystava.accounts import authentication

    course = await make_course()
    await lend(course["participant_id"], course["cohort_id"], "android")
    await as_role(client, "coordinator")
    for _ in range(3):
        assert (await client.get("/api/v1/loans")).json()["total"] == 1
    later = clock.now() + dt.timedelta(minutes=61)
    monkeypatch.setattr(authentication, "_now", lambda: later)
    response = await client.get("/api/v1/loans")
    assert response.status_code == 401, response.text
    assert "items" not in response.text


async def test_a_write_is_never_made_on_trust(uncached, client, db, monkeypatch):
    """Only GETs of lists take a caller on trust: a write reads its caller first, as every other request."""
    headers = await _token("kaisa")
    location = await make_location("Oodi")
    for _ in range(3):  # used lately, so a GET would take it on trust
        assert (await client.get("/api/v1/loans", headers=headers)).status_code == 200
    await ApiToken.update({ApiToken.revoked_at: clock.now()}).where(ApiToken.revoked_at.is_null())
    response = await client.patch(f"/api/v1/locations/{location}", json={"name": "Oodi 2"}, headers=headers)
    assert response.status_code == 401, response.text
    # Refusing afterwards is not enough: nothing was written in the revoked token's name.
    assert (await Location.select(Location.name).where(Location.id == location).first())["name"] == "Oodi"


async def test_another_locations_ids_in_the_query_show_nothing_on_trust(uncached, client):
    """A trainer taken on trust is scoped as one read afresh: asking for another location's rows by id finds nothing."""
    theirs = await make_course()
    loan = (
        await Loan.select(Loan.tablet)
        .where(Loan.id == await lend(theirs["participant_id"], theirs["cohort_id"], "android"))
        .first()
    )
    own = await make_location("Oodi")
    await as_role(client, "trainer", location_ids=[own])
    asked = (
        "/api/v1/loans",
        f"/api/v1/loans?participant_id={theirs['participant_id']}",
        f"/api/v1/loans?tablet_id={loan['tablet']}",
        f"/api/v1/cohorts?location_id={theirs['location_id']}",
    )
    for path in asked * 2:  # the second time round, on trust
        response = await client.get(path)
        assert response.status_code == 200, response.text
        assert (response.json()["total"], response.json()["items"]) == (0, []), path
