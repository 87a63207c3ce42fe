"""The programme's costs: recorded by the coordinator in whole cents, priced by default rates, audited."""

from tests.factories import as_role, make_location

URL = "/api/v1/costs"
TERM = {"term": "2026 syksy", "starts_on": "2026-08-01", "ends_on": "2026-12-31"}


async def test_lines_in_cents_with_default_rates_corrections_and_the_audit(client):
    location = await make_location()
    await as_role(client, "coordinator")
    rent = await client.post(
        URL, json={**TERM, "location_id": location, "funder": "city", "category": "rooms", "unit_cents": 120000}
    )
    assert rent.status_code == 201, rent.text
    assert rent.json()["total_cents"] == 120000 and rent.json()["quantity"] is None
    hours = await client.post(URL, json={**TERM, "funder": "STEA", "category": "coordinator_hours", "quantity": 10})
    assert hours.json()["unit_cents"] == 3500 and hours.json()["total_cents"] == 35000
    assert hours.json()["location_id"] is None, "programme-wide"
    volunteers = await client.post(URL, json={**TERM, "funder": "STEA", "category": "volunteer_hours"})
    body = volunteers.json()
    assert body["unit_cents"] == 1500 and body["in_kind"] and body["total_cents"] is None, "counted from the hours"
    tablets = await client.post(
        URL, json={**TERM, "funder": "other", "category": "donated_tablets", "quantity": 3, "unit_cents": 12000}
    )
    assert tablets.json()["total_cents"] == 36000
    changed = await client.patch(f"{URL}/{hours.json()['id']}", json={"quantity": 12.5})
    assert changed.status_code == 200 and changed.json()["total_cents"] == 43750
    listing = (await client.get(URL, params={"funder": "STEA"})).json()
    assert listing["total"] == 2
    assert (await client.delete(f"{URL}/{rent.json()['id']}")).status_code == 204
    assert (await client.get(f"{URL}/{rent.json()['id']}")).status_code == 404
    audit = (await client.get("/api/v1/audit", params={"entity": "cost"})).json()["items"]
    assert sorted(entry["action"] for entry in audit) == ["create"] * 4 + ["delete", "update"]
    rates = (await client.get(f"{URL}/rates")).json()
    assert rates["unit_cents"]["volunteer_hours"] == 1500 and "Leader" in rates["source"]


async def test_bad_lines_are_problems_naming_the_field(client):
    await as_role(client, "coordinator")
    for bad, field in (
        ({**TERM, "funder": "city", "category": "rooms"}, "unit_cents"),  # money needs its amount
        ({**TERM, "funder": "city", "category": "trainer_hours"}, "quantity"),  # hours need their number
        ({**TERM, "funder": "bank", "category": "rooms", "unit_cents": 1}, "funder"),
        ({**TERM, "funder": "city", "category": "rooms", "unit_cents": -1}, "unit_cents"),
        ({**TERM, "funder": "city", "category": "rooms", "unit_cents": "12"}, "unit_cents"),
        ({**TERM, "funder": "city", "category": "rooms", "unit_cents": 1, "location_id": 999999}, "location_id"),
        ({**TERM, "ends_on": "2026-07-01", "funder": "city", "category": "rooms", "unit_cents": 1}, "ends_on"),
        ({**TERM, "term": "", "funder": "city", "category": "rooms", "unit_cents": 1}, "term"),
    ):
        response = await client.post(URL, json=bad)
        assert response.status_code in (400, 422), (bad, response.text)
        assert field in response.text, (field, response.text)
    line = await client.post(URL, json={**TERM, "funder": "city", "category": "software", "unit_cents": 5000})
    response = await client.patch(f"{URL}/{line.json()['id']}", json={"unit_cents": None})
    assert response.status_code == 422 and "unit_cents" in response.text


async def test_only_the_coordinator_records_costs(client):
    for role in ("trainer", "steering", "volunteer"):
        await as_role(client, role)
        assert (await client.get(URL)).status_code == 403
        assert (await client.post(URL, json={**TERM, "funder": "city", "category": "rooms"})).status_code == 403
