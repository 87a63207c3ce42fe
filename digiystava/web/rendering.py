"""Rendering pages: the Jinja environment, the common page context, forms and error pages."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, select_autoescape
from litestar import MediaType, Request
from litestar.response import Template
from pydantic import BaseModel, ValidationError

from digiystava import i18n
from digiystava.access import Principal, allowed
from digiystava.errors import DomainError, FieldProblem
from digiystava.schemas import plain_message

TEMPLATE_DIRS = [Path(__file__).parent / "templates"]


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader([str(d) for d in TEMPLATE_DIRS]),
        autoescape=select_autoescape(default=True, default_for_string=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(gettext=i18n.gettext, ngettext=i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters["date"] = lambda v, fmt="medium": i18n.format_date(v, fmt=fmt)
    env.filters["datetime"] = lambda v, fmt="medium": i18n.format_datetime(v, fmt=fmt)
    env.filters["number"] = lambda v: i18n.format_number(v)
    env.filters["file_place"] = file_place
    env.globals["allowed"] = allowed
    env.globals["LANGUAGES"] = i18n.LANGUAGE_NAMES
    return env


def safe_next(target: str | None, default: str = "/") -> str:
    """Only local paths: a crafted ?next= must not send anyone to another site."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


def page(request: Request, template: str, status_code: int = 200, **context: Any) -> Template:
    principal: Principal | None = request.scope.get("user")
    context.setdefault("errors", [])
    return Template(
        template_name=template,
        context={
            "principal": principal,
            "lang": i18n.current_language(),
            # NOTE: a caller with a token has no session, hence no CSRF token to print.
            "csrf_token": (principal.csrf_token or "") if principal else request.scope.get("login_csrf", ""),
            "path": request.url.path,
            **context,
        },
        status_code=status_code,
        media_type=MediaType.HTML,  # also when a JSON handler answers with a page (?format=html)
    )


def error_page(
    request: Request,
    status: int,
    detail: str,
    errors: list[FieldProblem] | None = None,
    headers: dict[str, str] | None = None,
) -> Template:
    titles = {
        403: i18n._("You do not have access to this page."),
        404: i18n._("Page not found."),
        409: i18n._("That cannot be done now."),
    }
    message = titles.get(status, i18n._("Something went wrong. Please try again."))
    shown = ""
    if status in (409, 422, 429):
        # Service messages marked with i18n.N_ are shown in the page's language.
        # A message the catalogs do not know keeps its field's name, as the API gives it.
        shown = "; ".join(_problem_text(p) for p in errors) if errors else i18n.translated(detail)
    response = page(request, "error.html", status_code=status, status=status, message=message, detail=shown)
    if headers:
        response.headers.update(headers)
    return response


def _problem_text(problem: FieldProblem) -> str:
    return i18n.translated(problem.message) if i18n.is_known(problem.message) else f"{problem.field}: {problem.message}"


def file_place(field: str) -> str:
    """An uploaded file's problem place, "row 3.serial_number", as the page's "Rivi 3, serial_number".

    The column keeps its name: it is what the header row of the file says.
    """
    match = _ROW_FIELD.fullmatch(field)
    if match is None:
        return field
    row = i18n._("Row %(num)d") % {"num": int(match["row"])}
    return f"{row}, {match['column']}" if match["column"] else row


_ROW_FIELD = re.compile(r"row (?P<row>\d+)(?:\.(?P<column>.+))?")


def parse_form(model: type[BaseModel], form: dict[str, Any]) -> tuple[BaseModel | None, list[FieldProblem]]:
    """Validate a submitted form; on failure return the problems for the error summary."""
    data = {k: v for k, v in form.items() if k != "_csrf"}
    try:
        return model.model_validate(data, strict=False), []  # form fields are text
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            field = ".".join(str(p) for p in error["loc"]) or "form"
            problems.append(FieldProblem(field, friendly_message(error)))
        return None, problems


def friendly_message(error: Mapping[str, Any]) -> str:
    """Plain-language, translated text for a validation error on a form."""
    return i18n.translated(plain_message(error))


def domain_problems(exc: DomainError) -> list[FieldProblem]:
    """A service's problems for a form, in the page's language (see ``i18n.N_``)."""
    return [FieldProblem(p.field, i18n.translated(p.message)) for p in exc.errors] or [
        FieldProblem("form", i18n.translated(exc.detail))
    ]
