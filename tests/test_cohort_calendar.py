"""A cohort's status follows its calendar: running from the first session, flagged for completion after the last."""

from __future__ import annotations

import datetime as dt

import pytest

from digiystava import clock
from tests.factories import as_role, make_cohort, make_location


def monday_weeks_from_today(weeks: int) -> dt.date:
    today = clock.today()
    return today - dt.timedelta(days=today.weekday()) + dt.timedelta(weeks=weeks)


@pytest.mark.clock
async def test_a_planned_cohort_runs_from_its_first_session_in_lists_filters_and_pages(client):
    location = await make_location()
    # NOTE: nobody edited it after its start two weeks ago; the one starting next week stays planned.
    begun = await make_cohort(location, name="Alkanut", start_date=monday_weeks_from_today(-2), status="planned")
    coming = await make_cohort(location, name="Tuleva", start_date=monday_weeks_from_today(1), status="planned")
    await as_role(client, "coordinator")
    running = {c["id"] for c in (await client.get("/api/v1/cohorts?status=running")).json()["items"]}
    planned = {c["id"] for c in (await client.get("/api/v1/cohorts?status=planned")).json()["items"]}
    assert (begun in running, begun in planned, coming in planned) == (True, False, True)
    assert (await client.get(f"/api/v1/cohorts/{begun}")).json()["status"] == "running"
    page = (await client.get("/cohorts?status=running")).text
    assert "Alkanut" in page and "Tuleva" not in page
    audit = (await client.get(f"/api/v1/audit?entity=cohort&entity_id={begun}")).json()["items"]
    assert (audit[0]["action"], audit[0]["user"], audit[0]["fields"]) == ("start", "system", ["status"])


@pytest.mark.clock
async def test_a_cancelled_first_session_does_not_start_the_course(client):
    from cohorts.tables import CourseSession

    location = await make_location()
    cohort = await make_cohort(location, start_date=monday_weeks_from_today(0) - dt.timedelta(days=7), status="planned")
    first = (
        await CourseSession.select(CourseSession.id)
        .where(CourseSession.cohort == cohort, CourseSession.week == 1)
        .first()
    )
    await CourseSession.update({CourseSession.cancelled: True}).where(CourseSession.id == first["id"])
    # NOTE: week 2 falls on this week's Monday: on or before today, so that one starts it.
    await CourseSession.update({CourseSession.date: clock.today() + dt.timedelta(days=1)}).where(
        CourseSession.cohort == cohort, CourseSession.week == 2
    )
    await as_role(client, "coordinator")
    assert (await client.get(f"/api/v1/cohorts/{cohort}")).json()["status"] == "planned"


async def test_creating_or_moving_a_cohort_into_the_past_starts_it_at_once(client):
    await as_role(client, "coordinator")
    location = await make_location()
    body = {
        "location_id": location,
        "name": "Syksy",
        "start_date": str(monday_weeks_from_today(6)),
        "start_time": "13:00",
        "capacity": 19,
    }
    cohort = (await client.post("/api/v1/cohorts", json=body)).json()
    assert cohort["status"] == "planned"
    moved = await client.patch(f"/api/v1/cohorts/{cohort['id']}", json={"start_date": str(monday_weeks_from_today(-1))})
    assert moved.status_code == 200 and moved.json()["status"] == "running"


@pytest.mark.clock
async def test_a_running_cohort_past_its_last_session_is_flagged_for_the_coordinator(client):
    location = await make_location()
    done = await make_cohort(location, name="Päättynyt", start_date=monday_weeks_from_today(-12), status="running")
    going = await make_cohort(location, name="Käynnissä", start_date=monday_weeks_from_today(-3), status="running")
    await as_role(client, "coordinator")
    flags = {c["id"]: c["needs_completion"] for c in (await client.get("/api/v1/cohorts")).json()["items"]}
    assert flags == {done: True, going: False}
    assert (await client.get(f"/api/v1/cohorts/{done}")).json()["status"] == "running", (
        "completion stays the coordinator's act"
    )
    listing = (await client.get("/cohorts")).text
    assert listing.count("Valmis päätettäväksi") == 1  # "Ready to complete"
    detail = (await client.get(f"/cohorts/{done}")).text
    assert "Merkitse kurssi päättyneeksi" in detail  # "Mark the course completed"
    assert "Merkitse kurssi päättyneeksi" not in (await client.get(f"/cohorts/{going}")).text
