"""The published OpenAPI document describes what the server really does: times of day,
each format's answer, content types, how to authenticate, OPTIONS, PATCH nulls."""

from __future__ import annotations

import pytest

from digiystava.access import COMMAND_LINE
from tests.factories import as_role, make_cohort, make_location


@pytest.fixture
async def document(client) -> dict:
    return (await client.get("/schema/openapi.json")).json()


def _walk(node, path=""):
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from _walk(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk(value, f"{path}/{i}")


async def test_times_are_published_and_accepted_as_times_of_day(client, document):
    assert not [path for path, node in _walk(document) if node.get("format") == "duration"]
    start = document["components"]["schemas"]["CohortIn"]["properties"]["start_time"]
    assert start["type"] == "string" and start["pattern"].startswith("^([01][0-9]|2[0-3]):[0-5][0-9]")
    await as_role(client, "coordinator")
    body = {"location_id": await make_location(), "name": "Syksy", "start_date": "2026-09-07", "start_time": "10:00"}
    created = await client.post("/api/v1/cohorts", json=body)
    assert created.status_code == 201 and created.json()["start_time"].startswith("10:00")


async def test_each_format_has_its_own_answer(document):
    for path in ("/api/v1/reports/outcomes", "/api/v1/volunteers/hours/totals", "/api/v1/donors/{donor}/report"):
        content = document["paths"][path]["get"]["responses"]["200"]["content"]
        assert "oneOf" not in content["application/json"]["schema"], path
        assert content["application/json"]["schema"]["$ref"].startswith("#/components/schemas/"), path
        assert "application/pdf" in content, path
    assert "text/html" in document["paths"]["/api/v1/reports/outcomes"]["get"]["responses"]["200"]["content"]


@pytest.mark.parametrize(
    "path, media_type",
    [
        ("/api/v1/tablets/export.csv", "text/csv"),
        ("/api/v1/cohorts/{cohort_id}/assessments/export.csv", "text/csv"),
        ("/api/v1/loans/{loan_id}/agreement.pdf", "application/pdf"),
        ("/api/v1/labels.pdf", "application/pdf"),
        ("/api/v1/cohorts/{cohort_id}/calendar.ics", "text/calendar"),
        ("/api/v1/cohorts/{cohort_id}/handouts/beginner.zip", "application/zip"),
    ],
)
async def test_documents_are_not_published_as_json(document, path, media_type):
    assert list(document["paths"][path]["get"]["responses"]["200"]["content"]) == [media_type]


async def test_bearer_tokens_and_sessions_are_declared(document):
    schemes = document["components"]["securitySchemes"]
    assert schemes["bearer"]["type"] == "http" and schemes["bearer"]["scheme"] == "bearer"
    assert schemes["session"]["in"] == "cookie"
    assert {"bearer": []} in document["security"]
    assert document["paths"]["/health"]["get"]["security"] == []


async def test_no_two_models_share_a_title(document):
    titles = [schema.get("title", name) for name, schema in document["components"]["schemas"].items()]
    assert len(titles) == len(set(titles)), sorted(t for t in titles if titles.count(t) > 1)


async def test_patch_models_publish_null_only_where_it_is_accepted(client, document):
    schemas = document["components"]["schemas"]
    nullable = {
        (name, field)
        for name, schema in schemas.items()
        if name.endswith("Patch")
        for field, prop in schema["properties"].items()
        if any(option.get("type") == "null" for option in prop.get("oneOf", []))
    }
    assert nullable == {
        ("CostPatch", "location_id"),  # a programme-wide line
        ("CostPatch", "quantity"),  # volunteer hours counted from those recorded
        ("LoanPatch", "agreement_signed_on"),
        ("ParticipantPatch", "birth_year"),
        ("ParticipantPatch", "location_id"),
        ("VolunteerPatch", "identity_checked_on"),
        ("VolunteerPatch", "training_done_on"),
        ("VolunteerPatch", "user_id"),
    }
    await as_role(client, "coordinator")
    location = await make_location()
    response = await client.patch(f"/api/v1/locations/{location}", json={"name": None})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "name"


async def test_options_names_every_method_of_the_path(client):
    await as_role(client, "coordinator")
    cohort = await make_cohort(await make_location())
    for path, methods in (
        ("/api/v1/cohorts", {"GET", "POST", "OPTIONS"}),
        (f"/api/v1/cohorts/{cohort}", {"GET", "PATCH", "OPTIONS"}),
        ("/api/v1/locations", {"GET", "POST", "OPTIONS"}),
    ):
        response = await client.options(path)
        assert response.status_code == 204 and set(response.headers["allow"].replace(" ", "").split(",")) == methods, (
            path,
            response.headers["allow"],
        )


async def test_html_report_is_html_without_a_csrf_token_for_token_callers(client):
    from digiystava.accounts.services import create_token
    from tests.factories import make_user

    token = (await create_token(COMMAND_LINE, "script", await make_user("coordinator", "kaisa"))).token
    response = await client.get(
        "/api/v1/reports/outcomes", params={"format": "html"}, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200 and response.headers["content-type"] == "text/html; charset=utf-8"
    assert 'content="None"' not in response.text and 'name="csrf-token"' not in response.text


async def test_content_type_names_its_charset_once(client):
    await as_role(client, "coordinator")
    for path in ("/api/v1/tablets/export.csv", "/api/v1/reports/outcomes?format=html", "/api/v1/locations"):
        content_type = (await client.get(path)).headers["content-type"]
        assert content_type.count("charset") <= 1, (path, content_type)


async def test_a_whole_number_written_as_a_float_is_an_integer(client):
    """JSON Schema's integer includes 1901.0; a string or a boolean is still not a number."""
    await as_role(client, "coordinator")
    location = await make_location()
    base = {"location_id": location, "first_name": "Aino", "last_name": "Virtanen", "consent_given_on": "2026-11-02"}
    whole = await client.post(
        "/api/v1/participants", json={**base, "location_id": float(location), "birth_year": 1945.0}
    )
    assert whole.status_code == 201, whole.text
    assert whole.json()["birth_year"] == 1945
    for wrong in ({"birth_year": 1945.5}, {"birth_year": "1945"}, {"location_id": True}):
        refused = await client.post("/api/v1/participants", json={**base, "first_name": "Eino", **wrong})
        assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == next(iter(wrong)), wrong


FORMAT_MEDIA = {
    "json": "application/json",
    "csv": "text/csv",
    "pdf": "application/pdf",
    "html": "text/html",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


async def test_every_format_a_query_may_ask_for_has_its_media_type(document):
    checked = 0
    for path, item in document["paths"].items():
        for method, operation in item.items():
            for parameter in operation.get("parameters", []) if isinstance(operation, dict) else []:
                if parameter.get("in") == "query" and parameter["name"] == "format":
                    schema = parameter["schema"]
                    values = schema.get("enum") or [
                        v for option in schema.get("oneOf", schema.get("anyOf", [])) for v in option.get("enum", [])
                    ]
                    content = operation["responses"]["200"]["content"]
                    assert {FORMAT_MEDIA[v] for v in values} <= set(content), (method, path, values, list(content))
                    checked += 1
    assert checked >= 3
