"""A cohort's status follows its calendar: planned becomes running on the first session.

The status stays a stored column, so the API's ``?status`` filter, the lists, the
reports and every rule that reads it agree. The move is made by whoever reads first on
a new day (``digiystava.middleware.CalendarMiddleware``, once per process and Helsinki date), by the report
and its command, and at once when a cohort or a session is written. Completion stays a
coordinator's act (the course may have a make-up session, or the "after" answers may
still be coming in): a running cohort past its last session is flagged instead
(``CohortOut.needs_completion``).
"""

from __future__ import annotations

import datetime as dt

from cohorts.tables import Cohort, CourseSession
from digiystava import audit
from digiystava.access import SYSTEM
from digiystava.db import write_transaction


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


def needs_completion(status: str, last_session: dt.date | None, today: dt.date) -> bool:
    """A running cohort whose last session is behind it waits for the coordinator to complete it."""
    return status == "running" and last_session is not None and last_session < today
