"""The project's Piccolo apps and every table they hold, in one place for the engine, the
migrations and the table versions alike."""

from __future__ import annotations

import importlib

from piccolo.conf.apps import AppConfig

APP_CONFIG_MODULES = (
    "digiystava.accounts.piccolo_app",
    "cohorts.piccolo_app",
    "assessments.piccolo_app",
)


def all_tables() -> list:
    """Every table of every app, in the apps' order."""
    tables = []
    for module in APP_CONFIG_MODULES:
        config: AppConfig = importlib.import_module(module).APP_CONFIG
        tables.extend(config.table_classes)
    return tables
