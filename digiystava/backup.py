"""Backup and restore: a consistent, signed copy of the whole database.

One portable format for both engines: gzip-compressed JSON with every table's
rows, the applied migrations, the column names and row counts, signed whole
with HMAC-SHA-256 under a key derived from DIGIYSTAVA_SECRET_KEY. The copy is
read inside one transaction (SQLite: one read transaction on a WAL database;
PostgreSQL: REPEATABLE READ), so it is consistent while the app keeps
running, and written readable by its owner only (0600).

Restore refuses a file whose signature does not verify (changed after it was
made, or made under another secret key), then loads it into an empty, migrated
database of the same schema in one transaction, counts checked before the
commit: all or nothing. This also lets a SQLite installation move to PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import hmac
import json
from pathlib import Path
from typing import Any

from piccolo.columns import Date, Time, Timestamp, Timestamptz
from piccolo.table import sort_table_classes

from cohorts.courses.figures import recount_all
from digiystava import __version__, clock
from digiystava.apps import all_tables
from digiystava.db import current_engine, refresh_statistics
from digiystava.private_files import open_private
from digiystava.settings import get_settings

FORMAT = "digiystava-backup"
VERSION = 2  # 1: unsigned, a SHA-256 of the rows only
BATCH = 1000
SIGNATURE_PREFIX = "hmac-sha256:"


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


def _signing_key() -> bytes:
    """A key of its own for backups, derived from the app's secret (never the secret itself)."""
    return hmac.new(get_settings().secret_key.encode(), b"digiystava backup signing key", hashlib.sha256).digest()


def _canonical(document: dict[str, Any]) -> bytes:
    """Everything but the signature, in one spelling: header, columns, counts and rows."""
    unsigned = {k: v for k, v in document.items() if k != "signature"}
    return json.dumps(unsigned, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


def sign(document: dict[str, Any]) -> str:
    return SIGNATURE_PREFIX + hmac.new(_signing_key(), _canonical(document), hashlib.sha256).hexdigest()


def _refuse_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [k for k, _ in pairs]
    if len(set(keys)) != len(keys):
        raise BackupError("the backup file repeats a key; it was not written by digiystava backup")
    return dict(pairs)


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
    counts = {name: len(rows) for name, rows in data.items()}
    document = {
        "format": FORMAT,
        "version": VERSION,
        "app_version": __version__,
        "created_at": clock.now().isoformat(),
        "engine": engine.engine_type,
        "migrations": migrations,
        "columns": columns,
        "counts": counts,
        "tables": data,
    }
    document["signature"] = sign(document)
    tmp = out.with_name(out.name + ".part")
    with open_private(tmp) as raw, gzip.open(raw, "wt", encoding="utf-8") as handle:
        json.dump(document, handle, ensure_ascii=False)
    tmp.replace(out)  # never leave a half-written file under the real name; the 0600 file takes its place
    return counts


REFUSED = "nothing was restored"


def read_backup(path: Path) -> dict[str, Any]:
    """The backup's document, only if its signature verifies under this installation's key."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            document = json.load(handle, object_pairs_hook=_refuse_duplicate_keys)
    except (OSError, ValueError) as exc:
        raise BackupError(f"{path} is not a readable backup file; {REFUSED}") from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BackupError(f"{path} is not a Digiystävä backup; {REFUSED}")
    if document.get("version") != VERSION or not isinstance(document.get("signature"), str):
        raise BackupError(
            f"{path} is an unsigned backup of an older version, which restore no longer trusts; {REFUSED}"
        )
    try:
        expected = sign(document)
    except ValueError as exc:  # NaN or infinity: never written by backup
        raise BackupError(f"{path} holds values a backup never has; {REFUSED}") from exc
    if not hmac.compare_digest(expected, document["signature"]):
        raise BackupError(
            "the backup's signature does not match: the file was changed after it was made, "
            f"or it was made with another DIGIYSTAVA_SECRET_KEY; {REFUSED}"
        )
    return document


def _check_shape(document: dict[str, Any], tables: dict[str, Any]) -> None:
    """A signed file from this installation: still check it fits this database, table by table."""
    for name in (document["tables"], document["columns"], document["counts"]):
        if set(name) != set(tables):
            raise BackupError(f"the backup's tables differ from the database's; {REFUSED}")
    for name, table in tables.items():
        names = document["columns"][name]
        if sorted(names) != sorted(c._meta.db_column_name for c in table._meta.columns):
            raise BackupError(f"the backup's columns of table {name} differ from the database's; {REFUSED}")
        rows = document["tables"][name]
        if document["counts"][name] != len(rows) or any(len(row) != len(names) for row in rows):
            raise BackupError(f"the backup's row count of table {name} differs from its rows; {REFUSED}")


async def _insert_rows(table, rows: list) -> None:
    for start in range(0, len(rows), BATCH):
        await table.insert(*rows[start : start + BATCH])


async def restore_backup(path: Path) -> dict[str, int]:
    """Load a signed backup into an empty, migrated database, in one transaction; returns counts."""
    document = read_backup(path)
    engine = current_engine()
    if await _migrations() != document["migrations"]:
        raise BackupError(
            f"the database's migrations differ from the backup's: run `digiystava migrate` on an empty "
            f"database of the same version; {REFUSED}"
        )
    tables = {t._meta.tablename: t for t in _tables()}
    _check_shape(document, tables)
    async with engine.transaction():
        for name in tables:
            if await tables[name].count() > 0:
                raise BackupError(
                    f"the database is not empty (table {name} has rows); restore needs an empty database; {REFUSED}"
                )
        for table in _tables():
            name = table._meta.tablename
            names = document["columns"][name]
            by_name = {c._meta.db_column_name: c for c in table._meta.columns}
            rows = [
                table(**{by_name[n]._meta.name: _decode(by_name[n], v) for n, v in zip(names, row)})
                for row in document["tables"][name]
            ]
            try:
                await _insert_rows(table, rows)
            except Exception as exc:  # noqa: BLE001 - any database refusal undoes the whole restore
                raise BackupError(
                    f"table {name} could not be loaded "
                    f"({str(exc).splitlines()[0] if str(exc) else type(exc).__name__}); {REFUSED}"
                ) from exc
            if engine.engine_type == "postgres" and rows:
                await engine.run_ddl(
                    f"SELECT setval(pg_get_serial_sequence('\"{name}\"', 'id'), (SELECT MAX(id) FROM \"{name}\"))"
                )
        # Figures the database keeps are counted from the rows now here, whatever the file said.
        await engine.run_ddl(recount_all(engine.engine_type))
        # Inside the transaction: a count that differs undoes every row, not just the report.
        counts = {name: await table.count() for name, table in tables.items()}
        if counts != document["counts"]:
            raise BackupError(f"row counts after loading differ from the backup's; {REFUSED}")
    await refresh_statistics()
    return counts


__all__ = ["BackupError", "read_backup", "restore_backup", "sign", "take_backup"]
