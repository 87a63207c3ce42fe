"""Pages of the outcome reports: the scope picker (/reports) and a report (/reports/outcomes)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from litestar import Controller, Request, get
from litestar.di import Provide
from litestar.params import FromQuery, QueryParameter
from litestar.response import Template

from digiystava.access import require
from digiystava.errors import InvalidInput
from digiystava.i18n import _
from digiystava.plain_messages import DATE_FORMAT
from digiystava.reports.controllers import ReportScope, report_page, scope_from_query
from digiystava.reports.scope import Scope, report_choices
from digiystava.web.forms import typed_date
from digiystava.web.params import Caller, ChosenLanguage
from digiystava.web.rendering import page


def _page_date(field: str, value: str | None) -> str | None:
    """A date of the picker as people type it (6.12.2026); the API itself takes ISO dates only."""
    if not value:
        return None
    iso = typed_date(value)
    try:
        dt.date.fromisoformat(iso)
    except ValueError:
        raise InvalidInput(field, DATE_FORMAT) from None
    return iso


async def page_scope(
    cohort_id: FromQuery[str | None] = None,
    location_id: FromQuery[str | None] = None,
    kind: FromQuery[str | None] = None,
    district: FromQuery[str | None] = None,
    donor: FromQuery[str | None] = None,
    date_from: Annotated[str | None, QueryParameter(name="from")] = None,
    date_to: Annotated[str | None, QueryParameter(name="to")] = None,
    compare: FromQuery[str | None] = None,
) -> Scope:
    """The report's scope as the API reads it, with the dates read as the pages take them."""
    return await scope_from_query(
        cohort_id,
        location_id,
        kind,
        district,
        donor,
        _page_date("from", date_from),
        _page_date("to", date_to),
        compare,
    )


def kind_labels() -> list[tuple[str, str]]:
    return [
        ("community_house", _("Community house")),
        ("service_centre", _("Service centre")),
        ("library", _("Library")),
        ("other", _("Other")),
    ]


class ReportPages(Controller):
    dependencies = {"report_scope": Provide(page_scope)}

    @get("/reports")
    async def index(self, request: Request, principal: Caller) -> Template:
        require(principal, "reports.read")
        choices = await report_choices(principal, kind_labels())
        quick = [
            ("/reports/outcomes", _("The whole programme")),
            ("/reports/outcomes?compare=location", _("Locations side by side")),
        ]
        return page(request, "reports/index.html", quick_links=quick if choices["can_choose_all"] else [], **choices)

    @get("/reports/outcomes")
    async def outcomes(
        self,
        request: Request,
        principal: Caller,
        report_scope: ReportScope,
        answer_language: ChosenLanguage,
    ) -> Template:
        return await report_page(request, principal, report_scope, answer_language)
