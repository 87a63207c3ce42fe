"""What the funder's report says, and its large-print PDF (figures are filled in by the report code).

English source texts under the context "funder report" in the shared catalogs
(digiystava/locale); the pages of the report and of the costs read the same texts.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache
from typing import Any

from digiystava.i18n import format_number
from pdf_templates.wording import NP_, in_language

TEXTS = {
    "title": NP_("funder report", "Funder's report"),
    "subtitle": NP_("funder report", "Digiystävä courses: whom we reached, what they learned and what it cost"),
    "period": NP_("funder report", "Period: {period}"),
    "whole_time": NP_("funder report", "the whole programme so far"),
    "funder": NP_("funder report", "Funder: {name}"),
    "funders": {
        "STEA": NP_("funder report", "STEA"),
        "city": NP_("funder report", "City of Helsinki"),
        "other": NP_("funder report", "Other funder"),
        "": NP_("funder report", "All funders"),
    },
    "made_on": NP_("funder report", "Made on {date}"),
    "summary": NP_("funder report", "Summary"),
    "summary_too_few": NP_("funder report", "The period has fewer than {minimum} seniors, so no figures are shown."),
    "summary_reach": NP_(
        "funder report", "We reached {seniors} course places on {cohorts} courses; {sessions} sessions were held."
    ),
    "summary_independent": NP_("funder report", "{independent} seniors learned to do at least one thing on their own."),
    "summary_cost": NP_(
        "funder report", "Each senior reached cost {per_senior}; each who became independent {per_independent}."
    ),
    "summary_cost_in_kind": NP_(
        "funder report", "With donated devices and volunteer work: {per_senior} and {per_independent}."
    ),
    "reach": NP_("funder report", "Seniors reached"),
    "by": {
        "age": NP_("funder report", "Age band"),
        "language": NP_("funder report", "Language"),
        "district": NP_("funder report", "Home district"),
    },
    "not_shown": NP_("funder report", "Courses not broken down (some group under {minimum})"),
    "unknown": NP_("funder report", "Not known"),
    "seniors": NP_("funder report", "Seniors"),
    "figures": NP_("funder report", "The courses"),
    "figure_head": [
        NP_("funder report", "Measure"),
        NP_("funder report", "Figure"),
    ],
    "figure_rows": {
        "cohorts": NP_("funder report", "Courses"),
        "seniors": NP_("funder report", "Course places"),
        "completed": NP_("funder report", "Completed the course"),
        "sessions": NP_("funder report", "Sessions held"),
        "attendance": NP_("funder report", "Attendance"),
        "independent": NP_("funder report", "Became independent in at least one skill"),
        "volunteer_hours": NP_("funder report", "Volunteers' hours"),
    },
    "skills": NP_("funder report", "Skills: on their own before and after, and at the follow-up"),
    "skill_head": [
        NP_("funder report", "Skill"),
        NP_("funder report", "Answered"),
        NP_("funder report", "On own before"),
        NP_("funder report", "On own after"),
        NP_("funder report", "Answered follow-up"),
        NP_("funder report", "On own at follow-up"),
    ],
    "hidden": NP_("funder report", "hidden"),
    "tablets": NP_("funder report", "Tablets lent by donor"),
    "tablet_head": [
        NP_("funder report", "Donor"),
        NP_("funder report", "Lent"),
        NP_("funder report", "Returned"),
        NP_("funder report", "Kept by the senior"),
        NP_("funder report", "Lost"),
        NP_("funder report", "Still out"),
    ],
    "not_split": NP_("funder report", "Courses not shown by donor"),
    "feedback": NP_("funder report", "The seniors' feedback (only groups of at least {minimum} answers)"),
    "feedback_none": NP_("funder report", "There is not enough feedback to show."),
    "respondents": NP_("funder report", "Answers: {n}"),
    "costs": NP_("funder report", "Costs"),
    "cost_head": [
        NP_("funder report", "Kind of cost"),
        NP_("funder report", "Euros"),
        NP_("funder report", "In kind"),
    ],
    "categories": {
        "coordinator_hours": NP_("funder report", "Coordinator's hours"),
        "trainer_hours": NP_("funder report", "Trainers' hours"),
        "rooms": NP_("funder report", "Rooms"),
        "software": NP_("funder report", "Software"),
        "data_plans": NP_("funder report", "Data plans"),
        "donated_tablets": NP_("funder report", "Donated tablets"),
        "volunteer_hours": NP_("funder report", "Volunteer work"),
        "other": NP_("funder report", "Other"),
    },
    "money": NP_("funder report", "Money spent"),
    "in_kind": NP_("funder report", "In-kind value"),
    "per_senior": NP_("funder report", "Per senior reached"),
    "per_independent": NP_("funder report", "Per senior who became independent"),
    "with_in_kind": NP_("funder report", "including in-kind"),
    "yes": NP_("funder report", "yes"),
    "no": NP_("funder report", "no"),
    "method": NP_(
        "funder report",
        "Figures count courses with at least {minimum} seniors. A senior counts once per course. A course is "
        "broken down by age band, language or home district only when each of its groups has nobody or at least "
        "{minimum} seniors; the other courses are counted on a row of their own.",
    ),
    "languages": {
        "fi": NP_("funder report", "Finnish"),
        "sv": NP_("funder report", "Swedish"),
        "en": NP_("funder report", "English"),
        "other": NP_("funder report", "other"),
    },
}

AGE_BANDS = ("under_65", "65_74", "75_84", "85_plus", "unknown")
AGE_LABELS = {"under_65": "–64", "65_74": "65–74", "75_84": "75–84", "85_plus": "85–"}


@cache
def funder_texts(lang: str) -> dict:
    """The report's texts in ``lang`` (Finnish for a language the tracker lacks)."""
    return in_language(TEXTS, lang)


@dataclass(frozen=True)
class FunderPages:
    """The funder's report as printed: its words already in the report's language."""

    language: str
    title: str
    subtitle: str
    headings: tuple[str, ...]  # period, funder, date made
    summary_title: str
    summary: tuple[str, ...]
    sections: tuple[tuple[str, list[list[Any]]], ...]  # a heading and its rows, the first row the header
    method: str


def _cell(value: Any, lang: str) -> str:
    """A table cell as printed: counts and hours as the language writes numbers (1 234, 2,5), words as they are."""
    if value is None:
        return "–"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return format_number(value, lang)
    return str(value)


def funder_report_pdf(pages: FunderPages) -> bytes:
    """A large-print A4 PDF through the house style sheet."""
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, Spacer

    from pdf_templates.styles import build_document, data_table, para, stylesheet

    styles = stylesheet("large")
    story: list[Any] = [para(pages.title, styles.title), para(pages.subtitle, styles.body)]
    story += [para(line, styles.body) for line in pages.headings]
    story += [Spacer(1, 6 * mm), para(pages.summary_title, styles.h1)]
    story += [para(line, styles.body) for line in pages.summary]
    for heading, table in pages.sections:
        story.append(Spacer(1, 5 * mm))
        body = [[_cell(cell, pages.language) for cell in row] for row in table]
        width = max(len(r) for r in body)
        body = [r + [""] * (width - len(r)) for r in body]
        story.append(
            KeepTogether([para(heading, styles.h2), data_table(body, styles, numeric_columns=range(1, width))])
        )
    story += [Spacer(1, 6 * mm), para(pages.method, styles.small)]
    out = io.BytesIO()
    build_document(
        out, story, title=pages.title, lang=pages.language, size="large", footer=pages.title, subject=pages.subtitle
    )
    return out.getvalue()
