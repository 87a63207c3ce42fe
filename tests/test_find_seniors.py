"""Finding seniors whatever the accents ("makela" finds Mäkelä), and enrolling them from any location one may see."""

import pytest

from digiystava import search
from digiystava.access import COMMAND_LINE, Principal
from tests.factories import enrol, make_cohort, make_location, make_participant, make_user
from tests.test_pages import csrf, page_login


@pytest.mark.parametrize(
    "text, folded",
    [
        ("Mäkelä", "makela"),
        ("Söderberg", "soderberg"),
        ("ÅSTRÖM", "astrom"),  # capitals fold too, Swedish å included
        ("Pérez-Müller", "perez-muller"),
        ("Bjørnstad", "bjornstad"),  # ø has no accent mark to take off
    ],
)
def test_fold(text, folded):
    assert search.fold(text) == folded


def test_the_database_pattern_lets_every_accented_letter_through():
    assert search.like_pattern("makela") == "%m_k_l_%"
    # LIKE's own wildcards typed in a search are single characters, never "anything".
    assert search.like_pattern("50%") == "%50_%"
    assert search.matches(["makela"], "Aino", "Mäkelä")
    assert not search.matches(["makela"], "Aino", "Mikola")


async def _seniors(location: int) -> dict[str, int]:
    people = {}
    for first, last in (("Aino", "Mäkelä"), ("Gunnel", "Söderberg"), ("Matti", "Mikola"), ("Eino", "Makela")):
        people[last] = await make_participant(location, first_name=first, last_name=last, phone="")
    return people


@pytest.mark.parametrize(
    "query, expected",
    [
        ("makela", {"Mäkelä", "Makela"}),  # both spellings; not Mikola, whom the database lets through
        ("MÄKELÄ", {"Mäkelä", "Makela"}),  # capitals with accents, also on SQLite
        ("soderberg", {"Söderberg"}),
        ("aino mak", {"Mäkelä"}),  # every word, first and last name in any order
        ("gunnel", {"Söderberg"}),
        ("zz", set()),
    ],
)
async def test_the_seniors_search_ignores_accents(db, query, expected):
    from cohorts.participants.services import list_participants

    await _seniors(await make_location())
    found = await list_participants(COMMAND_LINE, 50, 0, query)
    assert {p.last_name for p in found.items} == expected
    assert found.total == len(expected)


async def test_a_search_pages_like_the_list(db):
    from cohorts.participants.services import list_participants

    location = await make_location()
    for n in range(5):
        await make_participant(location, first_name=f"Äiti{n}", last_name="Öhman", phone="")
    second = await list_participants(COMMAND_LINE, 2, 2, "aiti ohman")
    assert second.total == 5
    assert [p.first_name for p in second.items] == ["Äiti2", "Äiti3"]


async def test_a_trainer_never_finds_another_locations_seniors(db):
    from cohorts.enrolments.services import candidates
    from cohorts.participants.services import list_participants

    kallio, malmi = await make_location("Kallion kirjasto"), await make_location("Malmin kirjasto")
    await _seniors(malmi)
    theirs = await make_participant(kallio, first_name="Saara", last_name="Mäkelä", phone="")
    cohort = await make_cohort(kallio)
    trainer_id = await make_user("trainer", "tiina", [kallio])
    trainer = Principal(trainer_id, "tiina", "trainer", frozenset({kallio}))
    assert [p.id for p in (await list_participants(trainer, 50, 0, "makela")).items] == [theirs]
    assert [p["id"] for p in (await candidates(trainer, cohort, "makela"))["items"]] == [theirs]
    assert (await candidates(trainer, cohort, "soderberg"))["empty"] == "no_match"


async def test_enrol_from_any_of_ones_locations(db):
    from cohorts.enrolments.services import candidates

    kallio, malmi = await make_location("Kallion kirjasto"), await make_location("Malmin kirjasto")
    people = await _seniors(malmi)
    cohort = await make_cohort(kallio)
    trainer_id = await make_user("trainer", "tiina", [kallio, malmi])
    trainer = Principal(trainer_id, "tiina", "trainer", frozenset({kallio, malmi}))
    # Without a search the list offers the cohort's own location: nobody there yet.
    assert (await candidates(trainer, cohort)) == {"items": [], "total": 0, "empty": "none_at_location"}
    found = await candidates(trainer, cohort, "söderberg")
    assert [(p["id"], p["location_name"]) for p in found["items"]] == [(people["Söderberg"], "Malmin kirjasto")]


async def test_an_empty_list_says_why(db):
    from cohorts.enrolments.services import candidates

    location = await make_location()
    cohort = await make_cohort(location)
    assert (await candidates(COMMAND_LINE, cohort))["empty"] == "no_seniors"
    senior = await make_participant(location, phone="")
    assert (await candidates(COMMAND_LINE, cohort))["empty"] is None
    await enrol(cohort, senior)
    assert (await candidates(COMMAND_LINE, cohort))["empty"] == "all_on_cohort"
    assert (await candidates(COMMAND_LINE, cohort, "virtanen"))["empty"] == "no_match"


