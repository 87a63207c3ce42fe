"""Volunteers through the API: create, read, change, validation, scope and audit."""

from tests.factories import as_role, enrol, make_cohort, make_location, make_participant, make_user
from tests.factories.volunteers import make_pairing, make_volunteer

ASTRID = {
    "name": "Astrid Lindholm",
    "phone": "040 555 1212",
    "email": "astrid@example.fi",
    "languages": ["sv", "fi"],
    "districts": ["Töölö", "Kallio"],
    "availability": [
        {"weekday": 1, "start": "10:00", "end": "14:00"},
        {"weekday": 3, "start": "13:00", "end": "16:30"},
    ],
    "identity_checked_on": "2026-08-20",
    "training_done_on": "2026-08-27",
}


async def test_coordinator_creates_reads_and_changes_a_volunteer(client):
    await as_role(client, "coordinator")
    created = await client.post("/api/v1/volunteers", json=ASTRID)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["organisation"] == "HelsinkiMissio" and body["max_participants"] == 2 and body["active"] is True
    assert body["availability"][0] == {"weekday": 1, "start": "10:00:00", "end": "14:00:00"}
    assert body["active_pairs"] == 0
    got = await client.get(f"/api/v1/volunteers/{body['id']}")
    assert got.json()["languages"] == ["sv", "fi"]
    changed = await client.patch(f"/api/v1/volunteers/{body['id']}", json={"max_participants": 3, "active": False})
    assert changed.status_code == 200 and changed.json()["max_participants"] == 3 and changed.json()["active"] is False
    listing = await client.get("/api/v1/volunteers", params={"active": "false"})
    assert listing.json()["total"] == 1
    audit = await client.get("/api/v1/audit", params={"entity": "volunteer"})
    entries = audit.json()["items"]
    assert {e["action"] for e in entries} == {"create", "update"}
    update = next(e for e in entries if e["action"] == "update")
    assert update["fields"] == ["active", "max_participants"]


async def test_invalid_volunteer_input_names_the_field(client):
    await as_role(client, "coordinator")
    cases = [
        (
            {**ASTRID, "availability": [{"weekday": 7, "start": "10:00", "end": "11:00"}]},
            "availability",
        ),  # no eighth weekday
        (
            {**ASTRID, "availability": [{"weekday": 1, "start": "14:00", "end": "10:00"}]},
            "availability",
        ),  # ends before it starts
        ({**ASTRID, "languages": ["svenska"]}, "languages"),  # a code, not a name
        ({**ASTRID, "max_participants": 0}, "max_participants"),
        ({**ASTRID, "name": ""}, "name"),
        ({**ASTRID, "shoe_size": 42}, "shoe_size"),  # unknown fields are refused
    ]
    for body, field in cases:
        response = await client.post("/api/v1/volunteers", json=body)
        assert response.status_code == 422, (field, response.text)
        assert field in response.text
    null_name = await client.post("/api/v1/volunteers", json=ASTRID)
    response = await client.patch(f"/api/v1/volunteers/{null_name.json()['id']}", json={"name": None})
    assert response.status_code == 422


async def test_a_login_links_to_one_volunteer_of_role_volunteer(client):
    await as_role(client, "coordinator")
    volunteer_user = await make_user("volunteer", "ville")
    trainer_user = await make_user("trainer", "timo")
    first = await client.post("/api/v1/volunteers", json={**ASTRID, "user_id": volunteer_user})
    assert first.status_code == 201 and first.json()["user_id"] == volunteer_user
    second = await client.post("/api/v1/volunteers", json={**ASTRID, "name": "Toinen", "user_id": volunteer_user})
    assert second.status_code == 409
    wrong_role = await client.post("/api/v1/volunteers", json={**ASTRID, "user_id": trainer_user})
    assert wrong_role.status_code == 422 and "user_id" in wrong_role.text


async def test_trainer_sees_only_volunteers_paired_in_their_locations(client):
    own, other = await make_location("Kinaporin palvelukeskus"), await make_location("Töölön palvelukeskus")
    own_cohort, other_cohort = await make_cohort(own), await make_cohort(other)
    aino, bertil = await make_participant(own), await make_participant(other, "Bertil", "Ek", "sv")
    await enrol(own_cohort, aino)
    await enrol(other_cohort, bertil)
    mikko = await make_volunteer("Mikko Laine")
    stina = await make_volunteer("Stina Berg")
    await make_volunteer("Ei Paria")
    await make_pairing(own_cohort, mikko, aino)
    await make_pairing(other_cohort, stina, bertil)
    await as_role(client, "trainer", [own])
    listing = await client.get("/api/v1/volunteers")
    assert [v["name"] for v in listing.json()["items"]] == ["Mikko Laine"]
    assert (await client.get(f"/api/v1/volunteers/{mikko}")).status_code == 200
    assert (await client.get(f"/api/v1/volunteers/{stina}")).status_code == 404
    assert (await client.post("/api/v1/volunteers", json=ASTRID)).status_code == 403
    assert (await client.patch(f"/api/v1/volunteers/{mikko}", json={"active": False})).status_code == 403


async def test_steering_and_volunteers_get_no_volunteer_records(client):
    mikko = await make_volunteer()
    for role in ("steering", "volunteer"):
        client.cookies.clear()
        await as_role(client, role)
        assert (await client.get("/api/v1/volunteers")).status_code == 403
        assert (await client.get(f"/api/v1/volunteers/{mikko}")).status_code == 403
