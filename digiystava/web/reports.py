"""Pages of the outcome reports: the scope picker (/reports) and a report (/reports/outcomes)."""

from __future__ import annotations

from typing import Literal

from litestar import Controller, Request, get
from litestar.params import FromQuery
from litestar.response import Template

from digiystava.access import Caller, location_scope, require
from digiystava.i18n import _, current_language
from digiystava.reports.controllers import SCOPE_DEPENDENCY, ReportScope, report_page
from digiystava.reports.scope import REPORTED_STATUSES
from digiystava.web.rendering import page


def kind_labels() -> list[tuple[str, str]]:
    return [("community_house", _("Community house")), ("service_centre", _("Service centre")), ("library", _("Library")), ("other", _("Other"))]


async def picker_choices(principal: Caller) -> dict:
    """Cohorts and locations the caller may report on; names of places, never of people."""
    from cohorts.tables import Cohort, Location

    scope = location_scope(principal) if principal.role == "trainer" else None
    cohorts = Cohort.select(Cohort.id, Cohort.name, Cohort.start_date, Cohort.location.name.as_alias("location_name")).where(
        Cohort.status.is_in(list(REPORTED_STATUSES))
    ).order_by(Cohort.start_date, ascending=False)
    locations = Location.select(Location.id, Location.name, Location.district).order_by(Location.name)
    if scope is not None:
        cohorts = cohorts.where(Cohort.location.is_in(sorted(scope) or [0]))
        locations = locations.where(Location.id.is_in(sorted(scope) or [0]))
    location_rows = await locations
    return {
        "cohorts": await cohorts, "locations": location_rows, "can_choose_all": scope is None,
        "districts": sorted({row["district"] for row in location_rows if row["district"]}),
        "kinds": kind_labels(), "donors": [("DNA", "DNA"), ("Vanhusten turva", "Vanhusten turva"), ("other", _("Other donor"))],
    }


class ReportPages(Controller):
    dependencies = SCOPE_DEPENDENCY

    @get("/reports")
    async def index(self, request: Request, principal: Caller) -> Template:
        require(principal, "reports.read")
        choices = await picker_choices(principal)
        quick = [("/reports/outcomes", _("The whole programme")), ("/reports/outcomes?compare=location", _("Locations side by side"))]
        return page(request, "reports/index.html", quick_links=quick if choices["can_choose_all"] else [], **choices)

    @get("/reports/outcomes")
    async def outcomes(self, request: Request, principal: Caller, report_scope: ReportScope, lang: FromQuery[Literal["fi", "sv", "en"] | None] = None) -> Template:
        return await report_page(request, principal, report_scope, lang or current_language())
