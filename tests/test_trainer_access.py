"""Choosing a trainer for a cohort elsewhere widens what they see: never without asking."""

import re

from tests.factories import as_role, make_cohort, make_location, make_user
from tests.test_pages import csrf, page_login


def _body(location: int, **extra):
    return {"location_id": location, "name": "Malmi kevät", "start_date": "2027-01-11", "start_time": "13:00", **extra}


async def _scope(user_id: int) -> set[int]:
    from cohorts.tables import StaffLocation

    return {
        r["location"] for r in await StaffLocation.select(StaffLocation.location).where(StaffLocation.user == user_id)
    }


async def test_the_api_refuses_to_widen_a_trainers_access_unless_asked(client):
    kallio, malmi = await make_location("Kallion kirjasto"), await make_location("Malmin kirjasto")
    timo = await make_user("trainer", "timo", [kallio])
    await as_role(client, "coordinator")
    refused = await client.post("/api/v1/cohorts", json=_body(malmi, trainer_ids=[timo]))
    assert refused.status_code == 409, refused.text
    problem = refused.json()
    assert problem["widens"] == [
        {"user_id": timo, "username": "timo", "name": "Timo", "location_id": malmi, "location_name": "Malmin kirjasto"}
    ]
    assert "widen_access" in problem["detail"]
    assert await _scope(timo) == {kallio}
    assert (await client.get("/api/v1/cohorts")).json()["total"] == 0  # nothing was saved

    created = await client.post("/api/v1/cohorts", json=_body(malmi, trainer_ids=[timo], widen_access=True))
    assert created.status_code == 201 and created.json()["trainer_ids"] == [timo]
    assert await _scope(timo) == {kallio, malmi}
    audit = (await client.get(f"/api/v1/audit?entity=user&entity_id={timo}")).json()["items"]
    assert any(e["action"] == "widen" and e["fields"] == ["location_ids"] for e in audit), audit

    # A trainer already working there is no widening; a PATCH asks just the same.
    tiina = await make_user("trainer", "tiina", [kallio])
    cohort = created.json()["id"]
    assert (await client.patch(f"/api/v1/cohorts/{cohort}", json={"trainer_ids": [timo, tiina]})).status_code == 409
    assert (await client.patch(f"/api/v1/cohorts/{cohort}", json={"trainer_ids": [timo]})).status_code == 200
    widened = await client.patch(f"/api/v1/cohorts/{cohort}", json={"trainer_ids": [timo, tiina], "widen_access": True})
    assert widened.status_code == 200 and widened.json()["trainer_ids"] == sorted([timo, tiina])


async def test_the_cohort_page_names_its_trainers_and_the_form_asks_before_widening(client):
    kallio, malmi = await make_location("Kallion kirjasto"), await make_location("Malmin kirjasto")
    timo = await make_user("trainer", "timo.trainer", [kallio])
    cohort = await make_cohort(malmi, name="Malmi kevät")
    await make_user("coordinator", "kaisa")
    await page_login(client, "kaisa")
    detail = await client.get(f"/cohorts/{cohort}")
    assert re.search(r"Kouluttajat</dt><dd>[^<]*Kouluttajaa ei ole vielä valittu", detail.text)

    edit = await client.get(f"/cohorts/{cohort}/edit")
    fields = {
        "_csrf": csrf(edit.text),
        "name": "Malmi kevät",
        "start_date": "2026-09-07",
        "start_time": "13:00",
        "session_minutes": "90",
        "weeks": "10",
        "capacity": "19",
        "pattern": "group,practice",
        "status": "running",
        "trainer_ids": str(timo),
    }
    asked = await client.post(f"/cohorts/{cohort}/edit", data=fields)
    assert asked.status_code == 409
    assert "Timo.Trainer" in asked.text and "Malmin kirjasto" in asked.text and 'name="widen_access"' in asked.text
    assert await _scope(timo) == {kallio}
    confirmed = await client.post(f"/cohorts/{cohort}/edit", data={**fields, "widen_access": "true"})
    assert confirmed.status_code == 303, confirmed.text
    assert await _scope(timo) == {kallio, malmi}
    detail = await client.get(f"/cohorts/{cohort}")
    assert re.search(r"Kouluttajat</dt><dd>Timo.Trainer</dd>", detail.text), detail.text
