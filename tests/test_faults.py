"""Nothing lost: the server is killed with SIGKILL in the middle of a stream of
loan and assessment writes, and the database is found consistent afterwards.

Marked slow; runs in CI on SQLite and, when configured, PostgreSQL.
"""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import PG_SKIP, PG_URL, demo_database
from tests.factories.commands import output_of

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start(env: dict, port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-m", "digiystava", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(150):
        try:
            httpx.get(f"http://127.0.0.1:{port}/health", timeout=1)
            return process
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("server did not start")


def _plan(base: str, headers: dict) -> tuple[list[dict], list[dict]]:
    """Loans to make (available tablets x enrolled seniors without a loan) and 'after' answers to record."""
    with httpx.Client(base_url=base, headers=headers, timeout=30) as client:
        tablets = client.get("/api/v1/tablets", params={"status": "available", "limit": 500}).json()["items"]
        cohorts = client.get("/api/v1/cohorts", params={"status": "running", "limit": 500}).json()["items"]
        # The demo lends a tablet to every seated senior: make room for 30 new seniors in one cohort.
        cohort = cohorts[0]
        client.patch(f"/api/v1/cohorts/{cohort['id']}", json={"capacity": cohort["capacity"] + 30})
        for i in range(30):
            person = client.post(
                "/api/v1/participants",
                json={
                    "first_name": f"Testi{i}",
                    "last_name": "Kaatuminen",
                    "consent_given_on": "2026-11-01",
                    "location_id": cohort["location_id"],
                    "allow_duplicate": True,
                },
            ).json()
            client.post(f"/api/v1/cohorts/{cohort['id']}/enrolments", json={"participant_id": person["id"]})
        loans, answers = [], []
        open_loans = {
            (loan["participant_id"], loan["cohort_id"])
            for loan in client.get("/api/v1/loans", params={"limit": 500}).json()["items"]
            if not loan.get("returned_at")
        }
        for cohort in cohorts:
            for enrolment in client.get(f"/api/v1/cohorts/{cohort['id']}/enrolments").json():
                if enrolment["status"] != "enrolled":
                    continue
                key = (enrolment["participant_id"], cohort["id"])
                if key not in open_loans and tablets:
                    loans.append({"tablet_id": tablets.pop()["id"], "participant_id": key[0], "cohort_id": key[1]})
                answers.append(
                    {
                        "participant_id": key[0],
                        "cohort_id": key[1],
                        "phase": "after",
                        "answers": {"search": 3, "email": 2},
                    }
                )
    return loans, answers


@pytest.mark.parametrize(
    "engine", ["sqlite", pytest.param("postgres", marks=pytest.mark.skipif(not PG_URL, reason=PG_SKIP))]
)
def test_sigkill_mid_writes_leaves_a_consistent_database(engine, tmp_path):
    url = demo_database(engine, tmp_path)  # migrated, with the small demo programme
    env = {**os.environ, "DIGIYSTAVA_DATABASE_URL": url, "DIGIYSTAVA_VAR_DIR": str(tmp_path)}
    token = output_of(url, "user", "token", "koordinaattori", env=env).strip()
    headers = {"Authorization": f"Bearer {token}"}
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = _start(env, port)
    loans, answers = _plan(base, headers)
    assert loans and answers
    acknowledged: list[tuple[str, int]] = []
    stop = threading.Event()

    def writer(kind: str, path: str, bodies: list[dict]) -> None:
        with httpx.Client(base_url=base, headers=headers, timeout=5) as client:
            for body in bodies:
                if stop.is_set():
                    return
                try:
                    response = client.post(path, json=body)
                except httpx.HTTPError:
                    return  # the server is gone
                if response.status_code == 201:
                    acknowledged.append((kind, response.json()["id"]))

    threads = [
        threading.Thread(target=writer, args=("loan", "/api/v1/loans", loans)),
        threading.Thread(target=writer, args=("assessment", "/api/v1/assessments", answers)),
    ]
    for thread in threads:
        thread.start()
    while len(acknowledged) < 10 and any(t.is_alive() for t in threads):
        time.sleep(0.01)
    server.send_signal(signal.SIGKILL)  # no shutdown, no flush: like a power cut
    server.wait()
    stop.set()
    for thread in threads:
        thread.join(timeout=10)
    assert acknowledged, "no write was acknowledged before the kill"

    if engine == "sqlite":
        with sqlite3.connect(url.removeprefix("sqlite:///")) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert connection.execute("PRAGMA foreign_key_check").fetchall() == []

    server = _start(env, port)  # the app comes back on the same database
    try:
        with httpx.Client(base_url=base, headers=headers, timeout=30) as client:
            for kind, record_id in acknowledged:
                path = f"/api/v1/loans/{record_id}" if kind == "loan" else f"/api/v1/assessments/{record_id}"
                assert client.get(path).status_code == 200, f"acknowledged {kind} {record_id} is missing"
            # No half-made loan: every open loan's tablet is on loan, and no tablet is on loan twice.
            all_loans = client.get("/api/v1/loans", params={"limit": 500}).json()["items"]
            open_tablets = [loan["tablet_id"] for loan in all_loans if not loan.get("returned_at")]
            assert len(open_tablets) == len(set(open_tablets))
            for tablet_id in set(open_tablets):
                assert client.get(f"/api/v1/tablets/{tablet_id}").json()["status"] == "on_loan"
    finally:
        server.terminate()
        server.wait(timeout=10)
        if engine == "postgres":
            subprocess.run(
                ["psql", PG_URL, "-qc", f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)'],
                capture_output=True,
            )


async def test_sqlite_busy_beyond_its_timeout_is_a_503_with_retry_after(sqlite_db):
    """Another writer holds the lock longer than the busy timeout: a clear 503, never a raw error."""
    from digiystava.app import create_app
    from digiystava.db import KeptOpenSQLiteEngine
    from tests.factories import InLoopClient, login, make_user

    await make_user("coordinator", "kaisa")
    db = sqlite_db
    impatient = KeptOpenSQLiteEngine(path=db.path, timeout=0.2)  # NOTE: a short busy timeout keeps the test fast
    from digiystava.settings import get_settings

    app = create_app(get_settings(), impatient)
    blocker = sqlite3.connect(db.path, timeout=5, isolation_level=None)
    try:
        async with app.lifespan(), InLoopClient(app) as client:
            await login(client, "kaisa")
            blocker.execute("BEGIN IMMEDIATE")
            response = await client.post("/api/v1/locations", json={"name": "Lukittu", "kind": "library"})
            assert response.status_code == 503
            assert response.headers["retry-after"] and response.json()["status"] == 503
            blocker.execute("ROLLBACK")
            assert (
                await client.post("/api/v1/locations", json={"name": "Vapaa", "kind": "library"})
            ).status_code == 201
    finally:
        blocker.close()
        from digiystava import db as dbmod

        dbmod.bind(db)


async def test_writers_of_one_process_take_turns_instead_of_waiting_on_sqlites_lock(sqlite_db):
    """Twenty coordinators' writes at once, with no busy timeout at all: each waits for its turn
    in the process, none meets SQLite's lock (which would refuse it at once). Without the
    turns, most of them did. (Through the services, so that only the database layer is tested.)"""
    import asyncio

    from cohorts.locations import services
    from cohorts.locations.schemas import LocationIn, LocationPatch
    from digiystava import db as dbmod
    from digiystava.access import Principal
    from digiystava.db import KeptOpenSQLiteEngine
    from tests.factories import make_user

    user_id = await make_user("coordinator", "kaisa")
    coordinator = Principal(user_id, "kaisa", "coordinator")
    never_waits = KeptOpenSQLiteEngine(path=sqlite_db.path, timeout=0)
    dbmod.bind(never_waits)
    try:
        created = await asyncio.gather(
            *[services.create_location(coordinator, LocationIn(name=f"Paikka {n}", kind="library")) for n in range(20)]
        )
        renamed = await asyncio.gather(
            *[
                services.update_location(coordinator, location.id, LocationPatch(name=f"Uusi {n}"))
                for n, location in enumerate(created)
            ]
        )
        assert sorted(location.name for location in renamed) == sorted(f"Uusi {n}" for n in range(20))
    finally:
        await never_waits.close()
        dbmod.bind(sqlite_db)


async def test_a_write_outside_a_transaction_waits_for_its_turn_too(sqlite_db):
    """Single statements that write (no transaction of their own) queue with the transactions;
    a task that holds the turn may write again without waiting for itself."""
    import asyncio

    from cohorts.tables import Location
    from digiystava import db as dbmod
    from digiystava.db import KeptOpenSQLiteEngine

    never_waits = KeptOpenSQLiteEngine(path=sqlite_db.path, timeout=0)
    dbmod.bind(never_waits)
    try:

        async def in_transaction(n: int) -> None:
            async with dbmod.write_transaction():
                await Location.insert(Location(name=f"T {n}", kind="library")).run()
                await asyncio.sleep(0.01)  # the lock is held while others arrive
                await Location.update({Location.district: f"{n}"}).where(Location.name == f"T {n}").run()

        async def alone(n: int) -> None:
            await Location.insert(Location(name=f"A {n}", kind="library")).run()

        async def turn_then_alone() -> None:
            assert await never_waits.take_write_turn()
            try:
                assert not await never_waits.take_write_turn()  # its own turn: no wait
                await Location.insert(Location(name="own turn", kind="library")).run()
            finally:
                never_waits.end_write_turn()

        await asyncio.gather(*[in_transaction(n) for n in range(8)], *[alone(n) for n in range(8)], turn_then_alone())
        assert await Location.count() == 17
    finally:
        await never_waits.close()
        dbmod.bind(sqlite_db)


async def test_a_transaction_refused_by_the_lock_gives_its_connection_back(sqlite_db):
    """Another process holds the lock past the busy timeout: the refused transaction's
    connection goes back to the pool, and the next writer gets it (it waited forever before)."""
    import asyncio

    from cohorts.tables import Location
    from digiystava import db as dbmod
    from digiystava.db import KeptOpenSQLiteEngine

    one_connection = KeptOpenSQLiteEngine(path=sqlite_db.path, pool_size=1, timeout=0)
    dbmod.bind(one_connection)
    blocker = sqlite3.connect(sqlite_db.path, isolation_level=None)
    try:
        blocker.execute("BEGIN IMMEDIATE")

        async def refused() -> None:
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                async with dbmod.write_transaction():
                    raise AssertionError("the transaction began while another process held the lock")

        async def write() -> None:
            async with dbmod.write_transaction():
                await Location.insert(Location(name="Vapaa", kind="library")).run()

        await asyncio.wait_for(refused(), timeout=10)
        await asyncio.wait_for(refused(), timeout=10)
        blocker.execute("ROLLBACK")
        await asyncio.wait_for(write(), timeout=10)
        assert await Location.count() == 1
    finally:
        blocker.close()
        await one_connection.close()
        dbmod.bind(sqlite_db)


async def test_full_disk_is_a_clear_error(client, monkeypatch):
    """SQLite rolls the transaction back when the disk fills; the caller is told plainly."""
    from cohorts.locations import services
    from tests.factories import as_role

    await as_role(client, "coordinator")

    async def disk_full(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(services, "create_location", disk_full)
    response = await client.post("/api/v1/locations", json={"name": "Täysi", "kind": "library"})
    assert response.status_code == 507 and "storage is full" in response.json()["detail"]


async def test_simultaneous_corrections_of_one_assessment_keep_the_rules(client):
    """Ten trainers correcting the same answers at once: every correction lands whole, none half."""

    from tests.factories import enrol, make_cohort, make_location, make_participant, send_at_once

    await as_role_coordinator(client)
    location = await make_location()
    cohort = await make_cohort(location)
    person = await make_participant(location)
    await enrol(cohort, person)
    created = await client.post(
        "/api/v1/assessments",
        json={"participant_id": person, "cohort_id": cohort, "phase": "before", "answers": {"search": 0}},
    )
    assessment = created.json()["id"]
    bodies = [{"answers": {"search": level % 5, "email": level % 5}} for level in range(10)]
    responses = await send_at_once(client, [("PUT", f"/api/v1/assessments/{assessment}", body) for body in bodies])
    assert all(r.status_code == 200 for r in responses), [r.text for r in responses if r.status_code != 200]
    final = (await client.get(f"/api/v1/assessments/{assessment}")).json()["answers"]
    assert final["search"] == final["email"]  # both fields from the same correction
    second = await client.post(
        "/api/v1/assessments", json={"participant_id": person, "cohort_id": cohort, "phase": "before", "answers": {}}
    )
    assert second.status_code == 409


async def as_role_coordinator(client):
    from tests.factories import as_role

    await as_role(client, "coordinator")
