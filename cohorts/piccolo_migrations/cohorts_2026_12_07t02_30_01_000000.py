"""Triggers moving the cohorts' tables' versions whenever their rows change (see
digiystava/table_versions.py)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from digiystava.table_versions import track_changes, untrack_changes

ID = "2026-12-07T02:30:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "triggers moving the versions of the cohorts' tables"

TABLES = [
    "location",
    "staff_location",
    "participant",
    "cohort",
    "cohort_trainer",
    "course_session",
    "enrolment",
    "attendance",
    "volunteer",
    "pairing",
    "volunteer_hours",
    "donation",
    "tablet",
    "loan",
    "tablet_event",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="cohorts", description=DESCRIPTION)
    manager.add_raw(track_changes(TABLES))
    manager.add_raw_backwards(untrack_changes(TABLES))
    return manager
