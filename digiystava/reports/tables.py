"""The report's tables as rows of text, shared by the PDF and the HTML page."""

from __future__ import annotations

from digiystava.reports.schemas import OutcomeReport
from pdf_templates.outcome_report import number, p_value, percent, report_texts

Rows = list[list[str]]


def _arrow(before: str, after: str) -> str:
    return f"{before} → {after}"


def reason_text(report: OutcomeReport, reason: str | None, key: str = "reasons") -> str:
    """Why a row has no figures, in a few words ("under 5", "no "after" answers yet")."""
    texts = report_texts(report.language)[key]
    return texts.get(reason or "under_minimum", texts["under_minimum"]).format(minimum=report.minimum)


def levels_rows(report: OutcomeReport) -> Rows:
    lang, t = report.language, report_texts(report.language)
    rows = [[t["col_skill"], t["col_n"], t["col_mean"], t["col_median"], t["col_independent"]]]
    for s in report.skills:
        if s.suppressed and s.reason in (None, "under_minimum"):
            rows.append([s.label, reason_text(report, s.reason), "–", "–", "–"])
            continue
        if s.suppressed:
            # NOTE: a longer reason goes in the widest column.
            rows.append([s.label, "–", "–", "–", reason_text(report, s.reason)])
            continue
        rows.append(
            [
                s.label,
                str(s.n),
                _arrow(number(s.mean_before, lang), number(s.mean_after, lang)),
                _arrow(number(s.median_before, lang), number(s.median_after, lang)),
                _arrow(
                    f"{s.independent_before} ({percent(s.share_independent_before, lang)})",
                    f"{s.independent_after} ({percent(s.share_independent_after, lang)})",
                ),
            ]
        )
    return rows


def change_rows(report: OutcomeReport) -> Rows:
    lang, t = report.language, report_texts(report.language)
    rows = [[t["col_skill"], t["col_improved"], t["col_same"], t["col_declined"], t["col_p"], t["col_effect"]]]
    for s in report.skills:
        if s.suppressed:
            rows.append([s.label, "–", "–", "–", "–", "–"])
            continue
        if s.p_holm is None:
            test = t["no_test"].get(s.test_method or "", "–")
        else:
            test = p_value(s.p_holm, lang)
        rows.append([s.label, str(s.improved), str(s.same), str(s.declined), test, number(s.effect_size, lang, 2)])
    return rows


def has_followup(report: OutcomeReport) -> bool:
    """Whether any skill's follow-up figures are shown (the follow-up section appears only then)."""
    return any(not s.suppressed for s in report.followup)


def followup_levels_rows(report: OutcomeReport) -> Rows:
    """Before, after and follow-up side by side, over the seniors who answered all three."""
    lang, t = report.language, report_texts(report.language)
    rows = [[t["col_skill"], t["col_n_followup"], t["col_mean_three"], t["col_independent_three"], t["col_still"]]]
    for s in report.followup:
        if s.suppressed:
            rows.append([s.label, "–", "–", reason_text(report, s.reason), "–"])
            continue
        rows.append(
            [
                s.label,
                str(s.n),
                " → ".join(number(v, lang) for v in (s.mean_before, s.mean_after, s.mean_followup)),
                " → ".join(
                    f"{count} ({percent(share, lang)})"
                    for count, share in (
                        (s.independent_before, s.share_independent_before),
                        (s.independent_after, s.share_independent_after),
                        (s.independent_followup, s.share_independent_followup),
                    )
                ),
                str(s.still_independent),
            ]
        )
    return rows


def followup_change_rows(report: OutcomeReport) -> Rows:
    """The follow-up against the end of the course: improved, same, declined and the test."""
    lang, t = report.language, report_texts(report.language)
    rows = [[t["col_skill"], t["col_improved"], t["col_same"], t["col_declined"], t["col_p"], t["col_effect"]]]
    for s in report.followup:
        if s.suppressed:
            rows.append([s.label, "–", "–", "–", "–", "–"])
            continue
        test = t["no_test"].get(s.test_method or "", "–") if s.p_holm is None else p_value(s.p_holm, lang)
        rows.append([s.label, str(s.improved), str(s.same), str(s.declined), test, number(s.effect_size, lang, 2)])
    return rows


def course_rows(report: OutcomeReport) -> Rows:
    lang, t = report.language, report_texts(report.language)
    c = report.course
    values = {
        "cohorts": c.cohorts,
        "seniors": c.seniors,
        "completed": c.completed,
        "dropped": c.dropped,
        "on_course": c.on_course,
        "attendance_rate": percent(c.attendance_rate, lang),
        "paired_seniors": c.paired_seniors,
        "followup_seniors": c.followup_seniors,
        "volunteer_pairs": c.volunteer_pairs,
        "volunteers": c.volunteers,
        "volunteer_hours": number(c.volunteer_hours, lang),
    }
    return [[t["col_figure"], t["col_value"]]] + [
        [t["course_rows"][key], value if isinstance(value, str) else number(value, lang)]
        for key, value in values.items()
    ]


def tablet_rows(report: OutcomeReport) -> Rows:
    t = report_texts(report.language)
    rows = [[t["col_donor"], t["col_lent"], t["col_returned"], t["col_kept"], t["col_lost"], t["col_out"]]]
    hidden = reason_text(report, "under_minimum")
    for d in report.course.tablets:
        name = t["donors"].get(d.donor, d.donor)
        if d.suppressed:
            rows.append([name, hidden, "–", "–", "–", "–"])
        else:
            rows.append([name, str(d.lent), str(d.returned), str(d.kept), str(d.lost), str(d.out)])
    return rows


def tablets_note(report: OutcomeReport) -> str | None:
    """A line under the tablets table when some courses' tablets are not shown by donor."""
    if not any(d.donor == "not_split" for d in report.course.tablets):
        return None
    return report_texts(report.language)["tablets_not_split"].format(minimum=report.minimum, last=report.minimum - 1)


def wish_rows(report: OutcomeReport) -> Rows:
    t = report_texts(report.language)
    c = report.course
    ranked = sorted(c.wishes.items(), key=lambda item: (-item[1], item[0]))
    return [[t["col_wish"], t["col_wishers"]]] + [[c.wish_labels[code], str(count)] for code, count in ranked]


def group_rows(report: OutcomeReport) -> Rows:
    lang, t = report.language, report_texts(report.language)
    head = t["col_group_location"] if report.compare == "location" else t["col_group_cohort"]
    rows = [[head, t["col_seniors"], t["col_group_mean"], t["col_group_independent"]]]
    for g in report.groups:
        if g.suppressed:
            rows.append([g.label, reason_text(report, g.reason, "group_reasons"), "–", "–"])
            continue
        rows.append(
            [
                g.label,
                str(g.seniors),
                _arrow(number(g.mean_before, lang), number(g.mean_after, lang)),
                _arrow(percent(g.share_independent_before, lang), percent(g.share_independent_after, lang)),
            ]
        )
    return rows
