"""Pages of the outcome reports: the scope picker (/reports) and a report (/reports/outcomes)."""

from __future__ import annotations

from litestar import Controller, Request, get
from litestar.response import Template

from digiystava.access import require
from digiystava.i18n import _
from digiystava.reports.controllers import SCOPE_DEPENDENCY, ReportScope, report_page
from digiystava.reports.scope import report_choices
from digiystava.web.params import Caller, ChosenLanguage
from digiystava.web.rendering import page


def kind_labels() -> list[tuple[str, str]]:
    return [
        ("community_house", _("Community house")),
        ("service_centre", _("Service centre")),
        ("library", _("Library")),
        ("other", _("Other")),
    ]


class ReportPages(Controller):
    dependencies = SCOPE_DEPENDENCY

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
        language: ChosenLanguage,
    ) -> Template:
        return await report_page(request, principal, report_scope, language)
