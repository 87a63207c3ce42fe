"""Test set-up: every database test runs on SQLite, and on PostgreSQL when
DIGIYSTAVA_TEST_DATABASE_URL is set (skipped, with that reason, when not).

`make test` runs the suite in parallel (pytest-xdist); each worker has its own
databases on each engine, its own DIGIYSTAVA_VAR_DIR and its own app. The schema
comes from the real migrations (``digiystava migrate`` in a subprocess), run once
per run into a template that every worker copies (a copied SQLite file;
PostgreSQL's ``CREATE DATABASE ... TEMPLATE``). The demo programme likewise: one
served copy per run and Helsinki date (``demo_database``), and one in-process
snapshot per worker, engine and date (``demo_data``). Between tests every table is
emptied rather than rolled back, because a test's requests commit through the app's
own transactions. The app is built once per worker and engine (building it costs more
than most tests) and gets fresh state for every test; the test client calls it on the
test's event loop (``tests.factories.InLoopClient``).
"""

from __future__ import annotations

import asyncio
import fcntl
import gc
import io
import logging
import os
import shutil
import sqlite3
import tempfile
import threading
import time
import uuid
import warnings
from collections.abc import Callable
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

import pytest
from piccolo.table import sort_table_classes

TEST_VAR = Path(tempfile.mkdtemp(prefix="digiystava-test-"))
os.environ["DIGIYSTAVA_VAR_DIR"] = str(TEST_VAR)
os.environ.setdefault("DIGIYSTAVA_SECRET_KEY", "test-secret-key-" + "x" * 32)
os.environ["DIGIYSTAVA_DATABASE_URL"] = f"sqlite:///{TEST_VAR}/default.sqlite"
# Argon2id at 32 KiB instead of 64 MiB: every hash and login is still real, in a millisecond,
# not a tenth of a second (the suite makes thousands). The default is pinned in tests/unit.
os.environ.setdefault("DIGIYSTAVA_PASSWORD_HASH_KIB", "32")
# The app is started thousands of times here; loading the report libraries ahead each time
# would only cost CPU (tests/unit/test_warm_start.py tests it).
os.environ.setdefault("DIGIYSTAVA_WARM_START", "0")

# NOTE: the app's modules load here, before any ``clock`` test freezes time: some libraries
# (pydantic.v1, under Litestar's pydantic plugin) subclass ``datetime.date`` as they load, which
# fails against freezegun's stand-in classes if the first app of a worker is built in a frozen test.
import digiystava.app  # noqa: F401, E402
from digiystava.table_versions import VERSION_TABLE  # noqa: E402
from tests.error_summary import summary_links_to_nowhere  # noqa: E402
from tests.factories import InLoopClient  # noqa: E402
from tests.factories.commands import output_of  # noqa: E402

PG_URL = os.environ.get("DIGIYSTAVA_TEST_DATABASE_URL", "")
ROOT = Path(__file__).resolve().parent.parent
PG_SKIP = "DIGIYSTAVA_TEST_DATABASE_URL is not set: PostgreSQL tests skipped"

# One run (the controller and its xdist workers) shares its templates: the controller
# names the run before it starts the workers, which inherit the name.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
RUN_ID = os.environ.setdefault(
    "DIGIYSTAVA_TEST_RUN", (os.environ.get("PYTEST_XDIST_TESTRUNUID") or uuid.uuid4().hex)[:8]
)
RUN_DIR = Path(tempfile.gettempdir()) / f"digiystava-test-run-{RUN_ID}"
PG_PREFIX = f"digiystava_test_{RUN_ID}_"
# The workers must collect the same tests in the same order, and the schema-generated ones
# follow the app's routes, whose order follows Python's string hashing: one seed per run.
os.environ.setdefault("PYTHONHASHSEED", str(int(RUN_ID, 16) % 4294967295 + 1))

# Marked, not skipped inside a fixture: the skip and its reason show in the collection.
# `.ci/run` always sets the URL, so CI never skips PostgreSQL.
POSTGRES_PARAM = pytest.param("postgres", id="postgres", marks=pytest.mark.skipif(not PG_URL, reason=PG_SKIP))
ENGINE_PARAMS = [pytest.param("sqlite", id="sqlite"), POSTGRES_PARAM]


@pytest.hookimpl(tryfirst=True)  # before xdist names each item's group
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # The browser tests share one demo server and one Chromium at a time: under
    # `--dist loadgroup` they all run in one worker, the other tests spread over the rest.
    for item in items:
        if item.get_closest_marker("browser") or "browser" in item.path.relative_to(ROOT).parts[:2]:
            item.add_marker(pytest.mark.xdist_group("browser"))


