"""The programme dashboard page: charts by term, each with its numbers in a table beside it."""

from __future__ import annotations

import asyncio

from litestar import Controller, Request, get
from litestar.response import Template
from markupsafe import Markup

from digiystava.i18n import _
from digiystava.reports.dashboard import dashboard, term_bars
from digiystava.web.params import Caller
from digiystava.web.rendering import page


def measure_labels() -> dict[str, str]:
    return {
        "cohorts": _("Courses"),
        "seats": _("Seats"),
        "seniors": _("Seniors reached"),
        "waitlisted": _("On waiting lists"),
        "lent": _("Tablets lent"),
        "out": _("Tablets out"),
        "overdue": _("Tablets overdue"),
        "assessments_due": _("Assessments due"),
        "followups_due": _("Follow-ups due"),
    }


CHARTS = (
    ("reach", ("seats", "seniors", "waitlisted")),
    ("tablets", ("lent", "out", "overdue")),
    ("due", ("assessments_due", "followups_due")),
)


class DashboardPages(Controller):
    @get("/dashboard")
    async def dashboard(self, request: Request, principal: Caller) -> Template:
        board = await dashboard(principal)
        labels = measure_labels()
        terms = [
            (_("Spring %(year)s") if t.season == "spring" else _("Autumn %(year)s")) % {"year": t.year}
            for t in board.terms
        ]
        titles = {
            "reach": _("Seats, seniors reached and waiting lists"),
            "tablets": _("Tablets lent, out and overdue"),
            "due": _("Assessments and follow-ups due"),
        }
        charts = []
        for name, measures in CHARTS:
            series = [(labels[m], [getattr(t, m) for t in board.terms]) for m in measures]
            svg = await asyncio.to_thread(term_bars, terms, series, titles[name]) if terms else ""
            alt = _("Bar chart by term; the same numbers are in the table beside it.")
            svg = svg.replace("<svg", f'<svg role="img" aria-label="{Markup.escape(titles[name] + ". " + alt)}"', 1)
            rows = [[_("Term"), *(labels[m] for m in measures)]]
            rows += [
                [term, *("–" if getattr(t, m) is None else getattr(t, m) for m in measures)]
                for term, t in zip(terms, board.terms)
            ]
            charts.append({"name": name, "title": titles[name], "svg": Markup(svg), "rows": rows})
        return page(request, "reports/dashboard.html", board=board, charts=charts)
