"""Applying the checked-in Piccolo migrations on SQLite or PostgreSQL."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable

from piccolo.engine.finder import engine_finder


async def migrate() -> None:
    # NOTE: here, not at the top: Piccolo's migration tools load black and its own app registry,
    # which the app and the other commands never need (the table versions import this module).
    from piccolo.apps.migrations.commands.forwards import run_forwards

    # Piccolo narrates each step on stdout; keep the command's output to one line.
    with contextlib.redirect_stdout(io.StringIO()) as narration:
        result = await run_forwards("all")
    if not result.success:
        raise RuntimeError(f"migration failed: {result.message}\n{narration.getvalue()[-2000:]}")


def raw_sql_per_engine(statements_for: Callable[[str], list[str]]):
    """A migration step running plain SQL statements, chosen by the engine's type ("sqlite", "postgres")."""

    async def run() -> None:
        engine = engine_finder()
        assert engine is not None, "piccolo_conf names the engine"
        for statement in statements_for(engine.engine_type):
            await engine.run_ddl(statement)

    return run


def raw_sql(statements: list[str]):
    """A migration step running plain SQL statements (indexes Piccolo cannot declare)."""
    return raw_sql_per_engine(lambda engine_type: statements)
