"""Piccolo's configuration: the engine from DIGIYSTAVA_DATABASE_URL and the apps."""

from piccolo.conf.apps import AppRegistry

from digiystava.apps import APP_CONFIG_MODULES
from digiystava.db import engine_from_url
from digiystava.settings import database_url

DB = engine_from_url(database_url())

APP_REGISTRY = AppRegistry(apps=list(APP_CONFIG_MODULES))
