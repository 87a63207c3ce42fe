"""What the steering group's outcome report says and how it looks.

The texts serve every format (PDF, HTML, the summary in JSON); they are under the context
"outcome report" in the shared catalogs, and placeholders in braces are filled by the report
code. The layout is in outcome_report_layout.py.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from babel.numbers import get_decimal_symbol

from digiystava.i18n import normalise
from pdf_templates.wording import NP_, in_language

# NOTE: millimetres in points, written out so importing the texts does not load reportlab.
mm = 72 / 25.4


# --- Look ----------------------------------------------------------------------------
CHART_WIDTH = 170 * mm  # the A4 text width at the "report" margins
COVER_BAND = 62 * mm  # height of the blue band at the top of the cover
COVER_RULE = 1.2  # points
KEY_FIGURE_PT = 24  # the big numbers on the cover
SKILL_COLUMN = 50 * mm


# NOTE: the groups' "not started yet" reads differently in Finnish and Swedish: its own context.
TEXTS = {
    "title": NP_("outcome report", "Digiystävä outcome report"),
    "subtitle": NP_("outcome report", "Seniors' digital skills before and after the course"),
    "made_on": NP_("outcome report", "Made on {date}"),
    "scope": {
        "programme": NP_("outcome report", "Whole programme"),
        "cohort": NP_("outcome report", "Cohort: {name}"),
        "location": NP_("outcome report", "Location: {name}"),
        "kind": NP_("outcome report", "Kind of location: {name}"),
        "district": NP_("outcome report", "District: {name}"),
        "donor": NP_("outcome report", "Seniors who borrowed tablets from {name}"),
        "from": NP_("outcome report", "courses starting from {date}"),
        "to": NP_("outcome report", "courses starting until {date}"),
        "compare_cohort": NP_("outcome report", "cohorts side by side"),
        "compare_location": NP_("outcome report", "locations side by side"),
    },
    "kinds": {
        "community_house": NP_("outcome report", "community house"),
        "service_centre": NP_("outcome report", "service centre"),
        "library": NP_("outcome report", "library"),
        "other": NP_("outcome report", "other location"),
    },
    "donors": {
        "DNA": NP_("outcome report", "DNA"),
        "Vanhusten turva": NP_("outcome report", "Vanhusten turva"),
        "other": NP_("outcome report", "another donor"),
        "not_split": NP_("outcome report", "Courses not split by donor"),
    },
    "privacy_line": NP_(
        "outcome report",
        "This report holds figures for groups only. Figures about fewer than {minimum} seniors are not shown.",
    ),
    "summary_heading": NP_("outcome report", "Summary"),
    "summary_overview": NP_(
        "outcome report", "Courses: {cohorts}; seniors: {seniors}, of whom {completed} completed the course."
    ),
    "summary_skill": NP_(
        "outcome report", "{after} of {n} seniors can now {phrase} on their own; before the course, {before} could."
    ),
    "summary_tested": NP_(
        "outcome report",
        "{significant} of {tested} skills improved significantly (Wilcoxon test, Holm-adjusted, p < 0.05).",
    ),
    "summary_too_few": NP_(
        "outcome report", "Fewer than {minimum} seniors: to protect their privacy no figures are shown."
    ),
    "summary_no_pairs": NP_(
        "outcome report", "There are not yet enough before-and-after answers to compare the skills."
    ),
    "followup_heading": NP_("outcome report", "Did the skills last? The follow-up about three months later"),
    "followup_intro": NP_(
        "outcome report", "Seniors who answered a skill at the start, at the end and at the follow-up, side by side."
    ),
    "followup_levels_table": NP_("outcome report", "Before, after and at the follow-up"),
    "followup_change_table": NP_("outcome report", "The follow-up against the end of the course"),
    "col_n_followup": NP_("outcome report", "Seniors"),
    "col_mean_three": NP_("outcome report", "Mean before → after → follow-up"),
    "col_independent_three": NP_("outcome report", "On their own before → after → follow-up"),
    "col_still": NP_("outcome report", "Still on their own"),
    "summary_followup_skill": NP_(
        "outcome report",
        "{followup} of {n} seniors could still {phrase} on their own at the follow-up about three "
        "months later; at the end of the course, {after} could.",
    ),
    "summary_followup_held": NP_(
        "outcome report",
        "The gains held: at the follow-up none of the {tested} skills tested was significantly lower "
        "than at the end of the course (Wilcoxon test, Holm-adjusted, p < 0.05).",
    ),
    "summary_followup_declined": NP_(
        "outcome report",
        "Not every gain lasted: at the follow-up {declined} of the {tested} skills tested were "
        "significantly lower than at the end of the course (Wilcoxon test, Holm-adjusted, p < 0.05).",
    ),
    "summary_followup_untested": NP_(
        "outcome report",
        "Between the end of the course and the follow-up too few seniors' levels changed for a test; "
        "the figures are in the follow-up tables.",
    ),
    "summary_followup_too_few": NP_(
        "outcome report", "Too few seniors have answered the follow-up yet to say whether the gains held."
    ),
    "method_followup": NP_(
        "outcome report",
        "The follow-up asks the same skills on the same form about three months after the course. Its "
        "figures count only the seniors who answered a skill at the start, at the end and at the "
        "follow-up, and compare the follow-up with the end of the course with the same Wilcoxon test, "
        "the p-values adjusted with the Holm–Bonferroni method for the {tested} skills tested; r is "
        "positive when the levels rose after the course. A course's follow-up answers are shown only "
        "when its seniors who answered the follow-up and those who did not are each none or at least "
        "{minimum}, so that no report subtracted from another reveals a small group.",
    ),
    "phrases": {
        "search": NP_("outcome report", "search for information online"),
        "email": NP_("outcome report", "read and write email"),
        "calendar": NP_("outcome report", "use an electronic calendar"),
        "banking": NP_("outcome report", "pay bills online"),
        "shopping": NP_("outcome report", "shop online"),
        "health": NP_("outcome report", "handle prescriptions and health records online"),
        "photos": NP_("outcome report", "take and share photos"),
        "e_reading": NP_("outcome report", "read magazines through the library's online service"),
        "streaming": NP_("outcome report", "watch series and films online"),
        "music": NP_("outcome report", "listen to music online"),
        "games": NP_("outcome report", "play games"),
        "contact": NP_("outcome report", "keep in touch with family and friends"),
        "remote_groups": NP_("outcome report", "join remote groups"),
    },
    "skills_heading": NP_("outcome report", "Skills before and after"),
    "chart_before_after": NP_("outcome report", "Digital skills before and after Digiystävä (mean level 0–4)"),
    "chart_levels": NP_("outcome report", "Answers by level (%)"),
    "chart_groups": NP_("outcome report", "Mean level before and after by group"),
    "axis_level": NP_("outcome report", "Mean level (0 = I don't know how … 4 = I can help others)"),
    "axis_share": NP_("outcome report", "% of answers (left: not yet on their own)"),
    "before": NP_("outcome report", "Before"),
    "after": NP_("outcome report", "After"),
    "levels_table": NP_("outcome report", "Levels"),
    "change_table": NP_("outcome report", "Change and test"),
    "col_skill": NP_("outcome report", "Skill"),
    "col_n": NP_("outcome report", "Pairs"),
    "col_mean": NP_("outcome report", "Mean before → after"),
    "col_median": NP_("outcome report", "Median before → after"),
    "col_independent": NP_("outcome report", "On their own before → after"),
    "col_improved": NP_("outcome report", "Improved"),
    "col_same": NP_("outcome report", "Same"),
    "col_declined": NP_("outcome report", "Declined"),
    "col_p": NP_("outcome report", "p (Holm)"),
    "col_effect": NP_("outcome report", "Effect r"),
    "no_test": {
        "too-few-pairs": NP_("outcome report", "too few changes to test"),
        "no-change": NP_("outcome report", "no change"),
    },
    "course_heading": NP_("outcome report", "The courses"),
    "course_rows": {
        "cohorts": NP_("outcome report", "Courses"),
        "seniors": NP_("outcome report", "Seniors"),
        "completed": NP_("outcome report", "Completed the course"),
        "dropped": NP_("outcome report", "Dropped out"),
        "on_course": NP_("outcome report", "Still on the course"),
        "attendance_rate": NP_("outcome report", "Attendance rate"),
        "followup_seniors": NP_("outcome report", "Answered before, after and at the follow-up"),
        "paired_seniors": NP_("outcome report", "Answered before and after"),
        "volunteer_pairs": NP_("outcome report", "Volunteer pairs"),
        "volunteers": NP_("outcome report", "Volunteers"),
        "volunteer_hours": NP_("outcome report", "Volunteer hours"),
    },
    "col_figure": NP_("outcome report", "Figure"),
    "col_value": NP_("outcome report", "Value"),
    "tablets_heading": NP_("outcome report", "Tablets by donor"),
    "col_donor": NP_("outcome report", "Donor"),
    "col_lent": NP_("outcome report", "Lent"),
    "col_returned": NP_("outcome report", "Returned"),
    "col_kept": NP_("outcome report", "Kept by senior"),
    "col_lost": NP_("outcome report", "Lost"),
    "col_out": NP_("outcome report", "Still out"),
    "no_tablets": NP_("outcome report", "No tablet loans."),
    "wishes_heading": NP_("outcome report", "What the seniors wished to learn"),
    "col_wish": NP_("outcome report", "Wish"),
    "col_wishers": NP_("outcome report", "Seniors"),
    "wishes_base": NP_("outcome report", "{count} seniors answered the first questionnaire."),
    "no_wishes": NP_("outcome report", "No wishes recorded."),
    "groups_heading": NP_("outcome report", "Groups side by side"),
    "col_group_cohort": NP_("outcome report", "Cohort"),
    "col_group_location": NP_("outcome report", "Location"),
    "col_seniors": NP_("outcome report", "Seniors"),
    "col_group_mean": NP_("outcome report", "Mean level before → after"),
    "col_group_independent": NP_("outcome report", "On their own before → after"),
    "chart_alt_before_after": NP_(
        "outcome report",
        "Bar chart: the mean level before and after the course for each of {count} skills. The figures "
        "are in the table Levels.",
    ),
    "chart_alt_levels": NP_(
        "outcome report",
        "Stacked bar chart: answers at levels 0–4 before and after, per skill. The shares on their own "
        "are in the table Levels.",
    ),
    "chart_alt_groups": NP_(
        "outcome report",
        "Dumbbell chart: each group's mean level before and after. The figures are in the table Groups side by side.",
    ),
    "method_heading": NP_("outcome report", "Method"),
    "method": [
        NP_(
            "outcome report",
            "Seniors rate {skills} everyday skills themselves on a scale of 0–4 at the start and at the "
            "end of the course (0 = I don't know how to do it, 1 = I can do it with help, 2 = I can do "
            'it on my own, 3 = I can do it with confidence, 4 = I can help others). "No answer" is '
            "not the same as 0 and is not counted.",
        ),
        NP_(
            "outcome report",
            "A skill's figures count only the seniors who answered it both before and after (pairs). "
            '"On their own" means level 2 or higher.',
        ),
        NP_(
            "outcome report",
            "Change is tested with the two-sided Wilcoxon signed-rank test. For small samples the "
            "p-value is exact (every pattern of signs), for larger ones a normal approximation with a "
            "continuity correction. Fewer than 6 changed pairs are not tested, since no outcome could "
            "be significant. The effect size is the matched-pairs rank-biserial correlation r (−1 to 1, "
            "positive when skills grew).",
        ),
        NP_(
            "outcome report",
            "Privacy: no figure in any format is about fewer than {minimum} seniors, and none can be "
            "worked out by combining reports. Every figure is computed from whole groups of at least "
            "{minimum} seniors: a course or, in a donor's figures, the course's seniors by whose "
            "tablets they borrowed. That split is used only when each part (the seniors without a "
            "tablet too) is none or at least {minimum}. A skill, the wishes and attendance count a "
            "course only when at least {minimum} of its seniors answered. Counts inside a shown group, "
            'such as "1 declined", are shown.',
        ),
        NP_(
            "outcome report",
            "Running and completed courses are counted; a course runs from its first session. A senior "
            'who took two courses counts once for each. The attendance rate is the share of "present" '
            "among all attendance marks recorded.",
        ),
    ],
    "method_holm": {
        "none": NP_("outcome report", "No skill had enough changed pairs to be tested, so no p-values are given."),
        "one": NP_(
            "outcome report",
            "Only one skill had enough changed pairs to be tested; a single test's p-value needs no adjustment.",
        ),
        "many": NP_(
            "outcome report",
            "{tested} of the {skills} skills had enough changed pairs to be tested. Because they are "
            "tested at once, the p-values are adjusted for {tested} tests with the Holm–Bonferroni "
            "method; the p in the table is the adjusted value.",
        ),
    },
    "gaps": {
        "no_courses": NP_("outcome report", "No courses match this choice."),
        "not_started": NP_(
            "outcome report", "Courses that have not started yet: {count}. Their figures come after the first session."
        ),
        "cancelled": NP_("outcome report", "Cancelled courses are not counted: {count}."),
        "under_minimum": NP_("outcome report", "Courses with fewer than {minimum} seniors are not counted: {count}."),
        "not_split": NP_(
            "outcome report",
            "Courses left out of a donor's figures, because splitting them by donor would leave a group "
            "of fewer than {minimum} seniors (those without a tablet are a group too): {count}.",
        ),
        "no_after_answers": NP_(
            "outcome report",
            'No "after" answers yet: the skills are compared once the seniors have answered at the end of the course.',
        ),
        "nobody": NP_("outcome report", "No seniors in this choice."),
    },
    "reasons": {
        "under_minimum": NP_("outcome report", "under {minimum}"),
        "not_split": NP_("outcome report", "not split by donor"),
        "no_followup_answers": NP_("outcome report", "no follow-up answers yet"),
        "no_after_answers": NP_("outcome report", 'no "after" answers yet'),
        "not_started": NP_("outcome report", "not started yet"),
        "nobody": NP_("outcome report", "no seniors"),
    },
    "group_reasons": {
        "under_minimum": NP_("outcome report, groups", "fewer than {minimum} seniors – not shown"),
        "not_split": NP_("outcome report, groups", "not split by donor – not shown"),
        "not_started": NP_("outcome report, groups", "not started yet"),
        "nobody": NP_("outcome report, groups", "no seniors in this choice"),
    },
    "tablets_not_split": NP_(
        "outcome report",
        "A course is not split by donor when the seniors who borrowed some donor's tablets, or those "
        "without a tablet, number 1–{last} (fewer than {minimum}).",
    ),
    "test_notes": {
        "tied-differences": NP_("outcome report", "tied differences"),
        "unchanged-pairs-excluded": NP_("outcome report", "unchanged pairs left out of the test"),
    },
}


@cache
def report_texts(lang: str) -> dict[str, Any]:
    """All texts of the report in ``lang`` (Finnish for an unknown language)."""
    return in_language(TEXTS, normalise(lang))


@cache
def decimal_symbol(lang: str) -> str:
    """The decimal separator of the report's language (charts and tables), from Babel's locale data."""
    return get_decimal_symbol(normalise(lang))


def number(value: float | int | None, lang: str, digits: int = 1) -> str:
    """A number in the report's language: 2,4 in Finnish and Swedish, 2.4 in English."""
    if value is None:
        return "–"
    if isinstance(value, int):
        return str(value)
    # NOTE: only the separator comes from Babel: its Finnish and Swedish minus (U+2212) would change the figures.
    return f"{value:.{digits}f}".replace(".", decimal_symbol(lang))


def percent(share: float | None, lang: str) -> str:
    """A share 0..1 as a whole percentage, "42 %" (with a no-break space)."""
    return "–" if share is None else f"{round(share * 100)}\u00a0%"


def p_value(p: float | None, lang: str) -> str:
    """p to three decimals; below 0.001 as "< 0,001"."""
    if p is None:
        return "–"
    if p < 0.001:
        return "<\u00a0" + number(0.001, lang, 3)
    return number(p, lang, 3)
