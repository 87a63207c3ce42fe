"""The languages the tracker speaks, apart from the catalogs and Babel (``i18n``) that translate into them.

Cheap to import: the command line lists them among its options before it loads anything else.
"""

from __future__ import annotations

from typing import Literal, get_args

# The one list of the languages the tracker speaks: pages, PDFs, calendars, guides and forms.
Language = Literal["fi", "sv", "en"]
LANGUAGES: tuple[str, ...] = get_args(Language)
DEFAULT_LANGUAGE = "fi"
