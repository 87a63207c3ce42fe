"""Page forms sent after their session had ended, kept until their author signs in again (form_draft)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete
from piccolo.columns.base import OnUpdate
from piccolo.columns.column_types import JSON
from piccolo.columns.column_types import ForeignKey
from piccolo.columns.column_types import Serial
from piccolo.columns.column_types import Timestamptz
from piccolo.columns.column_types import Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table


class StaffUser(Table, tablename="staff_user", schema=None):
    id = Serial(
        null=False,
        primary_key=True,
        unique=False,
        index=False,
        index_method=IndexMethod.btree,
        choices=None,
        db_column_name="id",
        secret=False,
    )


ID = "2026-12-07T02:20:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "page forms kept over an ended session"


def _params(**params):
    return {
        "null": False,
        "primary_key": False,
        "unique": False,
        "index": False,
        "index_method": IndexMethod.btree,
        "choices": None,
        "db_column_name": None,
        "secret": False,
        **params,
    }


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="accounts", description=DESCRIPTION)

    manager.add_table(class_name="FormDraft", tablename="form_draft", schema=None, columns=None)
    columns = [
        ("key_hash", Varchar, _params(length=64, default="", unique=True, index=True)),
        (
            "user",
            ForeignKey,
            _params(
                references=StaffUser,
                on_delete=OnDelete.cascade,
                on_update=OnUpdate.cascade,
                target_column=None,
                null=True,
                index=True,
            ),
        ),
        ("page", Varchar, _params(length=2000, default="")),
        ("fields", JSON, _params(default="{}")),
        ("created_at", Timestamptz, _params(default=TimestamptzNow(), index=True)),
    ]
    for name, column_class, params in columns:
        manager.add_column(
            table_class_name="FormDraft",
            tablename="form_draft",
            column_name=name,
            db_column_name=name,
            column_class_name=column_class.__name__,
            column_class=column_class,
            params=params,
            schema=None,
        )

    return manager
