"""GET /api/v1/reports/outcomes: the outcome report as JSON, PDF or an HTML page."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal
from urllib.parse import urlencode

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency, Provide
from litestar.params import FromQuery, QueryParameter
from litestar.response import Template

from digiystava.errors import InvalidInput
from digiystava.i18n import N_
from digiystava.read_cache import CACHED_READ
from digiystava.reports.figures import outcome_report
from digiystava.reports.html import html_context
from digiystava.reports.pdf import outcome_pdf
from digiystava.reports.schemas import OutcomeReport
from digiystava.reports.scope import Scope, parse_scope
from digiystava.schemas import MAX_ID
from digiystava.web.downloads import download
from digiystava.web.params import Caller, ChosenLanguage
from digiystava.web.rendering import page


async def scope_from_query(
    cohort_id: FromQuery[str | None] = None,
    location_id: FromQuery[str | None] = None,
    kind: FromQuery[str | None] = None,
    district: FromQuery[str | None] = None,
    donor: FromQuery[str | None] = None,
    date_from: Annotated[str | None, QueryParameter(name="from")] = None,
    date_to: Annotated[str | None, QueryParameter(name="to")] = None,
    compare: FromQuery[str | None] = None,
) -> Scope:
    """The report's scope from the query string, shared by the API and the pages.

    NOTE: raw strings, because the picker form sends every field and "" means "any".
    """
    return parse_scope(
        _number("cohort_id", cohort_id),
        _number("location_id", location_id),
        kind or None,
        district,
        donor or None,
        _date("from", date_from),
        _date("to", date_to),
        compare or None,
    )


def _number(field: str, value: str | None) -> int | None:
    if not value:
        return None
    if (
        not value.isdecimal() or len(value) > 10 or int(value) > MAX_ID
    ):  # NOTE: isdecimal, not isdigit: int() refuses "¹"
        raise InvalidInput(field, N_("must be a whole number"))
    return int(value)


def _date(field: str, value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(field, N_("must be a date like 2026-09-07")) from None


SCOPE_DEPENDENCY = {"report_scope": Provide(scope_from_query)}
# How a handler receives the scope: ``report_scope: ReportScope``.
ReportScope = NamedDependency[Scope]


def report_links(scope: Scope, lang: str) -> dict[str, str]:
    query = {**scope.query(), "lang": lang}
    return {fmt: "/api/v1/reports/outcomes?" + urlencode({**query, "format": fmt}) for fmt in ("json", "pdf", "html")}


async def report_page(request: Request, principal: Caller, scope: Scope, lang: str) -> Template:
    report = await outcome_report(principal, scope, lang)
    return page(request, "reports/outcome.html", links=report_links(scope, lang), **await html_context(report))


class ReportController(Controller):
    path = "/api/v1/reports"
    tags = ["reports"]
    dependencies = SCOPE_DEPENDENCY

    # Kept by the read cache until an assessment, enrolment or any other table the report read
    # changes: the whole programme's figures take seconds to gather.
    @get(
        "/outcomes",
        response_model=None,
        opt={"formats": {"pdf": "application/pdf", "html": "text/html"}, **CACHED_READ},
    )
    async def outcomes(
        self,
        request: Request,
        principal: Caller,
        report_scope: ReportScope,
        answer_language: ChosenLanguage,
        format: FromQuery[Literal["json", "pdf", "html"]] = "json",
    ) -> OutcomeReport | Response[bytes] | Template:
        """Skills before and after, course figures and a plain summary; groups under 5 seniors hidden.

        ``outcomes.pdf`` and ``outcomes.html`` answer the same report in one format each, for clients
        that expect one type of answer per operation."""
        if format == "html":
            return await report_page(request, principal, report_scope, answer_language)
        if format == "pdf":
            return await _report_pdf(principal, report_scope, answer_language)
        return await outcome_report(principal, report_scope, answer_language)

    @get("/outcomes.pdf", media_type="application/pdf", opt=CACHED_READ)
    async def outcomes_pdf(
        self, principal: Caller, report_scope: ReportScope, answer_language: ChosenLanguage
    ) -> Response[bytes]:
        """The outcome report as a PDF for the steering group."""
        return await _report_pdf(principal, report_scope, answer_language)

    @get("/outcomes.html", media_type="text/html")
    async def outcomes_html(
        self, request: Request, principal: Caller, report_scope: ReportScope, answer_language: ChosenLanguage
    ) -> Template:
        """The outcome report as a web page."""
        return await report_page(request, principal, report_scope, answer_language)


async def _report_pdf(principal: Caller, report_scope: Scope, lang: str) -> Response[bytes]:
    report = await outcome_report(principal, report_scope, lang)
    name = "outcomes-" + "-".join(report_scope.query().values()) if report_scope.query() else "outcomes-programme"
    return download(await outcome_pdf(report), f"{name}.pdf")
