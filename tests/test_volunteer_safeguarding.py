"""A volunteer's load counts every pair in cohorts that overlap in time, planned ones too;
volunteers whose identity check or training is not recorded are not suggested, and are
paired only by a coordinator who gives a reason (kept with the pair, audited)."""

import datetime as dt
import re

from digiystava import clock
from tests.factories import as_role, enrol, make_cohort, make_location, make_participant, make_user
from tests.factories.volunteers import make_pairing, make_volunteer
from tests.test_pages import csrf, page_login


async def _cohort_with_senior(location: int, name: str, start: dt.date, first_name: str) -> tuple[int, int]:
    cohort = await make_cohort(location, name=name, start_date=start, status="planned")
    senior = await make_participant(location, first_name=first_name, last_name="Testinen")
    await enrol(cohort, senior)
    return cohort, senior


# --- load over overlapping cohorts ----------------------------------------------------


async def test_a_pair_in_a_planned_cohort_the_same_weeks_fills_the_volunteer(client):
    kallio, malmi = await make_location("Kallion kirjasto"), await make_location("Malmin kirjasto")
    # NOTE: a Monday a few weeks ahead; both courses start that week, neither is running yet.
    start = clock.today() + dt.timedelta(weeks=3, days=-clock.today().weekday())
    first, aino = await _cohort_with_senior(kallio, "Kallio tammikuu", start, "Aino")
    second, bertil = await _cohort_with_senior(malmi, "Malmi tammikuu", start + dt.timedelta(days=1), "Bertil")
    later, cecilia = await _cohort_with_senior(malmi, "Malmi kesä", start + dt.timedelta(weeks=20), "Cecilia")
    mikko = await make_volunteer("Mikko Laine", max_participants=1)
    await make_pairing(first, mikko, aino, started_on=start)
    await as_role(client, "coordinator")

    suggested = (await client.get(f"/api/v1/cohorts/{second}/pairing-suggestions")).json()
    assert mikko not in {s["volunteer_id"] for s in suggested}
    refused = await client.post(
        "/api/v1/pairings", json={"cohort_id": second, "volunteer_id": mikko, "participant_id": bertil}
    )
    assert refused.status_code == 409, refused.text
    # The volunteer lists say the same: full.
    assert (await client.get(f"/api/v1/volunteers/{mikko}")).json()["active_pairs"] == 1
    listing = await client.get("/volunteers", headers={"accept": "text/html"})
    assert re.search(r"Mikko Laine.*?1 / 1", listing.text, re.S)
    # A course after the first one has ended does not overlap: Mikko has room there.
    assert mikko in {
        s["volunteer_id"] for s in (await client.get(f"/api/v1/cohorts/{later}/pairing-suggestions")).json()
    }
    assert (
        await client.post(
            "/api/v1/pairings", json={"cohort_id": later, "volunteer_id": mikko, "participant_id": cecilia}
        )
    ).status_code == 201
    # Two pairs, never at the same time: still one senior at a time.
    assert (await client.get(f"/api/v1/volunteers/{mikko}")).json()["active_pairs"] == 1


# --- identity check and training ------------------------------------------------------


async def test_unchecked_volunteers_are_not_suggested_and_need_a_reason(client):
    location = await make_location()
    cohort = await make_cohort(location, name="Kinapori syksy")
    aino = await make_participant(location, first_name="Aino", last_name="Testinen")
    await enrol(cohort, aino)
    unchecked = await make_volunteer("Uuno Tarkastamaton", identity_checked_on=None)
    untrained = await make_volunteer("Kaisa Kouluttamaton", training_done_on=None)
    await as_role(client, "coordinator")
    assert (await client.get(f"/api/v1/cohorts/{cohort}/pairing-suggestions")).json() == []
    for volunteer in (unchecked, untrained):
        refused = await client.post(
            "/api/v1/pairings", json={"cohort_id": cohort, "volunteer_id": volunteer, "participant_id": aino}
        )
        assert refused.status_code == 409, refused.text
    blank = await client.post(
        "/api/v1/pairings",
        json={"cohort_id": cohort, "volunteer_id": unchecked, "participant_id": aino, "override_reason": "  "},
    )
    assert blank.status_code in (409, 422)
    reason = "Henkilöllisyys tarkistettu puhelimessa, paperit tulossa"
    paired = await client.post(
        "/api/v1/pairings",
        json={"cohort_id": cohort, "volunteer_id": unchecked, "participant_id": aino, "override_reason": reason},
    )
    assert paired.status_code == 201, paired.text
    assert paired.json()["safeguarding_override"] == reason
    audit = (await client.get(f"/api/v1/audit?entity=pairing&entity_id={paired.json()['id']}")).json()["items"]
    assert any(entry["action"] == "override" and entry["fields"] == ["safeguarding_override"] for entry in audit), audit


async def test_check_dates_are_recorded_and_not_in_the_future(client):
    await as_role(client, "coordinator")
    body = {"name": "Astrid Lindholm", "identity_checked_on": "2026-10-01", "training_done_on": "2026-10-15"}
    created = await client.post("/api/v1/volunteers", json=body)
    assert created.status_code == 201 and created.json()["identity_checked_on"] == "2026-10-01"
    tomorrow = (clock.today() + dt.timedelta(days=1)).isoformat()
    ahead = await client.patch(f"/api/v1/volunteers/{created.json()['id']}", json={"training_done_on": tomorrow})
    assert ahead.status_code == 422 and ahead.json()["errors"][0]["field"] == "training_done_on"


async def test_the_suggestion_page_marks_unchecked_volunteers_and_asks_for_the_reason(client):
    location = await make_location()
    cohort = await make_cohort(location, name="Kinapori syksy")
    aino = await make_participant(location, first_name="Aino", last_name="Testinen")
    await enrol(cohort, aino)
    uuno = await make_volunteer("Uuno Tarkastamaton", identity_checked_on=None)
    await make_user("coordinator", "kaisa")
    await page_login(client, "kaisa")
    table = await client.get(f"/pairings/cohorts/{cohort}")
    assert "Uuno Tarkastamaton" in table.text and "Henkilöllisyys tarkistamatta" in table.text
    token = csrf(table.text)
    fields = {"_csrf": token, "only": str(aino), f"volunteer-{aino}": str(uuno)}
    refused = await client.post(f"/pairings/cohorts/{cohort}/accept", data=fields)
    assert refused.status_code == 409 and f'href="#field-volunteer-{aino}"' in refused.text
    accepted = await client.post(
        f"/pairings/cohorts/{cohort}/accept", data={**fields, "override_reason": "Tarkistus sovittu ensi viikolle"}
    )
    assert accepted.status_code == 303, accepted.text
