"""Log lines are written by their own thread, in order and in the app's format, and a stream that
stops taking them never holds up the thread that logs."""

from __future__ import annotations

import io
import logging
import threading
import time

import pytest

from digiystava import log_lines
from digiystava.log_lines import BatchedStreamHandler

FORMAT = "%(levelname)s - %(name)s - %(message)s"


@pytest.fixture
def logged():
    """A logger of its own writing to a StringIO through the handler."""
    stream = io.StringIO()
    handler = BatchedStreamHandler(stream)
    handler.setFormatter(logging.Formatter(FORMAT))
    logger = logging.getLogger(f"test.log_lines.{time.monotonic_ns()}")
    logger.propagate, logger.level = False, logging.INFO
    logger.addHandler(handler)
    yield logger, handler, stream
    logger.removeHandler(handler)


def test_lines_arrive_in_order_in_the_apps_format(logged):
    logger, handler, stream = logged
    for i in range(5):
        logger.info("GET %s %s", f"/api/v1/loans/{i}", 200)
    deadline = time.monotonic() + 5
    while stream.getvalue().count("\n") < 5 and time.monotonic() < deadline:
        time.sleep(0.01)
    lines = stream.getvalue().splitlines()
    assert lines == [f"INFO - {logger.name} - GET /api/v1/loans/{i} 200" for i in range(5)]


def test_the_message_is_made_when_logged_not_when_written(logged):
    logger, handler, stream = logged
    changing = ["before"]
    logger.info("%s", changing)
    changing[0] = "after"
    handler.flush()
    assert "['before']" in stream.getvalue()


def test_flush_writes_what_waits(logged, monkeypatch):
    """At shutdown logging flushes every handler: nothing logged is left behind."""
    monkeypatch.setattr(log_lines, "INTERVAL", 60)
    logger, handler, stream = logged
    logger.info("last words")
    handler.flush()
    assert stream.getvalue() == f"INFO - {logger.name} - last words\n"


@pytest.mark.parametrize("formatted", [True, False], ids=["app format", "no formatter"])
def test_an_exception_keeps_its_traceback(logged, formatted):
    logger, handler, stream = logged
    if not formatted:
        handler.setFormatter(None)
    try:
        raise ValueError("broken")
    except ValueError:
        logger.exception("failed")
    handler.flush()
    assert "failed" in stream.getvalue() and "ValueError: broken" in stream.getvalue()


class _StuckStream(io.StringIO):
    """A reader that stopped reading: every write waits until released."""

    def __init__(self) -> None:
        super().__init__()
        self.entered = threading.Event()
        self.released = threading.Event()

    def write(self, text: str) -> int:
        self.entered.set()
        self.released.wait(10)
        return super().write(text)


def _handler(stream: io.StringIO, name: str) -> tuple[logging.Logger, BatchedStreamHandler]:
    handler = BatchedStreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger(f"test.log_lines.{name}")
    logger.propagate, logger.level = False, logging.INFO
    logger.addHandler(handler)
    return logger, handler


def test_a_stuck_stream_never_holds_up_the_logging_thread(monkeypatch):
    monkeypatch.setattr(log_lines, "MAX_PENDING", 100)
    stream = _StuckStream()
    logger, handler = _handler(stream, "stuck")
    try:
        logger.info("first")
        assert stream.entered.wait(5), "the writer took the first line to the stream"
        started = time.perf_counter()
        for i in range(1000):
            logger.info("line %d", i)
        assert time.perf_counter() - started < 2, "logging waited for the stream"
        stream.released.set()
        handler.flush()
        lines = stream.getvalue().splitlines()
        # The oldest waiting lines went; the newest 100 are kept, and the loss is said, in the log's format.
        assert lines[0] == "first"
        assert lines[1] == "900 log lines dropped: the log's reader fell behind"
        assert lines[2:] == [f"line {i}" for i in range(900, 1000)]
    finally:
        stream.released.set()
        logger.removeHandler(handler)


def test_shutdown_flushing_while_the_writer_wakes_does_not_hang(monkeypatch):
    """logging.shutdown holds the handler's lock around flush(): the writer must not need that lock."""
    monkeypatch.setattr(log_lines, "INTERVAL", 60)
    stream = io.StringIO()
    logger, handler = _handler(stream, "shutdown")
    try:
        logger.info("before the lock")
        handler.acquire()  # as logging.shutdown does
        try:
            handler._wake.set()  # the writer wakes now, while the lock is held
            time.sleep(0.2)
            flushing = threading.Thread(target=handler.flush, daemon=True)
            flushing.start()
            flushing.join(5)
            assert not flushing.is_alive(), "flush waited for the writer, which waited for the handler's lock"
        finally:
            handler.release()
        assert stream.getvalue() == "before the lock\n"
    finally:
        logger.removeHandler(handler)


def test_a_line_that_cannot_be_written_costs_no_other(monkeypatch):
    class Fussy(logging.Formatter):
        def format(self, record: logging.LogRecord) -> str:
            if "bad" in record.getMessage():
                raise ValueError("cannot format")
            return super().format(record)

    monkeypatch.setattr(logging, "raiseExceptions", False)  # handleError stays quiet
    stream = io.StringIO()
    logger, handler = _handler(stream, "fussy")
    handler.setFormatter(Fussy("%(message)s"))
    try:
        for message in ("one", "bad", "two"):
            logger.info(message)
        handler.flush()
        logger.info("three")
        handler.flush()
        assert stream.getvalue().splitlines() == ["one", "two", "three"]
    finally:
        logger.removeHandler(handler)
