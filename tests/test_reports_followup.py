"""Did the gains last: before, after and follow-up side by side, the test of follow-up against end, and privacy."""

from __future__ import annotations

import datetime as dt

import pytest

from digiystava.access import Principal
from digiystava.reports.figures import outcome_report
from digiystava.reports.scope import parse_scope
from tests.factories import enrol, make_cohort, make_location, make_participant
from tests.factories.assessments import answers
from tests.factories.reports import seeded_cohort
from tests.report_auditor import Auditor, read_truth
from tests.test_report_disclosure import attack, placed

STEERING = Principal(1, "ohjaus", "steering")
# The seeded cohort's end-of-course levels (tests/factories/reports.py) and follow-ups chosen against them.
FOLLOWUP = {
    # email: after 1,2,1,2,3,2 -> six falls of 1: exact two-sided p = 2/64, r = -1
    "email": [0, 1, 0, 1, 2, 1],
    # banking: after 2,3,2,1,3,2 -> the same: nothing to test
    "banking": [2, 3, 2, 1, 3, 2],
}


async def report_for(lang="en", **scope):
    return await outcome_report(STEERING, parse_scope(**scope), lang, today=dt.date(2026, 9, 1))


def followup(report, code):
    return next(s for s in report.followup if s.code == code)


async def add_followups(cohort: int, participants: list[int], levels: dict[str, list[int]]) -> None:
    from assessments.tables import Assessment

    await Assessment.insert(
        *[
            Assessment(
                participant=pid,
                cohort=cohort,
                phase="followup",
                instrument_version=1,
                answers=answers(**{code: values[i] for code, values in levels.items()}),
            )
            for i, pid in enumerate(participants)
        ]
    )


async def test_follow_up_figures_match_the_hand_computed_values_and_scipy(db):
    from scipy.stats import wilcoxon

    seeded = await seeded_cohort()
    await add_followups(seeded["cohort_id"], seeded["participant_ids"], FOLLOWUP)
    report = await report_for(cohort_id=seeded["cohort_id"])
    assert report.course.followup_seniors == 6

    email = followup(report, "email")
    assert email.n == 6 and not email.suppressed
    assert (email.mean_before, email.mean_after, email.mean_followup) == pytest.approx((2 / 6, 11 / 6, 5 / 6))
    assert (email.median_after, email.median_followup) == (2.0, 1.0)
    assert (email.independent_before, email.independent_after, email.independent_followup) == (0, 4, 1)
    assert email.still_independent == 1 and email.share_independent_followup == pytest.approx(1 / 6)
    assert (email.improved, email.same, email.declined) == (0, 0, 6)
    assert email.levels_followup == [2, 3, 1, 0, 0]
    # The same test as scipy's, run on the differences follow-up minus end.
    expected = wilcoxon([f - a for f, a in zip(FOLLOWUP["email"], [1, 2, 1, 2, 3, 2])], method="exact")
    assert email.test_method == "wilcoxon-exact" and email.p_value == pytest.approx(expected.pvalue) == 2 / 64
    assert email.wilcoxon_statistic == expected.statistic == 0.0 and email.effect_size == -1.0
    assert email.p_holm == pytest.approx(2 / 64), "one skill tested: Holm changes nothing"

    banking = followup(report, "banking")
    assert banking.test_method == "no-change" and banking.p_value is None and banking.still_independent == 5
    assert report.followup_tested == 1

    # Plain language: the skill most gained on the course, and whether the gains held.
    assert (
        "5 of 6 seniors could still pay bills online on their own at the follow-up about three months later; "
        "at the end of the course, 5 could." in report.summary
    )
    assert report.summary[-1].startswith("Not every gain lasted: at the follow-up 1 of the 1 skills tested")
    assert any("follow-up" in paragraph for paragraph in report.method_note)
    # The course's own before/after figures are as before.
    assert next(s for s in report.skills if s.code == "email").p_value == pytest.approx(2 / 64)


