"""Triggers keeping each cohort's seat figures, last held session and trainers on its row, and a
first count (cohorts/courses/figures.py): the cohorts page reads four columns instead of four
subqueries per cohort."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from cohorts.courses.figures import keep_figures, stop_keeping_figures

ID = "2026-12-07T18:00:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "triggers keeping each cohort's seat figures, last held session and trainers"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="cohorts", description=DESCRIPTION)
    manager.add_raw(keep_figures())
    manager.add_raw_backwards(stop_keeping_figures())
    return manager
