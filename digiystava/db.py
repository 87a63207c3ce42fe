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
from asyncpg.exceptions import DiskFullError, ReadOnlySQLTransactionError, UniqueViolationError
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, SQLiteTransaction, TransactionType, dict_factory

from digiystava.accounts.tables import StaffUser
from digiystava.apps import all_tables
from digiystava.table_versions import VERSION_TABLE, note_query

# NOTE: a writer waits this long for SQLite's lock before giving up; the
# error after that becomes a 503 with Retry-After (``is_locked``).
SQLITE_BUSY_TIMEOUT_SECONDS = 10
# INSERT ... RETURNING came in SQLite 3.35; older libraries take Piccolo's own path.
_SQLITE_RETURNING = sqlite3.sqlite_version_info >= (3, 35)

# NOTE: Piccolo registers, for the whole process, a reader of every column declared INTEGER
# that turns SQLite's integer into text and back (int(Decimal(text))): a third of the time
# of reading a page of loans. The app writes only integers there, and SQLite gives those as
# ints itself, so the reader is dropped (a declared type without a reader is left as stored).
sqlite3.converters.pop("INTEGER", None)


# What the engines' errors mean, said once: SQLite tells by its message, asyncpg by its class.


def is_unique_violation(exc: BaseException) -> bool:
    """Two writers met at a unique index; the later one conflicts."""
    if isinstance(exc, sqlite3.IntegrityError):
        return "UNIQUE" in str(exc)
    return isinstance(exc, UniqueViolationError)


def is_locked(exc: BaseException) -> bool:
    """SQLite's write lock stayed taken beyond the busy timeout (503 with Retry-After)."""
    return isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc).lower()


def is_read_only(exc: BaseException) -> bool:
    """SQLite's read-only file or folder, or a PostgreSQL server in read-only mode."""
    if isinstance(exc, sqlite3.OperationalError):
        message = str(exc).lower()
        return "readonly database" in message or "read-only" in message
    return isinstance(exc, ReadOnlySQLTransactionError)


def is_disk_full(exc: BaseException) -> bool:
    message = str(exc).lower()
    return "disk is full" in message or "no space left" in message or isinstance(exc, DiskFullError)


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
        # Writers take turns here, in the order they came, before they take a connection.
        self.writer = asyncio.Lock()
        self.writing: asyncio.Task | None = None


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
        self._watched: tuple[int, dict[str, int]] | None = None
        self._watch_lock = threading.Lock()

    def table_versions(self) -> dict[str, int] | None:
        """Each table's version (``table_versions.py``) as committed now; None if unknown.

        Asked on a connection of its own that never writes. SQLite's data version,
        which moves whenever another connection of any process commits, is read first
        (a few microseconds, from the WAL index): the versions are read again only
        after a commit. Runs on the caller's thread.
        """
        with self._watch_lock:
            try:
                if self._watch is None:
                    self._watch = sqlite3.connect(
                        self.connection_kwargs["database"], timeout=0, check_same_thread=False
                    )
                    self._watched = None
                data_version = self._watch.execute("PRAGMA data_version").fetchone()[0]
                if self._watched is None or self._watched[0] != data_version:
                    rows = self._watch.execute(f"SELECT name, version FROM {VERSION_TABLE}").fetchall()
                    self._watched = (data_version, dict(rows))
                return self._watched[1]
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
        note_query(query)
        if not _is_write(query, query_type):
            return await self._run_alone(query, args, query_type, table)
        taken = await self.take_write_turn()
        try:
            return await self._run_alone(query, args, query_type, table)
        finally:
            if taken:
                self.end_write_turn()

    async def _run_alone(self, query, args, query_type, table):
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
        note_query(query)
        if query_type == "insert" and not _SQLITE_RETURNING:
            return await super()._run_in_existing_connection(connection, query, args, query_type, table)
        return list(await connection.execute_fetchall(query, args or []))

    # SQLite lets one connection write at a time. A writer that finds the lock taken sleeps
    # and tries again (its busy handler: 1, 2, 5 ... then 100 ms a try), so under a steady
    # stream of writes some waited half a second while the lock stood free. Writers of this
    # event loop instead queue for their turn in order; the busy handler is left for writers
    # of other processes. A task that has the turn already goes on (a write inside its own).
    async def take_write_turn(self) -> bool:
        """Wait for this loop's turn to write; False if the running task has it already."""
        pool = self._pool()
        task = asyncio.current_task()
        if pool.writing is task:
            return False
        await pool.writer.acquire()
        pool.writing = task
        return True

    def end_write_turn(self) -> None:
        pool = self._pool()
        pool.writing = None
        pool.writer.release()

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
    """A transaction on a borrowed connection, given back instead of closed.

    ``BEGIN IMMEDIATE`` (``write_transaction``) first waits for the loop's turn to write.
    """

    engine: KeptOpenSQLiteEngine
    _turn = False

    async def __aenter__(self) -> SQLiteTransaction:
        if self._parent is not None:
            return self._parent
        if self.transaction_type is TransactionType.immediate:
            self._turn = await self.engine.take_write_turn()
        try:
            self.connection = await self.engine.acquire()
            try:
                await self.begin()
            except BaseException:  # the lock stayed taken past the busy timeout: the connection goes back
                await self.engine.release(self.connection)
                raise
        except BaseException:
            self._end_turn()
            raise
        self.context = self.engine.current_transaction.set(self)
        return self

    async def __aexit__(self, exception_type, exception, traceback) -> bool:
        if self._parent:
            return exception is None
        connection = self.connection
        self.connection = _NoClose(connection)
        try:
            return await super().__aexit__(exception_type, exception, traceback)
        finally:
            try:
                await self.engine.release(connection)
            finally:
                self._end_turn()

    def _end_turn(self) -> None:
        if self._turn:
            self._turn = False
            self.engine.end_write_turn()


