"""Cohorts: planning, generated sessions, transitions, calendars and printables."""

import datetime as dt

import pytest
from icalendar import Calendar

from tests.factories import as_role, enrol, make_cohort, make_location, make_participant, make_user
from tests.pdf_text import pdf_text


def cohort_body(location, **changes):
    body = {
        "location_id": location,
        "name": "Syksy 2026",
        "start_date": "2026-09-07",
        "start_time": "13:00",
        "capacity": 19,
    }
    return {**body, **changes}


async def test_create_generates_ten_alternating_sessions(client):
    await as_role(client, "coordinator")
    location = await make_location()
    response = await client.post("/api/v1/cohorts", json=cohort_body(location))
    assert response.status_code == 201, response.text
    cohort = response.json()
    assert cohort["weeks"] == 10 and cohort["end_date"] == "2026-11-09" and cohort["weekday"] == 0
    # NOTE: its first session (7 September 2026) is behind today: it runs from its first session on.
    assert cohort["status"] == "running" and cohort["needs_completion"] is True
    sessions = (await client.get(f"/api/v1/cohorts/{cohort['id']}/sessions")).json()
    assert [s["week"] for s in sessions] == list(range(1, 11))
    assert [s["kind"] for s in sessions[:4]] == ["group", "practice", "group", "practice"]
    assert sessions[9]["date"] == "2026-11-09" and sessions[0]["start_time"] == "13:00:00"


async def test_holidays_are_flagged_and_a_session_can_be_moved_or_cancelled(client):
    await as_role(client, "coordinator")
    location = await make_location()
    # NOTE: a Thursday course from 5 November 2026 meets on Christmas Eve (week 8) and New Year's Eve is no holiday.
    cohort = (await client.post("/api/v1/cohorts", json=cohort_body(location, start_date="2026-11-05"))).json()
    sessions = (await client.get(f"/api/v1/cohorts/{cohort['id']}/sessions")).json()
    flagged = {s["date"]: s["holiday"] for s in sessions if s["holiday"]}
    assert flagged == {"2026-12-24": "Jouluaatto"}
    christmas = next(s for s in sessions if s["date"] == "2026-12-24")
    moved = await client.patch(f"/api/v1/sessions/{christmas['id']}", json={"date": "2026-12-22"})
    assert moved.status_code == 200 and moved.json()["holiday"] == ""
    cancelled = await client.patch(f"/api/v1/sessions/{christmas['id']}", json={"cancelled": True})
    assert cancelled.json()["cancelled"] is True


async def test_changing_the_start_keeps_sessions_with_attendance(client):
    await as_role(client, "coordinator")
    location = await make_location()
    cohort = (await client.post("/api/v1/cohorts", json=cohort_body(location, status="running"))).json()
    person = await make_participant(location)
    await client.post(f"/api/v1/cohorts/{cohort['id']}/enrolments", json={"participant_id": person})
    first = (await client.get(f"/api/v1/cohorts/{cohort['id']}/sessions")).json()[0]
    await client.put(
        f"/api/v1/sessions/{first['id']}/attendance", json=[{"participant_id": person, "status": "present"}]
    )
    await client.patch(f"/api/v1/cohorts/{cohort['id']}", json={"start_date": "2026-09-14"})
    sessions = (await client.get(f"/api/v1/cohorts/{cohort['id']}/sessions")).json()
    assert sessions[0]["id"] == first["id"] and sessions[0]["date"] == "2026-09-07"  # history stays
    assert sessions[1]["date"] == "2026-09-21"  # the rest follows the new start
    assert len(sessions) == 10


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"end_date": "2026-09-01"}, "end_date"),  # ends before it starts
        ({"weeks": 0}, "weeks"),  # no weeks at all
        ({"capacity": -1}, "capacity"),  # negative capacity
        ({"start_date": "7.9.2026"}, "start_date"),  # Finnish date format is not ISO 8601
        ({"location_id": 999999}, "location_id"),  # unknown location
        ({"pattern": "group,party"}, "pattern"),  # unknown session kind
        ({"start_time": "25:00"}, "start_time"),  # impossible time
    ],
)
async def test_bad_cohort_input_names_the_field(client, changes, field):
    await as_role(client, "coordinator")
    location = await make_location()
    response = await client.post("/api/v1/cohorts", json=cohort_body(location, **changes))
    assert response.status_code == 422, response.text
    assert field in [e["field"] for e in response.json()["errors"]]


