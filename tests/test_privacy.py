"""Seniors' rights: access (export), erasure that keeps the figures, retention."""

import datetime as dt
import json

from cohorts.participants.privacy import apply_retention, due_for_erasure
from cohorts.tables import Attendance, CourseSession, Participant
from tests.factories import as_role, enrol, make_cohort, make_location, make_participant
from tests.factories.commands import on_database
from tests.pdf_text import pdf_text


async def _senior_with_history():
    location = await make_location()
    cohort = await make_cohort(location, name="Syksy 2026")
    person = await make_participant(
        location, first_name="Ingrid", last_name="Östman", language="sv", phone="0409998877"
    )
    await enrol(cohort, person)
    first = await CourseSession.select(CourseSession.id).where(CourseSession.cohort == cohort).first()
    await Attendance.insert(Attendance(session=first["id"], participant=person, status="present"))
    return location, cohort, person


async def test_export_holds_everything_as_json_and_a_letter_in_their_language(client):
    _location, _cohort, person = await _senior_with_history()
    await as_role(client, "coordinator")
    data = (await client.get(f"/api/v1/participants/{person}/export")).json()
    assert data["participant"]["last_name"] == "Östman"
    assert data["enrolments"][0]["cohort"] == "Syksy 2026" and data["attendance"][0]["status"] == "present"
    letter = await client.get(f"/api/v1/participants/{person}/export?format=pdf")
    text = pdf_text(letter.content)
    assert "Dina uppgifter" in text and "Östman" in text and "Närvaro" in text
    # Words in the senior's language, not field names or codes.
    assert "närvarande" in text and "start_date" not in text and "present" not in text


async def test_erasure_removes_personal_data_and_keeps_the_figures(client):
    _location, cohort, person = await _senior_with_history()
    await as_role(client, "coordinator")
    assert (await client.delete(f"/api/v1/participants/{person}")).status_code == 204
    row = await Participant.select().where(Participant.id == person).first()
    assert row["first_name"] == row["last_name"] == row["phone"] == "" and row["erased_at"] is not None
    # Nobody finds the senior any more, by name or by id.
    assert (await client.get("/api/v1/participants?q=Östman")).json()["total"] == 0
    assert (await client.get(f"/api/v1/participants/{person}")).status_code == 404
    # The cohort's counts stay the same.
    assert (await client.get(f"/api/v1/cohorts/{cohort}")).json()["enrolled"] == 1
    audit = (await client.get(f"/api/v1/audit?entity=participant&entity_id={person}")).json()["items"]
    assert audit[0]["action"] == "erase" and "Östman" not in json.dumps(audit)


async def test_trainer_cannot_erase(client):
    location, _cohort, person = await _senior_with_history()
    await as_role(client, "trainer", [location])
    assert (await client.delete(f"/api/v1/participants/{person}")).status_code == 403


async def test_retention_lists_and_erases_only_old_courses(db):
    location = await make_location()
    old = await make_cohort(location, start_date=dt.date(2023, 1, 9))
    recent = await make_cohort(location, start_date=dt.date(2026, 9, 7))
    gone, staying = (
        await make_participant(location, first_name="Vanha", phone=""),
        await make_participant(location, first_name="Uusi", phone=""),
    )
    await enrol(old, gone)
    await enrol(recent, staying)
    today = dt.date(2026, 11, 29)
    assert [p["id"] for p in await due_for_erasure(24, today)] == [gone]
    await apply_retention(24, today)
    names = {r["id"]: r["first_name"] for r in await Participant.select(Participant.id, Participant.first_name)}
    assert names == {gone: "", staying: "Uusi"}


async def test_person_commands(db, database_urls, tmp_path):
    _location, _cohort, person = await _senior_with_history()
    url = database_urls["postgres" if db.engine_type == "postgres" else "sqlite"]
    out = tmp_path / "person.json"

    def run(*args):
        return on_database(url, *args)

    exported = run("person", "export", str(person), "--out", str(out))
    assert exported.returncode == 0, exported.stderr
    assert json.loads(out.read_text())["participant"]["first_name"] == "Ingrid"
    assert run("person", "erase", str(person)).returncode == 0
    again = run("person", "erase", str(person))
    assert again.returncode != 0 and len(again.stderr.strip().splitlines()) == 1
    listed = run("retention")
    assert listed.returncode == 0 and "Due for erasure" in listed.stdout


