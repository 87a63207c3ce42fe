"""The outcome report as a PDF: its rows and charts handed to the printing layer.

The layout is in pdf_templates/outcome_report_layout.py; the rows are those the HTML page
shows (tables.py), the charts those of visuals.py at 150 dpi.
"""

from __future__ import annotations

import asyncio

from digiystava.reports import tables
from digiystava.reports.schemas import OutcomeReport
from digiystava.reports.visuals import chart_specs


async def outcome_pdf(report: OutcomeReport) -> bytes:
    """Lay the report out in a worker thread: charts and layout never block the event loop."""
    return await asyncio.to_thread(render_pdf, report)


def render_pdf(report: OutcomeReport) -> bytes:
    from pdf_templates.outcome_report_layout import ReportPages, outcome_report_pdf  # NOTE: reportlab on first use

    shown = not report.suppressed
    followup = shown and tables.has_followup(report)
    c = report.course
    pages = ReportPages(
        language=report.language,
        scope_title=report.scope_title,
        scope_detail=report.scope_detail,
        generated_on=report.generated_on,
        suppressed=report.suppressed,
        minimum=report.minimum,
        cohorts=c.cohorts,
        seniors=c.seniors,
        completed=c.completed,
        summary=report.summary,
        method_note=report.method_note,
        charts={spec.name: spec.raster(dpi=150) for spec in chart_specs(report)} if shown else {},
        levels_rows=tables.levels_rows(report) if shown else [],
        change_rows=tables.change_rows(report) if shown else [],
        course_rows=tables.course_rows(report) if shown else [],
        tablet_rows=tables.tablet_rows(report) if shown and c.tablets else None,
        tablets_note=tables.tablets_note(report) if shown else None,
        wish_rows=tables.wish_rows(report) if shown and c.wishes else None,
        wish_respondents=c.wish_respondents,
        group_rows=tables.group_rows(report) if shown and report.groups else None,
        followup_levels_rows=tables.followup_levels_rows(report) if followup else None,
        followup_change_rows=tables.followup_change_rows(report) if followup else None,
    )
    return outcome_report_pdf(pages)
