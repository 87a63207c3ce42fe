"""Two uvicorn workers on one PostgreSQL: a race for one tablet across them still gives one loan.

Each worker keeps list answers until the database changes; a loan made through
one worker shows at once in the lists of both.

Nothing that must be shared lives in a worker: sessions, API tokens, login rate limits
and the no-double-loan rule are rows and indexes in the database.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time

import httpx
import pytest

from digiystava.access import COMMAND_LINE
from tests.conftest import ROOT
from tests.factories import make_user
from tests.factories.tablets import add_senior, make_course, make_tablet

pytestmark = pytest.mark.slow
REQUESTS = 20


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def _wait_until_up(base: str, server: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient() as client:
        while time.monotonic() < deadline:
            assert server.poll() is None, server.stderr.read().decode()[-2000:]
            try:
                if (await client.get(f"{base}/health")).status_code == 200:
                    return
            except httpx.TransportError:
                await asyncio.sleep(0.1)  # not listening yet
                continue
            await asyncio.sleep(0.1)
    raise AssertionError("the workers did not answer within 30 s")


async def test_a_race_across_two_workers_gives_one_loan(postgres_db, database_urls):
    """Several workers are a PostgreSQL deployment; SQLite serves one process."""
    from cohorts.tables import Loan
    from digiystava.accounts import services

    course = await make_course()
    seniors = [course["participant_id"]] + [
        await add_senior(course, f"Senior{i}", "Mäkinen") for i in range(REQUESTS - 1)
    ]
    tablet_id = await make_tablet()
    user_id = await make_user("coordinator", "workers.coordinator")
    token = (await services.create_token(COMMAND_LINE, "workers test", user_id=user_id)).token

    port = _free_port()
    env = {**os.environ, "DIGIYSTAVA_DATABASE_URL": database_urls["postgres"], "PICCOLO_CONF": "piccolo_conf"}
    server = subprocess.Popen(
        [sys.executable, "-m", "digiystava", "serve", "--workers", "2", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        await _wait_until_up(base, server)

        async def lend(participant_id: int) -> int:
            # NOTE: a client (and so a connection) per request, so the kernel spreads them over both workers.
            async with httpx.AsyncClient(headers={"Authorization": f"Bearer {token}"}, timeout=30) as client:
                body = {"tablet_id": tablet_id, "participant_id": participant_id, "cohort_id": course["cohort_id"]}
                return (await client.post(f"{base}/api/v1/loans", json=body)).status_code

        async def loans_listed() -> list[int]:
            async def one() -> int:
                async with httpx.AsyncClient(headers={"Authorization": f"Bearer {token}"}, timeout=30) as client:
                    return (await client.get(f"{base}/api/v1/loans?tablet_id={tablet_id}")).json()["total"]

            return [await one() for _ in range(8)]

        listed_before = await loans_listed()
        codes = sorted(await asyncio.gather(*[lend(p) for p in seniors]))
        listed_after = await loans_listed()
    finally:
        server.terminate()
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
    assert codes == [201] + [409] * (REQUESTS - 1), codes
    assert listed_before == [0] * 8 and listed_after == [1] * 8, (listed_before, listed_after)
    assert await Loan.count().where(Loan.tablet == tablet_id) == 1


async def test_a_pool_serves_only_the_loop_that_started_it(postgres_db):
    """asyncpg's connections cannot change loops: a command's own ``asyncio.run`` beside a
    running pool (or a test's queries beside the served app) opens its own connection."""
    from digiystava.db import lifespan_pool

    async with lifespan_pool(postgres_db):
        assert postgres_db.pool is not None

        def on_another_loop() -> tuple[object, list]:
            async def run() -> tuple[object, list]:
                return postgres_db.pool, [dict(r) for r in await postgres_db.run_ddl("SELECT 1 AS one")]

            return asyncio.run(run())

        pool_there, rows = await asyncio.to_thread(on_another_loop)
        assert pool_there is None
        assert rows == [{"one": 1}]
        assert [dict(r) for r in await postgres_db.run_ddl("SELECT 2 AS two")] == [{"two": 2}]
    assert postgres_db.pool is None
