"""The assessments list sorts by cohort, senior and phase: an index in that order (checked with EXPLAIN)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from digiystava.migrations import raw_sql

ID = "2026-11-29T06:00:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "index matching the assessments list ordering"

FORWARDS = ["CREATE INDEX assessment_cohort_participant_phase ON assessment (cohort, participant, phase DESC)"]
BACKWARDS = ["DROP INDEX assessment_cohort_participant_phase"]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="assessments", description=DESCRIPTION)
    manager.add_raw(raw_sql(FORWARDS))
    manager.add_raw_backwards(raw_sql(BACKWARDS))
    return manager
