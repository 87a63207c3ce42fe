"""The app's log lines, written by a thread of their own a batch at a time.

Every request logs one access line. Litestar's queue handler hands each record over to
its writer thread on its own: a copy of the record and a wake-up per line, and one write
and one flush per line, so the interpreter lock changes hands twice for every request.
That was about a tenth of a list request's CPU. Here the serving thread only puts the
record on a list; the writer wakes every ``INTERVAL`` (at once when ``WAKE_AT`` lines
wait), formats what is there and writes it with one write and one flush. The serving
thread never waits for the stream: a reader that stops reading stalls the writer only,
and past ``MAX_PENDING`` lines the oldest are dropped and counted in the next line.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from typing import TextIO

INTERVAL = 0.1
WAKE_AT = 1000
MAX_PENDING = 100_000


class BatchedStreamHandler(logging.StreamHandler):
    """A stream handler whose records are formatted and written by its own thread, in batches."""

    def __init__(self, stream: TextIO | None = None) -> None:
        super().__init__(stream)
        self._pending: deque[logging.LogRecord] = deque()
        self._dropped = 0
        self._wake = threading.Event()
        self._writer: threading.Thread | None = None
        self._writing = threading.Lock()  # one batch at a time, in order

    def emit(self, record: logging.LogRecord) -> None:
        # Called under the handler's lock. The message is made now, as QueueHandler does: its
        # arguments may change before the writer formats the line.
        try:
            record.msg, record.args = record.getMessage(), None
            if record.exc_info:
                record.exc_text = self.formatter.formatException(record.exc_info) if self.formatter else None
                record.exc_info = None
        except Exception:  # noqa: BLE001 - a record that cannot be made is reported as logging does
            self.handleError(record)
            return
        if len(self._pending) >= MAX_PENDING:
            self._pending.popleft()
            self._dropped += 1
        self._pending.append(record)
        if self._writer is None:
            self._writer = threading.Thread(target=self._write_forever, name="log-lines", daemon=True)
            self._writer.start()
        if len(self._pending) >= WAKE_AT:
            self._wake.set()

    def _take(self) -> tuple[deque[logging.LogRecord], int]:
        with self.lock:  # type: ignore[union-attr]
            batch, self._pending = self._pending, deque()
            dropped, self._dropped = self._dropped, 0
        return batch, dropped

    def _write(self) -> None:
        with self._writing:
            self._write_batch(*self._take())

    def _write_batch(self, batch: deque[logging.LogRecord], dropped: int) -> None:
        if not batch:
            return
        lines = [self.format(record) + self.terminator for record in batch]
        if dropped:
            lines.insert(0, f"WARNING - {dropped} log lines dropped: the log's reader fell behind{self.terminator}")
        try:
            self.stream.write("".join(lines))
            self.stream.flush()
        except Exception:  # noqa: BLE001 - a stream that fails is reported as logging does
            self.handleError(batch[0])

    def _write_forever(self) -> None:
        while True:
            self._wake.wait(INTERVAL)
            self._wake.clear()
            self._write()

    def flush(self) -> None:
        """Write what waits now (at shutdown, and when asked)."""
        self._write()
