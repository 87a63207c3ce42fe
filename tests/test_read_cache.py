"""Answers kept until the database changes: never older than what the caller could read.

The list endpoints and the credential lookup keep what they read under the database's
version (SQLite's data version, PostgreSQL's snapshot). These tests write behind the
app's back, straight through another connection, and expect the very next request
to see it; they also check that the key holds the caller and the date.
"""

from __future__ import annotations

import datetime as dt

import pytest

from digiystava import clock
from digiystava.access import COMMAND_LINE
from digiystava.read_cache import ReadCache
from tests.factories import as_role, make_location, make_user
from tests.factories.tablets import make_course, make_tablet

# PostgreSQL's version is the whole server's snapshot: another test's write would move it.
pytestmark = pytest.mark.exclusive


@pytest.fixture
def computed(monkeypatch):
    """Counts how often the loans list is really computed, not given from memory."""
    from cohorts.tablets import loans

    calls = []
    original = loans.list_loans

    async def counted(*args, **kwargs):
        calls.append(args[1:3])
        return await original(*args, **kwargs)

    monkeypatch.setattr(loans, "list_loans", counted)
    return calls


async def _lend(client) -> dict:
    course = await make_course()
    tablet_id = await make_tablet()
    body = {"tablet_id": tablet_id, "participant_id": course["participant_id"], "cohort_id": course["cohort_id"]}
    response = await client.post("/api/v1/loans", json=body)
    assert response.status_code == 201, response.text
    return response.json()


async def test_a_list_is_given_again_until_a_write_commits_anywhere(client, computed):
    from cohorts.tables import Loan

    await as_role(client, "coordinator")
    loan = await _lend(client)
    first = await client.get("/api/v1/loans")
    again = await client.get("/api/v1/loans")
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json() and len(computed) == 1
    # The kept answer carries the same headers, once each (security headers included).
    assert again.headers.multi_items() == first.headers.multi_items()
    assert len(again.headers.get_list("content-security-policy")) == 1
    # A write behind the app's back, through another connection, counts at once.
    later = clock.today() + dt.timedelta(days=90)
    await Loan.update({Loan.due_date: later}).where(Loan.id == loan["id"])
    after = await client.get("/api/v1/loans")
    assert after.json()["items"][0]["due_date"] == later.isoformat() and len(computed) == 2
    # And a write through the app.
    await _lend(client)
    assert (await client.get("/api/v1/loans")).json()["total"] == 2


async def test_a_loan_falls_overdue_at_midnight_without_any_write(client, computed, monkeypatch):
    await as_role(client, "coordinator")
    loan = await _lend(client)
    assert (await client.get("/api/v1/loans")).json()["items"][0]["overdue"] is False
    due = dt.date.fromisoformat(loan["due_date"])
    # Both the list and the cache's key read the Helsinki date.
    monkeypatch.setattr(clock, "today", lambda: due + dt.timedelta(days=1))
    assert (await client.get("/api/v1/loans")).json()["items"][0]["overdue"] is True
    assert len(computed) == 2


async def test_each_caller_gets_the_answer_for_their_own_scope(app, client, computed):
    from digiystava.accounts import services

    await as_role(client, "coordinator")
    loan = await _lend(client)
    other_location = await make_location("Oodi")
    coordinator = await make_user("coordinator", "kaisa")
    trainer = await make_user("trainer", "timo", location_ids=[other_location])
    headers = {}
    for name, user_id in (("kaisa", coordinator), ("timo", trainer)):
        token = (await services.create_token(COMMAND_LINE, "skripti", user_id=user_id)).token
        headers[name] = {"Authorization": f"Bearer {token}"}
        assert (await client.get("/api/v1/me", headers=headers[name])).status_code == 200  # first use is recorded
    client.cookies.clear()
    for _ in range(2):
        kaisa = (await client.get("/api/v1/loans", headers=headers["kaisa"])).json()
        timo = (await client.get("/api/v1/loans", headers=headers["timo"])).json()
        assert [item["id"] for item in kaisa["items"]] == [loan["id"]]
        assert timo["items"] == [] and timo["total"] == 0
    assert len(computed) == 2


async def test_a_token_revoked_behind_the_apps_back_is_refused_at_once(client):
    from digiystava.accounts import services
    from digiystava.accounts.tables import ApiToken

    user_id = await make_user("coordinator", "kaisa")
    created = await services.create_token(COMMAND_LINE, "skripti", user_id=user_id)
    headers = {"Authorization": f"Bearer {created.token}"}
    for _ in range(3):
        assert (await client.get("/api/v1/loans", headers=headers)).status_code == 200
    await ApiToken.update({ApiToken.revoked_at: clock.now()}).where(ApiToken.user == user_id)
    assert (await client.get("/api/v1/loans", headers=headers)).status_code == 401


async def test_refusals_are_not_kept(app, client, computed):
    await as_role(client, "coordinator")
    cache: ReadCache = app.state.read_cache
    assert (await client.get("/api/v1/loans")).status_code == 200
    kept = cache.size
    for _ in range(2):
        assert (await client.get("/api/v1/loans?limit=5000")).status_code == 422
        assert (await client.get("/api/v1/loans?participant_id=x")).status_code == 422
    assert cache.size == kept


async def test_an_entry_read_before_a_change_is_never_kept_for_after_it(db):
    from digiystava.accounts.tables import StaffUser

    cache = ReadCache(db)
    before = await cache.reading()
    await make_user("coordinator", "kaisa")
    after = await cache.reading()
    assert before.version != after.version
    before.put(("answer",), "read before the change")
    assert after.get(("answer",)) is None and cache.size == (0, 0)
    after.put(("answer",), "read after the change")
    assert (await cache.reading()).get(("answer",)) == "read after the change"
    await StaffUser.delete().where(StaffUser.username == "kaisa")
    assert (await cache.reading()).get(("answer",)) is None


async def test_the_cache_is_bounded_and_can_be_turned_off(db):
    cache = ReadCache(db, max_entries=3)
    reading = await cache.reading()
    for n in range(10):
        reading.put(("answer", n), n)
    assert cache.size[0] == 3 and reading.get(("answer", 9)) == 9 and reading.get(("answer", 0)) is None
    reading.put(("answer", "big"), b"x", size=10 * 1024 * 1024)
    assert reading.get(("answer", "big")) is None
    off = await ReadCache(db, max_entries=0).reading()
    off.put(("answer",), 1)
    assert off.version is None and off.get(("answer",)) is None
