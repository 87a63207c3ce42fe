"""What was read, kept until the database changes.

Every request first asks the database for its version (``db.data_version``):
SQLite's data version, which moves whenever any connection of any process
commits, or PostgreSQL's current snapshot, which moves whenever a transaction
starts writing or ends. Two requests that see the same version see the same
data, so a credential (with its user and locations) or an API list answer read
under one version can be given again to a request that sees the same version,
without asking the database. Nothing older than the caller's version is ever
given: an entry is stored under the version read *before* its data was read,
and is only given to a request that read exactly that version; the first
request that sees a newer version drops everything.

What an answer depends on besides the database is part of its key: the caller,
the page language, the path and query string, and the date in Helsinki (loans fall overdue at
midnight). The cache is bounded in entries and bytes, lives in one process, and
is empty after every change, so an erased senior does not linger in it.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from piccolo.engine.base import Engine

from digiystava import clock, db

# Only answers up to this size are kept: a 50-row page is 10-30 kB.
MAX_ANSWER_BYTES = 256 * 1024
MAX_TOTAL_BYTES = 16 * 1024 * 1024
# A credential row counts as this many bytes against the total.
ROW_BYTES = 1024


class ReadCache:
    """Entries of one database version, least recently used dropped first."""

    def __init__(self, engine: Engine, max_entries: int = 512) -> None:
        self._engine = engine
        self._max_entries = max_entries
        self._version: str | None = None
        self._entries: OrderedDict[tuple, tuple[Any, int]] = OrderedDict()
        self._bytes = 0

    async def reading(self) -> Reading:
        """What a request may take from the cache and keep in it: entries of the database's version now."""
        if self._max_entries <= 0:
            return Reading(self, None)
        try:
            version = await db.data_version(self._engine)
        except Exception:  # noqa: BLE001 - a database that does not answer is reported by the query that needs it
            return Reading(self, None)
        if version is not None and version != self._version:
            self._entries.clear()
            self._bytes = 0
            self._version = version
        return Reading(self, version)

    def get(self, version: str | None, key: tuple) -> Any:
        if version is None or version != self._version:
            return None
        entry = self._entries.get(key)
        if entry is None:
            return None
        self._entries.move_to_end(key)
        return entry[0]

    def put(self, version: str | None, key: tuple, value: Any, size: int = ROW_BYTES) -> None:
        """Keep ``value``, read after ``version`` was; ignored if the database moved on meanwhile."""
        if version is None or version != self._version or size > MAX_ANSWER_BYTES:
            return
        old = self._entries.pop(key, None)
        if old is not None:
            self._bytes -= old[1]
        self._entries[key] = (value, size)
        self._bytes += size
        while len(self._entries) > self._max_entries or self._bytes > MAX_TOTAL_BYTES:
            _, (_, dropped) = self._entries.popitem(last=False)
            self._bytes -= dropped

    @property
    def size(self) -> tuple[int, int]:
        """(entries, bytes) kept now."""
        return len(self._entries), self._bytes


@dataclass(frozen=True)
class Reading:
    """One request's view of the cache: only entries of the version it read before anything else."""

    cache: ReadCache | None
    version: str | None

    def get(self, key: tuple) -> Any:
        return self.cache.get(self.version, key) if self.cache is not None else None

    def put(self, key: tuple, value: Any, size: int = ROW_BYTES) -> None:
        if self.cache is not None:
            self.cache.put(self.version, key, value, size)


NOTHING_KEPT = Reading(None, None)
# A route handler whose GET answer depends only on the database, the caller and the request.
CACHED_READ = {"cached_read": True}


class ReadCacheMiddleware(ASGIMiddleware):
    """Answers a logged-in GET of a ``CACHED_READ`` route from the cache, under the version
    the authentication read (``scope["reading"]``) before it read the credential."""

    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        principal = scope.get("user")
        if principal is None or scope["method"] != "GET" or not scope["route_handler"].opt.get("cached_read"):
            await next_app(scope, receive, send)
            return
        reading: Reading = scope.get("reading", NOTHING_KEPT)  # type: ignore[assignment]
        await answer(reading, (principal.user_id, principal.auth), scope, receive, send, next_app)


async def answer(
    reading: Reading, caller: tuple, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp
) -> None:
    """Send the kept answer for this request, or make it and keep it if it is a plain 200."""
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

    await next_app(scope, receive, capture)
    if len(messages) != 2 or messages[1].get("more_body"):
        return
    start, body = messages
    if start["status"] == 200 and not any(name.lower() == b"set-cookie" for name, _ in start.get("headers", [])):
        content = bytes(body.get("body", b""))
        reading.put(
            key,
            ({"type": start["type"], "status": 200, "headers": list(start["headers"])}, content),
            len(content) + 512,
        )