async def test_privacy_pages(client):
    notice = await client.get("/privacy?lang=sv")
    assert notice.status_code == 200 and "Dataskyddsbeskrivning" in notice.text and 'lang="sv"' in notice.text
    await as_role(client, "coordinator")
    assert "Seloste käsittelytoimista" in (await client.get("/privacy/processing")).text
    assert (await client.get("/privacy?lang=ru")).status_code == 422, "one ?lang: an unknown code is refused"


async def test_a_senior_s_page_links_the_notice_in_a_language_it_has(client):
    location = await make_location()
    olga = await make_participant(location, first_name="Olga", last_name="Ivanova", language="ru")
    await as_role(client, "coordinator")
    detail = (await client.get(f"/participants/{olga}")).text
    assert "/privacy?lang=fi" in detail, "no notice in Russian: the Finnish one"
    assert (await client.get("/privacy?lang=fi")).status_code == 200


async def test_coordinator_erases_through_the_page(client):
    import re

    _location, _cohort, person = await _senior_with_history()
    await as_role(client, "coordinator")
    page = await client.get(f"/participants/{person}/erase")
    token = re.search(r'name="_csrf" value="([^"]+)"', page.text).group(1)
    assert (await client.post(f"/participants/{person}/erase", data={"_csrf": token})).status_code == 303
    assert (await client.get(f"/api/v1/participants/{person}")).status_code == 404


async def test_an_erased_senior_gets_no_new_records_by_any_route(client):
    from assessments.tables import Assessment
    from cohorts.tables import Enrolment, Loan, Pairing
    from tests.factories.tablets import make_tablet
    from tests.factories.volunteers import make_volunteer

    location, cohort, person = await _senior_with_history()
    first = await CourseSession.select(CourseSession.id).where(CourseSession.cohort == cohort).first()
    pseudonym = (await Participant.select(Participant.pseudonym).where(Participant.id == person).first())["pseudonym"]
    await as_role(client, "coordinator")
    after = await client.post(
        "/api/v1/assessments",
        json={"cohort_id": cohort, "participant_id": person, "phase": "after", "answers": {"search": 2}},
    )
    assert after.status_code == 201
    volunteer, tablet = await make_volunteer(), await make_tablet()
    assert (await client.delete(f"/api/v1/participants/{person}")).status_code == 204

    async def held() -> tuple:
        return tuple(
            [
                sorted(map(repr, await t.select().where(t.participant == person)))
                for t in (Assessment, Attendance, Enrolment, Pairing, Loan)
            ]
        )

    before = await held()
    erased = {"field": "participant_id", "message": "this senior's data has been erased"}
    answers = [
        await client.post(
            "/api/v1/assessments",
            json={"cohort_id": cohort, "participant_id": person, "phase": "before", "answers": {"search": 1}},
        ),
        await client.put(f"/api/v1/assessments/{after.json()['id']}", json={"answers": {"search": 4}}),
        await client.post(
            "/api/v1/pairings", json={"cohort_id": cohort, "volunteer_id": volunteer, "participant_id": person}
        ),
        await client.post("/api/v1/loans", json={"cohort_id": cohort, "participant_id": person, "tablet_id": tablet}),
    ]
    assert [(a.status_code, a.json()["errors"]) for a in answers] == [(422, [erased])] * len(answers)
    marked = await client.put(
        f"/api/v1/sessions/{first['id']}/attendance", json=[{"participant_id": person, "status": "absent"}]
    )
    assert marked.status_code == 422 and marked.json()["errors"] == [{**erased, "field": "[0].participant_id"}]
    grid = await client.post(
        f"/cohorts/{cohort}/assessments/before/{person}", data={"search": "1"}, headers={"accept": "text/html"}
    )
    assert grid.status_code == 422
    imported = await client.post(
        f"/api/v1/cohorts/{cohort}/assessments/import",
        files={"file": ("lomakkeet.csv", f"pseudonym,phase,search\n{pseudonym},before,2\n".encode(), "text/csv")},
    )
    assert imported.status_code == 422 and [e["field"] for e in imported.json()["errors"]] == ["row 2.pseudonym"]
    enrolment = (await Enrolment.select(Enrolment.id).where(Enrolment.participant == person).first())["id"]
    assert (await client.patch(f"/api/v1/enrolments/{enrolment}", json={"status": "completed"})).status_code == 422
    assert await held() == before
    # Their seat can still be given up.
    assert (await client.patch(f"/api/v1/enrolments/{enrolment}", json={"status": "dropped"})).json()[
        "status"
    ] == "dropped"
