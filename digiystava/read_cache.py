"""What was read, kept until a table it read changes.

Every request first reads each table's version (``db.table_versions``; the database
moves a table's version in the same transaction as any write to it, see
``table_versions.py``). A credential (with its user and locations) or an API list
answer is kept with the versions, read *before* its data was, of the tables its
queries named; it is given again only to a request that reads the same versions of
those tables. So nothing older than what the caller's request could read is ever
given, and a write keeps only what read the written table from being given again: a
tablet's note leaves the cohorts' answers alone, an enrolment does not.

What an answer depends on besides the database is part of its key: the caller (with
role and locations), the page language, the path and query string, and the date in
Helsinki (loans fall overdue at midnight). The cache is bounded in entries and bytes
and lives in one process; an erased senior is a write to the tables that held them,
so their answers are never given again and soon dropped.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from piccolo.engine.base import Engine

from digiystava import db

# Only answers up to this size are kept: a 50-row page is 10-30 kB, the whole programme's report PDF 260 kB.
MAX_ANSWER_BYTES = 1024 * 1024
MAX_TOTAL_BYTES = 16 * 1024 * 1024
# A credential row counts as this many bytes against the total.
ROW_BYTES = 1024


V = TypeVar("V")


class Kept(Generic[V]):
    """The latest of something read, per key, bounded: least recently used dropped first.

    One per app (``app_state``) for each kind: the lists' totals (``paging.KeptTotals``)
    and the callers' credentials (``authentication.KeptCredentials``). Each keeps the
    versions it was read at beside it and checks them itself.
    """

    def __init__(self, max_entries: int) -> None:
        self._max_entries = max_entries
        self._values: OrderedDict[Hashable, V] = OrderedDict()

    def get(self, key: Hashable) -> V | None:
        value = self._values.get(key)
        if value is not None:
            self._values.move_to_end(key)
        return value

    def put(self, key: Hashable, value: V) -> None:
        self._values[key] = value
        self._values.move_to_end(key)
        if len(self._values) > self._max_entries:
            self._values.popitem(last=False)

    def drop(self, key: Hashable) -> None:
        self._values.pop(key, None)


class ReadCache:
    """Entries with the versions of the tables they read, least recently used dropped first."""

    def __init__(self, engine: Engine, max_entries: int = 512) -> None:
        self._engine = engine
        self._max_entries = max_entries
        # key -> (value, size, ((table, version), ...))
        self._entries: OrderedDict[tuple, tuple[Any, int, tuple]] = OrderedDict()
        self._bytes = 0

    async def reading(self) -> Reading:
        """What a request may take from the cache and keep in it: entries of the tables' versions now."""
        if self._max_entries <= 0:
            return Reading(self, None)
        try:
            versions = await db.table_versions(self._engine)
        except Exception:  # noqa: BLE001 - a database that does not answer is reported by the query that needs it
            return Reading(self, None)
        return Reading(self, versions)

    def get(self, versions: Mapping[str, int] | None, key: tuple) -> Any:
        if versions is None:
            return None
        entry = self._entries.get(key)
        if entry is None:
            return None
        value, _, read = entry
        if any(versions.get(table) != version for table, version in read):
            if all(versions.get(table, -1) >= version for table, version in read):
                self._drop(key)  # a newer version of a table it read: never given again
            return None
        self._entries.move_to_end(key)
        return value

    def put(
        self, versions: Mapping[str, int] | None, key: tuple, value: Any, tables: Iterable[str], size: int = ROW_BYTES
    ) -> None:
        """Keep ``value``, read from ``tables`` after ``versions`` were read.

        Not kept if a table it read has no version (nothing would tell when it changes).
        """
        if versions is None or size > MAX_ANSWER_BYTES:
            return
        try:
            read = tuple((table, versions[table]) for table in sorted(tables))
        except KeyError:
            return
        self._drop(key)
        self._entries[key] = (value, size, read)
        self._bytes += size
        while len(self._entries) > self._max_entries or self._bytes > MAX_TOTAL_BYTES:
            _, (_, dropped, _) = self._entries.popitem(last=False)
            self._bytes -= dropped

    def _drop(self, key: tuple) -> None:
        old = self._entries.pop(key, None)
        if old is not None:
            self._bytes -= old[1]

    @property
    def size(self) -> tuple[int, int]:
        """(entries, bytes) kept now."""
        return len(self._entries), self._bytes


@dataclass(frozen=True)
class Reading:
    """One request's view of the cache: the tables' versions it read before anything else."""

    cache: ReadCache | None
    versions: Mapping[str, int] | None

    def get(self, key: tuple) -> Any:
        return self.cache.get(self.versions, key) if self.cache is not None else None

    def put(self, key: tuple, value: Any, tables: Iterable[str], size: int = ROW_BYTES) -> None:
        if self.cache is not None:
            self.cache.put(self.versions, key, value, tables, size)


NOTHING_KEPT = Reading(None, None)
# A route handler whose GET answer depends only on the database, the caller and the request.
CACHED_READ = {"cached_read": True}
