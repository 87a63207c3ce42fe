"""A version per table, moved by the database itself whenever the table's rows change.

``table_version`` holds one row per table: triggers, created by the migrations with
``track_changes``, add one to a table's row in the same transaction as any insert,
update or delete of the table, whoever writes it (the app, the command line, another
process, a person at the SQL prompt). So a reader that sees a table's version
unchanged knows that nothing in that table changed, and can keep what it read from
it (``read_cache.py``): a tablet's note leaves the cohorts' answers alone.

SQLite writes one transaction at a time, so a trigger per row simply counts. On
PostgreSQL a version row updated by every writer would be held locked from the first
write to the commit, and two transactions writing two tables in opposite orders
would deadlock on them. So a statement trigger only notes the table in the
transaction (a transaction-local setting), and one deferred trigger adds one to each
noted table at the commit, in name order: the rows are locked only while the
transaction commits, always in the same order, and the new versions become visible
together with the rows they count.

Which tables a query reads is taken from its SQL (``tables_in``): every table a query
reads is named in it (the app has no views). A name that only appears as a column
(``loan.tablet``) adds a table that was not read, which costs at most a refresh.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass

from digiystava.apps import all_tables
from digiystava.migrations import raw_sql_per_engine

VERSION_TABLE = "table_version"

# PostgreSQL: the changed tables of the running transaction, as ",a,b,".
_CHANGED_SETTING = "digiystava.changed_tables"

_PG_FUNCTIONS = [
    f"CREATE TABLE {VERSION_TABLE} (name TEXT PRIMARY KEY, version BIGINT NOT NULL DEFAULT 0)",
    # A row here, inserted once per writing transaction, fires the deferred trigger once at its commit.
    "CREATE TABLE table_version_pending (id BIGINT)",
    f"""
    CREATE FUNCTION note_table_change() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        changed TEXT := coalesce(current_setting('{_CHANGED_SETTING}', true), '');
    BEGIN
        IF changed = '' THEN
            INSERT INTO table_version_pending VALUES (0);
            changed := ',';
        END IF;
        IF position(',' || TG_TABLE_NAME || ',' IN changed) = 0 THEN
            PERFORM set_config('{_CHANGED_SETTING}', changed || TG_TABLE_NAME || ',', true);
        END IF;
        RETURN NULL;
    END $$
    """,
    f"""
    CREATE FUNCTION bump_table_versions() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        changed TEXT := coalesce(current_setting('{_CHANGED_SETTING}', true), '');
        tbl TEXT;
    BEGIN
        DELETE FROM table_version_pending;
        PERFORM set_config('{_CHANGED_SETTING}', '', true);
        -- In name order: two committing transactions lock the rows they share in the same order.
        FOR tbl IN SELECT t FROM unnest(string_to_array(trim(BOTH ',' FROM changed), ',')) AS t ORDER BY t LOOP
            INSERT INTO {VERSION_TABLE} (name, version) VALUES (tbl, 1)
                ON CONFLICT (name) DO UPDATE SET version = {VERSION_TABLE}.version + 1;
        END LOOP;
        RETURN NULL;
    END $$
    """,
    "CREATE CONSTRAINT TRIGGER bump_table_versions AFTER INSERT ON table_version_pending "
    "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_table_versions()",
]
_SQLITE_TABLE = f"CREATE TABLE {VERSION_TABLE} (name TEXT PRIMARY KEY, version INTEGER NOT NULL DEFAULT 0)"


def _pg_track(table: str) -> list[str]:
    return [
        f"INSERT INTO {VERSION_TABLE} (name) VALUES ('{table}') ON CONFLICT DO NOTHING",
        f'CREATE TRIGGER "{table}_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}" '
        "FOR EACH STATEMENT EXECUTE FUNCTION note_table_change()",
    ]


def _sqlite_track(table: str) -> list[str]:
    bump = f"UPDATE {VERSION_TABLE} SET version = version + 1 WHERE name = '{table}'"
    return [f"INSERT OR IGNORE INTO {VERSION_TABLE} (name) VALUES ('{table}')"] + [
        f'CREATE TRIGGER "{table}_{event.lower()}_version" AFTER {event} ON "{table}" BEGIN {bump}; END'
        for event in ("INSERT", "UPDATE", "DELETE")
    ]


def _pg_untrack(table: str) -> list[str]:
    return [f'DROP TRIGGER "{table}_changed" ON "{table}"', f"DELETE FROM {VERSION_TABLE} WHERE name = '{table}'"]


def _sqlite_untrack(table: str) -> list[str]:
    return [f'DROP TRIGGER "{table}_{event}_version"' for event in ("insert", "update", "delete")] + [
        f"DELETE FROM {VERSION_TABLE} WHERE name = '{table}'"
    ]


def create_versions():
    """A migration step: the version table (and on PostgreSQL the trigger functions)."""
    return raw_sql_per_engine(lambda engine_type: _PG_FUNCTIONS if engine_type == "postgres" else [_SQLITE_TABLE])


def drop_versions():
    return raw_sql_per_engine(
        lambda engine_type: (
            [
                "DROP TABLE table_version_pending",
                "DROP FUNCTION bump_table_versions",
                "DROP FUNCTION note_table_change",
                f"DROP TABLE {VERSION_TABLE}",
            ]
            if engine_type == "postgres"
            else [f"DROP TABLE {VERSION_TABLE}"]
        )
    )


def track_changes(tables: Iterable[str]):
    """A migration step: from now on each of ``tables`` moves its version when its rows change."""
    names = list(tables)
    return raw_sql_per_engine(
        lambda engine_type: [
            s for t in names for s in (_pg_track(t) if engine_type == "postgres" else _sqlite_track(t))
        ]
    )


def untrack_changes(tables: Iterable[str]):
    names = list(tables)
    return raw_sql_per_engine(
        lambda engine_type: [
            s for t in names for s in (_pg_untrack(t) if engine_type == "postgres" else _sqlite_untrack(t))
        ]
    )


# --- versions read with a statement ----------------------------------------------------

# A table's version as one more column of a statement; the table's name is its parameter.
VERSION_OF = f"(SELECT version FROM {VERSION_TABLE} WHERE name = {{}})"


@dataclass
class Unconfirmed:
    """What a request took on trust, and the versions of the tables it was read from then.

    A page's statement reads those versions too (``paging.py``): the same versions mean
    that nothing it was read from had changed when the page was read.
    """

    tables: tuple[str, ...]
    versions: tuple[int, ...]
    confirmed: bool = False


# The running request's trust, set by the web layer (``accounts/guards.py``); None: nothing to confirm.
unconfirmed: ContextVar[Unconfirmed | None] = ContextVar("unconfirmed", default=None)


# --- which tables a piece of work read ---------------------------------------------------

_known: tuple[frozenset[str], re.Pattern] | None = None


def _pattern() -> re.Pattern:
    global _known
    if _known is None:
        names = frozenset(t._meta.tablename for t in all_tables())
        _known = (names, re.compile(r"\b(" + "|".join(sorted(names, key=len, reverse=True)) + r")\b"))
    return _known[1]


_named: dict[str, frozenset[str]] = {}


def tables_in(sql: str) -> frozenset[str]:
    """The project's tables named in ``sql`` (a superset of those it reads); remembered per statement text."""
    tables = _named.get(sql)
    if tables is None:
        tables = frozenset(_pattern().findall(sql))
        if len(_named) >= 4096:  # statements with their values inlined would grow it without end
            _named.clear()
        _named[sql] = tables
    return tables


_reads: ContextVar[set[str] | None] = ContextVar("table_reads", default=None)


def note_query(sql: str) -> None:
    """Called by the engines for every statement they run: adds its tables to the work being recorded."""
    reads = _reads.get()
    if reads is not None:
        reads.update(tables_in(sql))


@contextlib.contextmanager
def recording() -> Iterator[set[str]]:
    """The tables of every query run inside the block (in this task and the tasks it starts)."""
    reads: set[str] = set()
    token = _reads.set(reads)
    try:
        yield reads
    finally:
        _reads.reset(token)
