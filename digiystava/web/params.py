"""What a handler takes from the request beside its own fields: the caller, and which page of a list."""

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


async def chosen_language(
    lang: Annotated[
        i18n.Language | None, QueryParameter(description="the answer's language (default: the caller's own)")
    ] = None,
) -> str:
    """``?lang=fi|sv|en`` chooses the language of an answer's texts; without it, the caller's page language.

    Handlers take it as ``answer_language: ChosenLanguage`` (the app provides it under that name, which no
    request field uses: a body field of the same name would read as this dependency's failure).
    """
    return lang or i18n.current_language()


ChosenLanguage = NamedDependency[str]
