"""The plain-language summary at the top of a report, written from its figures."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pdf_templates.outcome_report import report_texts

if TYPE_CHECKING:
    from digiystava.reports.schemas import OutcomeReport

HIGHLIGHTS = 3  # skills named in the summary, those where most seniors became independent
SIGNIFICANCE = 0.05


def sentences(report: OutcomeReport, lang: str) -> list[str]:
    """"14 of 19 seniors can now pay bills online on their own; before the course, 3 could."""
    t = report_texts(lang)
    if report.suppressed:
        return [t["summary_too_few"].format(minimum=report.minimum)]
    course = report.course
    lines = [t["summary_overview"].format(cohorts=course.cohorts, seniors=course.seniors, completed=course.completed)]
    shown = [s for s in report.skills if not s.suppressed]
    gains = sorted(
        (s for s in shown if s.independent_after > s.independent_before),
        key=lambda s: (-(s.independent_after - s.independent_before), -s.independent_after, s.code),
    )
    for skill in gains[:HIGHLIGHTS]:
        lines.append(t["summary_skill"].format(
            after=skill.independent_after, n=skill.n, phrase=t["phrases"].get(skill.code, skill.label), before=skill.independent_before,
        ))
    if not shown:
        lines.append(t["summary_no_pairs"])
    elif report.tested_skills:
        significant = sum(1 for s in shown if s.p_holm is not None and s.p_holm < SIGNIFICANCE and (s.effect_size or 0) > 0)
        lines.append(t["summary_tested"].format(significant=significant, tested=report.tested_skills))
    if report.left_out_cohorts:
        lines.append(t["summary_left_out"].format(minimum=report.minimum, count=report.left_out_cohorts))
    return lines


def method_note(lang: str, minimum: int = 5) -> list[str]:
    return [paragraph.format(minimum=minimum) for paragraph in report_texts(lang)["method"]]
