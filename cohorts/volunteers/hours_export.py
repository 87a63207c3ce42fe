"""Volunteer hour totals as CSV and as a PDF report, in the page's language."""

from __future__ import annotations

from typing import Any

from cohorts.volunteers.schemas import HoursTotals
from digiystava import i18n
from digiystava.i18n import _
from digiystava.spreadsheets import Separator, SpreadsheetFormat, spreadsheet


def hours_sheet(
    totals: HoursTotals, fmt: SpreadsheetFormat = "csv", separator: Separator = "semicolon"
) -> tuple[bytes, str]:
    """One row per volunteer, then one per organisation, then the total.

    Hours are numbers (a decimal comma in the semicolon CSV).
    """
    rows: list[list[Any]] = [[_("Row"), _("Organisation"), _("Volunteer"), _("Hours"), _("Days")]]
    rows += [[_("volunteer"), t.organisation, t.name, _number(t.hours), t.days] for t in totals.volunteers]
    rows += [[_("organisation"), o.organisation, "", _number(o.hours), ""] for o in totals.organisations]
    rows.append([_("total"), "", "", _number(totals.total_hours), ""])
    return spreadsheet(rows, fmt, separator, sheet=_("Volunteer hours"))


def _number(hours: float) -> float | int:
    return int(hours) if float(hours).is_integer() else float(hours)


def hours_pdf(totals: HoursTotals) -> bytes:
    """The totals as a PDF report in the page's language (laid out in pdf_templates/volunteer_hours.py)."""
    from pdf_templates.volunteer_hours import HoursReport, OrganisationHours, VolunteerHours, hours_report

    report = HoursReport(
        language=i18n.current_language(),
        date_from=totals.date_from,
        date_to=totals.date_to,
        organisations=tuple(OrganisationHours(o.organisation, o.volunteers, o.hours) for o in totals.organisations),
        volunteers=tuple(VolunteerHours(v.name, v.organisation, v.days, v.hours) for v in totals.volunteers),
        total_hours=totals.total_hours,
    )
    return hours_report(report)