_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def _is_write(query: str, query_type: str) -> bool:
    return query_type in ("insert", "update", "delete") or query.lstrip()[:7].upper().startswith(_WRITES)


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


class NotingPostgresEngine(PostgresEngine):
    """PostgreSQL, telling ``table_versions`` which tables each statement names (as SQLite's engine does).

    A pool belongs to the event loop that started it (asyncpg's connections cannot move
    between loops): code on another loop (a command's own ``asyncio.run``, a test's own
    queries beside the served app) sees no pool there and opens its own connection.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._loop_pools: dict[asyncio.AbstractEventLoop, Any] = {}
        super().__init__(*args, **kwargs)

    @property
    def pool(self) -> Any:
        try:
            return self._loop_pools.get(asyncio.get_running_loop())
        except RuntimeError:  # no loop running: no pool either
            return None

    @pool.setter
    def pool(self, value: Any) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            if value is None:  # Piccolo's __init__, before any loop
                return
            raise
        if value is None:
            self._loop_pools.pop(loop, None)
        else:
            self._loop_pools[loop] = value

    async def run_querystring(self, querystring, in_pool: bool = True):
        # Piccolo's own method, less its query logging, with the statement noted.
        query, query_args = querystring.compile_string(engine_type=self.engine_type)
        note_query(query)
        transaction = self.current_transaction.get()
        if transaction:
            return await transaction.connection.fetch(query, *query_args)
        if in_pool and self.pool:
            return await self._run_in_pool(query, query_args)
        return await self._run_in_new_connection(query, query_args)


# Every PostgreSQL connection's settings. A list's page joins 50 rows, but the planner
# sizes a Memoize node's hash table for the whole table under the LIMIT (20,000 loans)
# and builds it on every run: the loans page ran 0.40 ms with it and 0.10 ms without.
SERVER_SETTINGS = {"enable_memoize": "off"}


def engine_from_url(url: str) -> Engine:
    if url.startswith("sqlite:"):
        path = sqlite_path(url)
        path.parent.mkdir(parents=True, exist_ok=True)
        _enable_wal(path)
        return KeptOpenSQLiteEngine(path=str(path), timeout=SQLITE_BUSY_TIMEOUT_SECONDS)
    if url.startswith(("postgresql:", "postgres:")):
        parts = urlparse(url)
        return NotingPostgresEngine(
            config={
                "host": parts.hostname or "127.0.0.1",
                "port": parts.port or 5432,
                "user": unquote(parts.username or "postgres"),
                "password": unquote(parts.password or ""),
                "database": parts.path.lstrip("/") or "postgres",
                "server_settings": SERVER_SETTINGS,
            }
        )
    raise UnsupportedDatabaseURL("DIGIYSTAVA_DATABASE_URL must start with sqlite:/// or postgresql://")


def _enable_wal(path: Path) -> None:
    """WAL lets readers go on while one writer commits; the mode is stored in the file."""
    with sqlite3.connect(path, timeout=SQLITE_BUSY_TIMEOUT_SECONDS) as connection:
        connection.execute("PRAGMA journal_mode=WAL")


def bind(engine: Engine) -> None:
    """Point every table of the project at ``engine``."""
    for table in all_tables():
        table._meta.db = engine


def current_engine() -> Engine:
    return StaffUser._meta.db


async def refresh_statistics() -> None:
    """After a bulk load (demo, restore): fresh statistics for the query planner.

    On PostgreSQL the vacuum also fills the visibility map, so that a page's total
    count reads an index only; autovacuum would get there later, after the first
    users had waited for sequential scans.
    """
    engine = current_engine()
    await engine.run_ddl("VACUUM (ANALYZE)" if engine.engine_type == "postgres" else "ANALYZE")


_PG_VERSIONS_SQL = f"SELECT name, version FROM {VERSION_TABLE}"


async def table_versions(engine: Engine) -> dict[str, int] | None:
    """Each table's version as committed now (``table_versions.py``); None if unknown.

    A table's version is the same in two reads only if no write to it committed between them.
    """
    if isinstance(engine, KeptOpenSQLiteEngine):
        return engine.table_versions()
    if isinstance(engine, PostgresEngine):
        if engine.pool is not None:
            rows = await engine.pool.fetch(_PG_VERSIONS_SQL)
        else:
            rows = await engine.run_ddl(_PG_VERSIONS_SQL)
        return {row["name"]: row["version"] for row in rows}
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


def must_exist(row: dict[str, Any] | None) -> dict[str, Any]:
    """The row of a query whose row the request already knows exists (checked, locked or just written).

    A missing row here is a bug, not a user's mistake: it fails loudly instead of as a ``None`` further on.
    """
    if row is None:
        raise LookupError("a row this request checked has gone")
    return row
