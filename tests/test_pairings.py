"""Pairing suggestions and pairs through the API: language, capacity, reasons, conflicts, fit check."""

import datetime as dt

import pytest

from tests.factories import as_role, enrol, make_cohort, make_location, make_participant, set_cookie
from tests.factories.volunteers import make_pairing, make_volunteer


async def cohort_with_seniors(*seniors: tuple[str, str, str, str]) -> tuple[int, int, list[int]]:
    """A running cohort at Kinapori with the given (first, last, language, district) seniors enrolled."""
    location = await make_location()
    cohort = await make_cohort(location)
    ids = []
    for first, last, language, district in seniors:
        pid = await make_participant(location, first, last, language, district)
        await enrol(cohort, pid)
        ids.append(pid)
    return location, cohort, ids


async def test_swedish_only_senior_gets_the_swedish_speaker(client):
    _, cohort, (aino, bertil) = await cohort_with_seniors(
        ("Aino", "Virtanen", "fi", "Kallio"), ("Bertil", "Ek", "sv", "Töölö")
    )
    mikko = await make_volunteer("Mikko Laine", ["fi"], ["Kallio"], max_participants=1)
    astrid = await make_volunteer("Astrid Lindholm", ["sv", "fi"], ["Kallio"], max_participants=1)
    await as_role(client, "coordinator")
    set_cookie(client, "digiystava_lang", "en")
    response = await client.get(f"/api/v1/cohorts/{cohort}/pairing-suggestions")
    assert response.status_code == 200, response.text
    pairs = {s["participant_id"]: s["volunteer_id"] for s in response.json()}
    assert pairs == {bertil: astrid, aino: mikko}
    bertils = next(s for s in response.json() if s["participant_id"] == bertil)
    codes = [r["code"] for r in bertils["reasons"]]
    assert codes[0] == "shared_language" and "available" in codes
    assert bertils["reasons"][0]["text"] == "Shared language: Swedish"
    assert 0 < bertils["score"] <= 100
    finnish = await client.get(f"/api/v1/cohorts/{cohort}/pairing-suggestions", params={"lang": "fi"})
    assert (
        next(s for s in finnish.json() if s["participant_id"] == bertil)["reasons"][0]["text"]
        == "Yhteinen kieli: ruotsi"
    )


async def test_capacity_is_respected_and_the_rest_are_listed_with_why(client):
    seniors = [(f"Senior{i}", "Virtanen", "fi", "Kallio") for i in range(5)]
    _, cohort, ids = await cohort_with_seniors(*seniors)
    mikko = await make_volunteer("Mikko Laine", max_participants=2)
    # NOTE: Stina already guides one senior in another running cohort: one place left.
    stina = await make_volunteer("Stina Berg", max_participants=2)
    other_location = await make_location("Töölön palvelukeskus", district="Töölö")
    other = await make_cohort(other_location, name="Töölö syksy")
    someone = await make_participant(other_location, "Greta", "Holm", "sv")
    await enrol(other, someone)
    await make_pairing(other, stina, someone)
    await as_role(client, "coordinator")
    suggested = (await client.get(f"/api/v1/cohorts/{cohort}/pairing-suggestions")).json()
    per_volunteer = {v: sum(1 for s in suggested if s["volunteer_id"] == v) for v in (mikko, stina)}
    assert per_volunteer == {mikko: 2, stina: 1}
    unmatched = (await client.get(f"/api/v1/cohorts/{cohort}/pairing-suggestions/unmatched")).json()
    assert len(unmatched) == 2 and {u["reason"]["code"] for u in unmatched} == {"no_capacity"}
    assert {u["participant_id"] for u in unmatched} | {s["participant_id"] for s in suggested} == set(ids)
    assert unmatched[0]["reason"]["text"]


async def test_no_volunteers_and_more_volunteers_than_seniors(client):
    _, cohort, (aino,) = await cohort_with_seniors(("Aino", "Virtanen", "fi", "Kallio"))
    await as_role(client, "coordinator")
    assert (await client.get(f"/api/v1/cohorts/{cohort}/pairing-suggestions")).json() == []
    (nobody,) = (await client.get(f"/api/v1/cohorts/{cohort}/pairing-suggestions/unmatched")).json()
    assert nobody["participant_id"] == aino and nobody["reason"]["code"] == "no_volunteers"
    for name in ("Mikko Laine", "Stina Berg", "Pekka Nieminen"):
        await make_volunteer(name)
    # NOTE: inactive volunteers are never suggested.
    await make_volunteer("Lepo Tauko", active=False)
    suggested = (await client.get(f"/api/v1/cohorts/{cohort}/pairing-suggestions")).json()
    assert len(suggested) == 1 and suggested[0]["participant_id"] == aino
    assert (await client.get(f"/api/v1/cohorts/{cohort}/pairing-suggestions/unmatched")).json() == []


