"""A volunteer's own view: their seniors' first names, the practice sessions and the place, nothing else."""

from tests.factories import enrol, login, make_cohort, make_location, make_participant, make_user
from tests.factories.volunteers import make_pairing, make_volunteer
from tests.test_pages import page_login


async def own_setup() -> dict:
    location = await make_location("Kinaporin palvelukeskus", address="Kinaporinkatu 9")
    cohort = await make_cohort(location, name="Kinapori syksy")
    aino = await make_participant(location, "Aino", "Virtanen", phone="040 111 2222")
    bertil = await make_participant(location, "Bertil", "Ekström", "sv", phone="040 333 4444")
    ended = await make_participant(location, "Eino", "Entinen")
    someone_else = await make_participant(location, "Greta", "Holm")
    for p in (aino, bertil, ended, someone_else):
        await enrol(cohort, p)
    user = await make_user("volunteer", "ville")
    ville = await make_volunteer("Ville Vapaaehtoinen", user_id=user, max_participants=3)
    other = await make_volunteer("Stina Berg")
    await make_pairing(cohort, ville, aino)
    await make_pairing(cohort, ville, bertil)
    import datetime as dt

    await make_pairing(cohort, ville, ended, ended_on=dt.date(2026, 9, 20))
    await make_pairing(cohort, other, someone_else)
    return {"cohort": cohort, "location": location}


async def test_volunteer_sees_first_names_sessions_and_place_only(client):
    await own_setup()
    await login(client, "ville")
    response = await client.get("/api/v1/me/pairings")
    assert response.status_code == 200, response.text
    pairs = response.json()
    assert [p["first_name"] for p in pairs] == ["Aino", "Bertil"]
    first = pairs[0]
    assert set(first) == {"id", "first_name", "cohort_name", "place", "address", "sessions"}
    assert first["place"] == "Kinaporin palvelukeskus" and first["address"] == "Kinaporinkatu 9"
    assert [s["date"] for s in first["sessions"]][:2] == ["2026-09-14", "2026-09-28"]  # practice weeks only
    assert first["sessions"][0]["start_time"] == "13:00:00" and first["sessions"][0]["end_time"] == "14:30:00"
    text = response.text
    for hidden in ("Virtanen", "Ekström", "040", "Greta", "Eino"):
        assert hidden not in text


async def test_volunteer_page_shows_first_names_only(client):
    await own_setup()
    await page_login(client, "ville")
    page = await client.get("/my-pairings")
    assert page.status_code == 200
    assert "Aino" in page.text and "Bertil" in page.text and "Kinaporinkatu 9" in page.text
    for hidden in ("Virtanen", "Ekström", "040 111", "Greta", "Eino"):
        assert hidden not in page.text
    # Everything else is closed to a volunteer.
    for path in ("/volunteers", "/pairings", "/locations"):
        assert (await client.get(path, headers={"accept": "text/html"})).status_code in (403, 404), path


async def test_volunteer_without_a_linked_record_sees_nothing_and_others_cannot_use_the_view(client):
    await own_setup()
    await make_user("volunteer", "uusi")
    await login(client, "uusi")
    assert (await client.get("/api/v1/me/pairings")).json() == []
    client.cookies.clear()
    await make_user("coordinator", "kaisa")
    await login(client, "kaisa")
    assert (await client.get("/api/v1/me/pairings")).status_code == 403
