"""What a senior wishes to learn: told at registration, kept in the first questionnaire, entered beside the grid
and ticked on the back of the paper form; the guide orders its chapters by it."""

from digiystava.access import COMMAND_LINE
from tests.factories import as_role, make_cohort, make_location, make_participant, make_user
from tests.factories.assessments import cohort_with_seniors
from tests.test_pages import csrf, page_login


async def _wishes_of(participant_id: int) -> tuple[list, str]:
    from cohorts.tables import Participant

    row = (
        await Participant.select(Participant.wishes, Participant.wishes_text)
        .where(Participant.id == participant_id)
        .output(load_json=True)
        .first()
    )
    return row["wishes"], row["wishes_text"]


async def test_the_registration_form_takes_the_wishes(client):
    from cohorts.tables import Participant

    location = await make_location()
    cohort = await make_cohort(location)
    await make_user("trainer", "tiina", [location])
    await page_login(client, "tiina")
    form = await client.get(f"/participants/new?cohort_id={cohort}")
    assert 'name="wishes" value="bills"' in form.text and 'name="wishes_text"' in form.text
    saved = await client.post(
        "/participants",
        data={
            "_csrf": csrf(form.text),
            "cohort_id": str(cohort),
            "location_id": str(location),
            "first_name": "Gunnel",
            "last_name": "Söderberg",
            "language": "sv",
            "consent_given_on": "2026-09-01",
            # NOTE: ticked out of the instrument's order; stored in it.
            "wishes": ["groceries", "bills"],
            "wishes_text": "Videosamtal med barnbarnen",
        },
    )
    assert saved.status_code == 303, saved.text
    senior = (await Participant.select(Participant.id).where(Participant.last_name == "Söderberg").first())["id"]
    assert await _wishes_of(senior) == (["bills", "groceries"], "Videosamtal med barnbarnen")
    await client.get("/language/en?next=/")
    page = (await client.get(f"/participants/{senior}")).text
    assert "Paying bills, Grocery shopping; “Videosamtal med barnbarnen”" in page


async def test_unknown_wishes_and_identity_codes_are_refused(client):
    location = await make_location()
    await as_role(client, "coordinator")
    body = {"first_name": "Aino", "last_name": "Virtanen", "consent_given_on": "2026-09-01", "location_id": location}
    unknown = await client.post("/api/v1/participants", json={**body, "wishes": ["bills", "skydiving"]})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "wishes"
    code = await client.post("/api/v1/participants", json={**body, "wishes_text": "Hetu 131052-308T"})
    assert code.status_code == 422 and code.json()["errors"][0]["field"] == "wishes_text"
    fine = await client.post("/api/v1/participants", json={**body, "wishes": ["email"]})
    assert fine.status_code == 201 and fine.json()["wishes"] == ["email"]


async def test_the_first_questionnaire_takes_over_the_registration_wishes(client):
    from cohorts.tables import Participant

    location, cohort, (aino, birgitta, *_rest) = await cohort_with_seniors()
    await Participant.update({Participant.wishes: ["email", "photos"], Participant.wishes_text: "Kuvat"}).where(
        Participant.id.is_in([aino, birgitta])
    )
    await as_role(client, "trainer", [location])
    taken = await client.post(
        "/api/v1/assessments", json={"participant_id": aino, "cohort_id": cohort, "phase": "before", "answers": {}}
    )
    assert taken.status_code == 201, taken.text
    assert (taken.json()["wishes"], taken.json()["wishes_text"]) == (["photos", "email"], "Kuvat")
    # Wishes given with the questionnaire are the questionnaire's.
    own = await client.post(
        "/api/v1/assessments",
        json={"participant_id": birgitta, "cohort_id": cohort, "phase": "before", "answers": {}, "wishes": ["bank"]},
    )
    assert own.json()["wishes"] == ["bank"]


