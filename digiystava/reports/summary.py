"""The plain-language summary at the top of a report, written from its figures."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from digiystava.reports.schemas import FollowupFigures, Gap, OutcomeReport, SkillFigures
from pdf_templates.outcome_report import report_texts

if TYPE_CHECKING:
    from digiystava.reports.figures import Population
    from digiystava.reports.queries import ScopeRows

HIGHLIGHTS = 3  # skills named in the summary, those where most seniors became independent
SIGNIFICANCE = 0.05
# A report without figures says "fewer than 5 seniors" only when that is why (or when nothing else says why).
TOO_FEW_GAPS = ("under_minimum",)
# The paragraph of the method note that says how many skills were tested comes after this many.
HOLM_PARAGRAPH = 3


def sentences(report: OutcomeReport, lang: str) -> list[str]:
    """ "14 of 19 seniors can now pay bills online on their own; before the course, 3 could."""
    t = report_texts(lang)
    gaps = [gap.text for gap in report.missing]
    if report.suppressed:
        too_few = not report.missing or any(gap.code in TOO_FEW_GAPS for gap in report.missing)
        return ([t["summary_too_few"].format(minimum=report.minimum)] if too_few else []) + gaps
    course = report.course
    lines = [t["summary_overview"].format(cohorts=course.cohorts, seniors=course.seniors, completed=course.completed)]
    shown = [s for s in report.skills if not s.suppressed]
    gains = sorted((s for s in shown if _gain(s) > 0), key=lambda s: (-_gain(s), -_count(s.independent_after), s.code))
    for skill in gains[:HIGHLIGHTS]:
        lines.append(
            t["summary_skill"].format(
                after=skill.independent_after,
                n=skill.n,
                phrase=t["phrases"].get(skill.code, skill.label),
                before=skill.independent_before,
            )
        )
    if not shown:
        if not any(gap.code == "no_after_answers" for gap in report.missing):
            lines.append(t["summary_no_pairs"])
    elif report.tested_skills:
        significant = sum(
            1 for s in shown if s.p_holm is not None and s.p_holm < SIGNIFICANCE and (s.effect_size or 0) > 0
        )
        lines.append(t["summary_tested"].format(significant=significant, tested=report.tested_skills))
    return lines + followup_sentences(report, lang) + gaps


def followup_sentences(report: OutcomeReport, lang: str) -> list[str]:
    """Whether the gains held at the follow-up: the skill most gained, then the test of follow-up against end."""
    t = report_texts(lang)
    shown = [s for s in report.followup if not s.suppressed]
    if not shown:
        # NOTE: silent until someone has answered a follow-up; most reports are of courses not yet followed up.
        answered = any(s.reason not in (None, "no_followup_answers") for s in report.followup)
        return [t["summary_followup_too_few"]] if answered else []
    best = min(shown, key=lambda s: (-_gain(s), -_count(s.independent_followup), s.code))
    lines = [
        t["summary_followup_skill"].format(
            followup=best.independent_followup,
            n=best.n,
            phrase=t["phrases"].get(best.code, best.label),
            after=best.independent_after,
        )
    ]
    if not report.followup_tested:
        return lines + [t["summary_followup_untested"]]
    declined = sum(1 for s in shown if s.p_holm is not None and s.p_holm < SIGNIFICANCE and (s.effect_size or 0) < 0)
    key = "summary_followup_declined" if declined else "summary_followup_held"
    return lines + [t[key].format(declined=declined, tested=report.followup_tested)]


def _count(value: int | None) -> int:
    """A count of a shown skill: only a hidden skill's counts are None."""
    if value is None:
        raise ValueError("a shown skill has every count")
    return value


def _gain(skill: SkillFigures | FollowupFigures) -> int:
    """Seniors on their own after the course, less those before (of a shown skill)."""
    return _count(skill.independent_after) - _count(skill.independent_before)


def gaps(report: OutcomeReport, rows: ScopeRows, population: Population, lang: str) -> list[Gap]:
    """Why figures are missing, in the order a reader asks: no courses, not started, cancelled, privacy, answers."""

    texts = report_texts(lang)["gaps"]
    minimum = report.minimum
    found: list[Gap] = []

    def add(code: str, count: int | None = None) -> None:
        found.append(Gap(code=code, count=count, text=texts[code].format(count=count, minimum=minimum)))

    if not rows.cohorts and not rows.not_counted:
        add("no_courses")
    waiting = Counter(c["status"] for c in rows.not_counted)
    if waiting["planned"]:
        add("not_started", waiting["planned"])
    if waiting["cancelled"]:
        add("cancelled", waiting["cancelled"])
    for reason in ("under_minimum", "not_split"):
        if population.left_out[reason]:
            add(reason, population.left_out[reason])
    if report.suppressed and rows.cohorts and not population.left_out:
        add("nobody")
    if not report.suppressed and any(s.reason == "no_after_answers" for s in report.skills):
        add("no_after_answers")
    return found


def method_note(
    lang: str, minimum: int = 5, tested: int = 0, skills: int = 13, followup_tested: int | None = None
) -> list[str]:
    """The method paragraphs, saying how many skills were tested (the Holm adjustment's number of tests).

    ``followup_tested`` (None: no follow-up figures shown) adds how the follow-up is compared.
    """
    t = report_texts(lang)
    holm = t["method_holm"]["none" if tested == 0 else "one" if tested == 1 else "many"]
    paragraphs = t["method"][:HOLM_PARAGRAPH] + [holm] + t["method"][HOLM_PARAGRAPH:]
    note = [paragraph.format(minimum=minimum, tested=tested, skills=skills) for paragraph in paragraphs]
    if followup_tested is not None:
        note.append(t["method_followup"].format(minimum=minimum, tested=followup_tested))
    return note
