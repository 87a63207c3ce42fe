"""Every bad input is a 4xx problem naming what was wrong, never a 500, on both engines."""

from __future__ import annotations

import pytest

from digiystava.access import COMMAND_LINE
from tests.factories import as_role, make_cohort, make_location, make_participant
from tests.factories.assessments import answers, cohort_with_seniors
from tests.factories.tablets import make_course, make_tablet

BEYOND_POSTGRES = 2**31  # one past PostgreSQL's integer
BEYOND_SQLITE = 2**63  # one past SQLite's 64-bit integer


@pytest.fixture
async def coordinator(client):
    await as_role(client, "coordinator")
    return client


def problem(response, status_range=range(400, 500)) -> dict:
    assert response.status_code in status_range, (response.status_code, response.text)
    assert response.headers["content-type"].startswith("application/problem+json"), response.headers["content-type"]
    return response.json()


@pytest.mark.parametrize("huge", [BEYOND_POSTGRES, BEYOND_SQLITE, -BEYOND_SQLITE])
async def test_ids_beyond_the_columns_range_in_a_path_are_not_found(coordinator, huge):
    for path in (
        f"/api/v1/cohorts/{huge}",
        f"/api/v1/participants/{huge}",
        f"/api/v1/cohorts/{huge}/sessions",
        f"/api/v1/loans/{huge}/agreement.pdf",
    ):
        assert problem(await coordinator.get(path))["status"] == 404, path
    assert problem(await coordinator.patch(f"/api/v1/locations/{huge}", json={"name": "Oodi"}))["status"] == 404


@pytest.mark.parametrize("huge", [BEYOND_POSTGRES, BEYOND_SQLITE])
async def test_ids_beyond_the_columns_range_in_a_query_name_the_parameter(coordinator, huge):
    for path, name in (
        ("/api/v1/cohorts", "location_id"),
        ("/api/v1/loans", "tablet_id"),
        ("/api/v1/assessments", "participant_id"),
        ("/api/v1/labels.pdf", "tablet_id"),  # a list of ids: each one is checked
    ):
        body = problem(await coordinator.get(path, params={name: huge}))
        assert body["status"] == 422 and body["errors"][0]["field"] == name, body
    body = problem(await coordinator.get("/api/v1/cohorts", params={"offset": huge}))
    assert body["errors"][0]["field"] == "offset"


@pytest.mark.parametrize("huge", [BEYOND_POSTGRES, BEYOND_SQLITE])
async def test_ids_beyond_the_columns_range_in_a_body_name_the_field(coordinator, huge):
    location = await make_location()
    cohort = {"location_id": huge, "name": "Syksy", "start_date": "2026-09-07", "start_time": "13:00"}
    assert problem(await coordinator.post("/api/v1/cohorts", json=cohort))["errors"][0]["field"] == "location_id"
    cohort = {**cohort, "location_id": location, "trainer_ids": [huge]}
    assert problem(await coordinator.post("/api/v1/cohorts", json=cohort))["errors"][0]["field"].startswith(
        "trainer_ids"
    )
    enrolment = await coordinator.post(
        f"/api/v1/cohorts/{await make_cohort(location)}/enrolments", json={"participant_id": huge}
    )
    assert problem(enrolment)["errors"][0]["field"] == "participant_id"


async def test_nul_bytes_in_query_parameters_name_the_parameter(coordinator):
    for path, name in (
        ("/api/v1/participants", "q"),
        ("/api/v1/tablets", "donor"),
        ("/api/v1/audit", "entity"),
        ("/api/v1/audit", "user"),
    ):
        body = problem(await coordinator.get(path, params={name: "Ai\x00no"}))
        assert body["status"] == 422 and body["errors"][0]["field"] == name, (path, body)


async def test_json_nested_deeper_than_any_record_is_refused(coordinator):
    deep = "[" * 100_000 + "]" * 100_000
    assert (
        problem(
            await coordinator.post("/api/v1/locations", content=deep, headers={"content-type": "application/json"})
        )["status"]
        == 400
    )
    deep_object = '{"name": "Oodi", "kind": "library", "address": ' + "[" * 100_000 + "]" * 100_000 + "}"
    assert problem(
        await coordinator.post("/api/v1/locations", content=deep_object, headers={"content-type": "application/json"})
    )["status"] in (400, 422)


