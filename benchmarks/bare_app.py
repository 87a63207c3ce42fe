"""The bare baseline: Litestar + stock Piccolo, 50 rows of one 10-column table, and a ping.

``uvicorn --factory benchmarks.bare_app:create_app`` with BENCH_DATABASE_URL set. Uses
Piccolo's own engines as they come (SQLiteEngine opens a connection per query;
PostgresEngine with its connection pool), no middleware, no auth.
"""

from __future__ import annotations

import datetime as dt
import os
from contextlib import asynccontextmanager

from litestar import Litestar, get
from piccolo.columns import Boolean, Date, DoublePrecision, Integer, Text, Timestamptz, Varchar
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine
from piccolo.table import Table

ROWS = 1000


class BenchRow(Table, tablename="bench_row"):
    """id plus nine columns: ten in all."""

    name = Varchar(length=100)
    district = Varchar(length=100)
    number = Integer()
    score = DoublePrecision()
    active = Boolean()
    day = Date()
    at = Timestamptz()
    note = Text()
    code = Varchar(length=20)


def engine_for(url: str):
    if url.startswith("sqlite:"):
        return SQLiteEngine(path=url.removeprefix("sqlite:///"))
    from digiystava.db import engine_from_url

    engine = engine_from_url(url)
    assert isinstance(engine, PostgresEngine)
    return engine


async def ensure_rows() -> None:
    await BenchRow.create_table(if_not_exists=True)
    if await BenchRow.count() >= ROWS:
        return
    now = dt.datetime.now(dt.UTC)
    await BenchRow.insert(
        *[
            BenchRow(
                name=f"Rivi {i}",
                district="Kallio",
                number=i,
                score=i / 3,
                active=i % 2 == 0,
                day=dt.date(2024, 1, 1) + dt.timedelta(days=i % 300),
                at=now,
                note="x" * 40,
                code=f"C{i:05d}",
            )
            for i in range(ROWS)
        ]
    )


@get("/ping")
async def ping() -> dict[str, str]:
    return {"status": "ok"}


@get("/rows")
async def rows() -> list[dict]:
    return await BenchRow.select().order_by(BenchRow.id).limit(50)


def create_app() -> Litestar:
    engine = engine_for(os.environ["BENCH_DATABASE_URL"])
    BenchRow._meta.db = engine

    @asynccontextmanager
    async def lifespan(app: Litestar):
        if isinstance(engine, PostgresEngine):
            await engine.start_connection_pool(min_size=1, max_size=10)
        try:
            await ensure_rows()
            yield
        finally:
            if isinstance(engine, PostgresEngine):
                await engine.close_connection_pool()

    return Litestar(route_handlers=[ping, rows], lifespan=[lifespan], debug=False)
