"""Locations: the first resource, end to end, with roles, scope and the audit log."""

from tests.factories import as_role, make_location


async def test_coordinator_creates_reads_updates_and_lists(client):
    await as_role(client, "coordinator")
    created = await client.post(
        "/api/v1/locations",
        json={"name": "Malmin kirjasto", "kind": "library", "district": "Malmi", "address": "Ala-Malmin tori 1"},
    )
    assert created.status_code == 201
    location_id = created.json()["id"]
    assert (await client.get(f"/api/v1/locations/{location_id}")).json()["district"] == "Malmi"
    patched = await client.patch(f"/api/v1/locations/{location_id}", json={"address": "Ala-Malmin tori 1 A"})
    assert patched.status_code == 200 and patched.json()["address"] == "Ala-Malmin tori 1 A"
    listing = (await client.get("/api/v1/locations?limit=10")).json()
    assert listing["total"] == 1 and listing["items"][0]["name"] == "Malmin kirjasto"


async def test_list_pages_with_limit_and_offset(client):
    await as_role(client, "coordinator")
    for i in range(7):
        await make_location(name=f"Kirjasto {i}", kind="library")
    page = (await client.get("/api/v1/locations?limit=3&offset=3")).json()
    assert page["total"] == 7 and len(page["items"]) == 3 and page["offset"] == 3


async def test_trainer_sees_only_their_locations(client):
    own = await make_location("Kinaporin palvelukeskus")
    other = await make_location("Töölön palvelukeskus", district="Töölö")
    await as_role(client, "trainer", [own])
    listing = (await client.get("/api/v1/locations")).json()
    assert [item["id"] for item in listing["items"]] == [own]
    assert (await client.get(f"/api/v1/locations/{own}")).status_code == 200
    # Outside the trainer's scope a location does not exist.
    assert (await client.get(f"/api/v1/locations/{other}")).status_code == 404


async def test_trainer_cannot_create_or_change_locations(client):
    own = await make_location()
    await as_role(client, "trainer", [own])
    assert (await client.post("/api/v1/locations", json={"name": "X", "kind": "other"})).status_code == 403
    assert (await client.patch(f"/api/v1/locations/{own}", json={"name": "Y"})).status_code == 403


async def test_steering_and_volunteer_see_no_locations(client):
    await make_location()
    for role in ("steering", "volunteer"):
        client.cookies.clear()
        await as_role(client, role)
        assert (await client.get("/api/v1/locations")).status_code == 403


async def test_changes_are_audited_without_values(client):
    username = await as_role(client, "coordinator")
    location_id = (await client.post("/api/v1/locations", json={"name": "Oodi", "kind": "library"})).json()["id"]
    await client.patch(f"/api/v1/locations/{location_id}", json={"name": "Keskustakirjasto Oodi", "kind": "library"})
    audit = (await client.get(f"/api/v1/audit?entity=location&entity_id={location_id}")).json()
    actions = [(e["action"], e["user"], e["fields"]) for e in audit["items"]]
    # kind did not change, so only name is recorded as changed
    assert actions[0] == ("update", username, ["name"])
    assert actions[1][0] == "create"
    assert "Keskustakirjasto" not in str(audit)


async def test_audit_is_for_coordinators_only(client):
    await as_role(client, "trainer")
    assert (await client.get("/api/v1/audit")).status_code == 403


async def test_patch_null_is_rejected(client):
    await as_role(client, "coordinator")
    location_id = await make_location()
    response = await client.patch(f"/api/v1/locations/{location_id}", json={"name": None})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "name"


async def test_unknown_location_is_404(client):
    await as_role(client, "coordinator")
    assert (await client.get("/api/v1/locations/999999")).status_code == 404