@pytest.mark.parametrize(
    "body, field",
    [
        ({"start_date": "9999-12-27", "weeks": 52}, "start_date"),  # the sessions would run past year 9999
        ({"start_date": "0001-01-01"}, "start_date"),  # before the programme could exist
        ({"start_date": "2026-09-07", "end_date": "9999-12-31"}, "end_date"),  # an end no calendar reaches
    ],
)
async def test_dates_out_of_any_sensible_range_are_refused(coordinator, body, field):
    location = await make_location()
    cohort = {"location_id": location, "name": "Syksy", "start_time": "13:00", **body}
    assert problem(await coordinator.post("/api/v1/cohorts", json=cohort))["errors"][0]["field"] == field
    participant = {
        "first_name": "Aino",
        "last_name": "Virtanen",
        "consent_given_on": "9999-12-31",
        "location_id": location,
    }
    assert (
        problem(await coordinator.post("/api/v1/participants", json=participant))["errors"][0]["field"]
        == "consent_given_on"
    )


@pytest.mark.parametrize(
    "name",
    [
        "Kallio\nBEGIN:VEVENT",  # a bare line feed would break the calendar feeds
        "Kallio\tkirjasto",  # a tab in a one-line name
        "Kallio\rkirjasto",  # a bare carriage return
        "Kallio\x85kirjasto",  # NEL, a C1 line break
        "Kallio\n",  # at the edge too: the published pattern refuses it there, so the server does
        "\tKallio",
    ],
)
async def test_control_characters_in_one_line_fields_name_the_field(coordinator, name):
    location = (await coordinator.post("/api/v1/locations", json={"name": "Oodi", "kind": "library"})).json()["id"]
    for path, body in (
        ("/api/v1/locations", {"name": name, "kind": "library"}),
        ("/api/v1/cohorts", {"location_id": location, "name": name, "start_date": "2026-09-07", "start_time": "13:00"}),
    ):
        body = problem(await coordinator.post(path, json=body))
        assert (
            body["status"] == 422
            and body["errors"][0]["field"] == "name"
            and "control characters" in body["errors"][0]["message"]
        ), body
    body = problem(await coordinator.patch(f"/api/v1/locations/{location}", json={"address": name}))
    assert body["errors"][0]["field"] == "address"


@pytest.mark.parametrize("notes", ["Kuulolaite.\x0c", "\x1fKuulolaite.", "Kuulolaite.\x85"])
async def test_control_characters_at_the_edge_of_a_text_are_refused_too(coordinator, notes):
    """Trimming the edges must not let through what the published pattern refuses anywhere."""
    person = {
        "first_name": "Aino",
        "last_name": "Virtanen",
        "consent_given_on": "2026-08-01",
        "location_id": await make_location(),
        "notes": notes,
    }
    assert problem(await coordinator.post("/api/v1/participants", json=person))["errors"][0]["field"] == "notes"


async def test_notes_keep_their_line_breaks(coordinator):
    location = await make_location()
    notes = "Tarvitsee isomman fontin.\nKuulolaite."
    person = {
        "first_name": "Aino",
        "last_name": "Virtanen",
        "consent_given_on": "2026-08-01",
        "location_id": location,
        "notes": notes,
    }
    created = await coordinator.post("/api/v1/participants", json=person)
    assert created.status_code == 201, created.text
    assert created.json()["notes"] == notes


async def test_mathtext_in_a_cohort_name_prints_as_typed_on_the_progress_page(client):
    name = r"Kevät $\frac{1}{$ ryhmä"  # NOTE: an unfinished maths expression matplotlib would try to parse
    location_id, cohort_id, (aino, *_rest) = await cohort_with_seniors(name=name)
    await as_role(client, "coordinator")
    for phase in ("before", "after"):
        created = await client.post(
            "/api/v1/assessments",
            json={"participant_id": aino, "cohort_id": cohort_id, "phase": phase, "answers": answers()},
        )
        assert created.status_code == 201, created.text
    response = await client.get(f"/participants/{aino}/progress", headers={"accept": "text/html"})
    assert response.status_code == 200
    assert "<svg" in response.text


