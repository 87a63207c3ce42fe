"""The coordinator's week without silent wrong data: a drop-out that can be undone the same
day (when, from which status and place, which seat it freed, which pair it ended), the call owed to a senior promoted
from the waiting list (who made it and when), and the reason a coordinator gave for pairing
a volunteer whose identity check or training is not recorded."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from digiystava.migrations import raw_sql

ID = "2026-12-06T23:20:41:318705"
VERSION = "1.38.0"
DESCRIPTION = "drop-out undo, promotion calls, safeguarding override"

COLUMNS = [
    ("enrolment", "dropped_at", "TIMESTAMPTZ NULL"),
    ("enrolment", "dropped_from", "VARCHAR(20) NOT NULL DEFAULT ''"),
    ("enrolment", "dropped_position", "INTEGER NULL"),
    ("enrolment", "drop_promoted", "INTEGER NULL"),
    ("enrolment", "drop_pairing", "INTEGER NULL"),
    ("enrolment", "promoted_at", "TIMESTAMPTZ NULL"),
    ("enrolment", "call_done_at", "TIMESTAMPTZ NULL"),
    ("enrolment", "call_done_by", "VARCHAR(150) NOT NULL DEFAULT ''"),
    ("pairing", "safeguarding_override", "TEXT NOT NULL DEFAULT ''"),
]
FORWARDS = [f"ALTER TABLE {table} ADD COLUMN {column} {kind}" for table, column, kind in COLUMNS] + [
    "CREATE INDEX enrolment_calls_open ON enrolment (promoted_at) WHERE call_done_at IS NULL AND promoted_at IS NOT NULL",
]
BACKWARDS = ["DROP INDEX enrolment_calls_open"] + [f"ALTER TABLE {table} DROP COLUMN {column}" for table, column, _kind in reversed(COLUMNS)]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="cohorts", description=DESCRIPTION)
    manager.add_raw(raw_sql(FORWARDS))
    manager.add_raw_backwards(raw_sql(BACKWARDS))
    return manager
