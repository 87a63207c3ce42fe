"""Languages of the pages: Finnish by default, Swedish and English; gettext catalogs via Babel.

The catalogs are the ``.po`` files under ``digiystava/locale``; they are
compiled in memory at first use, so there is no build step and no binary
``.mo`` file to keep in sync.
"""

from __future__ import annotations

import datetime as dt
import gettext as _gettext
import io
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import Any

from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

from digiystava.clock import HELSINKI, local
from digiystava.languages import DEFAULT_LANGUAGE, LANGUAGES
from digiystava.languages import Language as Language  # for the pages' ?lang=

LANGUAGE_NAMES = {"fi": "Suomi", "sv": "Svenska", "en": "English"}
LANGUAGE_COOKIE = "digiystava_lang"
LOCALE_DIR = Path(__file__).parent / "locale"

_current: ContextVar[str] = ContextVar("digiystava_language", default=DEFAULT_LANGUAGE)


def normalise(lang: str | None) -> str:
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


@cache
def catalog(lang: str) -> _gettext.NullTranslations:
    po_path = LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po"
    if not po_path.exists():
        return _gettext.NullTranslations()
    with po_path.open("rb") as handle:
        messages = read_po(handle, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, messages)
    buffer.seek(0)
    return _gettext.GNUTranslations(buffer)


def set_language(lang: str | None) -> str:
    lang = normalise(lang)
    _current.set(lang)
    return lang


def current_language() -> str:
    return _current.get()


def gettext(message: str) -> str:
    return catalog(_current.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return catalog(_current.get()).ngettext(singular, plural, n)


def translate(lang: str, message: str, context: str | None = None) -> str:
    """Translate for a language other than the page's (a senior's letter, a report).

    ``context`` is the gettext message context (``msgctxt``): a printed document's words
    live under its own, so one English word may read differently on paper and on a page.
    """
    if context is None:
        return catalog(normalise(lang)).gettext(message)
    return catalog(normalise(lang)).pgettext(context, message)


_ = gettext


class Filled(str):
    """A message with values: the English text, and the template and values behind it."""

    template: str
    values: dict[str, Any]

    def __new__(cls, template: str, values: dict[str, Any]) -> Filled:
        text = super().__new__(cls, template.format(**values))
        text.template, text.values = template, values
        return text

    def __reduce__(self):
        return Filled, (self.template, self.values)


def N_(message: str, **values: Any) -> str:
    """Mark a service's message for the catalogs without translating it here.

    The JSON API answers in English (its problem details are for programs and their
    developers); a page shows the same message through ``gettext`` in the page's language
    (``translated``). Values go in ``{name}`` places and are filled in after translation.
    """
    return Filled(message, values) if values else message


def translated(message: str) -> str:
    """A service's message in the page's language, its values filled in after translating the template."""
    if isinstance(message, Filled):
        return _(message.template).format(**message.values)
    return _(message)


def is_known(message: str) -> bool:
    """Whether the catalogs hold this service message (every marked message is in the Finnish one)."""
    template = message.template if isinstance(message, Filled) else message
    return translate("fi", template) != template


def format_date(value: dt.date | dt.datetime | None, lang: str | None = None, fmt: str = "medium") -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = local(value).date()
    return babel_format_date(value, format=fmt, locale=lang or current_language())


def format_datetime(value: dt.datetime | None, lang: str | None = None, fmt: str = "medium") -> str:
    if value is None:
        return ""
    return babel_format_datetime(local(value), format=fmt, tzinfo=HELSINKI, locale=lang or current_language())


def format_number(value: float | int | None, lang: str | None = None) -> str:
    if value is None:
        return ""
    return format_decimal(value, locale=lang or current_language())
