"""The one clock of the app and its tests.

Instants are UTC; calendar dates are Helsinki's. The machine's own date
(``date.today()``) is UTC on a server and already "tomorrow" in Helsinki from
22:00 UTC (21:00 in summer), so nothing else in the project reads it: a test in
``tests/test_clock.py`` forbids it and runs the date-sensitive tests at both
sides of Helsinki's midnight, in winter and in summer.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

HELSINKI = ZoneInfo("Europe/Helsinki")


def now() -> dt.datetime:
    """This instant, timezone-aware in UTC (what the database stores)."""
    return dt.datetime.now(dt.UTC)


def today() -> dt.date:
    """The date in Helsinki: loans fall due and sessions come up by the local calendar."""
    return now().astimezone(HELSINKI).date()


def local(value: dt.datetime) -> dt.datetime:
    """An instant as Helsinki's wall-clock time (a naive value is taken as UTC, as stored)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(HELSINKI)


def local_date(value: dt.datetime) -> dt.date:
    """The Helsinki calendar date an instant falls on."""
    return local(value).date()
