"""The follow-up about three months after a course: who is due, the call list, the letter, the answers."""

from __future__ import annotations

import datetime as dt

import pytest

from digiystava import clock
from tests.factories import as_role, enrol, make_cohort, make_location, make_participant
from tests.factories.assessments import answers
from tests.pdf_text import pdf_text
from tests.test_pdf_files import check_pdf


async def ended_cohort(location: int, weeks_ago: int, name: str = "Kevät 2026") -> int:
    """A completed ten-week cohort whose last session was ``weeks_ago`` weeks ago."""
    start = clock.today() - dt.timedelta(weeks=weeks_ago + 9)
    return await make_cohort(location, name=name, start_date=start, status="completed")


async def record(cohort: int, participant: int, phase: str, **levels) -> None:
    from assessments.tables import Assessment

    await Assessment.insert(
        Assessment(participant=participant, cohort=cohort, phase=phase, instrument_version=1, answers=answers(**levels))
    )


@pytest.mark.clock
async def test_the_trainer_sees_who_is_due_in_their_own_locations_with_phone_numbers(client):
    kallio, malmi = await make_location(), await make_location("Malmin kirjasto", "library", "Malmi")
    due = await ended_cohort(kallio, 14)
    recent = await ended_cohort(kallio, 5, name="Syksy 2026")
    long_ago = await ended_cohort(kallio, 30, name="Syksy 2025")
    elsewhere = await ended_cohort(malmi, 14, name="Malmi kevät")
    aino = await make_participant(kallio, "Aino", "Virtanen", phone="040 111 2222")
    birgitta = await make_participant(kallio, "Birgitta", "Lindqvist", language="sv", phone="050 333 4444")
    eino = await make_participant(kallio, "Eino", "Mäkinen")
    await enrol(due, aino, "completed")
    await enrol(due, birgitta, "completed")
    await enrol(due, eino, "dropped")  # NOTE: a senior who dropped out is not asked how the course lasted
    for cohort in (recent, long_ago, elsewhere):
        await enrol(cohort, await make_participant(kallio, "Ruth", "Ahlström"), "completed")
    await record(due, aino, "after")

    await as_role(client, "trainer", [kallio])
    listed = (await client.get("/api/v1/followups/due")).json()
    # The longest waiting course first, then by last name.
    assert [(r["first_name"], r["phone"], r["answered_after"]) for r in listed] == [
        ("Birgitta", "050 333 4444", False),
        ("Aino", "040 111 2222", True),
    ]
    assert {r["due_on"] for r in listed} == {(clock.today() - dt.timedelta(weeks=1)).isoformat()}

    calls = await client.get("/followups", headers={"accept": "text/html"})
    assert calls.status_code == 200 and "050 333 4444" in calls.text and "Malmi kevät" not in calls.text
    assert f"/api/v1/cohorts/{due}/followup-letter.pdf?participant_id={birgitta}" in calls.text
    home = await client.get("/", headers={"accept": "text/html"})
    assert 'id="followups"' in home.text and "Birgitta Lindqvist" in home.text

    # Recording the follow-up answers takes the senior off the list.
    body = {"participant_id": aino, "cohort_id": due, "phase": "followup", "answers": answers(email=2)}
    assert (await client.post("/api/v1/assessments", json=body)).status_code == 201
    assert [r["first_name"] for r in (await client.get("/api/v1/followups/due")).json()] == ["Birgitta"]

    await as_role(client, "trainer", [malmi])
    assert [r["cohort_name"] for r in (await client.get("/api/v1/followups/due")).json()] == ["Malmi kevät"]
    await as_role(client, "steering")
    assert (await client.get("/api/v1/followups/due")).status_code == 403
    assert 'id="followups"' not in (await client.get("/", headers={"accept": "text/html"})).text


