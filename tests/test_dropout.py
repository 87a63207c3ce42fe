"""A senior drops out: the page asks first, the seat goes to the first on the waiting list
and someone must call them, the senior's pair ends, and the same day it can be undone."""

import datetime as dt

from tests.factories import as_role, enrol, make_cohort, make_location, make_participant, make_user
from tests.factories.volunteers import make_pairing, make_volunteer
from tests.test_pages import csrf, page_login


async def _cohort_with_waiting_list(client_role_client=None):
    """A full cohort of two (Aino, Bertil) with Cecilia and Daniel waiting; Aino is paired with Mikko (room for one)."""
    location = await make_location()
    cohort = await make_cohort(location, name="Kinapori syksy", capacity=2)
    people = {}
    ids = {}
    for position, (first, phone) in enumerate(
        (("Aino", "040 111 1111"), ("Bertil", "040 222 2222"), ("Cecilia", "040 333 3333"), ("Daniel", "040 444 4444"))
    ):
        people[first] = await make_participant(location, first_name=first, last_name="Testinen", phone=phone)
        seated = position < 2
        ids[first] = await enrol(
            cohort, people[first], "enrolled" if seated else "waitlisted", None if seated else position - 1
        )
    mikko = await make_volunteer("Mikko Laine", max_participants=1)
    pair = await make_pairing(cohort, mikko, people["Aino"])
    return location, cohort, people, ids, mikko, pair


async def _listing(client, cohort):
    return {
        e["id"]: (e["status"], e["waitlist_position"])
        for e in (await client.get(f"/api/v1/cohorts/{cohort}/enrolments")).json()
    }


async def test_dropping_reports_who_was_promoted_and_ends_the_pair(client):
    await as_role(client, "coordinator")
    _location, cohort, people, ids, mikko, pair = await _cohort_with_waiting_list()
    dropped = await client.patch(f"/api/v1/enrolments/{ids['Aino']}", json={"status": "dropped"})
    assert dropped.status_code == 200, dropped.text
    body = dropped.json()
    assert body["status"] == "dropped"
    assert [(p["id"], p["participant_id"], p["first_name"]) for p in body["promoted"]] == [
        (ids["Cecilia"], people["Cecilia"], "Cecilia")
    ]
    assert body["ended_pairing_ids"] == [pair]
    assert (await client.get(f"/api/v1/pairings/{pair}")).json()["ended_on"] is not None
    # The volunteer is free again and is offered to the promoted senior.
    assert (await client.get(f"/api/v1/volunteers/{mikko}")).json()["active_pairs"] == 0
    suggestions = (await client.get(f"/api/v1/cohorts/{cohort}/pairing-suggestions")).json()
    assert mikko in {s["volunteer_id"] for s in suggestions}
    assert await _listing(client, cohort) == {
        ids["Aino"]: ("dropped", None),
        ids["Bertil"]: ("enrolled", None),
        ids["Cecilia"]: ("enrolled", None),
        ids["Daniel"]: ("waitlisted", 1),
    }


async def test_undo_the_same_day_gives_the_seat_and_the_pair_back(client):
    await as_role(client, "coordinator")
    _location, cohort, _people, ids, _mikko, pair = await _cohort_with_waiting_list()
    await client.patch(f"/api/v1/enrolments/{ids['Aino']}", json={"status": "dropped"})
    undone = await client.post(f"/api/v1/enrolments/{ids['Aino']}/undo-drop")
    assert undone.status_code == 200, undone.text
    body = undone.json()
    assert body["status"] == "enrolled"
    # The promoted senior had not been told yet: back to the top of the waiting list.
    assert [p["id"] for p in body["back_on_waiting_list"]] == [ids["Cecilia"]]
    assert body["reopened_pairing_ids"] == [pair]
    assert (await client.get(f"/api/v1/pairings/{pair}")).json()["ended_on"] is None
    assert await _listing(client, cohort) == {
        ids["Aino"]: ("enrolled", None),
        ids["Bertil"]: ("enrolled", None),
        ids["Cecilia"]: ("waitlisted", 1),
        ids["Daniel"]: ("waitlisted", 2),
    }
    assert (await client.get("/api/v1/enrolments/calls")).json() == []
    # Nothing left to undo.
    assert (await client.post(f"/api/v1/enrolments/{ids['Aino']}/undo-drop")).status_code == 409


async def test_undo_is_refused_on_a_later_day_and_once_the_promoted_senior_was_called(client):
    from cohorts.tables import Enrolment
    from digiystava import clock

    await as_role(client, "coordinator")
    _location, cohort, _people, ids, _mikko, _pair = await _cohort_with_waiting_list()
    await client.patch(f"/api/v1/enrolments/{ids['Bertil']}", json={"status": "dropped"})
    called = await client.post(f"/api/v1/enrolments/{ids['Cecilia']}/call-done")
    assert called.status_code == 200 and called.json()["call_done_at"] is not None
    refused = await client.post(f"/api/v1/enrolments/{ids['Bertil']}/undo-drop")
    assert refused.status_code == 409 and "Cecilia" in refused.json()["detail"]
    # Yesterday's drop-out is history: enrolling again puts the senior on the waiting list.
    await client.patch(f"/api/v1/enrolments/{ids['Aino']}", json={"status": "dropped"})
    await Enrolment.update({Enrolment.dropped_at: clock.now() - dt.timedelta(days=1)}).where(
        Enrolment.id == ids["Aino"]
    )
    assert (await client.post(f"/api/v1/enrolments/{ids['Aino']}/undo-drop")).status_code == 409
    statuses = await _listing(client, cohort)
    assert statuses[ids["Aino"]] == ("dropped", None) and statuses[ids["Daniel"]] == ("enrolled", None)


