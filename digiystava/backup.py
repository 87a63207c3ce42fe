"""Backup and restore: a consistent, checkable copy of the whole database.

One portable format for both engines: gzip-compressed JSON with every table's
rows, the applied migrations, row counts and a SHA-256 checksum. The copy is
read inside one transaction (SQLite: one read transaction on a WAL database;
PostgreSQL: REPEATABLE READ), so it is consistent while the app keeps
running. Restoring needs an empty, migrated database of the same schema,
which also lets a SQLite installation move to PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

from piccolo.columns import Date, Time, Timestamp, Timestamptz
from piccolo.table import sort_table_classes

from digiystava import clock
from digiystava import __version__
from digiystava.db import all_tables, current_engine, refresh_statistics

FORMAT = "digiystava-backup"
BATCH = 1000


class BackupError(RuntimeError):
    """The backup file or the target database is not what restore needs."""


def _tables() -> list:
    return sort_table_classes(all_tables())


def _encode(value: Any) -> Any:
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    return value


def _decode(column, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(column, (Timestamptz, Timestamp)):
        return dt.datetime.fromisoformat(value)
    if isinstance(column, Date):
        return dt.date.fromisoformat(value)
    if isinstance(column, Time):
        return dt.time.fromisoformat(value)
    return value


def _checksum(tables: dict[str, list[list[Any]]]) -> str:
    digest = hashlib.sha256()
    for name in sorted(tables):
        digest.update(name.encode())
        for row in tables[name]:
            digest.update(json.dumps(row, sort_keys=True, ensure_ascii=False, default=str).encode())
    return digest.hexdigest()


async def _migrations() -> list[str]:
    engine = current_engine()
    rows = await engine.run_ddl("SELECT name FROM migration ORDER BY name")
    return [r["name"] for r in rows]


async def take_backup(out: Path) -> dict[str, int]:
    """Write the backup to ``out``; returns the row count per table."""
    engine = current_engine()
    data: dict[str, list[list[Any]]] = {}
    columns: dict[str, list[str]] = {}
    async with engine.transaction():
        if engine.engine_type == "postgres":
            await engine.run_ddl("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        migrations = await _migrations()
        for table in _tables():
            names = [c._meta.db_column_name for c in table._meta.columns]
            rows = await table.select(*table._meta.columns).order_by(table._meta.primary_key)
            columns[table._meta.tablename] = names
            data[table._meta.tablename] = [[_encode(row[n]) for n in names] for row in rows]
    document = {
        "format": FORMAT,
        "version": 1,
        "app_version": __version__,
        "created_at": clock.now().isoformat(),
        "engine": engine.engine_type,
        "migrations": migrations,
        "columns": columns,
        "counts": {name: len(rows) for name, rows in data.items()},
        "checksum": _checksum(data),
        "tables": data,
    }
    tmp = out.with_name(out.name + ".part")
    with gzip.open(tmp, "wt", encoding="utf-8") as handle:
        json.dump(document, handle, ensure_ascii=False)
    tmp.replace(out)  # never leave a half-written file under the real name
    return document["counts"]


def read_backup(path: Path) -> dict[str, Any]:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            document = json.load(handle)
    except (OSError, ValueError) as exc:
        raise BackupError(f"{path} is not a readable backup file") from exc
    if document.get("format") != FORMAT:
        raise BackupError(f"{path} is not a Digiystävä backup")
    if _checksum(document["tables"]) != document["checksum"]:
        raise BackupError("the backup's checksum does not match its contents; the file is damaged")
    return document


async def restore_backup(path: Path) -> dict[str, int]:
    """Load a backup into an empty, migrated database, in one transaction; returns counts."""
    document = read_backup(path)
    engine = current_engine()
    if await _migrations() != document["migrations"]:
        raise BackupError("the database's migrations differ from the backup's: run `digiystava migrate` on an empty database of the same version")
    tables = {t._meta.tablename: t for t in _tables()}
    async with engine.transaction():
        for name in tables:
            if await tables[name].count() > 0:
                raise BackupError(f"the database is not empty (table {name} has rows); restore needs an empty database")
        for table in _tables():
            name = table._meta.tablename
            names = document["columns"].get(name, [])
            by_name = {c._meta.db_column_name: c for c in table._meta.columns}
            rows = document["tables"].get(name, [])
            for start in range(0, len(rows), BATCH):
                batch = [
                    table(**{by_name[n]._meta.name: _decode(by_name[n], v) for n, v in zip(names, row) if n in by_name})
                    for row in rows[start : start + BATCH]
                ]
                await table.insert(*batch)
            if engine.engine_type == "postgres" and rows:
                await engine.run_ddl(
                    f"SELECT setval(pg_get_serial_sequence('\"{name}\"', 'id'), (SELECT MAX(id) FROM \"{name}\"))"
                )
    counts = {name: await table.count() for name, table in tables.items()}
    expected = document["counts"]
    if any(counts.get(name, 0) != n for name, n in expected.items()):
        raise BackupError("row counts after restore differ from the backup")
    await refresh_statistics()
    return counts


__all__ = ["BackupError", "read_backup", "restore_backup", "take_backup"]
