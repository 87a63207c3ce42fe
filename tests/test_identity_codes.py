"""A personal identity code (henkilötunnus) typed into a senior's or volunteer's text is
refused with a message naming the field; ordinary numbers are not taken for one."""

import pytest

from digiystava.identity_codes import find_identity_code
from tests.factories import as_role, make_location, make_participant, make_user
from tests.factories.volunteers import make_volunteer
from tests.test_pages import csrf, page_login


@pytest.mark.parametrize(
    "text",
    [
        "131052-308T",  # the classic example, 1900s with "-"
        "Aino 131052-308t",  # inside a name, the check character in lower case
        "010594Y123W",  # 1900s, one of the signs added in 2023
        "291299U123W",  # 1900s, the last of the new signs
        "311299A1236",  # 2000s with "A"
        "020304B123P",  # 2000s, a sign added in 2023
        "010105F123P",  # 2000s, the last of the new signs
        "010180+1232",  # 1800s
        "syntynyt 150300-1232, soita",  # in the middle of a note
    ],
)
def test_identity_codes_are_found(text):
    assert find_identity_code(text)


@pytest.mark.parametrize(
    "text",
    [
        "131052-308A",  # wrong check character
        "320152-308T",  # no 32nd day
        "040 123 4567",  # a phone number
        "0401234-5678",  # a phone number with a dash after seven digits
        "+358 40 123 4567",  # an international phone number
        "Kurssi 12.10.2026-14.12.2026",  # dates
        "131052G308T",  # G is no century sign
        "A131052-308T",  # part of a longer code
    ],
)
def test_other_numbers_are_not_taken_for_one(text):
    assert find_identity_code(text) is None


@pytest.mark.parametrize(
    "field, value",
    [
        ("first_name", "Aino 131052-308T"),
        ("last_name", "Virtanen 010594Y123W"),
        ("phone", "131052-308T"),  # would otherwise be saved as the number 131052308
        ("notes", "Hetu 020304B123P, kysy tytär"),
        ("district", "Kallio 311299A1236"),
        ("email", "131052-308T@example.fi"),
    ],
)
async def test_a_senior_with_an_identity_code_is_refused_naming_the_field(client, field, value):
    location = await make_location()
    await as_role(client, "coordinator")
    body = {
        "first_name": "Aino",
        "last_name": "Virtanen",
        "consent_given_on": "2026-11-30",
        "location_id": location,
        field: value,
    }
    refused = await client.post("/api/v1/participants", json=body)
    assert refused.status_code == 422, refused.text
    assert [e["field"] for e in refused.json()["errors"]] == [field]
    assert "identity code" in refused.json()["errors"][0]["message"]
    person = await make_participant(location)
    patched = await client.patch(f"/api/v1/participants/{person}", json={field: value})
    assert patched.status_code == 422 and patched.json()["errors"][0]["field"] == field


@pytest.mark.parametrize(
    "field, value",
    [
        ("name", "Mikko 131052-308T"),
        ("phone", "131052-308T"),
        ("organisation", "Seurakunta 010594Y123W"),
        ("districts", ["Kallio", "131052-308T"]),
    ],
)
async def test_a_volunteer_with_an_identity_code_is_refused_naming_the_field(client, field, value):
    await as_role(client, "coordinator")
    refused = await client.post("/api/v1/volunteers", json={"name": "Mikko Laine", field: value})
    assert refused.status_code == 422, refused.text
    assert refused.json()["errors"][0]["field"].split(".")[0] == field
    volunteer = await make_volunteer()
    patched = await client.patch(f"/api/v1/volunteers/{volunteer}", json={field: value})
    assert patched.status_code == 422


async def test_the_registration_page_says_what_is_wrong_in_plain_words(client):
    location = await make_location()
    await make_user("coordinator", "kaisa")
    await page_login(client, "kaisa")
    form = await client.get("/participants/new")
    refused = await client.post(
        "/participants",
        data={
            "_csrf": csrf(form.text),
            "first_name": "Aino",
            "last_name": "Virtanen",
            "phone": "131052-308T",
            "language": "fi",
            "consent_given_on": "2026-11-30",
            "location_id": str(location),
        },
    )
    assert refused.status_code == 422 and 'href="#field-phone"' in refused.text
    assert "henkilötunnus" in refused.text.lower()
    # A free-text wish of the intake form is a senior's text too.
    from tests.factories import enrol, make_cohort

    cohort = await make_cohort(location)
    person = await make_participant(location)
    await enrol(cohort, person)
    await as_role(client, "trainer", [location])
    wishes = await client.post(
        "/api/v1/assessments",
        json={
            "participant_id": person,
            "cohort_id": cohort,
            "phase": "before",
            "answers": {},
            "wishes_text": "Kela, hetu 131052-308T",
        },
    )
    assert wishes.status_code == 422 and wishes.json()["errors"][0]["field"] == "wishes_text"
