"""One assessment per senior, cohort and phase: a composite unique index, which
Piccolo's column options cannot declare. It also serves the grid's and the
progress page's look-ups by cohort or by senior."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from digiystava.migrations import raw_sql

ID = "2026-11-29T05:16:40:000000"
VERSION = "1.38.0"
DESCRIPTION = "unique assessment per senior, cohort and phase"

FORWARDS = [
    "CREATE UNIQUE INDEX assessment_participant_cohort_phase_unique ON assessment (participant, cohort, phase)",
    "CREATE INDEX assessment_cohort_phase ON assessment (cohort, phase)",
]
BACKWARDS = [
    "DROP INDEX assessment_participant_cohort_phase_unique",
    "DROP INDEX assessment_cohort_phase",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="assessments", description=DESCRIPTION)
    manager.add_raw(raw_sql(FORWARDS))
    manager.add_raw_backwards(raw_sql(BACKWARDS))
    return manager