_LOCK_FILES: dict[str, object] = {}


def _lock_file(name: str):
    if name not in _LOCK_FILES:
        RUN_DIR.mkdir(exist_ok=True)
        _LOCK_FILES[name] = open(RUN_DIR / name, "w")  # noqa: SIM115 - kept open for the run
    return _LOCK_FILES[name]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None):
    """A test marked ``exclusive`` runs while no other worker runs a test: it waits for
    theirs to end, and theirs wait for it (the turnstile keeps it from waiting forever)."""
    if WORKER == "main":
        return (yield)
    turnstile, alone = _lock_file("turnstile.lock"), _lock_file("alone.lock")
    exclusive = item.get_closest_marker("exclusive") is not None
    fcntl.flock(turnstile, fcntl.LOCK_EX)
    try:
        fcntl.flock(alone, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
    finally:
        if not exclusive:
            fcntl.flock(turnstile, fcntl.LOCK_UN)
    try:
        return (yield)
    finally:
        fcntl.flock(alone, fcntl.LOCK_UN)
        if exclusive:
            fcntl.flock(turnstile, fcntl.LOCK_UN)


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
def log_lines_written():
    """The app's log lines are written by a thread of their own, a batch at a time
    (``digiystava/log_lines.py``): a test's are written before it ends, into its own output."""
    yield
    for handler in logging.getLogger().handlers:
        handler.flush()


# Modules that keep the real clock in a ``clock`` test: pytest's own timing (so that
# `--durations` stays true), and libraries that never ask for today. freezegun looks through
# every loaded module's names at each start, and these are a third of the modules loaded.
UNFROZEN_MODULES = ["_pytest.runner", "scipy", "numpy", "matplotlib", "PIL", "playwright", "pygments", "black"]

# The running ``clock`` test's freezer, if one runs (see ``unfrozen``).
_FREEZERS: list = []


@pytest.fixture(autouse=True)
def helsinki_clock(request: pytest.FixtureRequest):
    """For a ``clock`` test, the whole process's clock set to one instant, then ticking on."""
    if getattr(request, "param", None) is None:
        yield None
        return
    from freezegun import freeze_time

    freezer = freeze_time(request.param, tick=True, ignore=UNFROZEN_MODULES)
    frozen = freezer.start()
    _FREEZERS.append(freezer)
    try:
        yield frozen
    finally:
        _FREEZERS.remove(freezer)
        freezer.stop()


@contextmanager
def unfrozen():
    """Python's own date classes for a while, inside a ``clock`` test too; then the clock's
    instant again. Litestar resolves each handler's ``dt.date`` as it builds the app: built
    under freezegun, the worker's app would refuse every date in a query string ("Expected
    FakeDate") in all its later tests."""
    freezer = _FREEZERS[-1] if _FREEZERS else None
    if freezer is not None:
        freezer.stop()
    try:
        yield
    finally:
        if freezer is not None:
            freezer.start()


def _real_helsinki_date() -> str:
    """Today in Helsinki by the machine's clock, even inside a ``clock`` test (subprocesses see that date)."""
    from zoneinfo import ZoneInfo

    try:
        from freezegun.api import real_datetime as datetime_class
    except ImportError:  # pragma: no cover
        from datetime import datetime as datetime_class
    return datetime_class.now(ZoneInfo("Europe/Helsinki")).date().isoformat()


def migrate(url: str) -> None:
    output_of(url, "migrate")


# A worker's heap holds the app, its libraries and the collected tests (half a million objects,
# nearly two million by the end of a worker's run), and Python's collector scanned it whole
# about twice a minute, a second each time late in the run. What is loaded once collection
# ends lives for the run: it is frozen out of the collector, and collections come less often.
GC_THRESHOLDS = (10_000, 20, 20)


def pytest_collection_finish(session: pytest.Session) -> None:
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """With DIGIYSTAVA_TEST_STRICT set (CI sets it): a run that skipped or xfailed any test,
    or passed fewer than DIGIYSTAVA_TEST_MIN tests, fails even if nothing it ran failed."""
    if hasattr(session.config, "workerinput") or not os.environ.get("DIGIYSTAVA_TEST_STRICT"):
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    stats = reporter.stats if reporter is not None else {}
    passed = len(stats.get("passed", []))
    minimum = int(os.environ.get("DIGIYSTAVA_TEST_MIN") or 1)
    problems = [f"{len(stats[kind])} {kind}" for kind in ("skipped", "xfailed", "xpassed") if stats.get(kind)]
    if passed < minimum:
        problems.append(f"{passed} passed where at least {minimum} must run")
    if problems and session.exitstatus == pytest.ExitCode.OK:
        if reporter is not None:
            reporter.write_line(
                f"DIGIYSTAVA_TEST_STRICT: {', '.join(problems)}: every test must run and pass", red=True, bold=True
            )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


# --- Templates shared by the workers of one run ----------------------------------------


@contextmanager
def _run_lock(name: str):
    """Held by one process of the run at a time (the first to need a template makes it)."""
    RUN_DIR.mkdir(exist_ok=True)
    with open(RUN_DIR / f"{name}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _sqlite_template(name: str, build: Callable[[str], None]) -> Path:
    """An SQLite file made once per run by ``build(url)``, whole in its main file."""
    path = RUN_DIR / f"{name}.sqlite"
    with _run_lock(name):
        if not path.exists():
            building = RUN_DIR / f"{name}.building.sqlite"
            _remove_sqlite(building)
            build(f"sqlite:///{building}")
            with sqlite3.connect(building) as connection:
                connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            connection.close()
            os.replace(building, path)
            _remove_sqlite(building)
    return path


def copy_sqlite(template: Path, path: Path) -> str:
    _remove_sqlite(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, path)
    return f"sqlite:///{path}"


def _pg_url(name: str) -> str:
    return f"{PG_URL.rsplit('/', 1)[0]}/{name}"


def pg_admin(sql: str) -> None:
    """Runs ``sql`` on the server's maintenance database; callable from sync or async code."""
    import asyncpg

    async def run() -> None:
        connection = await asyncpg.connect(PG_URL)
        try:
            await connection.execute(sql)
        finally:
            await connection.close()

    failure: list[BaseException] = []

    def in_thread() -> None:
        try:
            asyncio.run(run())
        except BaseException as exc:  # noqa: BLE001 - raised again in the caller
            failure.append(exc)

    thread = threading.Thread(target=in_thread)
    thread.start()
    thread.join()
    if failure:
        raise failure[0]


def _pg_template(name: str, build: Callable[[str], None]) -> str:
    """A PostgreSQL database made once per run by ``build(url)``; its name."""
    database = PG_PREFIX + name
    with _run_lock(f"pg-{name}"):
        made = RUN_DIR / f"pg-{name}.made"
        if not made.exists():
            pg_admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            build(_pg_url(database))
            made.touch()
    return database


def copy_postgres(template: str, name: str) -> str:
    """A new database ``name``, a copy of ``template``; dropped at the end of the run."""
    import asyncpg

    for attempt in range(50):
        try:
            pg_admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
            break
        except asyncpg.ObjectInUseError:  # a session that just closed on the template is still leaving
            if attempt == 49:
                raise
            time.sleep(0.1)
    return _pg_url(name)


def _migrated_sqlite() -> Path:
    return _sqlite_template("migrated", migrate)


def _migrated_postgres() -> str:
    def build(url: str) -> None:
        pg_admin(f'CREATE DATABASE "{url.rsplit("/", 1)[1]}"')
        migrate(url)

    return _pg_template("migrated", build)


def demo_database(kind: str, directory: Path) -> str:
    """The URL of a new database of ``kind`` ("sqlite" in ``directory``, or "postgres"),
    migrated and holding the small demo programme, as ``digiystava demo --scale small``
    makes it today. Made once per run and Helsinki date, then copied."""
    while True:
        today = _real_helsinki_date()
        if kind == "sqlite":

            def build(url: str) -> None:
                copy_sqlite(_migrated_sqlite(), Path(url.removeprefix("sqlite:///")))
                output_of(url, "demo", "--scale", "small")

            template = _sqlite_template(f"demo-{today}", build)
        else:

            def build(url: str) -> None:
                copy_postgres(_migrated_postgres(), url.rsplit("/", 1)[1])
                output_of(url, "demo", "--scale", "small")

            template = _pg_template(f"demo_{today.replace('-', '')}", build)
        if _real_helsinki_date() == today:  # not made across Helsinki's midnight
            break
    if kind == "sqlite":
        return copy_sqlite(template, directory / "demo.sqlite")
    return copy_postgres(template, f"{PG_PREFIX}{WORKER}_{uuid.uuid4().hex[:6]}")


def pytest_unconfigure(config: pytest.Config) -> None:
    """Each process removes its own files; the run's controller (or a run without workers)
    drops the run's PostgreSQL databases and templates."""
    shutil.rmtree(TEST_VAR, ignore_errors=True)
    # pytest collects five times at its very end, to find errors raised in finalizers: one
    # whole collection here finds them (its hook still listens), and what survives is frozen
    # so that its five scan only what is left after this (seconds per worker otherwise).
    gc.collect()
    gc.freeze()
    if hasattr(config, "workerinput"):
        return
    if PG_URL and RUN_DIR.exists():
        try:
            import asyncpg

            async def drop_all() -> None:
                connection = await asyncpg.connect(PG_URL)
                try:
                    names = await connection.fetch(
                        "SELECT datname FROM pg_database WHERE starts_with(datname, $1)", PG_PREFIX
                    )
                    for row in names:
                        await connection.execute(f'DROP DATABASE IF EXISTS "{row["datname"]}" WITH (FORCE)')
                finally:
                    await connection.close()

            asyncio.run(drop_all())
        except Exception as exc:  # noqa: BLE001 - cleanup must not hide test results
            warnings.warn(f"could not drop the test databases {PG_PREFIX}*: {exc}", stacklevel=2)
    shutil.rmtree(RUN_DIR, ignore_errors=True)


# --- This worker's databases -----------------------------------------------------------


@pytest.fixture(scope="session")
def database_urls() -> dict[str, str]:
    """This worker's migrated database per engine, made lazily from the run's template."""
    return {}


async def database_url(kind: str, urls: dict[str, str]) -> str:
    if kind not in urls:
        if kind == "sqlite":
            urls[kind] = copy_sqlite(_migrated_sqlite(), TEST_VAR / "test.sqlite")
        else:
            urls[kind] = copy_postgres(_migrated_postgres(), f"{PG_PREFIX}{WORKER}")
    return urls[kind]


# One engine per kind for the worker's whole run, so that the app built on it can be kept.
_ENGINES: dict[str, object] = {}


async def _bound_engine(kind: str, urls: dict[str, str]):
    """The worker's engine on the migrated database of ``kind``, bound to every table."""
    from digiystava import db as dbmod

    url = await database_url(kind, urls)
    engine = _ENGINES.get(url)
    if engine is None:
        engine = _ENGINES[url] = dbmod.engine_from_url(url)
    dbmod.bind(engine)
    return engine


async def _empty_engine(kind: str, urls: dict[str, str]):
    """The migrated database of ``kind``, bound to every table, with all tables empty."""
    return await _empty(await _bound_engine(kind, urls))


async def _empty(engine):
    """``engine`` with all its tables empty (on PostgreSQL, on a connection of its pool if one runs)."""
    from digiystava import db as dbmod

    tables = dbmod.all_tables()
    deletes = "; ".join(f'DELETE FROM "{t._meta.tablename}"' for t in reversed(sort_table_classes(tables)))
    if engine.engine_type == "postgres":
        # NOTE: DELETE, not TRUNCATE: a TRUNCATE makes new files for every table and waits for
        # the disk at its commit (a second a test on a busy machine); a test's few rows go at once.
        # Every table is emptied, so no foreign key needs checking row by row (the replica role),
        # and the tables' versions move once for all (their triggers are off with the checks).
        async with _pg_connection(engine) as connection:
            # One round trip: asyncpg sends a text of several statements as one simple query.
            await connection.execute(
                f"BEGIN; SET LOCAL session_replication_role = replica; {deletes}; "
                f"UPDATE {VERSION_TABLE} SET version = version + 1; "
                "SELECT setval(format('%I.%I', schemaname, sequencename), 1, false) "
                "FROM pg_sequences WHERE schemaname = 'public'; COMMIT"
            )
    else:
        for table in reversed(sort_table_classes(tables)):
            await engine.run_ddl(f'DELETE FROM "{table._meta.tablename}"')
    return engine


@asynccontextmanager
async def _pg_connection(engine):
    """A connection of the test loop's pool where one runs (a new connection costs the server
    a process), else a connection of its own."""
    if engine.pool is not None:
        async with engine.pool.acquire() as connection:
            yield connection
        return
    connection = await engine.get_new_connection()
    try:
        yield connection
    finally:
        await connection.close()


@pytest.fixture(params=ENGINE_PARAMS)
async def db(request: pytest.FixtureRequest, database_urls: dict[str, str]):
    """The engine for one test, on each database in turn, with its connections.

    The test's own queries and the app's requests (``client``) run on the test's event
    loop and share its pool, as a served worker's requests share theirs.
    """
    from digiystava.db import lifespan_pool

    engine = await _bound_engine(request.param, database_urls)
    async with lifespan_pool(engine):
        yield await _empty(engine)


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


# In-process demo snapshots of this worker: (engine url, Helsinki date) -> what restores it.
_DEMO_SNAPSHOTS: dict[tuple[str, object], object] = {}


@pytest.fixture
async def demo_data(db, database_urls: dict[str, str]):
    """``db`` holding the small demo programme, as ``load_demo("small")`` makes it today.

    Loaded once per worker, engine and Helsinki date (a ``clock`` test's date included),
    then restored from a copy: SQLite's backup of the file, PostgreSQL's binary COPY.
    """
    from digiystava import clock
    from digiystava import db as dbmod
    from digiystava.demo import load_demo

    url = next(u for u, e in _ENGINES.items() if e is db)
    key = (url, clock.today())
    snapshot = _DEMO_SNAPSHOTS.get(key)
    if snapshot is not None:
        await _restore(url, db, snapshot)
        return db
    await load_demo("small")
    _DEMO_SNAPSHOTS[key] = await _snapshot(url, dbmod.all_tables())
    return db


async def _snapshot(url: str, tables: list):
    if url.startswith("sqlite"):
        snapshot = sqlite3.connect(":memory:", check_same_thread=False)
        with sqlite3.connect(url.removeprefix("sqlite:///")) as source:
            source.backup(snapshot)
        source.close()
        return snapshot
    import asyncpg
    from piccolo.table import sort_table_classes

    connection = await asyncpg.connect(url)
    try:
        rows = []
        for table in sort_table_classes(tables):
            buffer = io.BytesIO()
            await connection.copy_from_table(table._meta.tablename, output=buffer, format="binary")
            rows.append((table._meta.tablename, buffer.getvalue()))
        sequences = [
            tuple(r)
            for r in await connection.fetch(
                "SELECT format('%I.%I', schemaname, sequencename), last_value FROM pg_sequences"
            )
        ]
    finally:
        await connection.close()
    return rows, sequences


async def _restore(url: str, engine, snapshot) -> None:
    if url.startswith("sqlite"):
        with sqlite3.connect(url.removeprefix("sqlite:///"), timeout=30) as target:
            snapshot.backup(target)
        target.close()
        return
    rows, sequences = snapshot
    async with _pg_connection(engine) as connection, connection.transaction():
        # The snapshot's rows are whole: no foreign key needs checking row by row.
        await connection.execute("SET LOCAL session_replication_role = replica")
        for tablename, data in rows:
            await connection.copy_to_table(tablename, source=io.BytesIO(data), format="binary")
        for sequence, last_value in sequences:
            await connection.execute("SELECT setval($1, $2, $3)", sequence, last_value or 1, last_value is not None)


# --- The app ---------------------------------------------------------------------------


@pytest.fixture
def settings(db):
    from digiystava.settings import get_settings

    return get_settings()


# (engine, settings) -> the app built on them, kept for the worker's run.
_APPS: dict[tuple[int, int], tuple[object, object, object]] = {}


@pytest.fixture
async def app(db, settings):
    """The app on ``db``: built once per worker, engine and settings, with fresh state per test.

    (A test that changes the app itself, not its state, builds its own with ``create_app``.)
    """
    from digiystava.app import app_state

    app = worker_app(db, settings)
    app.state = app_state(settings, db)
    return app


def worker_app(db, settings):
    """The worker's app on ``db`` and ``settings``, built on first use (never under a frozen clock).

    It opens no pool of its own (``pool=False``): it serves on the test's loop, whose pool ``db`` runs.
    """
    from digiystava.app import create_app

    kept = _APPS.get((id(db), id(settings)))
    if kept is None or kept[0] is not db or kept[1] is not settings:
        with unfrozen():
            kept = _APPS[(id(db), id(settings))] = (db, settings, create_app(settings, db, pool=False))
    return kept[2]


@pytest.fixture
async def client(app):
    async with app.lifespan(), InLoopClient(app) as test_client:
        test_client.event_hooks["response"].append(_check_error_summary)
        yield test_client


async def _check_error_summary(response) -> None:
    """Every page a test receives: its error summary links only to fields of the page."""
    if not response.headers.get("content-type", "").startswith("text/html"):
        return
    await response.aread()
    if "error-summary" in response.text:
        nowhere = summary_links_to_nowhere(response.text)
        assert not nowhere, f"{response.request.url.path}: the error summary links to no field: {nowhere}"
