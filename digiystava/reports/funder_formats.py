"""The funder's report as tables, and those tables as an HTML page, a large-print PDF and a spreadsheet.

Every format is drawn from the same ``funder_tables``, so no format shows a figure another does not.
"""

from __future__ import annotations

from typing import Any

from digiystava.i18n import format_date, format_number
from digiystava.reports.funder import NOT_SHOWN, UNKNOWN, FunderReport
from digiystava.reports.funder_summary import euros
from digiystava.spreadsheets import xlsx_bytes
from pdf_templates.funder_report import AGE_LABELS, FunderPages, funder_report_pdf, funder_texts

Section = tuple[str, list[list[Any]]]  # a heading and its rows, the first row the header


def heading_lines(report: FunderReport) -> tuple[str, str, str]:
    lang, t = report.language, funder_texts(report.language)
    if report.date_from or report.date_to:
        period = " – ".join(format_date(d, lang) if d else "" for d in (report.date_from, report.date_to))
    else:
        period = t["whole_time"]
    return (
        t["period"].format(period=period),
        t["funder"].format(name=t["funders"][report.funder or ""]),
        t["made_on"].format(date=format_date(report.generated_on, lang, "long")),
    )


def _share(part: int | None, whole: int | None, lang: str) -> str:
    if part is None or not whole:
        return "–"
    return f"{part} ({format_number(round(100 * part / whole), lang)} %)"


def funder_tables(report: FunderReport) -> list[Section]:
    lang, t = report.language, funder_texts(report.language)
    sections: list[Section] = []
    if not report.suppressed:
        course, rows = report.course, t["figure_rows"]
        rate = course.attendance_rate
        sections.append(
            (
                t["figures"],
                [
                    t["figure_head"],
                    [rows["cohorts"], course.cohorts],
                    [rows["seniors"], course.seniors],
                    [rows["completed"], course.completed],
                    [rows["sessions"], report.sessions_held],
                    [rows["attendance"], "–" if rate is None else f"{format_number(round(100 * rate), lang)} %"],
                    [rows["independent"], report.independent_seniors],
                    [rows["volunteer_hours"], "–" if course.volunteer_hours is None else course.volunteer_hours],
                ],
            )
        )
        for breakdown in report.reach:
            label = _labeller(breakdown.by, t)
            sections.append(
                (
                    f"{t['reach']}: {t['by'][breakdown.by]}",
                    [[t["by"][breakdown.by], t["seniors"]]] + [[label(r.key), r.seniors] for r in breakdown.rows],
                )
            )
        followup = {s.code: s for s in report.followup}
        skill_rows = [t["skill_head"]]
        for skill in report.skills:
            if skill.suppressed:
                skill_rows.append([skill.label, t["hidden"], "", "", "", ""])
                continue
            f = followup.get(skill.code)
            kept = ["–", "–"] if f is None or f.suppressed else [f.n, _share(f.independent_followup, f.n, lang)]
            skill_rows.append(
                [
                    skill.label,
                    skill.n,
                    _share(skill.independent_before, skill.n, lang),
                    _share(skill.independent_after, skill.n, lang),
                    *kept,
                ]
            )
        sections.append((t["skills"], skill_rows))
        tablet_rows = [t["tablet_head"]]
        for row in course.tablets:
            name = t["not_split"] if row.donor == "not_split" else row.donor
            tablet_rows.append([name, row.lent, row.returned, row.kept, row.lost, row.out])
        if len(tablet_rows) > 1:
            sections.append((t["tablets"], tablet_rows))
    feedback = report.feedback
    heading = t["feedback"].format(minimum=report.minimum)
    if feedback is None or feedback.suppressed:
        sections.append((heading, [[t["feedback_none"]]]))
    else:
        rows_ = [[heading, t["respondents"].format(n=feedback.respondents)]]
        for question in feedback.questions:
            rows_.append([question.text, ""])
            rows_ += [[f"– {o.label}", o.count] for o in question.options]
        sections.append((heading, rows_))
    cost_rows = [t["cost_head"]]
    for line in report.costs:
        cost_rows.append([t["categories"][line.category], euros(line.cents, lang), t["yes" if line.in_kind else "no"]])
    cost_rows += [
        [t["money"], euros(report.money_cents, lang), t["no"]],
        [t["in_kind"], euros(report.in_kind_cents, lang), t["yes"]],
        [t["per_senior"], euros(report.cost_per_senior_cents, lang), t["no"]],
        [f"{t['per_senior']} ({t['with_in_kind']})", euros(report.cost_per_senior_with_in_kind_cents, lang), t["yes"]],
        [t["per_independent"], euros(report.cost_per_independent_cents, lang), t["no"]],
        [
            f"{t['per_independent']} ({t['with_in_kind']})",
            euros(report.cost_per_independent_with_in_kind_cents, lang),
            t["yes"],
        ],
    ]
    sections.append((t["costs"], cost_rows))
    return sections


def _labeller(by: str, t: dict):
    def label(key: str) -> str:
        if key == NOT_SHOWN:
            return t["not_shown"].format(minimum=5)
        if key == UNKNOWN:
            return t["unknown"]
        if by == "age":
            return AGE_LABELS.get(key, key)
        if by == "language":
            return t["languages"].get(key, key)
        return key

    return label


def funder_xlsx(report: FunderReport) -> bytes:
    """One sheet: title, period and summary, then each table under its heading."""

    t = funder_texts(report.language)
    rows: list[list[Any]] = [[t["title"]], *([line] for line in heading_lines(report)), []]
    rows += [[t["summary"]], *([line] for line in report.summary), []]
    for heading, table in funder_tables(report):
        rows += [[heading], *table, []]
    return xlsx_bytes(rows, sheet=t["title"])


def funder_pdf(report: FunderReport) -> bytes:
    """A large-print A4 PDF (the layout is pdf_templates.funder_report.funder_report_pdf)."""
    t = funder_texts(report.language)
    return funder_report_pdf(
        FunderPages(
            language=report.language,
            title=t["title"],
            subtitle=t["subtitle"],
            headings=heading_lines(report),
            summary_title=t["summary"],
            summary=tuple(report.summary),
            sections=tuple(funder_tables(report)),
            method=t["method"].format(minimum=report.minimum),
        )
    )