async def test_paired_seniors_are_not_suggested_again_and_a_second_active_pair_is_409(client):
    _, cohort, (aino, bertil) = await cohort_with_seniors(
        ("Aino", "Virtanen", "fi", "Kallio"), ("Bertil", "Ek", "fi", "Kallio")
    )
    mikko = await make_volunteer("Mikko Laine", max_participants=3)
    stina = await make_volunteer("Stina Berg")
    await as_role(client, "coordinator")
    created = await client.post(
        "/api/v1/pairings",
        json={"cohort_id": cohort, "volunteer_id": mikko, "participant_id": aino, "started_on": "2026-09-07"},
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert (
        body["started_on"] == "2026-09-07"
        and body["ended_on"] is None
        and body["fit"] is None
        and body["participant_name"] == "Aino Virtanen"
    )
    again = await client.post(
        "/api/v1/pairings", json={"cohort_id": cohort, "volunteer_id": stina, "participant_id": aino}
    )
    assert again.status_code == 409
    suggested = (await client.get(f"/api/v1/cohorts/{cohort}/pairing-suggestions")).json()
    assert [s["participant_id"] for s in suggested] == [bertil]
    # Ending the pair frees the senior for a new one.
    before_start = await client.patch(f"/api/v1/pairings/{body['id']}", json={"ended_on": "2026-09-01"})
    assert before_start.status_code == 422 and "ended_on" in before_start.text
    ended = await client.patch(f"/api/v1/pairings/{body['id']}", json={"ended_on": "2026-09-20"})
    assert ended.status_code == 200 and ended.json()["ended_on"] == "2026-09-20"
    assert (await client.patch(f"/api/v1/pairings/{body['id']}", json={"ended_on": "2026-09-21"})).status_code == 409
    renewed = await client.post(
        "/api/v1/pairings", json={"cohort_id": cohort, "volunteer_id": stina, "participant_id": aino}
    )
    assert renewed.status_code == 201
    listing = await client.get("/api/v1/pairings", params={"cohort_id": cohort})
    assert listing.json()["total"] == 2
    active = await client.get("/api/v1/pairings", params={"cohort_id": cohort, "active": "true"})
    assert [p["volunteer_id"] for p in active.json()["items"]] == [stina]


async def test_the_partial_unique_index_refuses_a_second_active_pair(db):
    """The service checks first; the index holds even when two requests race past the check."""
    _, cohort, (aino,) = await cohort_with_seniors(("Aino", "Virtanen", "fi", "Kallio"))
    mikko, stina = await make_volunteer("Mikko Laine"), await make_volunteer("Stina Berg")
    await make_pairing(cohort, mikko, aino, ended_on=dt.date(2026, 9, 20))
    await make_pairing(cohort, mikko, aino)  # ended pairs stay as history beside the active one
    with pytest.raises(Exception) as raised:
        await make_pairing(cohort, stina, aino)
    assert "unique" in str(raised.value).lower() or "duplicate" in str(raised.value).lower()


async def test_pair_refusals(client):
    _, cohort, (aino, bertil) = await cohort_with_seniors(
        ("Aino", "Virtanen", "fi", "Kallio"), ("Bertil", "Ek", "fi", "Kallio")
    )
    outsider = await make_participant(None, "Olli", "Ulkona")
    full = await make_volunteer("Täysi Kalenteri", max_participants=1)
    resting = await make_volunteer("Lepo Tauko", active=False)
    await as_role(client, "coordinator")
    assert (
        await client.post("/api/v1/pairings", json={"cohort_id": cohort, "volunteer_id": full, "participant_id": aino})
    ).status_code == 201
    cases = [
        (
            {"cohort_id": cohort, "volunteer_id": full, "participant_id": bertil},
            409,
        ),  # the volunteer's places are taken
        ({"cohort_id": cohort, "volunteer_id": resting, "participant_id": bertil}, 409),  # not active
        ({"cohort_id": cohort, "volunteer_id": 999999, "participant_id": bertil}, 422),  # no such volunteer
        ({"cohort_id": 999999, "volunteer_id": full, "participant_id": bertil}, 422),  # no such cohort
        (
            {"cohort_id": cohort, "volunteer_id": resting, "participant_id": outsider},
            409,
        ),  # inactive checked before enrolment
        ({"cohort_id": cohort, "volunteer_id": "x", "participant_id": bertil}, 422),  # not an id
    ]
    for body, status in cases:
        response = await client.post("/api/v1/pairings", json=body)
        assert response.status_code == status, (body, response.text)
    extra = await make_volunteer("Vapaa Paikka")
    not_enrolled = await client.post(
        "/api/v1/pairings", json={"cohort_id": cohort, "volunteer_id": extra, "participant_id": outsider}
    )
    assert not_enrolled.status_code == 422 and "participant_id" in not_enrolled.text
    assert (await client.get("/api/v1/cohorts/999999/pairing-suggestions")).status_code == 404


async def test_change_needed_ends_the_pair_and_suggests_the_next_volunteer(client):
    location, cohort, (bertil,) = await cohort_with_seniors(("Bertil", "Ek", "sv", "Töölö"))
    astrid = await make_volunteer("Astrid Lindholm", ["sv"], ["Töölö"])
    henrik = await make_volunteer("Henrik Sjöberg", ["sv", "fi"], ["Kallio"])
    pairing_id = await make_pairing(cohort, astrid, bertil)
    trainer = await as_role(client, "trainer", [location])
    set_cookie(client, "digiystava_lang", "sv")
    good = await client.patch(f"/api/v1/pairings/{pairing_id}", json={"fit": "good"})
    assert good.status_code == 200 and good.json()["fit"] == "good" and good.json()["ended_on"] is None
    assert good.json()["fit_checked_on"] and good.json()["fit_checked_by"] and good.json()["next_suggestion"] is None
    change = await client.patch(f"/api/v1/pairings/{pairing_id}", json={"fit": "change_needed"})
    assert change.status_code == 200, change.text
    body = change.json()
    assert body["fit"] == "change_needed" and body["ended_on"] is not None
    assert body["next_suggestion"]["volunteer_id"] == henrik and body["next_suggestion"]["participant_id"] == bertil
    assert body["next_suggestion"]["reasons"][0]["text"] == "Gemensamt språk: svenska"
    audit_fields = [
        ["fit", "fit_checked_by", "fit_checked_on"],
        ["ended_on", "fit", "fit_checked_by", "fit_checked_on"],
    ]
    client.cookies.clear()
    await as_role(client, "coordinator")
    entries = (await client.get("/api/v1/audit", params={"entity": "pairing"})).json()["items"]
    assert sorted(e["fields"] for e in entries) == sorted(audit_fields) and {e["user"] for e in entries} == {trainer}


async def test_change_needed_without_another_volunteer_says_why(client):
    location, cohort, (bertil,) = await cohort_with_seniors(("Bertil", "Ek", "sv", "Töölö"))
    astrid = await make_volunteer("Astrid Lindholm", ["sv"], ["Töölö"])
    pairing_id = await make_pairing(cohort, astrid, bertil)
    await as_role(client, "coordinator")
    body = (await client.patch(f"/api/v1/pairings/{pairing_id}", json={"fit": "change_needed"})).json()
    assert body["next_suggestion"] is None and body["next_unmatched"]["reason"]["code"] == "no_volunteers"


async def test_pairing_scope_by_role(client):
    own, other = await make_location("Kinaporin palvelukeskus"), await make_location("Töölön palvelukeskus")
    own_cohort, other_cohort = await make_cohort(own), await make_cohort(other)
    aino, bertil = await make_participant(own), await make_participant(other, "Bertil", "Ek", "sv")
    await enrol(own_cohort, aino)
    await enrol(other_cohort, bertil)
    mikko = await make_volunteer("Mikko Laine")
    mine = await make_pairing(own_cohort, mikko, aino)
    theirs = await make_pairing(other_cohort, mikko, bertil)
    await as_role(client, "trainer", [own])
    listing = await client.get("/api/v1/pairings")
    assert [p["id"] for p in listing.json()["items"]] == [mine]
    assert (await client.get(f"/api/v1/pairings/{theirs}")).status_code == 404
    assert (await client.patch(f"/api/v1/pairings/{theirs}", json={"fit": "good"})).status_code == 404
    assert (await client.patch(f"/api/v1/pairings/{mine}", json={"fit": "good"})).status_code == 200
    # Pairing and suggesting are the coordinator's.
    assert (await client.get(f"/api/v1/cohorts/{own_cohort}/pairing-suggestions")).status_code == 403
    assert (
        await client.post(
            "/api/v1/pairings", json={"cohort_id": own_cohort, "volunteer_id": mikko, "participant_id": aino}
        )
    ).status_code == 403
    for role in ("steering", "volunteer"):
        client.cookies.clear()
        await as_role(client, role)
        assert (await client.get("/api/v1/pairings")).status_code == 403
        assert (await client.get(f"/api/v1/pairings/{mine}")).status_code == 403
        assert (await client.patch(f"/api/v1/pairings/{mine}", json={"fit": "good"})).status_code == 403
        assert (await client.get(f"/api/v1/cohorts/{own_cohort}/pairing-suggestions")).status_code == 403
