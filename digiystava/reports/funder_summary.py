"""The plain-language sentences on top of the funder's report."""

from __future__ import annotations

from typing import TYPE_CHECKING

from digiystava.i18n import format_number
from pdf_templates.funder_report import funder_texts

if TYPE_CHECKING:
    from digiystava.reports.funder import FunderReport


def euros(cents: int | None, lang: str) -> str:
    if cents is None:
        return "–"
    return f"{format_number(round(cents / 100), lang)} €"


def sentences(report: FunderReport) -> list[str]:
    lang = report.language
    t = funder_texts(lang)
    if report.suppressed:
        return [t["summary_too_few"].format(minimum=report.minimum)]
    course = report.course
    lines = [
        t["summary_reach"].format(seniors=course.seniors, cohorts=course.cohorts, sessions=report.sessions_held),
        t["summary_independent"].format(independent=report.independent_seniors),
    ]
    if report.cost_per_senior_cents is not None:
        lines.append(
            t["summary_cost"].format(
                per_senior=euros(report.cost_per_senior_cents, lang),
                per_independent=euros(report.cost_per_independent_cents, lang),
            )
        )
    if report.in_kind_cents and report.cost_per_senior_with_in_kind_cents is not None:
        lines.append(
            t["summary_cost_in_kind"].format(
                per_senior=euros(report.cost_per_senior_with_in_kind_cents, lang),
                per_independent=euros(report.cost_per_independent_with_in_kind_cents, lang),
            )
        )
    return lines
