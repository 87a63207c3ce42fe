"""Enrolment with capacity, the waiting list, promotion, the last-seat race, attendance."""

import asyncio

import pytest

from tests.factories import as_role, enrol, make_cohort, make_location, make_participant, make_user, send_at_once


async def _setup(client, capacity=2, seniors=4):
    await as_role(client, "coordinator")
    location = await make_location()
    cohort = await make_cohort(location, capacity=capacity)
    people = [await make_participant(location, first_name=f"Senior{i}", phone="") for i in range(seniors)]
    return cohort, people


async def test_capacity_then_waiting_list_in_order(client):
    cohort, people = await _setup(client)
    statuses = []
    for person in people:
        response = await client.post(f"/api/v1/cohorts/{cohort}/enrolments", json={"participant_id": person})
        assert response.status_code == 201
        statuses.append((response.json()["status"], response.json()["waitlist_position"]))
    assert statuses == [("enrolled", None), ("enrolled", None), ("waitlisted", 1), ("waitlisted", 2)]
    cohort_out = (await client.get(f"/api/v1/cohorts/{cohort}")).json()
    assert cohort_out["enrolled"] == 2 and cohort_out["waitlisted"] == 2 and cohort_out["free_seats"] == 0


async def test_enrolling_twice_is_a_conflict(client):
    cohort, people = await _setup(client)
    await client.post(f"/api/v1/cohorts/{cohort}/enrolments", json={"participant_id": people[0]})
    again = await client.post(f"/api/v1/cohorts/{cohort}/enrolments", json={"participant_id": people[0]})
    assert again.status_code == 409


async def test_dropping_promotes_the_first_on_the_list(client):
    cohort, people = await _setup(client)
    ids = [
        (await client.post(f"/api/v1/cohorts/{cohort}/enrolments", json={"participant_id": p})).json()["id"]
        for p in people
    ]
    dropped = await client.patch(f"/api/v1/enrolments/{ids[0]}", json={"status": "dropped"})
    assert dropped.json()["status"] == "dropped"
    listing = {
        e["id"]: (e["status"], e["waitlist_position"])
        for e in (await client.get(f"/api/v1/cohorts/{cohort}/enrolments")).json()
    }
    assert listing[ids[2]] == ("enrolled", None)
    assert listing[ids[3]] == ("waitlisted", 1)  # moved up the list


async def test_raising_capacity_fills_seats_from_the_list(client):
    cohort, people = await _setup(client)
    for p in people:
        await client.post(f"/api/v1/cohorts/{cohort}/enrolments", json={"participant_id": p})
    await client.patch(f"/api/v1/cohorts/{cohort}", json={"capacity": 3})
    statuses = sorted(e["status"] for e in (await client.get(f"/api/v1/cohorts/{cohort}/enrolments")).json())
    assert statuses == ["enrolled", "enrolled", "enrolled", "waitlisted"]


async def test_eight_seniors_racing_for_the_last_seat(client):
    cohort, people = await _setup(client, capacity=1, seniors=8)
    responses = await send_at_once(
        client, [("POST", f"/api/v1/cohorts/{cohort}/enrolments", {"participant_id": p}) for p in people]
    )
    assert sorted(r.status_code for r in responses) == [201] * 8
    assert sorted(r.json()["status"] for r in responses) == ["enrolled"] + ["waitlisted"] * 7


async def test_completed_cohort_takes_nobody(client):
    await as_role(client, "coordinator")
    location = await make_location()
    cohort = await make_cohort(location, status="completed")
    person = await make_participant(location)
    assert (
        await client.post(f"/api/v1/cohorts/{cohort}/enrolments", json={"participant_id": person})
    ).status_code == 409


async def test_attendance_round_trip_and_rates(client):
    cohort, people = await _setup(client, capacity=3, seniors=3)
    for p in people:
        await client.post(f"/api/v1/cohorts/{cohort}/enrolments", json={"participant_id": p})
    sessions = (await client.get(f"/api/v1/cohorts/{cohort}/sessions")).json()
    marks = [
        {"participant_id": people[0], "status": "present"},
        {"participant_id": people[1], "status": "absent"},
        {"participant_id": people[2], "status": "excused"},
    ]
    assert (await client.put(f"/api/v1/sessions/{sessions[0]['id']}/attendance", json=marks)).status_code == 200
    await client.put(
        f"/api/v1/sessions/{sessions[1]['id']}/attendance",
        json=[{"participant_id": p, "status": "present"} for p in people],
    )
    got = {
        a["participant_id"]: a["status"]
        for a in (await client.get(f"/api/v1/sessions/{sessions[0]['id']}/attendance")).json()
    }
    assert got == {people[0]: "present", people[1]: "absent", people[2]: "excused"}
    rates = (await client.get(f"/api/v1/cohorts/{cohort}/attendance")).json()
    by_person = {s["participant_id"]: s["rate"] for s in rates["seniors"]}
    assert by_person == {people[0]: 1.0, people[1]: 0.5, people[2]: 0.5}
    assert rates["rate"] == round(4 / 6, 3) and rates["sessions_marked"] == 2


