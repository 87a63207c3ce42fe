"""The API as a client sees it: the live OpenAPI document is valid, and a client generated
from it (openapi-python-client, offline, into a temporary folder) works without hand edits:
it signs in with a token, lists and creates cohorts, and fetches a report in each format."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from digiystava.access import COMMAND_LINE
from tests.factories import make_location, make_user

pytest.importorskip("openapi_python_client")

CONFIG = """\
post_hooks: []
project_name_override: digiystava-client
package_name_override: digiystava_client
# Documents are bytes (PDF, ZIP) or text (CSV, calendars, HTML) to the client.
content_type_overrides:
  application/pdf: application/octet-stream
  application/zip: application/octet-stream
  application/vnd.openxmlformats-officedocument.spreadsheetml.sheet: application/octet-stream
  text/csv: text/plain
  text/calendar: text/plain
  text/html: text/plain
"""


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory):
    """Generates the client once per run from the document the app publishes."""
    from litestar.testing import TestClient

    from digiystava import db as dbmod
    from digiystava.app import create_app
    from digiystava.settings import get_settings

    folder = tmp_path_factory.mktemp("client")
    engine = dbmod.engine_from_url(f"sqlite:///{folder}/schema-only.sqlite")
    with TestClient(create_app(get_settings(), engine, pool=False)) as client:
        document = client.get("/schema/openapi.json").json()
    (folder / "openapi.json").write_text(json.dumps(document))
    (folder / "config.yaml").write_text(CONFIG)
    generator = Path(sys.executable).parent / "openapi-python-client"
    result = subprocess.run(
        [
            str(generator),
            "generate",
            "--path",
            str(folder / "openapi.json"),
            "--output-path",
            str(folder / "out"),
            "--config",
            str(folder / "config.yaml"),
            "--meta",
            "none",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # A warning means an operation or an answer was left out of the client.
    assert "WARNING" not in result.stdout + result.stderr, result.stdout + result.stderr
    (folder / "out").rename(folder / "digiystava_client")
    sys.path.insert(0, str(folder))
    try:
        yield document, importlib.import_module("digiystava_client")
    finally:
        sys.path.remove(str(folder))


def test_the_published_document_is_valid_openapi(generated):
    from openapi_spec_validator import validate

    document, _client = generated
    validate(document)
    schemes = document["components"]["securitySchemes"]
    assert schemes["bearer"] == {**schemes["bearer"], "type": "http", "scheme": "bearer"}
    assert document["paths"]["/health"]["get"]["security"] == []


async def test_a_generated_client_works_without_hand_edits(generated, app):
    import httpx

    from digiystava.accounts.services import create_token

    _document, package = generated
    api = importlib.import_module("digiystava_client.api")
    cohorts_api = importlib.import_module("digiystava_client.api.cohorts")
    models = importlib.import_module("digiystava_client.models")
    location = await make_location()
    token = (await create_token(COMMAND_LINE, "script", await make_user("coordinator", "kaisa"))).token
    client = package.AuthenticatedClient(
        base_url="http://testserver.local", token=token, httpx_args={"transport": httpx.ASGITransport(app=app)}
    )

    me = importlib.import_module("digiystava_client.api.me.api_v1_me_me")
    assert (await me.asyncio(client=client)).username == "kaisa"

    create = importlib.import_module(f"{cohorts_api.__name__}.api_v1_cohorts_create_cohort")
    body = models.CohortIn(
        location_id=location, name="Syksy 2026", start_date=_date("2026-09-07"), start_time="13:00", weeks=10
    )
    created = await create.asyncio_detailed(client=client, body=body)
    assert created.status_code == 201, created.content
    assert created.parsed.start_time.startswith("13:00") and created.parsed.end_date.isoformat() == "2026-11-09"

    listing = importlib.import_module(f"{cohorts_api.__name__}.api_v1_cohorts_list_cohorts")
    page = await listing.asyncio(client=client, location_id=location)
    assert page.total == 1 and page.items[0].name == "Syksy 2026"

    reports = f"{api.__name__}.reports"
    as_json = await importlib.import_module(f"{reports}.api_v1_reports_outcomes_outcomes").asyncio_detailed(
        client=client
    )
    as_pdf = await importlib.import_module(f"{reports}.api_v1_reports_outcomes_pdf_outcomes_pdf").asyncio_detailed(
        client=client
    )
    as_html = await importlib.import_module(f"{reports}.api_v1_reports_outcomes_html_outcomes_html").asyncio_detailed(
        client=client
    )
    assert as_json.status_code == 200 and as_json.parsed.minimum == 5
    assert (
        as_pdf.status_code == 200
        and as_pdf.headers["content-type"] == "application/pdf"
        and as_pdf.parsed.payload.read(5) == b"%PDF-"
    )
    assert (
        as_html.status_code == 200
        and as_html.headers["content-type"].startswith("text/html")
        and "<html" in as_html.parsed
    )
    assert 'name="csrf-token"' not in as_html.parsed  # a token caller has no session, so no CSRF token to print


def _date(text: str):
    import datetime as dt

    return dt.date.fromisoformat(text)
