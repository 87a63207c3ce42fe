"""A tablet's history and its asset tags: the two things every tablet write touches."""

from __future__ import annotations

from cohorts.tables import Tablet, TabletEvent
from digiystava.access import Principal
from digiystava.db import is_sqlite

ASSET_TAG_PREFIX = "DY-"


def asset_tag(number: int) -> str:
    """DY-000123: short enough for a label, sortable as text up to a million tablets."""
    return f"{ASSET_TAG_PREFIX}{number:06d}"


async def next_asset_numbers(count: int) -> range:
    """The next ``count`` free asset numbers. Call inside a write transaction.

    SQLite's BEGIN IMMEDIATE already serialises writers; on PostgreSQL the table lock
    makes a second import or create wait instead of picking the same numbers.
    """
    if not is_sqlite():
        await Tablet._meta.db.run_ddl("LOCK TABLE tablet IN SHARE ROW EXCLUSIVE MODE")
    last = (
        await Tablet.select(Tablet.asset_tag)
        .where(Tablet.asset_tag.like(f"{ASSET_TAG_PREFIX}%"))
        .order_by(Tablet.asset_tag, ascending=False)
        .first()
    )
    start = int(last["asset_tag"][len(ASSET_TAG_PREFIX) :]) + 1 if last else 1
    return range(start, start + count)


async def record_event(
    principal: Principal, tablet_id: int, kind: str, *, loan_id: int | None = None, note: str = ""
) -> None:
    """One history line; call inside the change's transaction."""
    await TabletEvent.insert(
        TabletEvent(
            tablet=tablet_id,
            kind=kind,
            loan=loan_id,
            username=principal.username,
            note=note[:300],
        )
    )


def locked(query):
    """SELECT ... FOR UPDATE on PostgreSQL; SQLite's immediate transaction already holds the lock."""
    return query if is_sqlite() else query.lock_rows()