async def test_the_cohort_page_finds_and_enrols_a_senior_of_another_location(client):
    kallio, malmi = await make_location("Kallion kirjasto"), await make_location("Malmin kirjasto")
    people = await _seniors(malmi)
    cohort = await make_cohort(kallio)
    await make_user("trainer", "tiina", [kallio, malmi])
    await page_login(client, "tiina")
    await client.get("/language/en?next=/")
    plain = await client.get(f"/cohorts/{cohort}")
    assert "Every senior registered at this location is already on this cohort." in plain.text
    assert 'data-picker="enrol-results"' in plain.text and 'role="search"' in plain.text
    found = await client.get(f"/cohorts/{cohort}", params={"find": "makela"})
    assert found.status_code == 200
    assert "2 seniors found." in found.text
    assert f'<option value="{people["Mäkelä"]}">Mäkelä, Aino (1948) – Malmin kirjasto</option>' in found.text
    assert "Mikola" not in found.text.split('id="enrol-results"')[1].split("</div>")[0]
    enrolled = await client.post(
        f"/cohorts/{cohort}/enrol", data={"_csrf": csrf(found.text), "participant_id": str(people["Mäkelä"])}
    )
    assert enrolled.status_code == 303
    roster = await client.get(f"/cohorts/{cohort}")
    assert f'href="/participants/{people["Mäkelä"]}"' in roster.text
    nobody = await client.get(f"/cohorts/{cohort}", params={"find": "zzz"})
    assert "Nobody in your locations matches “zzz”." in nobody.text


async def test_the_seniors_page_finds_without_accents_and_updates_as_you_type(client):
    location = await make_location("Kallion kirjasto")
    await _seniors(location)
    await make_user("trainer", "tiina", [location])
    await page_login(client, "tiina")
    await client.get("/language/en?next=/")
    page = await client.get("/participants", params={"q": "soderberg"})
    assert page.status_code == 200
    results = page.text.split('id="participant-results"')[1]
    assert "Söderberg, Gunnel" in results and "Mäkelä" not in results
    # The search form is a plain GET form; the script takes the results region from the same page.
    assert 'data-picker="participant-results"' in page.text and 'id="participant-results"' in page.text
    assert '<p id="participant-status" class="visually-hidden" role="status">1 senior</p>' in page.text


async def test_cohorts_are_found_by_their_own_or_their_locations_name(db):
    from cohorts.courses.services import list_cohorts

    toolo, malmi = await make_location("Töölön palvelukeskus"), await make_location("Malmin kirjasto")
    spring = await make_cohort(toolo, name="Kevät 2027")
    autumn = await make_cohort(malmi, name="Syksy Töölöstä")
    await make_cohort(malmi, name="Kevät 2027")
    assert {c.id for c in (await list_cohorts(COMMAND_LINE, q="toolo")).items} == {spring, autumn}
    assert [c.id for c in (await list_cohorts(COMMAND_LINE, q="kevat toolon")).items] == [spring]
    found = await list_cohorts(COMMAND_LINE, 1, 1, q="toolo")
    assert found.total == 2 and len(found.items) == 1
    # A trainer of Malmi finds only Malmi's cohorts.
    trainer_id = await make_user("trainer", "tiina", [malmi])
    trainer = Principal(trainer_id, "tiina", "trainer", frozenset({malmi}))
    assert [c.id for c in (await list_cohorts(trainer, q="toolo")).items] == [autumn]


async def test_the_cohorts_page_and_api_search(client):
    toolo = await make_location("Töölön palvelukeskus")
    cohort = await make_cohort(toolo, name="Kevät 2027")
    await make_user("coordinator", "kaisa")
    await page_login(client, "kaisa")
    await client.get("/language/en?next=/")
    page = await client.get("/cohorts", params={"q": "toolon"})
    assert f'href="/cohorts/{cohort}"' in page.text and 'data-picker="cohort-results"' in page.text
    none = await client.get("/cohorts", params={"q": "oulu"})
    assert "No cohort or location matches “oulu”." in none.text
    api = await client.get("/api/v1/cohorts", params={"q": "TOOLON"})
    assert [c["id"] for c in api.json()["items"]] == [cohort]


async def test_a_trainers_pages_never_show_another_locations_seniors(client):
    kallio, malmi = await make_location("Kallion kirjasto"), await make_location("Malmin kirjasto")
    await _seniors(malmi)
    cohort = await make_cohort(kallio)
    await make_user("trainer", "tiina", [kallio])
    await page_login(client, "tiina")
    await client.get("/language/en?next=/")
    found = await client.get("/participants", params={"q": "soderberg"})
    assert "Söderberg, Gunnel" not in found.text and "0 seniors" in found.text
    picker = await client.get(f"/cohorts/{cohort}", params={"find": "soderberg"})
    assert "Nobody in your locations matches “soderberg”." in picker.text
    assert "Gunnel" not in picker.text
    api = await client.get("/api/v1/participants", params={"q": "makela"})
    assert api.json()["total"] == 0
