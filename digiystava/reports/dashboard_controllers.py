"""GET /api/v1/dashboard: the programme's figures by term (coordinators; the steering group in aggregate)."""

from __future__ import annotations

from litestar import Controller, get

from digiystava.reports.dashboard import Dashboard, dashboard
from digiystava.web.params import Caller


class DashboardController(Controller):
    path = "/api/v1/dashboard"
    tags = ["reports"]

    @get("/")
    async def programme(self, principal: Caller) -> Dashboard:
        """Seniors reached, seats and waiting lists, tablets out and overdue, assessments and follow-ups due, by
        term. The steering group's figures leave out courses under 5 seniors and hide any figure under 5."""
        return await dashboard(principal)
