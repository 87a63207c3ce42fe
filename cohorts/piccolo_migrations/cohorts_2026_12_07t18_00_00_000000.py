"""Columns for each cohort's seat figures, last held session and trainers; the next migration's
triggers keep them (cohorts/courses/figures.py)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Date, Integer, Text

ID = "2026-12-07T18:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "columns for each cohort's seat figures, last held session and trainers"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="cohorts", description=DESCRIPTION)
    for name, column_class, params in (
        ("enrolled", Integer, {"default": 0, "null": False}),
        ("waitlisted", Integer, {"default": 0, "null": False}),
        ("last_session", Date, {"default": None, "null": True}),
        ("trainer_ids", Text, {"default": None, "null": True}),
    ):
        manager.add_column(
            table_class_name="Cohort",
            tablename="cohort",
            column_name=name,
            db_column_name=name,
            column_class_name=column_class.__name__,
            column_class=column_class,
            params={"index": False, "index_method": "btree", "primary_key": False, "unique": False, **params},
            schema=None,
        )
    return manager
