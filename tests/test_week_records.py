"""Figures the outcome report is built on stay right through a coordinator's week:
progress counts of seated seniors only, an explicit location for a new senior, and
nothing recorded before it happened (attendance, end-of-course answers, signatures)."""

import datetime as dt
import re

import pytest

from digiystava import clock
from tests.factories import as_role, enrol, make_cohort, make_location, make_participant, make_user
from tests.factories.assessments import answers, cohort_with_seniors
from tests.factories.tablets import make_course, make_tablet
from tests.pdf_text import pdf_text
from tests.test_loans import lend
from tests.test_pages import csrf, page_login

# --- progress counts -------------------------------------------------------------------


async def test_assessment_progress_counts_only_seniors_on_the_course(client):
    location, cohort, (aino, birgitta, eino, ruth) = await cohort_with_seniors()
    await as_role(client, "coordinator")
    for person in (aino, eino, ruth):
        created = await client.post(
            "/api/v1/assessments",
            json={"participant_id": person, "cohort_id": cohort, "phase": "before", "answers": answers()},
        )
        assert created.status_code == 201, created.text
    enrolments = {
        e["participant_id"]: e["id"] for e in (await client.get(f"/api/v1/cohorts/{cohort}/enrolments")).json()
    }
    # Eino drops out, Ruth was put back on the waiting list: their answers are not this course's figures.
    from cohorts.tables import Enrolment

    await client.patch(f"/api/v1/enrolments/{enrolments[eino]}", json={"status": "dropped"})
    await Enrolment.update({Enrolment.status: "waitlisted", Enrolment.waitlist_position: 1}).where(
        Enrolment.id == enrolments[ruth]
    )
    overview = await client.get("/assessments", headers={"accept": "text/html"})
    row = re.search(r"Syksy 2026.*?</tr>", overview.text, re.S).group(0)
    # Two seniors on the course (Aino, Birgitta), one of them answered.
    assert "1 / 2 kirjattu" in row, row
    assert "<td>2</td>" in row


# --- an explicit location for a new senior ---------------------------------------------


async def test_registering_a_senior_asks_for_the_location_and_the_page_shows_it(client):
    kinapori = await make_location("Kinaporin palvelukeskus")
    malmi = await make_location("Malmin kirjasto", kind="library", district="Malmi")
    cohort = await make_cohort(malmi, name="Malmi kevät")
    await make_user("coordinator", "kaisa")
    await page_login(client, "kaisa")
    form = await client.get("/participants/new")
    select = re.search(r'<select id="field-location_id".*?</select>', form.text, re.S).group(0)
    assert re.search(r'<option value=""[^>]*selected', select), "no location is chosen for the coordinator"
    fields = {
        "_csrf": csrf(form.text),
        "first_name": "Elsa",
        "last_name": "Nieminen",
        "language": "fi",
        "consent_given_on": "2026-11-30",
    }
    missing = await client.post("/participants", data=fields)
    assert missing.status_code == 422 and 'href="#field-location_id"' in missing.text
    saved = await client.post("/participants", data={**fields, "location_id": str(malmi)})
    assert saved.status_code == 303
    detail = await client.get(saved.headers["location"])
    assert "Malmin kirjasto" in detail.text
    assert "Kinaporin" not in detail.text

    # Registering from a cohort's page: the cohort's location is chosen already.
    from_cohort = await client.get(f"/participants/new?cohort_id={cohort}")
    select = re.search(r'<select id="field-location_id".*?</select>', from_cohort.text, re.S).group(0)
    assert re.search(rf'<option value="{malmi}"[^>]*selected', select), select
    assert kinapori  # the other location is offered but not chosen


# --- nothing recorded before it happened -----------------------------------------------


