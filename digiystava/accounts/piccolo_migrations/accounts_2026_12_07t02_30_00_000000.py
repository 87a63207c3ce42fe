"""A version per table, moved by triggers whenever the table's rows change (see
digiystava/table_versions.py): the read cache keeps an answer until a table it read changes."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from digiystava.table_versions import create_versions, drop_versions, track_changes, untrack_changes

ID = "2026-12-07T02:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "table versions, and triggers moving those of the accounts' tables"

TABLES = [
    "staff_user",
    "recovery_code",
    "login_challenge",
    "login_session",
    "api_token",
    "login_throttle",
    "audit_entry",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="accounts", description=DESCRIPTION)
    manager.add_raw(create_versions())
    manager.add_raw(track_changes(TABLES))
    manager.add_raw_backwards(untrack_changes(TABLES))
    manager.add_raw_backwards(drop_versions())
    return manager
