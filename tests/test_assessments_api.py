"""The assessments API: one per senior, cohort and phase; validation naming the field; scope."""

import pytest

from digiystava.accounts.tables import AuditEntry
from tests.factories import as_role, enrol, make_location, make_participant
from tests.factories.assessments import answers, cohort_with_seniors


def body(cohort_id: int, participant_id: int, phase: str = "before", **extra) -> dict:
    return {"participant_id": participant_id, "cohort_id": cohort_id, "phase": phase, "answers": answers(), **extra}


@pytest.mark.parametrize(
    ("lang", "skill", "level"),
    [
        ("fi", "Tiedon hakeminen netistä", "En osaa"),
        ("sv", "Söka information på nätet", "Jag kan inte"),
        ("en", "Searching for information online", "I don't know how to do it"),
    ],
)
async def test_current_instrument_in_each_language(client, lang, skill, level):
    await as_role(client, "trainer")
    response = await client.get("/api/v1/instruments/current", params={"lang": lang})
    assert response.status_code == 200
    data = response.json()
    assert (data["code"], data["version"]) == ("digiystava-skills", 1)
    assert len(data["skills"]) == 13 and data["skills"][0] == {"code": "search", "label": skill}
    assert [lv["value"] for lv in data["levels"]] == [0, 1, 2, 3, 4]
    assert data["levels"][0]["label"] == level


async def test_record_read_and_list(client):
    location_id, cohort_id, (aino, birgitta, *_rest) = await cohort_with_seniors()
    await as_role(client, "trainer", [location_id])
    created = await client.post(
        "/api/v1/assessments",
        json=body(cohort_id, aino, wishes=["email", "contact"], wishes_text="Lastenlasten kuvat", method="with_help"),
    )
    assert created.status_code == 201, created.text
    data = created.json()
    assert data["answers"]["search"] == 1 and data["wishes"] == ["contact", "email"] and data["method"] == "with_help"
    assert data["instrument_version"] == 1 and data["unpaired"] is False and data["recorded_by"]
    # Skills left out are "no answer", which is not level 0.
    partial = await client.post("/api/v1/assessments", json={**body(cohort_id, birgitta), "answers": {"email": 0}})
    assert partial.json()["answers"]["email"] == 0 and partial.json()["answers"]["search"] is None
    assert (await client.get(f"/api/v1/assessments/{data['id']}")).json()["wishes_text"] == "Lastenlasten kuvat"
    listed = (await client.get("/api/v1/assessments", params={"cohort_id": cohort_id})).json()
    assert listed["total"] == 2
    assert [
        a["participant_id"]
        for a in (await client.get("/api/v1/assessments", params={"participant_id": aino})).json()["items"]
    ] == [aino]


async def test_second_assessment_of_the_same_phase_is_409(client):
    location_id, cohort_id, (aino, *_rest) = await cohort_with_seniors()
    await as_role(client, "coordinator")
    assert (await client.post("/api/v1/assessments", json=body(cohort_id, aino))).status_code == 201
    again = await client.post("/api/v1/assessments", json=body(cohort_id, aino))
    assert again.status_code == 409 and again.headers["content-type"].startswith("application/problem+json")
    assert (await client.post("/api/v1/assessments", json=body(cohort_id, aino, "after"))).status_code == 201


async def test_correction_is_a_put_and_audited(client):
    location_id, cohort_id, (aino, *_rest) = await cohort_with_seniors()
    await as_role(client, "trainer", [location_id])
    created = (await client.post("/api/v1/assessments", json=body(cohort_id, aino, wishes=["bank"]))).json()
    corrected = await client.put(
        f"/api/v1/assessments/{created['id']}", json={"answers": answers(search=3, games=None)}
    )
    assert corrected.status_code == 200, corrected.text
    data = corrected.json()
    assert data["answers"]["search"] == 3 and data["answers"]["games"] is None
    assert data["wishes"] == ["bank"], "wishes left out of the PUT keep their value"
    assert data["updated_at"] >= created["updated_at"]
    entry = (
        await AuditEntry.select()
        .where(AuditEntry.entity == "assessment", AuditEntry.action == "update")
        .first()
        .output(load_json=True)
    )
    assert entry["entity_id"] == str(created["id"])
    assert set(entry["fields"]) == {"answers", "answers.search", "answers.games"}
    # A wrong level in a correction is refused like in a new record.
    assert (
        await client.put(f"/api/v1/assessments/{created['id']}", json={"answers": {"search": 7}})
    ).status_code == 422


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"answers": {"search": 5}}, "answers.search"),  # above the scale
        ({"answers": {"email": -1}}, "answers.email"),  # below the scale
        ({"answers": {"email": "2"}}, "answers.email"),  # a string is not a level
        ({"answers": {"knitting": 2}}, "answers.knitting"),  # no such skill in version 1
        ({"phase": "during"}, "phase"),  # only before and after
        ({"wishes": ["astrology"]}, "wishes"),  # not on the instrument's list
        ({"instrument_version": 99}, "instrument_version"),
    ],
)
async def test_invalid_input_names_the_field(client, change, field):
    location_id, cohort_id, (aino, *_rest) = await cohort_with_seniors()
    await as_role(client, "trainer", [location_id])
    response = await client.post("/api/v1/assessments", json={**body(cohort_id, aino), **change})
    assert response.status_code == 422, response.text
    assert field in [e["field"] for e in response.json()["errors"]]


