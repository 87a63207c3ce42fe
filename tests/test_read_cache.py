"""Answers kept until a table they read changes: never older than what the caller could read.

The list endpoints and the credential lookup keep what they read with the versions of
the tables they read (moved by the database's triggers, ``table_versions.py``). These
tests write behind the app's back, straight through another connection, and expect
the very next request to see it; that a write to one table leaves the answers that
never read it alone; and that the key holds the caller and the date. Each database
has its own versions, so other tests' databases do not disturb these.
"""

from __future__ import annotations

import datetime as dt

import pytest

from digiystava import clock
from digiystava.access import COMMAND_LINE
from digiystava.apps import all_tables
from digiystava.db import current_engine, is_sqlite, table_versions
from digiystava.read_cache import ReadCache
from tests.factories import as_role, enrol, make_location, make_participant, make_user
from tests.factories.tablets import make_course, make_tablet


def _count_calls(monkeypatch, module, name: str) -> list:
    calls = []
    original = getattr(module, name)

    async def counted(*args, **kwargs):
        calls.append(args[1:3])
        return await original(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


@pytest.fixture
def computed(monkeypatch):
    """Counts how often the loans list is really computed, not given from memory."""
    from cohorts.tablets import loans

    return _count_calls(monkeypatch, loans, "loan_page")


@pytest.fixture
def computed_lists(monkeypatch):
    """Counts how often the cohorts and tablets lists are really computed."""
    from cohorts.courses import services as cohorts
    from cohorts.tablets import services as tablets

    return {
        "cohorts": _count_calls(monkeypatch, cohorts, "cohort_page"),
        "tablets": _count_calls(monkeypatch, tablets, "tablet_page"),
    }


async def _lend(client) -> dict:
    course = await make_course()
    tablet_id = await make_tablet()
    body = {"tablet_id": tablet_id, "participant_id": course["participant_id"], "cohort_id": course["cohort_id"]}
    response = await client.post("/api/v1/loans", json=body)
    assert response.status_code == 201, response.text
    return response.json()


async def test_a_list_is_given_again_until_a_table_it_read_changes(client, computed):
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
    assert before.versions["staff_user"] != after.versions["staff_user"]
    before.put(("answer",), "read before the change", {"staff_user"})
    assert after.get(("answer",)) is None and cache.size == (0, 0)
    after.put(("answer",), "read after the change", {"staff_user"})
    assert (await cache.reading()).get(("answer",)) == "read after the change"
    await StaffUser.delete().where(StaffUser.username == "kaisa")
    assert (await cache.reading()).get(("answer",)) is None and cache.size == (0, 0)


async def test_an_entry_outlives_writes_to_tables_it_did_not_read(db):
    cache = ReadCache(db)
    reading = await cache.reading()
    reading.put(("tablets",), "tablets", {"tablet"})
    reading.put(("cohorts",), "cohorts", {"cohort", "enrolment", "location"})
    await make_tablet()
    later = await cache.reading()
    assert later.get(("tablets",)) is None and later.get(("cohorts",)) == "cohorts"
    # A table without a version: nothing would tell when it changes, so the entry is not kept.
    later.put(("other",), "other", {"no_such_table"})
    assert later.get(("other",)) is None


async def test_every_table_has_a_version_moved_by_its_writes(db):
    from cohorts.tables import Location

    versions = await _versions()
    assert set(versions) == {table._meta.tablename for table in all_tables()}
    location_id = await make_location("Oodi")
    await Location.update({Location.name: "Oodi 2"}).where(Location.id == location_id)
    await Location.delete().where(Location.id == location_id)
    after = await _versions()
    assert after["location"] == versions["location"] + 3
    # PostgreSQL counts the delete's cascade to the staff's locations too (a statement, no rows).
    unrelated = set(versions) - {"location", "staff_location"}
    assert {t: after[t] for t in unrelated} == {t: versions[t] for t in unrelated}


async def test_the_cache_is_bounded_and_can_be_turned_off(db):
    cache = ReadCache(db, max_entries=3)
    reading = await cache.reading()
    for n in range(10):
        reading.put(("answer", n), n, {"loan"})
    assert cache.size[0] == 3 and reading.get(("answer", 9)) == 9 and reading.get(("answer", 0)) is None
    reading.put(("answer", "big"), b"x", {"loan"}, size=10 * 1024 * 1024)
    assert reading.get(("answer", "big")) is None
    off = await ReadCache(db, max_entries=0).reading()
    off.put(("answer",), 1, {"loan"})
    assert off.versions is None and off.get(("answer",)) is None


async def test_a_tablet_note_leaves_the_cohorts_list_alone_and_an_enrolment_does_not(client, computed_lists):
    await as_role(client, "coordinator")
    course = await make_course()
    tablet_id = await make_tablet()
    for _ in range(2):
        cohorts = (await client.get("/api/v1/cohorts")).json()
        assert (await client.get("/api/v1/tablets")).json()["items"][0]["notes"] == ""
    assert (len(computed_lists["cohorts"]), len(computed_lists["tablets"])) == (1, 1)
    response = await client.patch(f"/api/v1/tablets/{tablet_id}", json={"notes": "Cracked corner"})
    assert response.status_code == 200, response.text
    assert (await client.get("/api/v1/tablets")).json()["items"][0]["notes"] == "Cracked corner"
    assert (await client.get("/api/v1/cohorts")).json() == cohorts
    assert (len(computed_lists["cohorts"]), len(computed_lists["tablets"])) == (1, 2)
    # An enrolment behind the app's back changes the cohort's seats: the very next list shows it.
    enrolled = cohorts["items"][0]["enrolled"]
    await enrol(course["cohort_id"], await make_participant(course["location_id"], first_name="Eino"))
    assert (await client.get("/api/v1/cohorts")).json()["items"][0]["enrolled"] == enrolled + 1
    assert len(computed_lists["cohorts"]) == 2


async def test_a_trainer_given_another_location_sees_its_answers_at_once(client):
    from cohorts.tables import StaffLocation
    from digiystava.accounts.tables import StaffUser

    course = await make_course()
    username = await as_role(client, "trainer", location_ids=[await make_location("Oodi")])
    assert (await client.get("/api/v1/cohorts")).json()["total"] == 0
    trainer = await StaffUser.select(StaffUser.id).where(StaffUser.username == username).first()
    await StaffLocation.insert(StaffLocation(user=trainer["id"], location=course["location_id"]))
    assert (await client.get("/api/v1/cohorts")).json()["total"] == 1


async def test_writers_of_two_tables_in_opposite_orders_both_commit(db):
    """PostgreSQL moves the versions only at the commit, in name order: two such writers never deadlock."""
    import asyncio

    from cohorts.tables import Location, Participant

    locations = [await make_location(name) for name in ("Oodi", "Kallio")]
    seniors = [await make_participant(location) for location in locations]
    versions = await _versions()

    def rename_location(n: int):
        return Location.update({Location.name: f"Paikka {n}"}).where(Location.id == locations[n])

    def rename_senior(n: int):
        return Participant.update({Participant.first_name: f"Eino {n}"}).where(Participant.id == seniors[n])

    async def write(first, second) -> None:
        async with db.transaction():
            await first
            await asyncio.sleep(0.05)  # both have written their first table before either commits
            await second

    one = write(rename_location(0), rename_senior(0))
    other = write(rename_senior(1), rename_location(1))
    if is_sqlite():
        # SQLite writes one transaction at a time: the other waits for the first.
        await one
        await other
    else:
        await asyncio.gather(one, other)
    after = await _versions()
    assert (after["location"] - versions["location"], after["participant"] - versions["participant"]) == (2, 2)


async def _versions() -> dict[str, int]:
    return dict(await table_versions(current_engine()))


async def test_the_programmes_report_is_kept_until_an_assessment_changes(client, monkeypatch):
    from assessments.tables import Assessment
    from digiystava.reports import controllers
    from tests.factories.reports import seeded_cohort

    made = _count_calls(monkeypatch, controllers, "outcome_report")
    await as_role(client, "coordinator")
    await seeded_cohort()
    first = await client.get("/api/v1/reports/outcomes.pdf")
    again = await client.get("/api/v1/reports/outcomes.pdf")
    assert first.status_code == again.status_code == 200 and again.content == first.content
    assert len(made) == 1
    # A new staff user is no figure of the report; a corrected answer is.
    await make_user("trainer", "timo")
    assert (await client.get("/api/v1/reports/outcomes.pdf")).content == first.content and len(made) == 1
    await Assessment.update({Assessment.wishes_text: "Videopuhelut"}).where(Assessment.id > 0)
    assert (await client.get("/api/v1/reports/outcomes.pdf")).status_code == 200 and len(made) == 2
