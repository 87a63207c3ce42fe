"""A cohort's status follows its calendar: planned becomes running on the first session.

The status stays a stored column, so the API's ``?status`` filter, the lists, the
reports and every rule that reads it agree. The move is made by whoever reads first on
a new day (``CalendarMiddleware``, once per process and Helsinki date), by the report
and its command, and at once when a cohort or a session is written. Completion stays a
coordinator's act (the course may have a make-up session, or the "after" answers may
still be coming in): a running cohort past its last session is flagged instead
(``CohortOut.needs_completion``).
"""

from __future__ import annotations

import datetime as dt
import logging

from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send

from cohorts.tables import Cohort, CourseSession
from digiystava import audit, clock
from digiystava.access import SYSTEM
from digiystava.db import write_transaction

log = logging.getLogger("digiystava.calendar")
# The app state's key for the Helsinki date whose due cohorts have been started.
CHECKED_ON = "calendar_checked_on"


async def start_due_cohorts(today: dt.date, cohort_id: int | None = None) -> list[int]:
    """Move planned cohorts whose first (not cancelled) session is on or before ``today`` to running.

    A read first, so a day without anything to move writes nothing. Returns the ids moved,
    each audited as the system's "start". With ``cohort_id``, only that cohort (inside the
    caller's transaction, after it wrote the cohort or a session).
    """
    started = CourseSession.select(CourseSession.cohort).where(
        CourseSession.cancelled.eq(False), CourseSession.date <= today
    )
    query = Cohort.select(Cohort.id).where(Cohort.status == "planned", Cohort.id.is_in(started))
    if cohort_id is not None:
        return await _start(await query.where(Cohort.id == cohort_id))
    if not await query.first():
        return []
    async with write_transaction():
        return await _start(await query)


async def _start(rows: list[dict]) -> list[int]:
    ids = [row["id"] for row in rows]
    if ids:
        await Cohort.update({Cohort.status: "running"}).where(Cohort.id.is_in(ids), Cohort.status == "planned")
        for cohort_id in ids:
            await audit.record(SYSTEM, "start", "cohort", cohort_id, ["status"])
    return ids


def needs_completion(status: str, last_session: dt.date | str | None, today: dt.date) -> bool:
    """A running cohort whose last session is behind it waits for the coordinator to complete it."""
    if status != "running" or last_session is None:
        return False
    if isinstance(last_session, str):  # SQLite gives a subquery's date as text
        last_session = dt.date.fromisoformat(last_session[:10])
    return last_session < today


class CalendarMiddleware(ASGIMiddleware):
    """Before the first request of each Helsinki day in this app reads anything, start the cohorts that are due.

    The day last checked is kept in the app's state (``app_state``), beside the read cache.
    """

    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        today = clock.today()
        state = scope["app"].state
        if state.get(CHECKED_ON) != today:
            # NOTE: two first requests may both try; the move is idempotent and the second finds nothing to do.
            try:
                await start_due_cohorts(today)
                state[CHECKED_ON] = today
            except Exception as exc:  # noqa: BLE001 - a busy or full database is for the request itself to report; the next one tries again
                log.warning("starting due cohorts failed: %s", type(exc).__name__)
        await next_app(scope, receive, send)
