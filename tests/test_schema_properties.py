"""Property-based tests from the OpenAPI schema: no generated request gets a 500,
and every answer conforms to the schema the API publishes.

Runs on a migrated SQLite database with the demo programme, as a coordinator
(the role that reaches every operation).
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis.specs.openapi.checks import allow_header_conformance  # noqa: E402

from tests.conftest import demo_database  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
WORKDIR = Path(tempfile.mkdtemp(prefix="digiystava-schema-"))
URL = demo_database("sqlite", WORKDIR)  # migrated, with the small demo programme
ENV = {**os.environ, "DIGIYSTAVA_DATABASE_URL": URL}


def _cli(*args: str) -> str:
    return subprocess.run([sys.executable, "-m", "digiystava", *args], cwd=ROOT, env=ENV, check=True, capture_output=True, text=True).stdout


TOKEN = _cli("user", "token", "koordinaattori").strip()


def _app():
    from digiystava import db
    from digiystava.app import create_app
    from digiystava.settings import get_settings

    return create_app(get_settings(), db.engine_from_url(URL))


schema = schemathesis.openapi.from_asgi("/schema/openapi.json", _app())


@schema.parametrize()
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_follows_its_schema(case):
    # NOTE: the Allow header of Litestar's automatic OPTIONS answer lists only the
    # methods of one handler when a path has several; that is the framework's.
    case.call_and_validate(headers={"Authorization": f"Bearer {TOKEN}"}, excluded_checks=[allow_header_conformance])
