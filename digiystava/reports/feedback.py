"""The seniors' feedback, counted: only from courses where at least five answered.

Feedback is anonymous, so it cannot be cut by anything inside a course: a course's
answers are one unit, released whole (five or more) or not at all, and a donor's scope
gets none (``not_split``: nobody knows which answers came from that donor's borrowers).
The seniors' own words go to coordinators only, never to the steering group, since a
sentence can tell who wrote it; the steering group sees the counts.
"""

from __future__ import annotations

from collections import Counter

from assessments.feedback import FREE_TEXT_QUESTION, QUESTIONS
from assessments.tables import Feedback
from digiystava.access import Principal, allowed, ensure_report_scope
from digiystava.i18n import translate
from digiystava.reports import disclosure
from digiystava.reports.disclosure import Ledger
from digiystava.reports.queries import ScopeRows, load_rows
from digiystava.reports.scope import Scope, describe
from digiystava.reports.statistics import REPORTING_MINIMUM
from digiystava.schemas import Out


class OptionCount(Out):
    code: str
    label: str
    count: int


class QuestionCount(Out):
    code: str
    text: str
    answered: int  # answered this question, of the respondents
    options: list[OptionCount]


class FeedbackReport(Out):
    scope: dict[str, str]
    scope_title: str
    language: str
    minimum: int
    suppressed: bool  # fewer than the minimum answered in every course in scope
    cohorts: int  # courses whose feedback is counted
    left_out_cohorts: int  # courses with some feedback, but fewer than the minimum (or a donor's scope)
    respondents: int | None
    questions: list[QuestionCount] = []
    free_text_question: str
    free_text: list[str] | None = None  # coordinators only; None for everyone else


async def feedback_report(
    principal: Principal, scope: Scope, lang: str, rows: ScopeRows | None = None
) -> FeedbackReport:
    """``rows``: the scope's rows when the caller has them already (the funder's report)."""
    await ensure_report_scope(principal, scope.cohort_id, scope.location_id)
    rows = rows or await load_rows(scope)
    title, _detail = await describe(scope, lang)
    ids = [c["id"] for c in rows.cohorts]
    answers = (
        await Feedback.select(Feedback.id, Feedback.cohort, Feedback.answers, Feedback.free_text)
        .where(Feedback.cohort.is_in(ids))
        .order_by(Feedback.id)
        .output(load_json=True)
        if ids
        else []
    )
    by_cohort: dict[int, list[dict]] = {}
    for row in answers:
        by_cohort.setdefault(row["cohort"], []).append(row)
    ledger: Ledger = Ledger()
    counted: list[dict] = []
    left_out = 0
    for cohort, unit in by_cohort.items():
        keys = {(cohort, row["id"]) for row in unit}
        ledger.unit("feedback", keys, None)
        released = disclosure.release(keys)
        if scope.donor or released.reason:
            left_out += 1
            continue
        counted += unit
    ledger.add("feedback", "feedback", {(row["cohort"], row["id"]) for row in counted})
    disclosure.check(ledger)
    suppressed = len(counted) < REPORTING_MINIMUM
    report = FeedbackReport(
        scope=scope.query(),
        scope_title=title,
        language=lang,
        minimum=REPORTING_MINIMUM,
        suppressed=suppressed,
        cohorts=0 if suppressed else len({row["cohort"] for row in counted}),
        left_out_cohorts=left_out,
        respondents=None if suppressed else len(counted),
        free_text_question=translate(lang, FREE_TEXT_QUESTION),
    )
    if suppressed:
        return report
    for question in QUESTIONS:
        chosen = Counter((row["answers"] or {}).get(question.code) for row in counted)
        report.questions.append(
            QuestionCount(
                code=question.code,
                text=translate(lang, question.text),
                answered=sum(n for code, n in chosen.items() if code),
                options=[
                    OptionCount(code=code, label=translate(lang, label), count=chosen[code])
                    for code, label in question.options
                ],
            )
        )
    if principal is None or allowed(principal, "feedback.free_text"):
        # NOTE: sorted, so the order says nothing about who answered when.
        report.free_text = sorted(row["free_text"] for row in counted if row["free_text"])
    return report
