"""Rendering pages: the Jinja environment, the common page context, forms and error pages."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, select_autoescape
from litestar import MediaType, Request
from litestar.response import Template

from digiystava import i18n
from digiystava.access import Principal, allowed
from digiystava.errors import FieldProblem
from digiystava.plain_messages import finnish_date, parameter_message
from digiystava.web import session_end

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
    env.filters["form_date"] = form_date
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
    cleared = session_end.restore(request, context)
    if cleared is not None:
        context["notice"] = i18n._(
            "Your session had ended, so this form was not saved. What you typed is back: check it and save again."
        )
    response = Template(
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
    if cleared is not None:
        response.cookies.append(cleared)
    return response


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
        413: i18n._("This is too large to send."),
    }
    message = titles.get(status, i18n._("Something went wrong. Please try again."))
    shown = ""
    if status in (409, 413, 422, 429):
        # Service messages marked with i18n.N_ are shown in the page's language.
        # A message the catalogs do not know keeps its field's name, as the API gives it.
        shown = "; ".join(_problem_text(p) for p in errors) if errors else i18n.translated(detail)
    response = page(
        request,
        "error.html",
        status_code=status,
        status=status,
        message=message,
        detail=shown,
        back=_came_from(request),
    )
    if headers:
        response.headers.update(headers)
    return response


def _came_from(request: Request) -> str:
    """The page of this site the person came from (the form they sent, the list whose link
    failed), or "": never another site's page, nor the failing page itself."""
    referer = urlsplit(request.headers.get("referer", ""))
    if not referer.netloc or referer.netloc != request.headers.get("host"):
        return ""
    back = safe_next(referer._replace(scheme="", netloc="", fragment="").geturl(), default="")
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return "" if request.method == "GET" and back == here else back


def _problem_text(problem: FieldProblem) -> str:
    if i18n.is_known(problem.message):
        return i18n.translated(problem.message)
    plain = parameter_message(str(problem.message))
    return f"{problem.field}: {i18n.translated(plain) if plain else problem.message}"


def form_date(value: Any) -> str:
    """A date field's value as people type it (6.12.2026); what someone typed stays as typed."""
    if isinstance(value, dt.date):
        return finnish_date(value)
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return finnish_date(dt.date.fromisoformat(value))
        except ValueError:
            return value
    return "" if value is None else str(value)


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
