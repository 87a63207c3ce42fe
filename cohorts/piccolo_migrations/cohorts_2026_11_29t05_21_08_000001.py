"""No double loan, enforced by the database: at most one open loan per tablet, and
one open loan per senior and cohort. Partial unique indexes work on both engines."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from digiystava.migrations import raw_sql

ID = "2026-11-29T05:21:08:000001"
VERSION = "1.38.0"
DESCRIPTION = "one open loan per tablet, and per senior and cohort"

FORWARDS = [
    "CREATE UNIQUE INDEX loan_open_tablet_unique ON loan (tablet) WHERE returned_at IS NULL",
    "CREATE UNIQUE INDEX loan_open_participant_cohort_unique ON loan (participant, cohort) WHERE returned_at IS NULL",
    "CREATE INDEX tablet_event_tablet_at ON tablet_event (tablet, at)",
]
BACKWARDS = [
    "DROP INDEX loan_open_tablet_unique",
    "DROP INDEX loan_open_participant_cohort_unique",
    "DROP INDEX tablet_event_tablet_at",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="cohorts", description=DESCRIPTION)
    manager.add_raw(raw_sql(FORWARDS))
    manager.add_raw_backwards(raw_sql(BACKWARDS))
    return manager
