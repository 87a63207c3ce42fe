"""A revision per course session: a calendar feed's SEQUENCE, raised on every change and cancellation (RFC 5545 3.8.7.4)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from digiystava.migrations import raw_sql

ID = "2026-12-06T21:14:37:000000"
VERSION = "1.38.0"
DESCRIPTION = "course session revision for calendar SEQUENCE"

FORWARDS = ["ALTER TABLE course_session ADD COLUMN revision INTEGER NOT NULL DEFAULT 0"]
BACKWARDS = ["ALTER TABLE course_session DROP COLUMN revision"]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="cohorts", description=DESCRIPTION)
    manager.add_raw(raw_sql(FORWARDS))
    manager.add_raw_backwards(raw_sql(BACKWARDS))
    return manager
