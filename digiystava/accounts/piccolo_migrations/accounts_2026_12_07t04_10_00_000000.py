"""Triggers moving the version of the form drafts table whenever its rows change (see digiystava/table_versions.py)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from digiystava.table_versions import track_changes, untrack_changes

ID = "2026-12-07T04:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "triggers moving the version of the form drafts table"

TABLES = ["form_draft"]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="accounts", description=DESCRIPTION)
    manager.add_raw(track_changes(TABLES))
    manager.add_raw_backwards(untrack_changes(TABLES))
    return manager
