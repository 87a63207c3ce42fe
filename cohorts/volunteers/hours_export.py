"""Volunteer hour totals as CSV and as a PDF report, in the page's language."""

from __future__ import annotations

import io
from typing import Any

from cohorts.volunteers.schemas import HoursTotals
from digiystava import i18n
from digiystava.i18n import _
from digiystava.spreadsheets import Separator, SpreadsheetFormat, spreadsheet


def period_text(totals: HoursTotals) -> str:
    start = i18n.format_date(totals.date_from) if totals.date_from else "…"
    end = i18n.format_date(totals.date_to) if totals.date_to else "…"
    return f"{start} – {end}"


def hours_sheet(
    totals: HoursTotals, fmt: SpreadsheetFormat = "csv", separator: Separator = "semicolon"
) -> tuple[bytes, str]:
    """One row per volunteer, then one per organisation, then the total; hours as numbers (a decimal comma in the
    semicolon
    CSV).
    """
    rows: list[list[Any]] = [[_("Row"), _("Organisation"), _("Volunteer"), _("Hours"), _("Days")]]
    rows += [[_("volunteer"), t.organisation, t.name, _number(t.hours), t.days] for t in totals.volunteers]
    rows += [[_("organisation"), o.organisation, "", _number(o.hours), ""] for o in totals.organisations]
    rows.append([_("total"), "", "", _number(totals.total_hours), ""])
    return spreadsheet(rows, fmt, separator, sheet=_("Volunteer hours"))


def _number(hours: float) -> float | int:
    return int(hours) if float(hours).is_integer() else float(hours)


def hours_pdf(totals: HoursTotals) -> bytes:
    from pdf_templates.styles import build_document, data_table, para, stylesheet

    lang = i18n.current_language()
    styles = stylesheet("report")
    title = _("Volunteer hours")
    number = lambda v: i18n.format_number(v)  # noqa: E731
    story = [
        para(title, styles.title),
        para(_("Period: %(period)s") % {"period": period_text(totals)}, styles.body),
        para(_("By organisation"), styles.h2),
    ]
    org_rows: list[list[Any]] = [[_("Organisation"), _("Volunteers"), _("Hours")]]
    org_rows += [[o.organisation, o.volunteers, number(o.hours)] for o in totals.organisations]
    org_rows.append([_("Total"), len(totals.volunteers), number(totals.total_hours)])
    story.append(data_table(org_rows, styles, numeric_columns=(1, 2)))
    story.append(para(_("By volunteer"), styles.h2))
    rows: list[list[Any]] = [[_("Volunteer"), _("Organisation"), _("Days"), _("Hours")]]
    rows += [[t.name, t.organisation, t.days, number(t.hours)] for t in totals.volunteers]
    if not totals.volunteers:
        rows.append([_("No hours in this period."), "", "", ""])
    story.append(data_table(rows, styles, numeric_columns=(2, 3)))
    buffer = io.BytesIO()
    build_document(buffer, story, title=title, lang=lang, size="report", subject=period_text(totals))
    return buffer.getvalue()
