"""Test set-up: every database test runs on SQLite, and on PostgreSQL when
DIGIYSTAVA_TEST_DATABASE_URL is set (skipped, with that reason, when not).

Each engine's schema comes from the real migrations (``digiystava migrate`` in
a subprocess, once per run); between tests every table is emptied rather than
rolled back, because the test client runs the app on its own connections.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import uuid
import warnings
from pathlib import Path

import pytest

TEST_VAR = Path(tempfile.mkdtemp(prefix="digiystava-test-"))
os.environ["DIGIYSTAVA_VAR_DIR"] = str(TEST_VAR)
os.environ.setdefault("DIGIYSTAVA_SECRET_KEY", "test-secret-key-" + "x" * 32)
os.environ["DIGIYSTAVA_DATABASE_URL"] = f"sqlite:///{TEST_VAR}/default.sqlite"

PG_URL = os.environ.get("DIGIYSTAVA_TEST_DATABASE_URL", "")
ROOT = Path(__file__).resolve().parent.parent
PG_SKIP = "DIGIYSTAVA_TEST_DATABASE_URL is not set: PostgreSQL tests skipped"

# Marked, not skipped inside a fixture: the skip and its reason show in the collection.
# `.ci/run` always sets the URL, so CI never skips PostgreSQL.
POSTGRES_PARAM = pytest.param("postgres", id="postgres", marks=pytest.mark.skipif(not PG_URL, reason=PG_SKIP))
ENGINE_PARAMS = [pytest.param("sqlite", id="sqlite"), POSTGRES_PARAM]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


# Helsinki's midnight falls at 22:00 UTC in winter and 21:00 UTC in summer, when the
# machine's UTC date and the app's Helsinki date differ. Tests marked ``clock`` run at
# the real time and again just before and just after that midnight, in both seasons.
# NOTE: each "00:30" instant is still the previous day in UTC.
HELSINKI_MIDNIGHTS = {
    "winter-23.30": "2026-12-06T21:30:00+00:00",
    "winter-00.30": "2026-12-06T22:30:00+00:00",
    "summer-23.30": "2027-06-14T20:30:00+00:00",
    "summer-00.30": "2027-06-14T21:30:00+00:00",
}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if metafunc.definition.get_closest_marker("clock"):
        instants = [pytest.param(None, id="now"), *(pytest.param(v, id=k) for k, v in HELSINKI_MIDNIGHTS.items())]
        metafunc.parametrize("helsinki_clock", instants, indirect=True)


@pytest.fixture(autouse=True)
def helsinki_clock(request: pytest.FixtureRequest):
    """For a ``clock`` test, the whole process's clock set to one instant, then ticking on."""
    if getattr(request, "param", None) is None:
        yield None
        return
    from freezegun import freeze_time

    with freeze_time(request.param, tick=True) as frozen:
        yield frozen


def migrate(url: str) -> None:
    env = {**os.environ, "DIGIYSTAVA_DATABASE_URL": url, "PICCOLO_CONF": "piccolo_conf"}
    result = subprocess.run([sys.executable, "-m", "digiystava", "migrate"], cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"migrate failed for {url}: {result.stderr}{result.stdout}")


async def _pg_admin(sql: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(PG_URL)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


@pytest.fixture(scope="session")
def database_urls() -> dict[str, str]:
    """One migrated database per engine for the whole run, created lazily."""
    return {}


async def database_url(kind: str, urls: dict[str, str]) -> str:
    if kind in urls:
        return urls[kind]
    if kind == "sqlite":
        url = f"sqlite:///{TEST_VAR}/test.sqlite"
    else:
        name = f"digiystava_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        await _pg_admin(f'CREATE DATABASE "{name}"')
        base = PG_URL.rsplit("/", 1)[0]
        url = f"{base}/{name}"
    migrate(url)
    urls[kind] = url
    return url


@pytest.fixture(scope="session", autouse=True)
def _drop_pg_databases(database_urls: dict[str, str]):
    yield
    if "postgres" in database_urls:
        name = database_urls["postgres"].rsplit("/", 1)[1]
        import asyncio

        try:
            asyncio.run(_pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        except Exception as exc:  # noqa: BLE001 - cleanup must not hide test results
            warnings.warn(f"could not drop the test database {name}: {exc}")


async def _empty_engine(kind: str, urls: dict[str, str]):
    """The migrated database of ``kind``, bound to every table, with all tables empty."""
    from digiystava import db as dbmod

    engine = dbmod.engine_from_url(await database_url(kind, urls))
    dbmod.bind(engine)
    tables = dbmod.all_tables()
    names = ", ".join(f'"{t._meta.tablename}"' for t in tables)
    if engine.engine_type == "postgres":
        await engine.run_ddl(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
    else:
        from piccolo.table import sort_table_classes

        for table in reversed(sort_table_classes(tables)):
            await engine.run_ddl(f'DELETE FROM "{table._meta.tablename}"')
    return engine


@pytest.fixture(params=ENGINE_PARAMS)
async def db(request: pytest.FixtureRequest, database_urls: dict[str, str]):
    """The engine for one test, on each database in turn."""
    engine = await _empty_engine(request.param, database_urls)
    yield engine
    if hasattr(engine, "close"):
        await engine.close()


@pytest.fixture
async def sqlite_db(database_urls: dict[str, str]):
    """For a test about SQLite itself (its write lock): SQLite only."""
    engine = await _empty_engine("sqlite", database_urls)
    yield engine
    await engine.close()


@pytest.fixture(params=[POSTGRES_PARAM])
async def postgres_db(request: pytest.FixtureRequest, database_urls: dict[str, str]):
    """For a test about PostgreSQL only (several workers)."""
    yield await _empty_engine(request.param, database_urls)


@pytest.fixture
def settings(db):
    from digiystava.settings import get_settings

    return get_settings()


@pytest.fixture
async def app(db, settings):
    from digiystava.app import create_app

    return create_app(settings, db, pool=False)


@pytest.fixture
async def client(app):
    from litestar.testing import AsyncTestClient

    async with AsyncTestClient(app=app, base_url="http://testserver.local") as test_client:
        # Tests look at redirects themselves, as a browser's user would see them happen.
        test_client.follow_redirects = False
        yield test_client