async def test_the_grids_wishes_page_saves_with_the_senior_until_the_questionnaire_is_recorded(client):
    location, cohort, (aino, birgitta, *_rest) = await cohort_with_seniors()
    await make_user("trainer", "tiina", [location])
    await page_login(client, "tiina")
    grid = await client.get(f"/cohorts/{cohort}/assessments/before")
    assert f'href="/cohorts/{cohort}/wishes/{aino}"' in grid.text
    form = await client.get(f"/cohorts/{cohort}/wishes/{aino}")
    assert form.status_code == 200
    saved = await client.post(
        f"/cohorts/{cohort}/wishes/{aino}", data={"_csrf": csrf(form.text), "wishes": ["kela"], "wishes_text": ""}
    )
    assert saved.status_code == 303
    assert await _wishes_of(aino) == (["kela"], "")
    # Recorded next from the grid: the questionnaire has the wishes.
    row = await client.post(
        f"/cohorts/{cohort}/assessments/before/{aino}", data={"_csrf": csrf(form.text), "search": "1"}
    )
    assert row.status_code == 303
    token_client_wishes = (await client.get(f"/cohorts/{cohort}/wishes/{aino}")).text
    assert 'value="kela" checked' in token_client_wishes
    # Now a change goes into the questionnaire, and the senior's own record stays as it was.
    await client.post(
        f"/cohorts/{cohort}/wishes/{aino}",
        data={"_csrf": csrf(form.text), "wishes": ["kela", "doctor"], "wishes_text": "Omakanta"},
    )
    from assessments.tables import Assessment

    recorded = (
        await Assessment.select(Assessment.wishes, Assessment.wishes_text)
        .where(Assessment.participant == aino, Assessment.phase == "before")
        .output(load_json=True)
        .first()
    )
    assert (recorded["wishes"], recorded["wishes_text"]) == (["doctor", "kela"], "Omakanta")
    assert await _wishes_of(aino) == (["kela"], "")
    refused = await client.post(
        f"/cohorts/{cohort}/wishes/{birgitta}",
        data={"_csrf": csrf(form.text), "wishes": [], "wishes_text": "131052-308T"},
    )
    assert refused.status_code == 422 and 'class="error-summary"' in refused.text


async def test_a_trainer_of_another_location_has_no_wishes_page(client):
    _location, cohort, (aino, *_rest) = await cohort_with_seniors()
    await as_role(client, "trainer", [await make_location("Malmin kirjasto")])
    assert (await client.get(f"/cohorts/{cohort}/wishes/{aino}")).status_code == 404
    outsider = await make_participant(await make_location("Oodi"))
    await as_role(client, "coordinator")
    # A senior who is not on the cohort has no wishes page there either.
    assert (await client.get(f"/cohorts/{cohort}/wishes/{outsider}")).status_code == 404


async def test_the_guide_follows_the_registration_wishes_before_the_questionnaire(db):
    from cohorts.handouts.services import seniors
    from cohorts.tables import Participant

    _location, cohort, (aino, *_rest) = await cohort_with_seniors()
    await Participant.update({Participant.wishes: ["bills", "photos"]}).where(Participant.id == aino)
    found = await seniors(cohort, participant_id=aino)
    assert found[0].info.skill_order[:2] == ("banking", "photos")


async def test_erasure_blanks_the_wishes(db):
    from cohorts.participants.privacy import erase_person
    from cohorts.tables import Participant

    senior = await make_participant(await make_location())
    await Participant.update({Participant.wishes: ["bills"], Participant.wishes_text: "Pankki"}).where(
        Participant.id == senior
    )
    await erase_person(COMMAND_LINE, senior)
    assert await _wishes_of(senior) == ([], "")


async def test_an_imported_first_questionnaire_takes_over_the_registration_wishes_too(client):
    from assessments.tables import Assessment
    from cohorts.tables import Participant
    from tests.test_assessments_transfer import upload

    location, cohort, (aino, birgitta, *_rest) = await cohort_with_seniors()
    await Participant.update({Participant.wishes: ["kela"], Participant.wishes_text: "Kelan lomakkeet"}).where(
        Participant.id.is_in([aino, birgitta])
    )
    pseudonyms = {r["id"]: r["pseudonym"] for r in await Participant.select(Participant.id, Participant.pseudonym)}
    await as_role(client, "trainer", [location])
    content = f"pseudonym,phase,search,wishes\n{pseudonyms[aino]},before,2,\n{pseudonyms[birgitta]},before,1,email\n"
    response = await client.post(f"/api/v1/cohorts/{cohort}/assessments/import", **upload(content))
    assert response.status_code in (200, 201), response.text
    rows = {
        r["participant"]: (r["wishes"], r["wishes_text"])
        for r in await Assessment.select(Assessment.participant, Assessment.wishes, Assessment.wishes_text).output(
            load_json=True
        )
    }
    # The file's own wishes win; an empty cell takes the registration's.
    assert rows == {aino: (["kela"], "Kelan lomakkeet"), birgitta: (["email"], "")}
