"""Python's cycle collector paused while a report reads its rows and computes its figures.

A whole programme's report keeps some 200,000 rows, sets and tuples alive at once. Each
batch of new containers sets off the collector, which walks every live container of the
process (the app's as well) and finds no cycle to free: about a quarter of the report's
CPU time. The figures make hardly any cycles, and reference counting frees the rest as it
always does; whatever cycles other requests make meanwhile wait until the collector runs
again, when the last report that paused it is done.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_pauses = 0  # reports computing now, in any thread
_resume = False  # whether the collector ran before the first of them paused it


@contextmanager
def collector_paused() -> Iterator[None]:
    """No automatic cycle collection until this and every other pause around it has ended."""
    global _pauses, _resume
    with _lock:
        if _pauses == 0:
            _resume = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _lock:
            _pauses -= 1
            if _pauses == 0 and _resume:
                gc.enable()
