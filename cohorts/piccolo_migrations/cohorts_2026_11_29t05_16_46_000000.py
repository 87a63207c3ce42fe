"""Constraints Piccolo's column options cannot say: one active pair per senior and
cohort (a partial index: ended pairs stay as history), one hours row per volunteer,
cohort and date. Both engines support these."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from digiystava.migrations import raw_sql

ID = "2026-11-29T05:16:46:000000"
VERSION = "1.38.0"
DESCRIPTION = "one active pair per senior and cohort, unique volunteer hours"

FORWARDS = [
    "CREATE UNIQUE INDEX pairing_active_unique ON pairing (cohort, participant) WHERE ended_on IS NULL",
    "CREATE UNIQUE INDEX volunteer_hours_unique ON volunteer_hours (volunteer, cohort, date)",
]
BACKWARDS = [
    "DROP INDEX pairing_active_unique",
    "DROP INDEX volunteer_hours_unique",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="cohorts", description=DESCRIPTION)
    manager.add_raw(raw_sql(FORWARDS))
    manager.add_raw_backwards(raw_sql(BACKWARDS))
    return manager
