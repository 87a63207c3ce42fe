"""The volunteer hours report: totals per organisation and per volunteer over a period."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from digiystava.i18n import N_, format_date, format_number, translate
from pdf_templates.styles import build_document, data_table, para, stylesheet


@dataclass(frozen=True)
class OrganisationHours:
    organisation: str
    volunteers: int
    hours: float


@dataclass(frozen=True)
class VolunteerHours:
    name: str
    organisation: str
    days: int
    hours: float


@dataclass(frozen=True)
class HoursReport:
    """What the report prints; either end of the period may be open (None)."""

    language: str
    date_from: dt.date | None
    date_to: dt.date | None
    organisations: tuple[OrganisationHours, ...]
    volunteers: tuple[VolunteerHours, ...]
    total_hours: float


def period_text(report: HoursReport) -> str:
    start = format_date(report.date_from, report.language) if report.date_from else "…"
    end = format_date(report.date_to, report.language) if report.date_to else "…"
    return f"{start} – {end}"


def hours_report(report: HoursReport) -> bytes:
    lang = report.language

    def _(message: str) -> str:
        return translate(lang, message)

    def number(value: float) -> str:
        return format_number(value, lang)

    styles = stylesheet("report")
    title = _(N_("Volunteer hours"))
    story = [
        para(title, styles.title),
        para(_(N_("Period: %(period)s")) % {"period": period_text(report)}, styles.body),
        para(_(N_("By organisation")), styles.h2),
    ]
    org_rows: list[list[object]] = [[_(N_("Organisation")), _(N_("Volunteers")), _(N_("Hours"))]]
    org_rows += [[o.organisation, o.volunteers, number(o.hours)] for o in report.organisations]
    org_rows.append([_(N_("Total")), len(report.volunteers), number(report.total_hours)])
    story.append(data_table(org_rows, styles, numeric_columns=(1, 2)))
    story.append(para(_(N_("By volunteer")), styles.h2))
    rows: list[list[object]] = [[_(N_("Volunteer")), _(N_("Organisation")), _(N_("Days")), _(N_("Hours"))]]
    rows += [[v.name, v.organisation, v.days, number(v.hours)] for v in report.volunteers]
    if not report.volunteers:
        rows.append([_(N_("No hours in this period.")), "", "", ""])
    story.append(data_table(rows, styles, numeric_columns=(2, 3)))
    buffer = io.BytesIO()
    build_document(buffer, story, title=title, lang=lang, size="report", subject=period_text(report))
    return buffer.getvalue()
