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
    """A stream handler whose records are formatted and written by its own thread, in batches.

    Three locks, always taken in this order: the handler's own (held by ``emit`` and by
    logging's shutdown around ``flush``), ``_writing`` (one batch at a time, in order), and
    ``_waiting`` (the list of records, held for an append or a swap only).
    """

    def __init__(self, stream: TextIO | None = None) -> None:
        super().__init__(stream)
        self._pending: deque[logging.LogRecord] = deque()
        self._dropped = 0
        self._waiting = threading.Lock()
        self._writing = threading.Lock()
        self._wake = threading.Event()
        self._writer: threading.Thread | None = None

    def emit(self, record: logging.LogRecord) -> None:
        # The message is made now, as QueueHandler does: its arguments may change before the
        # writer formats the line.
        try:
            record.msg, record.args = record.getMessage(), None
            if record.exc_info:
                record.exc_text = (self.formatter or _PLAIN).formatException(record.exc_info)
                record.exc_info = None
        except Exception:  # noqa: BLE001 - a record that cannot be made is reported as logging does
            self.handleError(record)
            return
        with self._waiting:
            if len(self._pending) >= MAX_PENDING:
                self._pending.popleft()
                self._dropped += 1
            self._pending.append(record)
            waiting = len(self._pending)
        if self._writer is None:
            self._writer = threading.Thread(target=self._write_forever, name="log-lines", daemon=True)
            self._writer.start()
        if waiting >= WAKE_AT:
            self._wake.set()

    def _take(self) -> tuple[deque[logging.LogRecord], int]:
        with self._waiting:
            batch, self._pending = self._pending, deque()
            dropped, self._dropped = self._dropped, 0
        return batch, dropped

    def _write(self) -> None:
        with self._writing:
            self._write_batch(*self._take())

    def _line(self, record: logging.LogRecord) -> str | None:
        try:
            return self.format(record) + self.terminator
        except Exception:  # noqa: BLE001 - one line that cannot be written never costs the others
            self.handleError(record)
            return None

    def _write_batch(self, batch: deque[logging.LogRecord], dropped: int) -> None:
        if dropped:
            said = logging.LogRecord(
                "digiystava.log",
                logging.WARNING,
                __file__,
                0,
                f"{dropped} log lines dropped: the log's reader fell behind",
                None,
                None,
            )
            batch.appendleft(said)
        lines = [line for line in map(self._line, batch) if line is not None]
        if not lines:
            return
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


# Formats a traceback when the handler was given no formatter, as logging's own default does.
_PLAIN = logging.Formatter()
