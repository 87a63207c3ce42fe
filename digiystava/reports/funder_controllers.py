"""GET /api/v1/reports/funder: the funder's report as JSON, PDF, an HTML page or a spreadsheet."""

from __future__ import annotations

import asyncio
from typing import Annotated, Literal
from urllib.parse import urlencode

from litestar import Controller, Request, Response, get
from litestar.params import FromQuery, QueryParameter
from litestar.response import Template

from digiystava.access import Principal
from digiystava.errors import InvalidInput
from digiystava.i18n import N_
from digiystava.reports.controllers import _date
from digiystava.reports.funder import FunderReport, funder_report
from digiystava.reports.funder_formats import funder_pdf, funder_tables, funder_xlsx, heading_lines
from digiystava.spreadsheets import XLSX_MEDIA_TYPE
from digiystava.web.downloads import download
from digiystava.web.params import Caller, ChosenLanguage
from digiystava.web.rendering import page
from pdf_templates.funder_report import funder_texts

Funder = Literal["STEA", "city", "other"]


async def _report(principal: Principal, date_from, date_to, funder, lang: str) -> FunderReport:

    start, end = _date("from", date_from), _date("to", date_to)
    if start and end and start > end:
        raise InvalidInput("to", N_("to must not be before from"))
    return await funder_report(principal, start, end, funder, lang)


def _links(report: FunderReport) -> dict[str, str]:

    query = {"from": report.date_from, "to": report.date_to, "funder": report.funder, "lang": report.language}
    query = {k: str(v) for k, v in query.items() if v}
    return {
        fmt: "/api/v1/reports/funder?" + urlencode({**query, "format": fmt}) for fmt in ("json", "pdf", "html", "xlsx")
    }


async def funder_page(request: Request, report: FunderReport) -> Template:

    return page(
        request,
        "reports/funder.html",
        report=report,
        t=funder_texts(report.language),
        lines=heading_lines(report),
        sections=funder_tables(report),
        links=_links(report),
    )


class FunderReportController(Controller):
    path = "/api/v1/reports"
    tags = ["reports"]

    @get(
        "/funder",
        response_model=None,
        opt={"formats": {"pdf": "application/pdf", "html": "text/html", "xlsx": XLSX_MEDIA_TYPE}},
    )
    async def funder(
        self,
        request: Request,
        principal: Caller,
        answer_language: ChosenLanguage,
        date_from: Annotated[str | None, QueryParameter(name="from")] = None,
        date_to: Annotated[str | None, QueryParameter(name="to")] = None,
        funder: FromQuery[Funder | None] = None,
        format: FromQuery[Literal["json", "pdf", "html", "xlsx"]] = "json",
    ) -> FunderReport | Response[bytes] | Template:
        """Seniors reached (groups under 5 hidden), skills gained and kept, feedback, tablets and costs for a
        period (courses by start date, costs by their term's first day) and a funder (none: every funder).
        Coordinators and the steering group."""
        report = await _report(principal, date_from, date_to, funder, answer_language)
        if format == "html":
            return await funder_page(request, report)
        if format in ("pdf", "xlsx"):
            content = await asyncio.to_thread(funder_pdf if format == "pdf" else funder_xlsx, report)
            name = "-".join(
                ["funder", report.funder or "all", *(str(d) for d in (report.date_from, report.date_to) if d)]
            )
            return download(content, f"{name}.{format}")
        return report