async def test_the_promoted_senior_is_on_the_call_list_of_the_right_people_until_ticked(client):
    location, cohort, people, ids, _mikko, _pair = await _cohort_with_waiting_list()
    elsewhere = await make_location("Malmin kirjasto")
    await make_user("trainer", "oma", [location])
    await make_user("trainer", "muu", [elsewhere])
    await as_role(client, "coordinator")
    await client.patch(f"/api/v1/enrolments/{ids['Aino']}", json={"status": "dropped"})
    calls = (await client.get("/api/v1/enrolments/calls")).json()
    assert [(c["enrolment_id"], c["participant_id"], c["phone"], c["cohort_id"]) for c in calls] == [
        (ids["Cecilia"], people["Cecilia"], "040 333 3333", cohort)
    ]

    client.cookies.clear()
    client.headers.pop("X-CSRFToken", None)
    await page_login(client, "muu")
    home = await client.get("/")
    assert "Cecilia" not in home.text
    client.cookies.clear()
    await page_login(client, "oma")
    home = await client.get("/")
    assert "Cecilia Testinen" in home.text and "040 333 3333" in home.text
    ticked = await client.post(
        f"/cohorts/{cohort}/enrolments/{ids['Cecilia']}/called", data={"_csrf": csrf(home.text), "next": "/"}
    )
    assert ticked.status_code == 303 and ticked.headers["location"] == "/"
    assert "Cecilia Testinen" not in (await client.get("/")).text
    client.cookies.clear()
    await as_role(client, "coordinator")
    assert (await client.get("/api/v1/enrolments/calls")).json() == []
    enrolment = [
        e for e in (await client.get(f"/api/v1/cohorts/{cohort}/enrolments")).json() if e["id"] == ids["Cecilia"]
    ][0]
    assert enrolment["call_done_by"] == "oma" and enrolment["call_done_at"] is not None


async def test_raising_capacity_also_puts_the_promoted_on_the_call_list(client):
    await as_role(client, "coordinator")
    _location, cohort, _people, ids, _mikko, _pair = await _cohort_with_waiting_list()
    await client.patch(f"/api/v1/cohorts/{cohort}", json={"capacity": 3})
    assert [c["enrolment_id"] for c in (await client.get("/api/v1/enrolments/calls")).json()] == [ids["Cecilia"]]


async def test_the_cohort_page_asks_before_dropping_and_offers_undo(client):
    _location, cohort, _people, ids, _mikko, pair = await _cohort_with_waiting_list()
    await make_user("coordinator", "kaisa")
    await page_login(client, "kaisa")
    detail = await client.get(f"/cohorts/{cohort}")
    assert f'href="/cohorts/{cohort}/enrolments/{ids["Aino"]}/drop"' in detail.text
    # The old one-click form (or a page without JavaScript) only leads to the question.
    quick = await client.post(
        f"/cohorts/{cohort}/enrolments/{ids['Aino']}", data={"_csrf": csrf(detail.text), "status": "dropped"}
    )
    assert quick.status_code == 303 and quick.headers["location"] == f"/cohorts/{cohort}/enrolments/{ids['Aino']}/drop"
    assert (await _listing(client, cohort))[ids["Aino"]] == ("enrolled", None)

    question = await client.get(quick.headers["location"])
    assert question.status_code == 200
    text = question.text
    assert "Aino Testinen" in text and "Cecilia Testinen" in text and "Mikko Laine" in text
    assert 'name="confirm"' in text
    done = await client.post(
        f"/cohorts/{cohort}/enrolments/{ids['Aino']}/drop", data={"_csrf": csrf(text), "confirm": "1"}
    )
    assert done.status_code == 303
    after = await client.get(done.headers["location"])
    assert "Cecilia Testinen" in after.text and "040 333 3333" in after.text  # call them
    assert f'action="/cohorts/{cohort}/enrolments/{ids["Aino"]}/undo"' in after.text
    assert (await _listing(client, cohort))[ids["Cecilia"]] == ("enrolled", None)

    undone = await client.post(f"/cohorts/{cohort}/enrolments/{ids['Aino']}/undo", data={"_csrf": csrf(after.text)})
    assert undone.status_code == 303
    back = await client.get(undone.headers["location"])
    assert "Cecilia Testinen" in back.text and "jonossa" in back.text.lower()
    listing = await _listing(client, cohort)
    assert listing[ids["Aino"]] == ("enrolled", None) and listing[ids["Cecilia"]] == ("waitlisted", 1)
    from cohorts.tables import Pairing

    assert (await Pairing.select(Pairing.ended_on).where(Pairing.id == pair).first())["ended_on"] is None


async def test_undo_puts_a_waiting_senior_back_in_their_place_on_the_list(client):
    await as_role(client, "coordinator")
    _location, cohort, _people, ids, _mikko, _pair = await _cohort_with_waiting_list()
    dropped = await client.patch(f"/api/v1/enrolments/{ids['Cecilia']}", json={"status": "dropped"})
    assert dropped.json()["promoted"] == [] and (await _listing(client, cohort))[ids["Daniel"]] == ("waitlisted", 1)
    undone = await client.post(f"/api/v1/enrolments/{ids['Cecilia']}/undo-drop")
    assert undone.status_code == 200, undone.text
    assert await _listing(client, cohort) == {
        ids["Aino"]: ("enrolled", None),
        ids["Bertil"]: ("enrolled", None),
        ids["Cecilia"]: ("waitlisted", 1),
        ids["Daniel"]: ("waitlisted", 2),
    }
