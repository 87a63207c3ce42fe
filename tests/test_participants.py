"""Seniors: consent, duplicates, scope."""

import pytest

from tests.factories import as_role, make_cohort, make_location, make_participant


def senior(location_id, **changes):
    body = {
        "first_name": "Aino",
        "last_name": "Virtanen",
        "phone": "040-123 4567",
        "language": "fi",
        "district": "Kallio",
        "birth_year": 1946,
        "accessibility_needs": ["sight"],
        "consent_given_on": "2026-09-01",
        "location_id": location_id,
    }
    return {**body, **changes}


async def test_register_and_read_back(client):
    await as_role(client, "coordinator")
    location = await make_location()
    created = await client.post("/api/v1/participants", json=senior(location))
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["phone"] == "0401234567" and body["accessibility_needs"] == ["sight"] and body["pseudonym"]
    assert (await client.get(f"/api/v1/participants/{body['id']}")).json()["last_name"] == "Virtanen"


async def test_consent_date_is_required(client):
    await as_role(client, "coordinator")
    location = await make_location()
    body = senior(location)
    del body["consent_given_on"]
    response = await client.post("/api/v1/participants", json=body)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "consent_given_on"


async def test_likely_duplicate_is_shown_before_saving(client):
    await as_role(client, "coordinator")
    location = await make_location()
    await client.post("/api/v1/participants", json=senior(location))
    same_name = await client.post("/api/v1/participants", json=senior(location, phone=""))
    assert same_name.status_code == 409
    assert same_name.json()["duplicates"][0]["reason"] == "name_and_birth_year"
    same_phone = await client.post(
        "/api/v1/participants", json=senior(location, first_name="Eino", phone="040 1234567")
    )
    assert same_phone.json()["duplicates"][0]["reason"] == "phone"
    saved = await client.post("/api/v1/participants", json=senior(location, phone="", allow_duplicate=True))
    assert saved.status_code == 201


async def test_trainer_sees_and_registers_only_at_own_locations(client):
    own, other = await make_location("A"), await make_location("B")
    theirs = await make_participant(other, first_name="Muu")
    await as_role(client, "trainer", [own])
    assert (await client.get(f"/api/v1/participants/{theirs}")).status_code == 404
    assert (await client.get("/api/v1/participants")).json()["total"] == 0
    assert (await client.post("/api/v1/participants", json=senior(other))).status_code == 422
    created = await client.post("/api/v1/participants", json=senior(None))
    assert created.status_code == 201 and created.json()["location_id"] == own


async def test_duplicate_outside_scope_reveals_no_name(client):
    own, other = await make_location("A"), await make_location("B")
    await make_participant(other, first_name="Aino", last_name="Virtanen", birth_year=1946, phone="")
    await as_role(client, "trainer", [own])
    response = await client.post("/api/v1/participants", json=senior(own, phone=""))
    assert response.status_code == 409
    duplicate = response.json()["duplicates"][0]
    assert duplicate["id"] is None and duplicate["name"] == ""


async def test_search_by_name(client):
    await as_role(client, "coordinator")
    location = await make_location()
    await make_participant(location, first_name="Bror", last_name="Lindqvist")
    await make_participant(location, first_name="Aino", last_name="Virtanen", phone="")
    found = (await client.get("/api/v1/participants?q=lindq")).json()
    assert [p["first_name"] for p in found["items"]] == ["Bror"]


async def test_duplicate_check_takes_names_in_the_body_not_the_url(client):
    await as_role(client, "coordinator")
    location = await make_location()
    await make_participant(location, first_name="Aino", last_name="Virtanen", birth_year=1946, phone="")
    found = await client.post(
        "/api/v1/participants/duplicates", json={"first_name": "aino", "last_name": "virtanen", "birth_year": 1946}
    )
    assert found.status_code == 200 and found.json()[0]["reason"] == "name_and_birth_year"


async def test_access_log_has_no_query_strings(client, caplog):
    import logging

    await as_role(client, "coordinator")
    with caplog.at_level(logging.INFO, logger="digiystava.access"):
        await client.get("/api/v1/participants?q=Virtanen")
    lines = [r.getMessage() for r in caplog.records if r.name == "digiystava.access"]
    assert any("/api/v1/participants 200" in line for line in lines) and not any("Virtanen" in line for line in lines)


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"phone": None}, "phone"),  # a column that always holds text: empty it with ""
        ({"first_name": None}, "first_name"),  # a name is required
    ],
)
async def test_patch_null_where_no_null_may_be_is_422(client, changes, field):
    await as_role(client, "coordinator")
    person = await make_participant(await make_location())
    response = await client.patch(f"/api/v1/participants/{person}", json=changes)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == field


async def test_patch_may_clear_the_birth_year(client):
    await as_role(client, "coordinator")
    person = await make_participant(await make_location(), birth_year=1948)
    response = await client.patch(f"/api/v1/participants/{person}", json={"birth_year": None})
    assert response.status_code == 200 and response.json()["birth_year"] is None
    assert (await client.get(f"/api/v1/participants/{person}")).json()["birth_year"] is None


async def test_registering_from_a_cohort_page_saves_all_or_nothing(client):
    from cohorts.tables import Enrolment, Participant

    own, other = await make_location("A"), await make_location("B")
    ours, theirs = await make_cohort(own), await make_cohort(other)
    cancelled = await make_cohort(own, name="Peruttu", status="cancelled")
    await as_role(client, "trainer", [own])
    form = {
        "first_name": "Helmi",
        "last_name": "Kivinen",
        "language": "fi",
        "consent_given_on": "2026-09-01",
        "location_id": own,
    }
    for cohort_id, status in ((theirs, 422), (999999, 422), ("x", 422), (cancelled, 409)):
        response = await client.post(
            "/participants", data={**form, "cohort_id": cohort_id}, headers={"accept": "text/html"}
        )
        assert response.status_code == status, cohort_id
        assert await Participant.count() == 0 and await Enrolment.count() == 0, f"saved with cohort {cohort_id}"
    saved = await client.post("/participants", data={**form, "cohort_id": ours}, headers={"accept": "text/html"})
    assert saved.status_code == 303 and saved.headers["location"] == f"/cohorts/{ours}#enrolments"
    assert [r["status"] for r in await Enrolment.select(Enrolment.status).where(Enrolment.cohort == ours)] == [
        "enrolled"
    ]
