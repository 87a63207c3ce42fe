"""Bulk inserts of plain tuples, for loading hundreds of thousands of demo rows.

Piccolo's ``Table.insert(*rows)`` builds a Table object and a query fragment per
value: about 5,000 rows a second, too slow for the national demo (~400,000 rows
in under a minute). These inserts send ~1,000 rows per statement with bound
parameters instead, on the connection of the current transaction, so they are
part of the same all-or-nothing load.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from piccolo.columns import JSON
from piccolo.table import Table

from digiystava.db import current_engine

CHUNK_ROWS = 1000
# NOTE: SQLite allows at most 32,766 bound values in one statement.
MAX_PARAMETERS = 32000


@asynccontextmanager
async def _connection() -> AsyncIterator[Any]:
    """The current transaction's connection, or a new transaction's when there is none."""
    engine = current_engine()
    current = engine.current_transaction.get()
    if current is not None:
        yield current.connection
        return
    async with engine.transaction() as transaction:
        yield transaction.connection


def _prepare(table: type[Table], columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[tuple]:
    """JSON columns travel as text on both engines."""
    json_positions = [i for i, name in enumerate(columns) if isinstance(table._meta.get_column_by_name(name), JSON)]
    if not json_positions:
        return [tuple(r) for r in rows]
    prepared = []
    for row in rows:
        values = list(row)
        for i in json_positions:
            values[i] = json.dumps(values[i])
        prepared.append(tuple(values))
    return prepared


async def insert(
    table: type[Table], columns: Sequence[str], rows: Sequence[Sequence[Any]], returning_ids: bool = False
) -> list[int]:
    """Insert ``rows`` (tuples in the order of ``columns``); the new ids in row order when asked."""
    if not rows:
        return []
    engine = current_engine()
    postgres = engine.engine_type == "postgres"
    name = table._meta.tablename
    column_list = ", ".join(f'"{c}"' for c in columns)
    values = _prepare(table, columns, rows)
    chunk = max(1, min(CHUNK_ROWS, MAX_PARAMETERS // len(columns)))
    ids: list[int] = []
    async with _connection() as connection:
        # NOTE: on PostgreSQL a statement per chunk, not per row: the statement triggers (table
        # versions, the cohorts' kept figures) then run once per thousand rows.
        if not returning_ids and not postgres:
            sql = f'INSERT INTO "{name}" ({column_list}) VALUES ({", ".join("?" * len(columns))})'
            await connection.executemany(sql, values)
            return ids
        returning = ' RETURNING "id"' if returning_ids else ""
        for start in range(0, len(values), chunk):
            part = values[start : start + chunk]
            sql = (
                f'INSERT INTO "{name}" ({column_list}) VALUES '
                f"{_placeholders(len(columns), len(part), postgres)}{returning}"
            )
            flat = [v for row in part for v in row]
            if postgres:
                result = await connection.fetch(sql, *flat)
                ids += [r["id"] for r in result]
            else:
                async with connection.execute(sql, flat) as cursor:
                    ids += [r["id"] for r in await cursor.fetchall()]
    # NOTE: RETURNING gives no order guarantee in SQL; both engines return VALUES order, and this checks it.
    if ids != sorted(ids):
        raise RuntimeError(f"{name}: inserted ids came back out of order")
    return ids


def _placeholders(width: int, count: int, postgres: bool) -> str:
    if not postgres:
        row = "(" + ", ".join("?" * width) + ")"
        return ", ".join([row] * count)
    return ", ".join("(" + ", ".join(f"${r * width + c + 1}" for c in range(width)) + ")" for r in range(count))
