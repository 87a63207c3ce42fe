"""A page of a list and its total: one statement, built and compiled once per shape and values.

The total rides along as a column of the page's own query: an uncorrelated subquery,
which SQLite and PostgreSQL run once per statement. One round trip instead of two,
and the page and its total are read from the same snapshot.

Building a joined SELECT costs Piccolo more than the database needs to run it (each
step through a foreign key, each join and the compilation of the nested SQL), so a
list's statement is kept, compiled once, under a key that
names everything it depends on (the caller's scope, the filters, the page), and run
again as it is when the same page is asked for: after each write, or by another caller.

Counting every row is what a large list's page costs most on PostgreSQL (20,000 loans).
So the app keeps each list's total with the versions of the tables its count reads
(``table_versions.py``), and reads a page with those versions as columns of the same
statement instead of the count: the same versions mean the same rows, so the kept total
is exactly what the count would say. Other versions, and the page is read again with
its count.

The same columns confirm what a request took on trust (``table_versions.Unconfirmed``): the caller's
credential, kept with the versions of its tables, is checked by the page's own statement
instead of a statement of its own (``accounts/authentication.py``).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from piccolo.query.methods.count import Count
from piccolo.query.methods.select import Select
from piccolo.querystring import QueryString

from digiystava.db import current_engine
from digiystava.read_cache import Kept
from digiystava.schemas import Page
from digiystava.table_versions import VERSION_OF, Unconfirmed, tables_in, unconfirmed

TOTAL = "page_total"
VERSION = "page_version_"
# Statements kept per process: a few lists times their pages and filters in use.
KEPT_STATEMENTS = 512


@dataclass(frozen=True)
class _Statements:
    """A page's statement with its total; and, if its count reads tables with versions, one with those instead.

    Both read the versions of ``tables`` (the count's) and then of ``trusted`` (``Unconfirmed``).
    """

    counted: Select
    versioned: Select | None
    count: Count
    tables: tuple[str, ...]
    trusted: tuple[str, ...]


_kept: OrderedDict[tuple, _Statements] = OrderedDict()


class KeptTotals(Kept[tuple[tuple[int, ...], int]]):
    """Each list's total with the versions of the tables its count read: (versions, total)."""

    def __init__(self, max_entries: int = KEPT_STATEMENTS) -> None:
        super().__init__(max_entries)


# The running app's totals, set for each request by the web layer; None (the command line): counted each time.
kept_totals: ContextVar[KeptTotals | None] = ContextVar("kept_totals", default=None)


def with_total(query: Select, count: Count) -> Select:
    """``query`` with the total of rows ``count`` counts as one more column of each row."""
    return _all_columns(query).columns(QueryString("({})", count.querystrings[0], alias=TOTAL))


def _all_columns(query: Select) -> Select:
    if not query.columns_delegate.selected_columns:
        # NOTE: a bare select() means every column; naming one more would leave only that one.
        query = query.columns(*query.table.all_columns())
    return query


def _with_versions(query: Select, tables: tuple[str, ...]) -> Select:
    """``query`` with each table's version (``table_versions.py``) as a column, read in the same statement."""
    return query.columns(*(QueryString(VERSION_OF, table, alias=f"{VERSION}{i}") for i, table in enumerate(tables)))


def _frozen(query: Select) -> Select:
    """``query`` with its SQL compiled now and kept.

    Piccolo's own ``freeze()`` drops the selected columns, and with them the decoding of
    JSON columns; this keeps the query as it is and only fixes its compiled statement.
    """
    querystrings = query.querystrings
    for querystring in querystrings:
        querystring.freeze(engine_type=query.engine_type)
    query._frozen_querystrings = querystrings
    return query


def _statements(build: Callable[[], tuple[Select, Count]], engine_type: str, trusted: tuple[str, ...]) -> _Statements:
    """The page's statements, each built afresh (a Piccolo query changes as columns are added)."""
    query, count = build()
    tables = tuple(sorted(tables_in(count.querystrings[0].compile_string(engine_type)[0])))
    counted = _frozen(_with_versions(with_total(query, count), tables + trusted))
    versioned = _frozen(_with_versions(_all_columns(build()[0]), tables + trusted)) if tables else None
    return _Statements(counted, versioned, count, tables, trusted)


def _versions(rows: list[dict[str, Any]], statements: _Statements, trust: Unconfirmed | None) -> tuple[int, ...] | None:
    """The versions of the count's tables, taken off the rows (None if a table has none); the trust confirmed or not."""
    names = [f"{VERSION}{i}" for i in range(len(statements.tables) + len(statements.trusted))]
    versions = tuple(rows[0][name] for name in names)
    for row in rows:
        for name in names:
            del row[name]
    own, trusted = versions[: len(statements.tables)], versions[len(statements.tables) :]
    if trust is not None and trusted and trusted == trust.versions:
        trust.confirmed = True
    return None if None in own else own


def _total(rows: list[dict[str, Any]]) -> int:
    total = rows[0][TOTAL]
    for row in rows:
        del row[TOTAL]
    return total


async def rows_and_total(
    key: Hashable, build: Callable[[], tuple[Select, Count]], offset: int, total_key: Hashable = None
) -> tuple[list[dict[str, Any]], int]:
    """The page's rows (without the added columns) and the total of the list ``build`` makes.

    ``key`` must name everything the statement depends on besides the engine: the list,
    the caller's scope, every filter value and the page; ``total_key`` the same but the
    page, under which the app keeps the total (``KeptTotals``). Counted apart only for an
    empty page past the end.
    """
    engine_type = current_engine().engine_type
    if key is None:
        query, count = build()
        rows = await with_total(query, count)
        return rows, (_total(rows) if rows else await count if offset else 0)
    trust = unconfirmed.get()
    trusted = trust.tables if trust is not None and not trust.confirmed else ()
    full_key = (engine_type, key, trusted)
    statements = _kept.get(full_key)
    if statements is None:
        statements = _kept[full_key] = _statements(build, engine_type, trusted)
        if len(_kept) > KEPT_STATEMENTS:
            _kept.popitem(last=False)
    else:
        _kept.move_to_end(full_key)
    totals = None if total_key is None else kept_totals.get()
    totals_key = (engine_type, total_key)
    versioned = statements.versioned
    known = None if totals is None or versioned is None else totals.get(totals_key)
    if versioned is not None and known is not None:
        rows = await versioned
        if not rows:
            return rows, (await statements.count if offset else 0)
        if _versions(rows, statements, trust) == known[0]:
            return rows, known[1]
        # NOTE: written since the total was kept: the page is read again, with its count.
    rows = await statements.counted
    if not rows:
        return rows, (await statements.count if offset else 0)
    versions = _versions(rows, statements, trust)
    total = _total(rows)
    if totals is not None and versions is not None:
        totals.put(totals_key, (versions, total))
    return rows, total


async def paged(
    build: Callable[[], tuple[Select, Count, list]],
    limit: int,
    offset: int,
    out: Callable[[dict], Any] | None = None,
    *,
    key: Hashable | None = None,
) -> Page:
    """One page of an API list and the total it is a page of, in one statement.

    ``build()`` gives the list's query (ordered, not paged), its count and the filters both
    share. With ``key`` the compiled statement is kept, and the app keeps the total (see
    ``rows_and_total``): the key must name everything the statement depends on besides the
    engine and the page. ``out`` turns each row into
    its schema; without it the items are the rows, for a caller that completes them together.
    """

    def paged_build() -> tuple[Select, Count]:
        query, count, where = build()
        if where:
            query, count = query.where(*where), count.where(*where)
        return query.limit(limit).offset(offset), count

    rows, total = await rows_and_total(None if key is None else (key, limit, offset), paged_build, offset, key)
    items = [out(row) for row in rows] if out else rows
    return Page(items=items, total=total, limit=limit, offset=offset)