@pytest.mark.parametrize("status", ["waitlisted", "dropped", None])  # None: never enrolled at all
async def test_a_senior_not_enrolled_is_422(client, status):
    location_id, cohort_id, _ids = await cohort_with_seniors()
    outsider = await make_participant(location_id, first_name="Väinö", last_name="Nieminen")
    if status:
        await enrol(cohort_id, outsider, status)
    await as_role(client, "trainer", [location_id])
    response = await client.post("/api/v1/assessments", json=body(cohort_id, outsider))
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["participant_id"]


async def test_completed_seniors_can_be_assessed(client):
    location_id, cohort_id, _ids = await cohort_with_seniors(status="completed")
    finished = await make_participant(location_id, first_name="Sylvi", last_name="Heikkinen")
    await enrol(cohort_id, finished, "completed")
    await as_role(client, "trainer", [location_id])
    assert (await client.post("/api/v1/assessments", json=body(cohort_id, finished, "after"))).status_code == 201


async def test_after_without_before_is_flagged_unpaired(client):
    location_id, cohort_id, (aino, birgitta, *_rest) = await cohort_with_seniors()
    await as_role(client, "trainer", [location_id])
    lonely = (await client.post("/api/v1/assessments", json=body(cohort_id, aino, "after"))).json()
    assert lonely["unpaired"] is True
    await client.post("/api/v1/assessments", json=body(cohort_id, birgitta, "before"))
    paired = (await client.post("/api/v1/assessments", json=body(cohort_id, birgitta, "after"))).json()
    assert paired["unpaired"] is False
    flags = {
        (a["participant_id"], a["phase"]): a["unpaired"]
        for a in (await client.get("/api/v1/assessments", params={"cohort_id": cohort_id})).json()["items"]
    }
    assert flags == {(aino, "after"): True, (birgitta, "before"): False, (birgitta, "after"): False}
    # Recording the missing "before" later pairs it.
    await client.post("/api/v1/assessments", json=body(cohort_id, aino, "before"))
    assert (await client.get(f"/api/v1/assessments/{lonely['id']}")).json()["unpaired"] is False


async def test_trainers_see_and_record_only_at_their_locations(client):
    location_id, cohort_id, (aino, *_rest) = await cohort_with_seniors()
    elsewhere = await make_location("Malmin kirjasto", "library", "Malmi", "Ala-Malmin tori 1")
    await as_role(client, "coordinator")
    recorded = (await client.post("/api/v1/assessments", json=body(cohort_id, aino))).json()

    await as_role(client, "trainer", [elsewhere])
    assert (await client.get(f"/api/v1/assessments/{recorded['id']}")).status_code == 404
    assert (await client.put(f"/api/v1/assessments/{recorded['id']}", json={"answers": {}})).status_code == 404
    assert (await client.post("/api/v1/assessments", json=body(cohort_id, aino, "after"))).status_code == 404
    assert (await client.get("/api/v1/assessments", params={"cohort_id": cohort_id})).json()["total"] == 0
    assert (await client.get(f"/api/v1/cohorts/{cohort_id}/assessments/export.csv")).status_code == 404
    assert (await client.get(f"/api/v1/cohorts/{cohort_id}/assessments/paper.pdf")).status_code == 404

    await as_role(client, "trainer", [location_id])
    assert (await client.get(f"/api/v1/assessments/{recorded['id']}")).status_code == 200


@pytest.mark.parametrize("role", ["steering", "volunteer"])
async def test_steering_and_volunteers_never_see_single_assessments(client, role):
    location_id, cohort_id, (aino, *_rest) = await cohort_with_seniors()
    await as_role(client, "coordinator")
    recorded = (await client.post("/api/v1/assessments", json=body(cohort_id, aino))).json()
    await as_role(client, role)
    assert (await client.get("/api/v1/assessments")).status_code == 403
    assert (await client.get(f"/api/v1/assessments/{recorded['id']}")).status_code == 403
    assert (await client.post("/api/v1/assessments", json=body(cohort_id, aino, "after"))).status_code == 403
    assert (await client.get(f"/api/v1/cohorts/{cohort_id}/assessments/export.csv")).status_code == 403
    assert (await client.get(f"/participants/{aino}/progress", headers={"accept": "text/html"})).status_code == 403


async def test_missing_assessment_and_cohort_are_404(client):
    await as_role(client, "coordinator")
    participant_id = await make_participant()
    assert (await client.get("/api/v1/assessments/999")).status_code == 404
    assert (await client.post("/api/v1/assessments", json=body(999, participant_id))).status_code == 404