@pytest.mark.parametrize(
    "lang, expected",
    [
        ("fi", "Opitut taidot säilyivät"),
        ("sv", "Framstegen höll"),
        ("en", "The gains held"),
    ],
)
async def test_the_sentence_says_the_gains_held_in_the_report_s_language(db, lang, expected):
    seeded = await seeded_cohort()
    # email rose on the course; at the follow-up six seniors rate one level higher still.
    await add_followups(seeded["cohort_id"], seeded["participant_ids"], {"email": [2, 3, 2, 3, 4, 3]})
    report = await report_for(lang, cohort_id=seeded["cohort_id"])
    assert report.summary[-1].startswith(expected), report.summary


async def test_the_follow_up_pages_and_pdf_show_the_three_phases(client, db):
    from tests.factories import as_role
    from tests.pdf_text import pdf_text

    seeded = await seeded_cohort()
    await add_followups(seeded["cohort_id"], seeded["participant_ids"], FOLLOWUP)
    await as_role(client, "steering")
    page = await client.get("/api/v1/reports/outcomes.html", params={"cohort_id": seeded["cohort_id"], "lang": "en"})
    assert page.status_code == 200 and "The follow-up about three months later" in page.text
    assert "0.3 → 1.8 → 0.8" in page.text  # email's means before, after and at the follow-up
    pdf = await client.get("/api/v1/reports/outcomes.pdf", params={"cohort_id": seeded["cohort_id"], "lang": "fi"})
    assert pdf.status_code == 200 and "Säilyivätkö taidot?" in pdf_text(pdf.content)


async def cohort_with_followups(location: int, pairs: int, followups: int, name: str) -> int:
    """A completed cohort: ``pairs`` seniors answered before and after, the first ``followups`` also the follow-up."""
    from assessments.tables import Assessment

    cohort = await make_cohort(location, name=name, status="completed")
    for i in range(pairs):
        pid = await make_participant(location, first_name="Senior", last_name=f"{name} {i}")
        await enrol(cohort, pid, "completed")
        rows = [
            Assessment(participant=pid, cohort=cohort, phase=phase, instrument_version=1, answers=answers(email=level))
            for phase, level in (("before", i % 2), ("after", 2 + i % 3), ("followup", 1 + i % 4))
        ]
        await Assessment.insert(*(rows if i < followups else rows[:2]))
    return cohort


async def test_a_follow_up_that_leaves_a_small_rest_of_the_pairs_is_not_shown(db):
    """12 pairs, 10 followed up: the pairs minus the follow-up's seniors would be the other two."""
    location = await make_location()
    cohort = await cohort_with_followups(location, 12, 10, "A")
    report = await report_for(cohort_id=cohort)
    email = followup(report, "email")
    assert email.suppressed and email.reason == "not_split" and email.n is None
    assert next(s for s in report.skills if s.code == "email").n == 12
    assert "Too few seniors have answered the follow-up yet to say whether the gains held." in report.summary
    truth = await read_truth()
    attack(truth, [(report.model_dump(mode="json"), placed(truth, cohort))], [report.released])

    # What releasing them would give away: the two seniors' end-of-course levels, by subtraction.
    keys = sorted(placed(truth, cohort))
    followed = [k for k in keys if truth.values[(k, "answered_all:email")]]
    auditor = Auditor(truth)
    auditor.equation(keys, "after:email", float(sum(truth.pairs[k]["email"][1] for k in keys)), "pairs")
    auditor.equation(followed, "after:email", float(sum(truth.pairs[k]["email"][1] for k in followed)), "followed")
    assert [len(f.seniors) for f in auditor.findings()] == [2]


async def test_a_follow_up_with_both_parts_of_five_or_more_is_shown_and_rests_on_blocks(db):
    location = await make_location()
    a = await cohort_with_followups(location, 12, 7, "A")
    b = await cohort_with_followups(location, 9, 2, "B")  # NOTE: 2 followed up: B's follow-up stays out
    reports, ledgers = [], []
    truth = None
    for scope in ({"cohort_id": a}, {"cohort_id": b}, {"location_id": location}):
        report = await report_for(**scope)
        truth = truth or await read_truth()
        group = placed(truth, a) | placed(truth, b) if "location_id" in scope else placed(truth, scope["cohort_id"])
        reports.append((report.model_dump(mode="json"), group))
        ledgers.append(report.released)
    attack(truth, reports, ledgers)
    assert [followup_n(body) for body, _ in reports] == [7, None, 7]


def followup_n(body: dict) -> int | None:
    return next(s["n"] for s in body["followup"] if s["code"] == "email")