async def test_end_date_gives_the_number_of_weeks(client):
    await as_role(client, "coordinator")
    location = await make_location()
    cohort = (await client.post("/api/v1/cohorts", json=cohort_body(location, end_date="2026-10-05"))).json()
    assert cohort["weeks"] == 5


async def test_only_sensible_status_transitions(client):
    await as_role(client, "coordinator")
    location = await make_location()
    # NOTE: a start years ahead, so the cohort stays planned until the test moves it.
    cohort = (await client.post("/api/v1/cohorts", json=cohort_body(location, start_date="2031-09-01"))).json()
    assert cohort["status"] == "planned"
    url = f"/api/v1/cohorts/{cohort['id']}"
    assert (
        await client.patch(url, json={"status": "completed"})
    ).status_code == 422  # planned cannot jump to completed
    assert (await client.patch(url, json={"status": "running"})).status_code == 200
    assert (await client.patch(url, json={"status": "completed"})).status_code == 200
    assert (await client.patch(url, json={"status": "running"})).status_code == 422  # no way back


async def test_completed_cohort_is_read_only_for_trainers_and_corrections_are_audited(client):
    location = await make_location()
    trainer = await make_user("trainer", "timo", [location])
    cohort = await make_cohort(location, status="completed", trainer_ids=[trainer])
    await as_role(client, "trainer", [location])
    assert (await client.patch(f"/api/v1/cohorts/{cohort}", json={"name": "Korjattu"})).status_code == 403
    client.cookies.clear()
    await as_role(client, "coordinator")
    assert (await client.patch(f"/api/v1/cohorts/{cohort}", json={"name": "Korjattu"})).status_code == 200
    audit = (await client.get(f"/api/v1/audit?entity=cohort&entity_id={cohort}")).json()["items"]
    assert audit[0]["action"] == "correct" and audit[0]["fields"] == ["name"]


async def test_run_again_copies_the_set_up(client):
    await as_role(client, "coordinator")
    location = await make_location()
    trainer = await make_user("trainer", "timo", [location])
    cohort = (
        await client.post(
            "/api/v1/cohorts", json=cohort_body(location, trainer_ids=[trainer], capacity=12, start_time="10:30")
        )
    ).json()
    again = await client.post(f"/api/v1/cohorts/{cohort['id']}/run-again", json={"start_date": "2027-01-18"})
    assert again.status_code == 201
    copy = again.json()
    assert (
        copy["id"] != cohort["id"]
        and copy["capacity"] == 12
        and copy["start_time"] == "10:30:00"
        and copy["trainer_ids"] == [trainer]
    )
    assert copy["start_date"] == "2027-01-18" and copy["status"] == "planned"


async def test_trainers_see_only_their_locations_cohorts(client):
    own, other = await make_location("Kinapori"), await make_location("Töölö")
    mine, theirs = await make_cohort(own), await make_cohort(other)
    await as_role(client, "trainer", [own])
    listed = (await client.get("/api/v1/cohorts")).json()
    assert [c["id"] for c in listed["items"]] == [mine]
    assert (await client.get(f"/api/v1/cohorts/{theirs}")).status_code == 404
    assert (await client.get(f"/api/v1/cohorts/{theirs}/sessions")).status_code == 404
    assert (await client.post("/api/v1/cohorts", json=cohort_body(own))).status_code == 403


async def test_steering_and_volunteers_see_no_cohorts(client):
    for role in ("steering", "volunteer"):
        client.cookies.clear()
        await as_role(client, role)
        assert (await client.get("/api/v1/cohorts")).status_code == 403