@pytest.mark.clock
async def test_follow_up_answers_wait_for_the_course_to_end_and_keep_its_form_version(client):
    location = await make_location()
    running = await make_cohort(location, start_date=clock.today() - dt.timedelta(weeks=3))
    ended = await ended_cohort(location, 13)
    aino = await make_participant(location)
    await enrol(running, aino)
    await enrol(ended, aino, "completed")
    await record(ended, aino, "after")
    await as_role(client, "trainer", [location])
    body = {"participant_id": aino, "phase": "followup", "answers": answers()}
    early = await client.post("/api/v1/assessments", json={**body, "cohort_id": running})
    assert early.status_code == 422 and early.json()["errors"][0]["field"] == "phase"
    other_version = await client.post("/api/v1/assessments", json={**body, "cohort_id": ended, "instrument_version": 2})
    assert other_version.status_code == 422, other_version.text
    assert other_version.json()["errors"][0]["field"] == "instrument_version"
    created = await client.post("/api/v1/assessments", json={**body, "cohort_id": ended})
    assert created.status_code == 201 and created.json()["instrument_version"] == 1
    again = await client.post("/api/v1/assessments", json={**body, "cohort_id": ended})
    assert again.status_code == 409 and "follow-up" in again.json()["detail"]
    grid = await client.get(f"/cohorts/{ended}/assessments/followup", headers={"accept": "text/html"})
    assert grid.status_code == 200 and "Taidot seurannassa" in grid.text


@pytest.mark.clock
@pytest.mark.parametrize(
    "language, words",
    [
        ("fi", "Kutsu seurantaan"),
        ("sv", "Inbjudan till uppföljning"),
        ("en", "Invitation to a follow-up"),
    ],
)
async def test_the_invitation_letter_is_large_print_in_the_senior_s_language(client, language, words):
    location = await make_location()
    cohort = await ended_cohort(location, 13)
    senior = await make_participant(location, "Birgitta", "Lindqvist", language=language)
    dropped = await make_participant(location, "Eino", "Mäkinen")
    await enrol(cohort, senior, "completed")
    await enrol(cohort, dropped, "dropped")
    await as_role(client, "trainer", [location])
    letter = await client.get(f"/api/v1/cohorts/{cohort}/followup-letter.pdf", params={"participant_id": senior})
    assert letter.status_code == 200 and letter.headers["content-type"] == "application/pdf"
    text = pdf_text(letter.content)
    assert words in text and "Birgitta Lindqvist" in text and "Kinaporin palvelukeskus" in text
    reader = check_pdf(letter.content, language, "follow-up letter")  # language, title, embedded fonts
    sizes = []
    reader.pages[0].extract_text(visitor_text=lambda text, cm, tm, font, size: sizes.append(size * tm[0]))
    assert 18 in {round(s) for s in sizes}, "the body is 18 pt"

    refused = await client.get(f"/api/v1/cohorts/{cohort}/followup-letter.pdf", params={"participant_id": dropped})
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "participant_id"
    await as_role(client, "trainer", [await make_location("Malmin kirjasto", "library", "Malmi")])
    hidden = await client.get(f"/api/v1/cohorts/{cohort}/followup-letter.pdf", params={"participant_id": senior})
    assert hidden.status_code == 404


@pytest.mark.clock
async def test_typed_in_follow_up_forms_keep_the_course_s_form_version(client):
    from cohorts.tables import Participant
    from tests.test_assessments_transfer import upload

    location = await make_location()
    cohort = await ended_cohort(location, 13)
    aino, birgitta = await make_participant(location, "Aino"), await make_participant(location, "Birgitta")
    for senior in (aino, birgitta):
        await enrol(cohort, senior, "completed")
        await record(cohort, senior, "after")
    pseudonyms = {r["id"]: r["pseudonym"] for r in await Participant.select(Participant.id, Participant.pseudonym)}
    await as_role(client, "trainer", [location])
    url = f"/api/v1/cohorts/{cohort}/assessments/import"
    other = f"pseudonym,phase,instrument_version,email\n{pseudonyms[aino]},seuranta,2,2\n"
    refused = await client.post(url, **upload(other))
    [problem] = refused.json()["errors"]
    assert refused.status_code == 422 and problem["field"] == "row 2.instrument_version"
    assert "form version of the course's answers, 1" in problem["message"], "not only an unknown version"
    same = f"pseudonym,phase,email\n{pseudonyms[aino]},seuranta,2\n{pseudonyms[birgitta]},uppföljning,3\n"
    assert (await client.post(url, **upload(same))).status_code == 201
    phases = (await client.get("/api/v1/assessments", params={"cohort_id": cohort})).json()["items"]
    assert sorted(a["phase"] for a in phases) == ["after", "after", "followup", "followup"]
