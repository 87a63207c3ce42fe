"""The outcome report as data: every figure, with ``None`` wherever a value is suppressed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import PrivateAttr

from digiystava.schemas import Out


class Gap(Out):
    """Why figures are missing: ``code`` for scripts, ``text`` in the report's language."""

    code: str  # not_started, cancelled, under_minimum, not_split, no_after_answers, no_courses
    count: int | None = None  # courses, where the reason is about courses
    text: str


class SkillFigures(Out):
    """One skill over the seniors who answered it both before and after the course."""

    code: str
    label: str
    suppressed: bool
    n: int | None = None
    mean_before: float | None = None
    mean_after: float | None = None
    median_before: float | None = None
    median_after: float | None = None
    independent_before: int | None = None  # seniors at level 2 ("on my own") or higher
    independent_after: int | None = None
    share_independent_before: float | None = None
    share_independent_after: float | None = None
    improved: int | None = None
    same: int | None = None
    declined: int | None = None
    levels_before: list[int] | None = None  # answers at levels 0..4
    levels_after: list[int] | None = None
    wilcoxon_statistic: float | None = None
    p_value: float | None = None
    p_holm: float | None = None
    effect_size: float | None = None  # matched-pairs rank-biserial correlation
    test_method: str | None = None
    notes: list[str] = []
    reason: str | None = None  # why a suppressed skill is: under_minimum, not_split, no_after_answers


class FollowupFigures(Out):
    """One skill over the seniors who answered it before, after and at the follow-up (about three months later).

    The test compares the follow-up with the end of the course: did the gain hold? ``improved``,
    ``same`` and ``declined`` and the effect size are of the follow-up against the end.
    """

    code: str
    label: str
    suppressed: bool
    n: int | None = None
    mean_before: float | None = None
    mean_after: float | None = None
    mean_followup: float | None = None
    median_after: float | None = None
    median_followup: float | None = None
    independent_before: int | None = None  # seniors at level 2 ("on my own") or higher
    independent_after: int | None = None
    independent_followup: int | None = None
    still_independent: int | None = None  # on their own at the end and still at the follow-up
    share_independent_before: float | None = None
    share_independent_after: float | None = None
    share_independent_followup: float | None = None
    improved: int | None = None
    same: int | None = None
    declined: int | None = None
    levels_followup: list[int] | None = None  # follow-up answers at levels 0..4
    wilcoxon_statistic: float | None = None
    p_value: float | None = None
    p_holm: float | None = None
    effect_size: float | None = None  # rank-biserial, positive when the follow-up is higher than the end
    test_method: str | None = None
    notes: list[str] = []
    reason: str | None = None  # why a suppressed skill is: under_minimum, not_split, no_followup_answers


class DonorTablets(Out):
    donor: str  # DNA, Vanhusten turva, other; "not_split" for courses whose donors are not shown
    suppressed: bool
    lent: int | None = None
    returned: int | None = None
    kept: int | None = None
    lost: int | None = None
    out: int | None = None


class CourseFigures(Out):
    cohorts: int
    seniors: int | None  # course places: a senior on two courses counts twice
    completed: int | None = None
    dropped: int | None = None
    on_course: int | None = None
    attendance_rate: float | None = None  # present / attendance marks recorded
    paired_seniors: int | None = None  # answered both before and after
    followup_seniors: int | None = None  # answered before, after and at the follow-up
    tablets_lent: int | None = None
    tablets: list[DonorTablets] = []
    volunteer_pairs: int | None = None
    volunteers: int | None = None
    volunteer_hours: float | None = None
    wishes: dict[str, int] = {}
    wish_labels: dict[str, str] = {}
    wish_respondents: int | None = None


class GroupFigures(Out):
    """One cohort or location of a side-by-side comparison."""

    key: str
    label: str
    suppressed: bool
    seniors: int | None = None
    completed: int | None = None
    paired_seniors: int | None = None
    mean_before: float | None = None  # over every paired answer of every skill
    mean_after: float | None = None
    share_independent_before: float | None = None
    share_independent_after: float | None = None
    reason: str | None = None  # why a suppressed group is: under_minimum, not_split, not_started


class OutcomeReport(Out):
    scope: dict[str, str]
    scope_title: str
    scope_detail: str
    language: str
    generated_on: dt.date
    suppressed: bool  # the whole scope has fewer than the reporting minimum
    minimum: int
    left_out_cohorts: (
        int  # started cohorts kept out of this report's figures (under the minimum, or not split by donor)
    )
    summary: list[str]
    course: CourseFigures
    skills: list[SkillFigures]
    tested_skills: int
    followup: list[FollowupFigures] = []  # before, after and follow-up side by side
    followup_tested: int = 0  # skills whose follow-up was tested against the end (Holm's number)
    compare: str | None = None
    groups: list[GroupFigures] = []
    method_note: list[str] = []
    missing: list[Gap] = []  # why figures are missing, also said in the summary
    # The groups each figure was computed from (not part of any format): see disclosure.Ledger.
    _released: Any = PrivateAttr(default=None)

    @property
    def released(self) -> Any:
        return self._released