async def test_calendar_feed_parses_and_marks_cancelled_sessions(client):
    await as_role(client, "coordinator")
    location = await make_location()
    cohort = (await client.post("/api/v1/cohorts", json=cohort_body(location, start_date="2026-10-19"))).json()
    sessions = (await client.get(f"/api/v1/cohorts/{cohort['id']}/sessions")).json()
    await client.patch(f"/api/v1/sessions/{sessions[2]['id']}", json={"cancelled": True})
    response = await client.get(f"/api/v1/cohorts/{cohort['id']}/calendar.ics")
    assert response.headers["content-type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = sorted(calendar.walk("VEVENT"), key=lambda e: e.decoded("dtstart"))
    assert len(events) == 10
    first = events[0].decoded("dtstart")
    assert first.isoformat() == "2026-10-19T13:00:00+03:00"  # summer time still on
    assert events[2]["status"] == "CANCELLED" and events[1]["status"] == "CONFIRMED"
    assert events[3].decoded("dtstart").utcoffset() == dt.timedelta(hours=2)  # after the clocks go back
    assert calendar.walk("VTIMEZONE")[0]["tzid"] == "Europe/Helsinki"


async def test_secret_calendar_link_works_without_login_and_can_be_renewed(client):
    await as_role(client, "coordinator")
    location = await make_location()
    cohort = await make_cohort(location)
    person = await make_participant(location, first_name="Salainen", last_name="Henkilö")
    await enrol(cohort, person)
    url = (await client.get(f"/api/v1/cohorts/{cohort}/calendar-link")).json()["url"]
    path = url.split("testserver.local")[1]
    client.cookies.clear()
    feed = await client.get(path)
    assert feed.status_code == 200 and b"VEVENT" in feed.content
    assert b"Salainen" not in feed.content  # no personal data in a feed
    await as_role(client, "coordinator")
    new_url = (await client.post(f"/api/v1/cohorts/{cohort}/calendar-link")).json()["url"]
    assert new_url != url
    assert (await client.get(path)).status_code == 404


async def test_printables_read_back(client):
    await as_role(client, "coordinator")
    location = await make_location("Kinaporin palvelukeskus")
    cohort = await make_cohort(location, name="Kevät <2027> & co")
    for first, last in (("Aino", "Virtanen"), ("Bror", "Lindqvist"), ("Ольга", "Иванова")):
        await enrol(cohort, await make_participant(location, first_name=first, last_name=last, phone=""))
    sessions = (await client.get(f"/api/v1/cohorts/{cohort}/sessions")).json()
    sheet = await client.get(f"/api/v1/sessions/{sessions[0]['id']}/sign-in.pdf")
    assert sheet.headers["content-type"] == "application/pdf"
    text = pdf_text(sheet.content)
    assert (
        "Osallistujalista" in text
        and "Virtanen, Aino" in text
        and "Иванова, Ольга" in text
        and "Kevät <2027> & co" in text
    )
    schedule = await client.get(f"/api/v1/cohorts/{cohort}/schedule.pdf?lang=sv")
    text = pdf_text(schedule.content)
    assert "Kursens schema" in text and "Gruppträff" in text and "09 310 10011" in text


async def test_location_calendar_has_every_cohorts_sessions(client):
    await as_role(client, "coordinator")
    location = await make_location()
    await make_cohort(location, name="Aamuryhmä")
    await make_cohort(location, name="Iltapäiväryhmä", start_time=dt.time(14, 0))
    url = (await client.get(f"/api/v1/locations/{location}/calendar-link")).json()["url"]
    client.cookies.clear()
    feed = Calendar.from_ical((await client.get(url.split("testserver.local")[1])).content)
    summaries = {str(e["summary"]).split(":")[0] for e in feed.walk("VEVENT")}
    assert summaries == {"Aamuryhmä", "Iltapäiväryhmä"} and len(feed.walk("VEVENT")) == 20


async def test_listed_cohort_counts_its_seats_and_names_its_trainers_in_order(client):
    await as_role(client, "coordinator")
    location = await make_location()
    first, second = await make_user("trainer"), await make_user("trainer")
    cohort = await make_cohort(location, capacity=5, trainer_ids=[second, first])
    other = await make_cohort(location, name="Toinen kurssi")
    for number, status in enumerate(["enrolled", "completed", "waitlisted", "dropped", "enrolled"]):
        senior = await make_participant(location, first_name=f"Senior{number}", phone=f"040 000 00{number}")
        await enrol(cohort, senior, status=status, waitlist_position=1 if status == "waitlisted" else None)
    listed = {c["id"]: c for c in (await client.get("/api/v1/cohorts?limit=50")).json()["items"]}
    one = (await client.get(f"/api/v1/cohorts/{cohort}")).json()
    for shown in (listed[cohort], one):
        assert (shown["enrolled"], shown["waitlisted"], shown["free_seats"]) == (3, 1, 2)
        assert shown["trainer_ids"] == sorted([first, second])
    assert (listed[other]["enrolled"], listed[other]["waitlisted"], listed[other]["trainer_ids"]) == (0, 0, [])
