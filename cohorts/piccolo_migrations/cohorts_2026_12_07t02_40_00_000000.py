"""A senior's wishes told at registration (what they want to learn), before the first questionnaire.

Seniors registered earlier have none: their wishes are in their questionnaires, as before.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from digiystava.migrations import raw_sql

ID = "2026-12-07T02:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "intake wishes of seniors"

COLUMNS = [
    ("participant", "wishes", "JSON NOT NULL DEFAULT '[]'"),
    ("participant", "wishes_text", "TEXT NOT NULL DEFAULT ''"),
]
FORWARDS = [f"ALTER TABLE {table} ADD COLUMN {column} {kind}" for table, column, kind in COLUMNS]
BACKWARDS = [f"ALTER TABLE {table} DROP COLUMN {column}" for table, column, _kind in reversed(COLUMNS)]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="cohorts", description=DESCRIPTION)
    manager.add_raw(raw_sql(FORWARDS))
    manager.add_raw_backwards(raw_sql(BACKWARDS))
    return manager