async def test_two_marks_of_the_same_senior_at_once_both_save(client, monkeypatch):
    """Two trainers' phones mark the same senior at the same moment: the later mark stays, neither is a 500."""
    from cohorts.enrolments.attendance import put_attendance
    from cohorts.enrolments.schemas import AttendanceIn
    from digiystava import audit
    from digiystava.access import COMMAND_LINE

    cohort, people = await _setup(client, capacity=1, seniors=1)
    await client.post(f"/api/v1/cohorts/{cohort}/enrolments", json={"participant_id": people[0]})
    session = (await client.get(f"/api/v1/cohorts/{cohort}/sessions")).json()[0]["id"]
    record = audit.record

    async def slow_record(*args, **kwargs):
        # The first mark is written but not yet committed when the second one starts.
        await asyncio.sleep(0.3)
        return await record(*args, **kwargs)

    monkeypatch.setattr(audit, "record", slow_record)
    marks = [[AttendanceIn(participant_id=people[0], status=status)] for status in ("excused", "absent")]
    await asyncio.gather(*[put_attendance(COMMAND_LINE, session, items) for items in marks])
    saved = (await client.get(f"/api/v1/sessions/{session}/attendance")).json()
    assert [m["status"] for m in saved] in (["excused"], ["absent"])


async def test_attendance_for_someone_not_enrolled_is_422(client):
    cohort, people = await _setup(client, capacity=1, seniors=2)
    await enrol(cohort, people[0])
    sessions = (await client.get(f"/api/v1/cohorts/{cohort}/sessions")).json()
    response = await client.put(
        f"/api/v1/sessions/{sessions[0]['id']}/attendance", json=[{"participant_id": people[1], "status": "present"}]
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "[0].participant_id"
    bad = await client.put(
        f"/api/v1/sessions/{sessions[0]['id']}/attendance", json=[{"participant_id": people[0], "status": "late"}]
    )
    assert bad.status_code == 422


async def test_trainer_cannot_touch_another_locations_sessions(client):
    own, other = await make_location("A"), await make_location("B")
    theirs = await make_cohort(other)
    await as_role(client, "coordinator")
    sessions = (await client.get(f"/api/v1/cohorts/{theirs}/sessions")).json()
    client.cookies.clear()
    await as_role(client, "trainer", [own])
    assert (await client.get(f"/api/v1/sessions/{sessions[0]['id']}/attendance")).status_code == 404
    assert (await client.patch(f"/api/v1/sessions/{sessions[0]['id']}", json={"cancelled": True})).status_code == 404


async def test_enrol_list_offers_the_locations_seniors_not_on_the_cohort(client, db):
    from cohorts.enrolments.services import candidates
    from digiystava.access import COMMAND_LINE

    location, elsewhere = await make_location("Kallion kirjasto"), await make_location("Malmin kirjasto")
    cohort = await make_cohort(location, capacity=5)
    on_it, dropped, _free = [await make_participant(location, first_name=n, phone="") for n in ("Aino", "Bror", "Eino")]
    await make_participant(elsewhere, first_name="Muualla", phone="")
    await enrol(cohort, on_it)
    await enrol(cohort, dropped, status="dropped")
    offered = {row["first_name"] for row in (await candidates(COMMAND_LINE, cohort))["items"]}
    assert offered == {"Bror", "Eino"}


async def test_trainer_enrols_only_seniors_they_may_see(client):
    # The review's case: a trainer of locations 1-2 names a senior registered at location 5.
    first, second, _third, _fourth, fifth = [await make_location(f"Paikka {n}") for n in range(1, 6)]
    cohort = await make_cohort(first)
    theirs = await make_participant(fifth, first_name="Salainen", last_name="Seniori", phone="")
    await as_role(client, "trainer", [first, second])
    for answer in (
        await client.post(f"/api/v1/cohorts/{cohort}/enrolments", json={"participant_id": theirs}),
        await client.post(f"/api/v1/cohorts/{cohort}/enrolments", json={"participant_id": 999999}),
    ):
        assert answer.status_code == 422 and answer.json()["errors"] == [
            {"field": "participant_id", "message": "unknown participant"}
        ]
        assert "Salainen" not in answer.text
    page = await client.post(
        f"/cohorts/{cohort}/enrol", data={"participant_id": theirs}, headers={"accept": "text/html"}
    )
    assert page.status_code == 422 and "Salainen" not in page.text
    assert (await client.get(f"/api/v1/cohorts/{cohort}/enrolments")).json() == []
    # A senior registered at the trainer's other location may join.
    own = await make_participant(second, first_name="Oma", phone="")
    assert (await client.post(f"/api/v1/cohorts/{cohort}/enrolments", json={"participant_id": own})).status_code == 201


async def test_a_senior_on_a_trainers_cohort_is_theirs_wherever_registered(client):
    # NOTE: a senior may live (be registered) elsewhere than where they take the course.
    here, home = await make_location("Kinapori"), await make_location("Malmi")
    cohort, later = await make_cohort(here), await make_cohort(here, name="Kevät 2027", status="planned")
    visitor = await make_participant(home, first_name="Vieras", phone="")
    await enrol(cohort, visitor)
    await as_role(client, "trainer", [here])
    assert (await client.get(f"/api/v1/participants/{visitor}")).json()["first_name"] == "Vieras"
    assert [p["id"] for p in (await client.get("/api/v1/participants")).json()["items"]] == [visitor]
    assert (
        await client.post(f"/api/v1/cohorts/{later}/enrolments", json={"participant_id": visitor})
    ).status_code == 201


async def _finished_course(status: str) -> dict:
    """A course in ``status`` with its trainer, one senior seated, one dropped out, one waiting, and one mark."""
    from cohorts.tables import Attendance, CourseSession

    location = await make_location()
    trainer = await make_user("trainer", "timo.kouluttaja", [location])
    cohort = await make_cohort(location, status=status, capacity=1, trainer_ids=[trainer])
    seated, dropped, waiting = [
        await make_participant(location, first_name=n, phone="") for n in ("Aino", "Bror", "Eino")
    ]
    ids = {
        "location": location,
        "cohort": cohort,
        "seated": await enrol(cohort, seated),
        "dropped": await enrol(cohort, dropped, status="dropped"),
        "waiting": await enrol(cohort, waiting, status="waitlisted", waitlist_position=1),
        "senior": seated,
    }
    ids["session"] = (await CourseSession.select(CourseSession.id).where(CourseSession.cohort == cohort).first())["id"]
    await Attendance.insert(Attendance(session=ids["session"], participant=seated, status="present"))
    return ids


async def _course_state(cohort_id: int) -> tuple:
    from cohorts.tables import Attendance, CourseSession, Enrolment

    return (
        sorted(
            map(
                repr,
                await Enrolment.select(Enrolment.id, Enrolment.status, Enrolment.waitlist_position).where(
                    Enrolment.cohort == cohort_id
                ),
            )
        ),
        sorted(
            map(
                repr,
                await Attendance.select(Attendance.participant, Attendance.status).where(
                    Attendance.session.cohort == cohort_id
                ),
            )
        ),
        sorted(
            map(
                repr,
                await CourseSession.select(CourseSession.id, CourseSession.cancelled, CourseSession.date).where(
                    CourseSession.cohort == cohort_id
                ),
            )
        ),
    )


@pytest.mark.parametrize("status", ["completed", "cancelled"])
async def test_a_finished_course_is_locked_for_trainers(client, status):
    c = await _finished_course(status)
    await as_role(client, "trainer", [c["location"]])
    before = await _course_state(c["cohort"])
    refused = [
        await client.patch(f"/api/v1/enrolments/{c['seated']}", json={"status": "dropped"}),
        await client.patch(f"/api/v1/enrolments/{c['dropped']}", json={"status": "enrolled"}),
        await client.put(
            f"/api/v1/sessions/{c['session']}/attendance", json=[{"participant_id": c["senior"], "status": "absent"}]
        ),
        await client.patch(f"/api/v1/sessions/{c['session']}", json={"cancelled": True}),
        # The same through the pages.
        await client.post(
            f"/cohorts/{c['cohort']}/enrolments/{c['seated']}",
            data={"status": "dropped"},
            headers={"accept": "text/html"},
        ),
        await client.post(
            f"/cohorts/{c['cohort']}/attendance",
            data={f"a-{c['session']}-{c['senior']}": "absent"},
            headers={"accept": "text/html"},
        ),
        await client.post(
            f"/sessions/{c['session']}/edit",
            data={"date": "2026-09-07", "start_time": "13:00", "kind": "group", "cancelled": "true"},
            headers={"accept": "text/html"},
        ),
    ]
    assert [r.status_code for r in refused] == [409] * len(refused)
    assert "coordinator" in refused[0].json()["detail"]
    assert await _course_state(c["cohort"]) == before
    # Marking who finished the course is not a correction: the trainer closes a completed course.
    closing = await client.patch(f"/api/v1/enrolments/{c['seated']}", json={"status": "completed"})
    assert closing.status_code == (200 if status == "completed" else 409)


async def test_a_coordinator_corrects_a_completed_course_and_the_log_says_so(client):
    c = await _finished_course("completed")
    await as_role(client, "coordinator")
    # NOTE: the course had one seat, taken: a correction records what happened all the same.
    assert (await client.patch(f"/api/v1/enrolments/{c['dropped']}", json={"status": "completed"})).json()[
        "status"
    ] == "completed"
    assert (
        await client.put(
            f"/api/v1/sessions/{c['session']}/attendance", json=[{"participant_id": c["senior"], "status": "excused"}]
        )
    ).status_code == 200
    assert (await client.patch(f"/api/v1/sessions/{c['session']}", json={"note": "Sali vaihtui"})).status_code == 200
    for entity, entity_id in (("enrolment", c["dropped"]), ("attendance", c["session"]), ("session", c["session"])):
        entries = (await client.get("/api/v1/audit", params={"entity": entity, "entity_id": entity_id})).json()["items"]
        assert [e["action"] for e in entries] == ["correct"], entity
    # A correction joins nobody to a course that has ended: the waiting list stays as it was.
    assert (await client.patch(f"/api/v1/enrolments/{c['seated']}", json={"status": "dropped"})).status_code == 200
    listing = {e["id"]: e["status"] for e in (await client.get(f"/api/v1/cohorts/{c['cohort']}/enrolments")).json()}
    assert listing[c["waiting"]] == "waitlisted"


async def test_nobody_joins_a_cancelled_course_by_any_route(client):
    c = await _finished_course("cancelled")
    await as_role(client, "coordinator")
    before = await _course_state(c["cohort"])
    refused = [
        await client.patch(f"/api/v1/enrolments/{c['dropped']}", json={"status": "enrolled"}),
        await client.patch(f"/api/v1/enrolments/{c['dropped']}", json={"status": "waitlisted"}),
        await client.patch(f"/api/v1/enrolments/{c['waiting']}", json={"status": "enrolled"}),
        await client.post(
            f"/cohorts/{c['cohort']}/enrolments/{c['dropped']}",
            data={"status": "enrolled"},
            headers={"accept": "text/html"},
        ),
        await client.post(
            f"/api/v1/cohorts/{c['cohort']}/enrolments",
            json={"participant_id": await make_participant(c["location"], first_name="Uusi", phone="")},
        ),
    ]
    assert [r.status_code for r in refused] == [409] * len(refused)
    assert await _course_state(c["cohort"]) == before
    # Freeing a seat, or adding seats, promotes nobody from the waiting list of a cancelled course.
    assert (await client.patch(f"/api/v1/enrolments/{c['seated']}", json={"status": "dropped"})).json()[
        "status"
    ] == "dropped"
    assert (await client.patch(f"/api/v1/cohorts/{c['cohort']}", json={"capacity": 5})).status_code == 200
    listing = {e["id"]: e["status"] for e in (await client.get(f"/api/v1/cohorts/{c['cohort']}/enrolments")).json()}
    assert listing[c["waiting"]] == "waitlisted"


async def test_the_attendance_grid_saves_only_its_own_cohorts_sessions_and_all_or_nothing(client):
    from cohorts.tables import Attendance, CourseSession

    location = await make_location()
    cohort, elsewhere = await make_cohort(location), await make_cohort(location, name="Toinen ryhmä")
    person = await make_participant(location, phone="")
    await enrol(cohort, person)
    await enrol(elsewhere, person)
    ours = (await CourseSession.select(CourseSession.id).where(CourseSession.cohort == cohort).first())["id"]
    theirs = (await CourseSession.select(CourseSession.id).where(CourseSession.cohort == elsewhere).first())["id"]
    await as_role(client, "trainer", [location])
    # NOTE: the trainer may mark the other cohort's session too, but not through this cohort's grid.
    response = await client.post(
        f"/cohorts/{cohort}/attendance",
        data={f"a-{ours}-{person}": "present", f"a-{theirs}-{person}": "present"},
        headers={"accept": "text/html"},
    )
    assert response.status_code == 404
    assert await Attendance.count() == 0
