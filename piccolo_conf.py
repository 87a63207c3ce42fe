"""Piccolo's configuration: the engine from DIGIYSTAVA_DATABASE_URL and the apps."""

import os

from piccolo.conf.apps import AppRegistry

from digiystava.apps import APP_CONFIG_MODULES
from digiystava.db import engine_from_url
from digiystava.settings import DEFAULT_DATABASE_URL

DB = engine_from_url(os.environ.get("DIGIYSTAVA_DATABASE_URL", DEFAULT_DATABASE_URL))

APP_REGISTRY = AppRegistry(apps=list(APP_CONFIG_MODULES))
