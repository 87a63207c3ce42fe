"""Constraints Piccolo's column options cannot say: one enrolment per senior and
cohort, one attendance mark per senior and session. Both engines support these."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from digiystava.migrations import raw_sql

ID = "2026-11-29T05:05:26:119837"
VERSION = "1.38.0"
DESCRIPTION = "unique enrolment and attendance"

FORWARDS = [
    "CREATE UNIQUE INDEX enrolment_cohort_participant_unique ON enrolment (cohort, participant)",
    "CREATE UNIQUE INDEX attendance_session_participant_unique ON attendance (session, participant)",
    "CREATE INDEX enrolment_cohort_status ON enrolment (cohort, status, waitlist_position)",
]
BACKWARDS = [
    "DROP INDEX enrolment_cohort_participant_unique",
    "DROP INDEX attendance_session_participant_unique",
    "DROP INDEX enrolment_cohort_status",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="cohorts", description=DESCRIPTION)
    manager.add_raw(raw_sql(FORWARDS))
    manager.add_raw_backwards(raw_sql(BACKWARDS))
    return manager