async def test_a_database_that_cannot_be_written_is_a_clear_503(db, settings):
    from digiystava import db as dbmod
    from digiystava.accounts.services import create_token
    from digiystava.app import create_app
    from tests.factories import InLoopClient, make_user

    token = (await create_token(COMMAND_LINE, "script", await make_user("coordinator", "kaisa"))).token
    if db.engine_type == "sqlite":
        read_only = dbmod.KeptOpenSQLiteEngine(path=f"file:{db.path}?mode=ro", uri=True, timeout=1)
    else:
        from piccolo.engine.postgres import PostgresEngine

        read_only = PostgresEngine(config={**db.config, "server_settings": {"default_transaction_read_only": "on"}})
    app = create_app(settings, read_only, pool=False)
    try:
        async with app.lifespan(), InLoopClient(app) as client:
            response = await client.post(
                "/api/v1/locations",
                json={"name": "Lukittu", "kind": "library"},
                headers={"Authorization": f"Bearer {token}"},
            )
            body = problem(response, range(503, 504))
            assert "cannot be written" in body["detail"]
    finally:
        dbmod.bind(db)


async def test_not_found_and_wrong_method_carry_the_security_headers(client):
    for response in (
        await client.get("/api/v1/nothing-here"),
        await client.delete("/api/v1/locations"),
        await client.get("/no-such-page"),
    ):
        assert response.status_code in (404, 405)
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert (
            response.headers["x-content-type-options"] == "nosniff" and response.headers["cache-control"] == "no-store"
        )


@pytest.fixture
async def loan(coordinator):
    course = await make_course()
    tablet = await make_tablet()
    created = await coordinator.post(
        "/api/v1/loans",
        json={"tablet_id": tablet, "participant_id": course["participant_id"], "cohort_id": course["cohort_id"]},
    )
    assert created.status_code == 201, created.text
    return created.json()


@pytest.mark.clock
async def test_loan_patch_keeps_the_rules_of_a_new_loan(coordinator, loan):
    past = await coordinator.patch(f"/api/v1/loans/{loan['id']}", json={"due_date": "2020-01-01"})
    assert problem(past)["errors"][0]["field"] == "due_date"
    number = await coordinator.patch(f"/api/v1/loans/{loan['id']}", json={"agreement_signed_on": 20261206})
    assert problem(number)["errors"][0]["field"] == "agreement_signed_on"
    fine = await coordinator.patch(f"/api/v1/loans/{loan['id']}", json={"agreement_signed_on": loan["out_at"][:10]})
    assert fine.status_code == 200, fine.text


async def test_dates_and_times_are_iso_text_not_numbers(coordinator):
    location = await make_location()
    for field, value in (("start_date", 20260907), ("start_time", 46800), ("start_time", "PT13H")):
        cohort = {
            "location_id": location,
            "name": "Syksy",
            "start_date": "2026-09-07",
            "start_time": "13:00",
            field: value,
        }
        assert problem(await coordinator.post("/api/v1/cohorts", json=cohort))["errors"][0]["field"] == field, (
            field,
            value,
        )


async def test_passwords_keep_their_spaces(coordinator, client):
    from tests.factories import InLoopClient

    password = "  kaksi sanaa  "  # NOTE: spaces at both ends are part of what the person chose
    created = await coordinator.post(
        "/api/v1/users", json={"username": "aino.k", "role": "trainer", "password": password}
    )
    assert created.status_code == 201, created.text
    async with InLoopClient(client.app) as other:
        assert (
            await other.post("/api/v1/auth/login", json={"username": "aino.k", "password": password})
        ).status_code == 200
    async with InLoopClient(client.app) as other:
        assert (
            await other.post("/api/v1/auth/login", json={"username": "aino.k", "password": password.strip()})
        ).status_code == 401
    short = await coordinator.post(
        "/api/v1/users", json={"username": "eino.k", "role": "trainer", "password": "  abc  "}
    )  # NOTE: seven characters, spaces counted
    assert problem(short)["errors"][0]["field"] == "password"


async def test_a_body_field_named_like_a_dependency_is_still_the_callers_mistake(coordinator):
    """``language`` in a senior's PATCH is the senior's language, not the answer's: a bad one is a 422 naming it."""
    senior_id = await make_participant(await make_location())
    body = problem(await coordinator.patch(f"/api/v1/participants/{senior_id}", json={"language": "00"}))
    assert body["status"] == 422 and body["errors"][0]["field"].endswith("language"), body
