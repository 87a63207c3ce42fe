"""Database engines: SQLite (embedded default) or PostgreSQL, chosen by URL.

Piccolo tables find their engine through ``piccolo_conf``; the app and the
tests bind every table to the engine they were configured with instead, so one
process can talk to exactly the database its settings name.
"""

from __future__ import annotations

import sqlite3
from contextlib import asynccontextmanager
from pathlib import Path
from typing import AsyncIterator
from urllib.parse import unquote, urlparse

from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType

# NOTE: a writer waits this long for SQLite's lock before giving up; the
# error after that becomes a 503 with Retry-After (see errors.py).
SQLITE_BUSY_TIMEOUT_SECONDS = 10

APP_CONFIG_MODULES = (
    "digiystava.accounts.piccolo_app",
    "cohorts.piccolo_app",
    "assessments.piccolo_app",
)


class UnsupportedDatabaseURL(ValueError):
    """The database URL names neither SQLite nor PostgreSQL."""


def sqlite_path(url: str) -> Path:
    """``sqlite:///var/x.sqlite`` is relative to the working directory; four slashes are absolute."""
    path = url.removeprefix("sqlite:///")
    if not path or path == url or ":memory:" in path:
        raise UnsupportedDatabaseURL("use sqlite:///path/file.sqlite (an in-memory database is not supported)")
    return Path(path)


def engine_from_url(url: str) -> Engine:
    if url.startswith("sqlite:"):
        path = sqlite_path(url)
        path.parent.mkdir(parents=True, exist_ok=True)
        _enable_wal(path)
        return SQLiteEngine(path=str(path), timeout=SQLITE_BUSY_TIMEOUT_SECONDS)
    if url.startswith(("postgresql:", "postgres:")):
        parts = urlparse(url)
        return PostgresEngine(
            config={
                "host": parts.hostname or "127.0.0.1",
                "port": parts.port or 5432,
                "user": unquote(parts.username or "postgres"),
                "password": unquote(parts.password or ""),
                "database": parts.path.lstrip("/") or "postgres",
            }
        )
    raise UnsupportedDatabaseURL("DIGIYSTAVA_DATABASE_URL must start with sqlite:/// or postgresql://")


def _enable_wal(path: Path) -> None:
    """WAL lets readers go on while one writer commits; the mode is stored in the file."""
    with sqlite3.connect(path, timeout=SQLITE_BUSY_TIMEOUT_SECONDS) as connection:
        connection.execute("PRAGMA journal_mode=WAL")


def all_tables() -> list:
    from piccolo.conf.apps import AppConfig
    import importlib

    tables = []
    for module in APP_CONFIG_MODULES:
        config: AppConfig = importlib.import_module(module).APP_CONFIG
        tables.extend(config.table_classes)
    return tables


def bind(engine: Engine) -> None:
    """Point every table of the project at ``engine``."""
    for table in all_tables():
        table._meta.db = engine


def current_engine() -> Engine:
    from digiystava.accounts.tables import StaffUser

    return StaffUser._meta.db


def is_sqlite(engine: Engine | None = None) -> bool:
    return (engine or current_engine()).engine_type == "sqlite"


def write_transaction():
    """A transaction for read-then-write work.

    SQLite: ``BEGIN IMMEDIATE`` takes the write lock up front, so two requests
    cannot both read "seat free" and then both write. PostgreSQL: a normal
    transaction; services lock the rows they decide on (``lock_rows``) or rely
    on unique indexes.
    """
    engine = current_engine()
    if engine.engine_type == "sqlite":
        return engine.transaction(transaction_type=TransactionType.immediate)
    return engine.transaction()


@asynccontextmanager
async def lifespan_pool(engine: Engine) -> AsyncIterator[None]:
    """Open PostgreSQL's connection pool for the app's lifetime (SQLite has none)."""
    if isinstance(engine, PostgresEngine):
        await engine.start_connection_pool(min_size=1, max_size=10)
        try:
            yield
        finally:
            await engine.close_connection_pool()
    else:
        yield


def ilike(column, pattern: str):
    """Case-insensitive LIKE: ILIKE on PostgreSQL; SQLite's LIKE already ignores (ASCII) case."""
    return column.like(pattern) if is_sqlite() else column.ilike(pattern)