@pytest.mark.clock
async def test_attendance_for_a_future_session_is_refused_except_excused(client):
    location = await make_location()
    cohort = await make_cohort(location, start_date=clock.today() - dt.timedelta(weeks=3), status="running")
    aino = await make_participant(location, first_name="Aino")
    await enrol(cohort, aino)
    await as_role(client, "trainer", [location])
    sessions = (await client.get(f"/api/v1/cohorts/{cohort}/sessions")).json()
    past = next(s for s in sessions if dt.date.fromisoformat(s["date"]) < clock.today())
    future = next(s for s in sessions if dt.date.fromisoformat(s["date"]) > clock.today())
    assert (
        await client.put(
            f"/api/v1/sessions/{past['id']}/attendance", json=[{"participant_id": aino, "status": "present"}]
        )
    ).status_code == 200
    refused = await client.put(
        f"/api/v1/sessions/{future['id']}/attendance", json=[{"participant_id": aino, "status": "present"}]
    )
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "[0].status"
    # A senior who phones ahead to say they will be away: excused in advance is a fact already.
    ahead = await client.put(
        f"/api/v1/sessions/{future['id']}/attendance", json=[{"participant_id": aino, "status": "excused"}]
    )
    assert ahead.status_code == 200

    grid = await client.get(f"/cohorts/{cohort}/attendance", headers={"accept": "text/html"})
    future_cell = re.search(
        rf'<fieldset class="marks" id="field-a-{future["id"]}-{aino}".*?</fieldset>', grid.text, re.S
    ).group(0)
    assert 'value="present"' not in future_cell and 'value="excused"' in future_cell
    posted = await client.post(
        f"/cohorts/{cohort}/attendance",
        data={"_csrf": client.headers["X-CSRFToken"], f"a-{future['id']}-{aino}": "absent"},
        headers={"accept": "text/html"},
    )
    assert posted.status_code == 422
    marks = {
        a["participant_id"]: a["status"]
        for a in (await client.get(f"/api/v1/sessions/{future['id']}/attendance")).json()
    }
    assert marks[aino] == "excused"


@pytest.mark.clock
async def test_end_of_course_answers_wait_for_the_last_weeks(client):
    location = await make_location()
    cohort = await make_cohort(location, start_date=clock.today() - dt.timedelta(weeks=3), status="running")
    aino = await make_participant(location, first_name="Aino")
    await enrol(cohort, aino)
    await as_role(client, "trainer", [location])
    body = {"participant_id": aino, "cohort_id": cohort, "answers": answers()}
    early = await client.post("/api/v1/assessments", json={**body, "phase": "after"})
    assert early.status_code == 422 and early.json()["errors"][0]["field"] == "phase", early.text
    assert (await client.post("/api/v1/assessments", json={**body, "phase": "followup"})).status_code == 422
    assert (await client.post("/api/v1/assessments", json={**body, "phase": "before"})).status_code == 201
    grid = await client.get(f"/cohorts/{cohort}/assessments/after", headers={"accept": "text/html"})
    opens = (await client.get(f"/api/v1/cohorts/{cohort}")).json()["end_date"]
    assert grid.status_code == 200 and "Lopun vastaukset voi kirjata" in grid.text
    assert opens  # the notice names the date the end answers open

    # Two weeks before the end the window opens.
    from cohorts.tables import Cohort, CourseSession

    end = clock.today() + dt.timedelta(days=6)
    await Cohort.update({Cohort.end_date: end}).where(Cohort.id == cohort)
    await CourseSession.update({CourseSession.date: end}).where(
        CourseSession.cohort == cohort, CourseSession.week == 10
    )
    assert (await client.post("/api/v1/assessments", json={**body, "phase": "after"})).status_code == 201


@pytest.mark.clock
async def test_the_lend_form_leaves_the_signing_date_empty_and_the_agreement_has_a_line_to_sign(client):
    await as_role(client, "coordinator")
    course = await make_course()
    form = await client.get("/loans/new", headers={"accept": "text/html"})
    field = re.search(r'<input[^>]*name="agreement_signed_on"[^>]*>', form.text).group(0)
    assert clock.today().isoformat() not in field and ('value=""' in field or "value=" not in field), field
    loan = (await lend(client, await make_tablet(), course)).json()
    assert loan["agreement_signed_on"] is None
    text = pdf_text((await client.get(f"/api/v1/loans/{loan['id']}/agreement.pdf")).content)
    assert "Allekirjoitettu" not in text and "Lainaajan allekirjoitus ja päivämäärä" in text
    tomorrow = (clock.today() + dt.timedelta(days=1)).isoformat()
    future = await client.patch(f"/api/v1/loans/{loan['id']}", json={"agreement_signed_on": tomorrow})
    assert future.status_code == 422 and future.json()["errors"][0]["field"] == "agreement_signed_on"
    signed = await client.patch(f"/api/v1/loans/{loan['id']}", json={"agreement_signed_on": clock.today().isoformat()})
    assert signed.status_code == 200
    assert "Allekirjoitettu" in pdf_text((await client.get(f"/api/v1/loans/{loan['id']}/agreement.pdf")).content)
