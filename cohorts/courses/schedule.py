"""Generating a cohort's weekly sessions, with Finnish public holidays flagged."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

SESSION_KINDS = ("group", "practice")
DEFAULT_PATTERN = "group,practice"


@dataclass(frozen=True)
class PlannedSession:
    week: int
    date: dt.date
    start_time: dt.time
    kind: str
    holiday: str


def parse_pattern(pattern: str) -> list[str]:
    """``"group,practice"`` -> ["group", "practice"]; raises ValueError on an unknown kind."""
    kinds = [part.strip() for part in pattern.split(",") if part.strip()]
    if not kinds or any(kind not in SESSION_KINDS for kind in kinds):
        raise ValueError("pattern must list 'group' and/or 'practice', separated by commas")
    return kinds


@lru_cache(maxsize=32)
def _finnish_holidays(year: int) -> dict[dt.date, str]:
    import holidays

    # NOTE: Finland's list includes Midsummer Eve and Christmas Eve, when nobody comes either.
    return dict(holidays.country_holidays("FI", years=year, language="fi"))


def holiday_name(day: dt.date) -> str:
    return _finnish_holidays(day.year).get(day, "")


def plan_sessions(
    start_date: dt.date, start_time: dt.time, weeks: int, pattern: str = DEFAULT_PATTERN
) -> list[PlannedSession]:
    """One session a week from ``start_date``, kinds repeating ``pattern``."""
    kinds = parse_pattern(pattern)
    sessions = []
    for week in range(1, weeks + 1):
        day = start_date + dt.timedelta(weeks=week - 1)
        sessions.append(PlannedSession(week, day, start_time, kinds[(week - 1) % len(kinds)], holiday_name(day)))
    return sessions


def last_session_date(start_date: dt.date, weeks: int) -> dt.date:
    return start_date + dt.timedelta(weeks=weeks - 1)
