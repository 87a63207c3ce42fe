"""The project's Piccolo apps and every table they hold, in one place for the engine, the
migrations and the table versions alike."""

from __future__ import annotations

import importlib
from functools import cache

from piccolo.table import Table

# Each app's configuration (its migrations), and the module that holds its tables.
APPS = (
    ("digiystava.accounts.piccolo_app", "digiystava.accounts.tables"),
    ("cohorts.piccolo_app", "cohorts.tables"),
    ("assessments.piccolo_app", "assessments.tables"),
)
APP_CONFIG_MODULES = tuple(config for config, _tables in APPS)


def all_tables() -> list[type[Table]]:
    """Every table of every app, in the apps' order and, within an app, as Piccolo's
    ``table_finder`` lists them (by name; tables imported from another app excluded).

    NOTE: read from the table modules, not the apps' configurations: Piccolo's app registry
    loads its migration tools (black among them), a tenth of a second that every server,
    command and worker would otherwise pay at start.
    """
    return list(_found_tables())


@cache
def _found_tables() -> tuple[type[Table], ...]:
    """Read once: the table modules do not change while the process runs."""
    tables: list[type[Table]] = []
    for _config, module_name in APPS:
        module = importlib.import_module(module_name)
        for name in sorted(n for n in dir(module) if not n.startswith("_")):
            value = getattr(module, name)
            if isinstance(value, type) and issubclass(value, Table) and value.__module__ == module_name:
                tables.append(value)
    return tuple(tables)
