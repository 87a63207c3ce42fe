"""What the HTML page of a report shows: charts as inline SVG with text alternatives, and tables."""

from __future__ import annotations

import asyncio
import re
from typing import Any

from markupsafe import Markup, escape

from digiystava.i18n import format_date
from digiystava.reports import tables
from digiystava.reports.schemas import OutcomeReport
from digiystava.reports.visuals import chart_specs
from pdf_templates.outcome_report import report_texts

_ROOT = re.compile(r"<svg\b")


async def html_context(report: OutcomeReport) -> dict[str, Any]:
    """Draw the charts in a worker thread (through the chart cache) and gather the tables."""
    return await asyncio.to_thread(build_context, report)


def build_context(report: OutcomeReport) -> dict[str, Any]:
    charts = {}
    for spec in chart_specs(report):
        # NOTE: the SVG is our own matplotlib output with user text escaped by it; the
        # role and label make it one image for screen readers, the tables hold its figures.
        svg = _ROOT.sub(f'<svg role="img" aria-label="{escape(spec.alt)}" focusable="false"', spec.svg(), count=1)
        charts[spec.name] = {"svg": Markup(svg), "alt": spec.alt}
    t = report_texts(report.language)
    return {
        "report": report,
        "t": t,
        "charts": charts,
        "made_on": t["made_on"].format(date=format_date(report.generated_on, report.language, "long")),
        "levels_rows": tables.levels_rows(report) if report.skills else [],
        "change_rows": tables.change_rows(report) if report.skills else [],
        "followup_levels_rows": tables.followup_levels_rows(report) if tables.has_followup(report) else [],
        "followup_change_rows": tables.followup_change_rows(report) if tables.has_followup(report) else [],
        "course_rows": [] if report.suppressed else tables.course_rows(report),
        "tablet_rows": tables.tablet_rows(report) if report.course.tablets else [],
        "tablets_note": tables.tablets_note(report),
        "wish_rows": tables.wish_rows(report) if report.course.wishes else [],
        "group_rows": tables.group_rows(report) if report.groups else [],
    }
