"""A page of a list and its total: one statement, built and compiled once per shape and values.

The total rides along as a column of the page's own query: an uncorrelated subquery,
which SQLite and PostgreSQL run once per statement. One round trip instead of two,
and the page and its total are read from the same snapshot.

Building a joined SELECT costs Piccolo more than the database needs to run it (each
step through a foreign key, each join and the compilation of the nested SQL), so a
list's statement is kept, compiled once, under a key that
names everything it depends on (the caller's scope, the filters, the page), and run
again as it is when the same page is asked for: after each write, or by another caller.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from piccolo.query.methods.count import Count
from piccolo.query.methods.select import Select
from piccolo.querystring import QueryString

from digiystava.db import current_engine
from digiystava.schemas import Page

TOTAL = "page_total"
# Statements kept per process: a few lists times their pages and filters in use.
KEPT_STATEMENTS = 512

_kept: OrderedDict[tuple, tuple[Select, Count]] = OrderedDict()


def with_total(query: Select, count: Count) -> Select:
    """``query`` with the total of rows ``count`` counts as one more column of each row."""
    if not query.columns_delegate.selected_columns:
        # NOTE: a bare select() means every column; naming one more would leave only that one.
        query = query.columns(*query.table.all_columns())
    return query.columns(QueryString("({})", count.querystrings[0], alias=TOTAL))


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


async def rows_and_total(
    key: Hashable, build: Callable[[], tuple[Select, Count]], offset: int
) -> tuple[list[dict[str, Any]], int]:
    """The page's rows (without the total column) and the total of the list ``build`` makes.

    ``key`` must name everything the statement depends on besides the engine: the list,
    the caller's scope, every filter value and the page. Counted apart only for an empty
    page past the end.
    """
    full_key = (current_engine().engine_type, key)
    kept = None if key is None else _kept.get(full_key)
    if key is None:
        query, count = build()
        kept = (with_total(query, count), count)
    elif kept is None:
        query, count = build()
        kept = _kept[full_key] = (_frozen(with_total(query, count)), count)
        if len(_kept) > KEPT_STATEMENTS:
            _kept.popitem(last=False)
    else:
        _kept.move_to_end(full_key)
    query, count = kept
    rows = await query
    if not rows:
        return rows, (await count if offset else 0)
    total = rows[0][TOTAL]
    for row in rows:
        del row[TOTAL]
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
    share. With ``key`` the compiled statement is kept (see ``rows_and_total``): the key must
    name everything the statement depends on besides the engine. ``out`` turns each row into
    its schema; without it the items are the rows, for a caller that completes them together.
    """

    def paged_build() -> tuple[Select, Count]:
        query, count, where = build()
        if where:
            query, count = query.where(*where), count.where(*where)
        return query.limit(limit).offset(offset), count

    rows, total = await rows_and_total(None if key is None else (key, limit, offset), paged_build, offset)
    items = [out(row) for row in rows] if out else rows
    return Page(items=items, total=total, limit=limit, offset=offset)
