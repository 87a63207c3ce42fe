"""Every account that exists now was created while passwords were stripped of edge spaces:
mark them all, so their login also tries the stripped password (new accounts are exact)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from digiystava.migrations import raw_sql

ID = "2026-12-06T23:05:49:000000"
VERSION = "1.38.0"
DESCRIPTION = "existing accounts' passwords were stripped at creation"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="accounts", description=DESCRIPTION)
    manager.add_raw(raw_sql(["UPDATE staff_user SET password_edges_trimmed = TRUE"]))
    manager.add_raw_backwards(raw_sql(["UPDATE staff_user SET password_edges_trimmed = FALSE"]))
    return manager
