"""What a handler takes from the request beside its own fields: the caller, which page of a list, the language."""

from __future__ import annotations

from typing import Annotated

from litestar.di import NamedDependency
from litestar.params import QueryParameter

from digiystava import i18n
from digiystava.access import Principal

# How a handler receives the caller: ``principal: Caller``.
Caller = NamedDependency[Principal]

# Query parameters are validated by Litestar itself, hence its Parameter.
Limit = Annotated[int, QueryParameter(ge=1, le=500, description="page size, 1-500")]
Offset = Annotated[int, QueryParameter(ge=0, description="rows to skip")]


async def asked_language(
    lang: Annotated[
        i18n.Language | None, QueryParameter(description="the answer's language (default: the caller's own)")
    ] = None,
) -> str | None:
    """``?lang=fi|sv|en`` as asked, None when not asked; any other value is a 422 naming ``lang``.

    The one reader of ``?lang``. Handlers take ``answer_language: ChosenLanguage``; only a senior's own papers,
    which speak the senior's language unless one is asked, take ``asked_language: AskedLanguage``. (The app
    provides both under these names, which no request field uses: a body field of the same name would read as
    this dependency's failure.)
    """
    return lang


AskedLanguage = NamedDependency[str | None]
ChosenLanguage = NamedDependency[str]


async def chosen_language(asked_language: AskedLanguage) -> str:
    """The asked language; without one, the caller's page language."""
    return asked_language or i18n.current_language()
