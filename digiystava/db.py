"""Database engines: SQLite (embedded default) or PostgreSQL, chosen by URL.

Piccolo tables find their engine through ``piccolo_conf``; the app and the
tests bind every table to the engine they were configured with instead, so one
process can talk to exactly the database its settings name.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import aiosqlite
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, SQLiteTransaction, TransactionType, dict_factory

# NOTE: a writer waits this long for SQLite's lock before giving up; the
# error after that becomes a 503 with Retry-After (see errors.py).
SQLITE_BUSY_TIMEOUT_SECONDS = 10
# INSERT ... RETURNING came in SQLite 3.35; older libraries take Piccolo's own path.
_SQLITE_RETURNING = sqlite3.sqlite_version_info >= (3, 35)

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


class _ConnectionPool:
    """Open connections of one event loop: idle ones wait in a list, at most ``size`` exist."""

    def __init__(self, size: int) -> None:
        self.idle: list[aiosqlite.Connection] = []
        self.slots = asyncio.Semaphore(size)
        self.all: set[aiosqlite.Connection] = set()


class KeptOpenSQLiteEngine(SQLiteEngine):
    """SQLite with its connections kept open between queries.

    Piccolo's SQLiteEngine opens a connection (and its worker thread) for every
    query: about 3 ms each, more than the query itself. This engine keeps a few
    open per event loop and hands them out one query or one transaction at a
    time. WAL, the busy timeout, foreign keys and BEGIN IMMEDIATE transactions
    work exactly as before: each connection is set up the same way.
    """

    def __init__(self, path: str, pool_size: int = 4, **connection_kwargs) -> None:
        super().__init__(path=path, **connection_kwargs)
        self.pool_size = pool_size
        self._pools: dict[asyncio.AbstractEventLoop, _ConnectionPool] = {}
        self._watch: sqlite3.Connection | None = None
        self._watch_lock = threading.Lock()

    def data_version(self) -> int | None:
        """A number that changes whenever any connection, of any process, commits.

        Asked on a connection of its own that never writes (SQLite counts only
        other connections' commits). It reads the WAL index, a few microseconds,
        so it runs on the caller's thread; None while the file is locked.
        """
        with self._watch_lock:
            try:
                if self._watch is None:
                    self._watch = sqlite3.connect(
                        self.connection_kwargs["database"], timeout=0, check_same_thread=False
                    )
                return self._watch.execute("PRAGMA data_version").fetchone()[0]
            except sqlite3.Error:
                return None

    def _close_watch(self) -> None:
        with self._watch_lock:
            if self._watch is not None:
                self._watch.close()
                self._watch = None

    def _pool(self) -> _ConnectionPool:
        loop = asyncio.get_running_loop()
        pool = self._pools.get(loop)
        if pool is None:
            pool = self._pools[loop] = _ConnectionPool(self.pool_size)
        return pool

    async def _open(self) -> aiosqlite.Connection:
        connection = aiosqlite.connect(**self.connection_kwargs)
        # NOTE: a connection forgotten at exit must not keep the process alive.
        if hasattr(connection, "_thread"):
            connection._thread.daemon = True
        connection = await connection
        connection.row_factory = dict_factory  # type: ignore[assignment]
        await connection.execute("PRAGMA foreign_keys = 1")
        return connection

    async def acquire(self) -> aiosqlite.Connection:
        pool = self._pool()
        await pool.slots.acquire()
        try:
            if pool.idle:
                return pool.idle.pop()
            connection = await self._open()
            pool.all.add(connection)
            return connection
        except BaseException:
            pool.slots.release()
            raise

    async def release(self, connection: aiosqlite.Connection) -> None:
        pool = self._pool()
        try:
            if connection.in_transaction:  # a failed transaction must not leak into the next user
                await connection.rollback()
            pool.idle.append(connection)
        except Exception:  # noqa: BLE001 - a broken connection is dropped, not reused
            pool.all.discard(connection)
            await _close_quietly(connection)
        finally:
            pool.slots.release()

    async def get_connection(self) -> aiosqlite.Connection:
        return await self.acquire()

    # Each await on an aiosqlite connection is a round trip to its thread. A query
    # runs and fetches in one trip; a write outside a transaction commits in a second.
    # (Piccolo's own path takes four or five: PRAGMA, execute, commit, fetch, close.)
    async def _run_in_new_connection(self, query, args=None, query_type="generic", table=None):
        if query_type == "insert" and not _SQLITE_RETURNING:
            return await super()._run_in_new_connection(query, args, query_type, table)
        connection = await self.acquire()
        try:
            rows = await connection.execute_fetchall(query, args or [])
            if connection.in_transaction:
                await connection.commit()
            return list(rows)
        finally:
            await self.release(connection)

    async def _run_in_existing_connection(self, connection, query, args=None, query_type="generic", table=None):
        """Inside a transaction: foreign keys are already on (set when the connection opened)."""
        if query_type == "insert" and not _SQLITE_RETURNING:
            return await super()._run_in_existing_connection(connection, query, args, query_type, table)
        return list(await connection.execute_fetchall(query, args or []))

    def transaction(self, transaction_type: TransactionType = TransactionType.deferred, allow_nested: bool = True):
        return _KeptOpenTransaction(engine=self, transaction_type=transaction_type, allow_nested=allow_nested)

    async def close(self) -> None:
        """Close this event loop's connections (at shutdown)."""
        pool = self._pools.pop(asyncio.get_running_loop(), None)
        if pool:
            for connection in list(pool.all):
                await _close_quietly(connection)
        self._close_watch()


class _KeptOpenTransaction(SQLiteTransaction):
    """A transaction on a borrowed connection, given back instead of closed."""

    engine: KeptOpenSQLiteEngine

    async def __aexit__(self, exception_type, exception, traceback) -> bool:
        if self._parent:
            return exception is None
        connection = self.connection
        self.connection = _NoClose(connection)
        try:
            return await super().__aexit__(exception_type, exception, traceback)
        finally:
            await self.engine.release(connection)


class _NoClose:
    """Stands in for the connection when Piccolo's transaction would close it."""

    def __init__(self, connection: aiosqlite.Connection) -> None:
        self._connection = connection

    def __getattr__(self, name: str):
        return getattr(self._connection, name)

    async def close(self) -> None:
        return None


async def _close_quietly(connection: aiosqlite.Connection) -> None:
    """Close a connection at shutdown or after it broke; a failure is logged, not raised."""
    try:
        await connection.close()
    except Exception as exc:  # noqa: BLE001 - a connection that cannot close is already gone
        logging.getLogger("digiystava.db").warning("closing an SQLite connection failed: %s", exc)


def engine_from_url(url: str) -> Engine:
    if url.startswith("sqlite:"):
        path = sqlite_path(url)
        path.parent.mkdir(parents=True, exist_ok=True)
        _enable_wal(path)
        return KeptOpenSQLiteEngine(path=str(path), timeout=SQLITE_BUSY_TIMEOUT_SECONDS)
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
    import importlib

    from piccolo.conf.apps import AppConfig

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


async def refresh_statistics() -> None:
    """After a bulk load (demo, restore): fresh statistics for the query planner.

    On PostgreSQL the vacuum also fills the visibility map, so that a page's total
    count reads an index only; autovacuum would get there later, after the first
    users had waited for sequential scans.
    """
    engine = current_engine()
    await engine.run_ddl("VACUUM (ANALYZE)" if engine.engine_type == "postgres" else "ANALYZE")


# The snapshot names exactly which transactions' writes a reader sees: it moves when
# a transaction starts writing or ends, and stands still under reads alone.
_PG_VERSION_SQL = "SELECT pg_current_snapshot()::text AS version"


async def data_version(engine: Engine) -> str | None:
    """Equal for two reads only if no write committed between them; None if unknown.

    Lets a reader keep what it read until the database changes (see read_cache.py).
    """
    if isinstance(engine, KeptOpenSQLiteEngine):
        version = engine.data_version()
        return None if version is None else str(version)
    if isinstance(engine, PostgresEngine):
        if engine.pool is not None:
            return await engine.pool.fetchval(_PG_VERSION_SQL)
        rows = await engine.run_ddl(_PG_VERSION_SQL)
        return rows[0]["version"]
    return None


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


async def _reset_pooled(connection) -> None:
    """Ready a pooled PostgreSQL connection for its next user.

    asyncpg's default sends RESET ALL, UNLISTEN and friends on every release: one more
    round trip per query. The app sets no session state, listens to nothing and takes
    no session locks, so only an unfinished transaction needs undoing.
    """
    if connection.is_in_transaction():
        await connection.execute("ROLLBACK")


@asynccontextmanager
async def lifespan_pool(engine: Engine) -> AsyncIterator[None]:
    """Connections for the app's lifetime: PostgreSQL's pool, or SQLite's kept-open connections."""
    if isinstance(engine, PostgresEngine):
        await engine.start_connection_pool(min_size=1, max_size=10, reset=_reset_pooled)
        try:
            yield
        finally:
            await engine.close_connection_pool()
    else:
        try:
            yield
        finally:
            if isinstance(engine, KeptOpenSQLiteEngine):
                await engine.close()


def ilike(column, pattern: str):
    """Case-insensitive LIKE: ILIKE on PostgreSQL; SQLite's LIKE already ignores (ASCII) case."""
    return column.like(pattern) if is_sqlite() else column.ilike(pattern)


def found(row: dict[str, Any] | None) -> dict[str, Any]:
    """The row of a query whose row the request already knows exists (checked, locked or just written).

    A missing row here is a bug, not a user's mistake: it fails loudly instead of as a ``None`` further on.
    """
    if row is None:
        raise LookupError("a row this request checked has gone")
    return row
