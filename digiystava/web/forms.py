"""The one form path of the pages: validate, call the service, then redirect or show the form again.

A form that cannot be saved comes back with the error summary and every value as it was
typed. Dates are taken as people in Finland write them (6.12.2026, also 06.12.2026) or
as ISO dates; numbers with a decimal comma (1,5) as well as a point.
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from collections.abc import Awaitable, Callable
from functools import cache
from typing import Any, TypeVar

from litestar.response import Redirect, Template
from pydantic import BaseModel, ValidationError

from digiystava import i18n
from digiystava.errors import DomainError, FieldProblem
from digiystava.plain_messages import plain_message

Model = TypeVar("Model", bound=BaseModel)

_FINNISH_DATE = re.compile(r"\s*(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{4})\.?\s*")
_DECIMAL_COMMA = re.compile(r"\s*-?\d+,\d+\s*")


def typed_date(text: str) -> str:
    """``6.12.2026`` as ``2026-12-06``; anything else as it was (the schema then names the format)."""
    match = _FINNISH_DATE.fullmatch(text)
    if match is None:
        return text.strip()
    day, month, year = match.groups()
    return f"{year}-{int(month):02d}-{int(day):02d}"


def _types_in(annotation: Any) -> set[Any]:
    found = {annotation}
    if typing.get_origin(annotation) in (typing.Union, types.UnionType, typing.Annotated):
        for inner in typing.get_args(annotation):
            found |= _types_in(inner)
    return found


@cache
def _fields_of_type(model: type[BaseModel]) -> tuple[frozenset[str], frozenset[str]]:
    """The model's date fields and its decimal-number fields."""
    dates, decimals = set(), set()
    for name, info in model.model_fields.items():
        kinds = _types_in(info.annotation)
        if dt.date in kinds:
            dates.add(name)
        if float in kinds:
            decimals.add(name)
    return frozenset(dates), frozenset(decimals)


def as_people_type(model: type[BaseModel], data: dict[str, Any]) -> dict[str, Any]:
    """The form's text read the way people in Finland write dates and decimals."""
    dates, decimals = _fields_of_type(model)
    read = dict(data)
    for name, value in data.items():
        if isinstance(value, str) and name in dates:
            read[name] = typed_date(value)
        elif isinstance(value, str) and name in decimals and _DECIMAL_COMMA.fullmatch(value):
            read[name] = value.strip().replace(",", ".")
    return read


def form_text(form: dict[str, Any]) -> dict[str, Any]:
    """The form's fields as typed: without its CSRF token, and a text box's line breaks as LF.

    A browser sends every line break of a text box as CR LF (HTML's form encoding); the API
    refuses a CR as a control character, so a senior's two typed lines would be refused.
    """
    return {
        k: v.replace("\r\n", "\n").replace("\r", "\n") if isinstance(v, str) else v
        for k, v in form.items()
        if k != "_csrf"
    }


def parse_form(model: type[Model], form: dict[str, Any]) -> tuple[Model | None, list[FieldProblem]]:
    """Validate a submitted form; on failure return the problems for the error summary."""
    data = as_people_type(model, form_text(form))
    try:
        return model.model_validate(data, strict=False), []  # form fields are text
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            field = ".".join(str(p) for p in error["loc"]) or "form"
            problems.append(FieldProblem(field, i18n.translated(plain_message(error))))
        return None, problems


def domain_problems(exc: DomainError) -> list[FieldProblem]:
    """A service's problems for a form, in the page's language (see ``i18n.N_``)."""
    return [FieldProblem(p.field, i18n.translated(p.message)) for p in exc.errors] or [
        FieldProblem("form", i18n.translated(exc.detail))
    ]


FormView = Callable[[dict[str, Any], list[FieldProblem], int], Awaitable[Template] | Template]


async def submit(
    model: type[BaseModel] | None,
    values: dict[str, Any],
    save: Callable[[Any], Awaitable[str | Template]],
    show: FormView,
    *,
    typed: dict[str, Any] | None = None,
    service_status: bool = False,
    also: list[FieldProblem] | None = None,
    answer: Callable[[DomainError], Awaitable[Template | None]] | None = None,
) -> Template | Redirect:
    """The one form path: validate ``values`` with ``model``, ``save`` (a service call that returns
    the address to go to), and redirect there; or ``show`` the form again with the error summary
    and the values as typed (``typed``, where the page shows the form's fields apart from the
    model's input): 422, or with ``service_status`` the service's own 4xx (409 for a conflict).

    ``model`` None: the service checks the form itself and names the fields (``save`` gets the
    values). ``save`` may answer with a page instead of an address, for what must not travel in
    an address or be asked for again (a new secret shown once, the thanks for a spent card).
    ``also``: the page's own problems found before (the form is then not saved); ``answer``: a
    refusal the page answers in its own way (a question to confirm, or the error page by raising
    it again), or None for the summary.
    """
    form: Any
    errors: list[FieldProblem] = []
    if model is None:
        form = form_text(values)
    else:
        form, errors = parse_form(model, values)
    if also:
        form, errors = None, [*errors, *also]
    status = 422
    if form is not None:
        try:
            saved = await save(form)
            return saved if isinstance(saved, Template) else Redirect(path=saved, status_code=303)
        except DomainError as exc:
            asked = await answer(exc) if answer is not None else None
            if asked is not None:
                return asked
            errors = domain_problems(exc)
            if service_status and 400 <= exc.status < 500:
                status = exc.status
    shown = show(values if typed is None else typed, errors, status)
    return await shown if isinstance(shown, Awaitable) else shown
