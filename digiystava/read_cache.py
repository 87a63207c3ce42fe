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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from piccolo.engine.base import Engine

from digiystava import clock, db
from digiystava.paging import kept_totals
from digiystava.table_versions import recording

# Only answers up to this size are kept: a 50-row page is 10-30 kB, the whole programme's report PDF 260 kB.
MAX_ANSWER_BYTES = 1024 * 1024
MAX_TOTAL_BYTES = 16 * 1024 * 1024
# A credential row counts as this many bytes against the total.
ROW_BYTES = 1024


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


class ReadCacheMiddleware(ASGIMiddleware):
    """Answers a logged-in GET of a ``CACHED_READ`` route from the cache, under the versions
    the authentication read (``scope["reading"]``) before it read the credential.

    Every request's lists use the app's kept totals (``paging.KeptTotals``), cache or not:
    a kept total is checked against the versions its page's own statement reads.
    """

    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        token = kept_totals.set(scope["app"].state.get("kept_totals"))
        try:
            principal = scope.get("user")
            if principal is None or scope["method"] != "GET" or not scope["route_handler"].opt.get("cached_read"):
                await next_app(scope, receive, send)
                return
            reading: Reading = scope.get("reading", NOTHING_KEPT)  # type: ignore[assignment]
            # The whole principal: an answer depends on the caller's role and locations too.
            await answer(reading, principal, scope, receive, send, next_app)
        finally:
            kept_totals.reset(token)


async def answer(reading: Reading, caller: Any, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
    """Send the kept answer for this request, or make it and keep it if it is a plain 200."""
    if reading.cache is None or reading.versions is None:
        await next_app(scope, receive, send)
        return
    key = ("answer", caller, scope.get("lang"), scope["path"], scope.get("query_string", b""), clock.today())
    kept = reading.get(key)
    if kept is not None:
        start, body = kept
        await send({**start, "headers": list(start["headers"])})
        await send({"type": "http.response.body", "body": body, "more_body": False})
        return
    messages: list[Message] = []

    async def capture(message: Message) -> None:
        # A copy as the handler made it: the outer middleware adds its headers to the
        # message it is given, and adds them again when the kept answer is replayed.
        messages.append({**message, "headers": list(message["headers"])} if "headers" in message else message)
        await send(message)

    with recording() as tables:
        await next_app(scope, receive, capture)
    if len(messages) != 2 or messages[1].get("more_body"):
        return
    start, body = messages
    # NOTE: an answer that named no table read the database in a way the engines did not
    # see (or not at all): nothing would tell when it changes, so it is not kept.
    if (
        tables
        and start["status"] == 200
        and not any(name.lower() == b"set-cookie" for name, _ in start.get("headers", []))
    ):
        content = bytes(body.get("body", b""))
        reading.put(
            key,
            ({"type": start["type"], "status": 200, "headers": list(start["headers"])}, content),
            tables,
            len(content) + 512,
        )
