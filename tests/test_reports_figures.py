"""Outcome report figures against hand-computed values, every scope, and the suppression rules."""

from __future__ import annotations

import datetime as dt

import pytest

from digiystava.access import Principal
from digiystava.reports.figures import outcome_report
from digiystava.reports.scope import parse_scope
from tests.factories import make_location
from tests.factories.reports import seeded_cohort, small_cohort

STEERING = Principal(1, "ohjaus", "steering")


def skill(report, code):
    return next(s for s in report.skills if s.code == code)


async def report_for(lang="en", **scope):
    return await outcome_report(STEERING, parse_scope(**scope), lang, today=dt.date(2026, 6, 1))


async def test_statistics_of_six_seniors_match_the_hand_computed_values(db):
    seeded = await seeded_cohort()
    report = await report_for(cohort_id=seeded["cohort_id"])
    assert not report.suppressed and report.course.seniors == 6

    banking = skill(report, "banking")  # before 0,0,1,1,2,0 -> after 2,3,2,1,3,2
    assert banking.n == 6
    assert banking.mean_before == pytest.approx(4 / 6) and banking.mean_after == pytest.approx(13 / 6)
    assert (banking.median_before, banking.median_after) == (0.5, 2.0)
    assert (banking.independent_before, banking.independent_after) == (1, 5)
    assert (banking.improved, banking.same, banking.declined) == (5, 1, 0)
    assert banking.levels_before == [3, 2, 1, 0, 0] and banking.levels_after == [0, 1, 3, 2, 0]
    # Five changed pairs: no outcome could reach p < 0.05, so no test, a plain note instead.
    assert banking.test_method == "too-few-pairs" and banking.p_value is None and banking.p_holm is None
    assert banking.effect_size == 1.0

    email = skill(report, "email")  # six rises: exact p = 2 / 2**6
    assert email.test_method == "wilcoxon-exact"
    assert email.p_value == pytest.approx(2 / 64)
    assert email.effect_size == 1.0 and email.wilcoxon_statistic == 0.0

    search = skill(report, "search")  # five rises, one fall, all tied at rank 3.5
    assert search.p_value == pytest.approx(14 / 64)
    assert search.effect_size == pytest.approx((17.5 - 3.5) / 21)
    assert (search.improved, search.same, search.declined) == (5, 0, 1)

    # Holm over the two tested skills: 2 x 0.03125, then max(0.0625, 0.21875).
    assert report.tested_skills == 2
    assert email.p_holm == pytest.approx(0.0625) and search.p_holm == pytest.approx(0.21875)
    assert skill(report, "games").test_method == "no-change" and skill(report, "games").p_holm is None


async def test_course_figures_and_summary_of_the_seeded_cohort(db):
    seeded = await seeded_cohort()
    report = await report_for(cohort_id=seeded["cohort_id"])
    c = report.course
    assert (c.cohorts, c.seniors, c.completed, c.dropped, c.on_course) == (1, 6, 5, 1, 0)
    assert c.attendance_rate == pytest.approx(10 / 12)
    assert c.paired_seniors == 6
    assert c.tablets_lent == 6
    [dna] = c.tablets
    assert (dna.donor, dna.lent, dna.returned, dna.kept, dna.lost, dna.out) == ("DNA", 6, 4, 0, 1, 1)
    assert (c.volunteer_pairs, c.volunteers, c.volunteer_hours) == (3, 2, 3.5)
    assert c.wishes == {"email": 6, "bills": 6, "health": 2} and c.wish_respondents == 6
    assert report.summary[0] == "Courses: 1; seniors: 6, of whom 5 completed the course."
    assert "5 of 6 seniors can now pay bills online on their own; before the course, 1 could." in report.summary
    assert report.summary[-1] == "0 of 2 skills improved significantly (Wilcoxon test, Holm-adjusted, p < 0.05)."
    assert any("Holm" in paragraph for paragraph in report.method_note)


@pytest.mark.parametrize(
    "lang, expected",
    [
        ("fi", "Nyt 5/6 senioria osaa maksaa laskuja verkkopankissa itsenäisesti; ennen kurssia 1/6."),
        ("sv", "Nu kan 5 av 6 seniorer betala räkningar i nätbanken på egen hand; före kursen kunde 1."),
    ],
)
async def test_summary_speaks_the_report_language(db, lang, expected):
    seeded = await seeded_cohort()
    report = await report_for(lang, cohort_id=seeded["cohort_id"])
    assert expected in report.summary


async def test_each_scope_selects_its_cohorts(db):
    kallio = await make_location("Kallion kirjasto", "library", "Kallio")
    toolo = await make_location("Töölön palvelukeskus", "service_centre", "Töölö")
    a = await seeded_cohort(kallio, name="Kevät A", start=dt.date(2026, 1, 12), donor="DNA")
    b = await seeded_cohort(toolo, name="Syksy B", start=dt.date(2026, 9, 7), donor="Vanhusten turva")
    cases = {
        # scope -> seniors counted
        "programme": ({}, 12),
        "cohort": ({"cohort_id": a["cohort_id"]}, 6),
        "location": ({"location_id": toolo}, 6),
        "kind": ({"kind": "library"}, 6),
        "district": ({"district": "Töölö"}, 6),
        "donor": ({"donor": "Vanhusten turva"}, 6),  # only cohort B's seniors borrowed its tablets
        "period": ({"date_from": dt.date(2026, 8, 1), "date_to": dt.date(2026, 12, 31)}, 6),
        "empty period": ({"date_to": dt.date(2025, 1, 1)}, None),
    }
    for name, (scope, seniors) in cases.items():
        report = await report_for(**scope)
        assert report.course.seniors == seniors, name
    donor_report = await report_for(donor="Vanhusten turva")
    assert donor_report.course.volunteer_hours is None  # hours belong to cohorts, not to one donor's borrowers
    assert [d.donor for d in donor_report.course.tablets] == ["Vanhusten turva"]
    assert b["cohort_id"] != a["cohort_id"]


async def test_a_scope_under_five_seniors_shows_nothing(db):
    location = await make_location()
    small = await small_cohort(location, 4)
    report = await report_for(cohort_id=small["cohort_id"])
    assert report.suppressed and report.skills == [] and report.course.seniors is None
    assert report.summary == [
        "Fewer than 5 seniors: to protect their privacy no figures are shown.",
        "Courses with fewer than 5 seniors are not counted: 1.",
    ]


async def test_a_small_cohort_cannot_be_worked_out_by_subtraction(db):
    location = await make_location()
    big = await seeded_cohort(location)
    small = await small_cohort(location, 3, before=0, after=4)
    cohort_report = await report_for(cohort_id=big["cohort_id"])
    location_report = await report_for(location_id=location, compare="cohort")
    # The three seniors count nowhere: location minus cohort reveals nothing about them.
    assert location_report.course.seniors == cohort_report.course.seniors == 6
    assert location_report.left_out_cohorts == 1
    for mine, theirs in zip(location_report.skills, cohort_report.skills):
        assert (mine.n, mine.mean_after, mine.levels_after) == (theirs.n, theirs.mean_after, theirs.levels_after)
    groups = {g.key: g for g in location_report.groups}
    assert groups[str(small["cohort_id"])].suppressed and groups[str(small["cohort_id"])].seniors is None
    assert groups[str(big["cohort_id"])].seniors == 6
    assert "Courses with fewer than 5 seniors are not counted: 1." in location_report.summary


async def test_a_skill_answered_by_few_in_one_cohort_is_left_out_of_every_total(db):
    from assessments.tables import Assessment

    location = await make_location()
    first = await seeded_cohort(location)
    second = await small_cohort(location, 6, name="Toinen")
    # Only three seniors of the second cohort answered "calendar" at the end.
    rows = (
        await Assessment.select(Assessment.id, Assessment.answers)
        .where(Assessment.cohort == second["cohort_id"], Assessment.phase == "after")
        .order_by(Assessment.id)
        .output(load_json=True)
    )
    for row in rows[:3]:
        await Assessment.update({Assessment.answers: {**row["answers"], "calendar": None}}).where(
            Assessment.id == row["id"]
        )
    location_report = await report_for(location_id=location)
    first_report = await report_for(cohort_id=first["cohort_id"])
    second_report = await report_for(cohort_id=second["cohort_id"])
    assert skill(second_report, "calendar").suppressed  # 3 pairs
    # The location's calendar figures are the first cohort's alone, so subtraction yields nothing.
    assert skill(location_report, "calendar").n == skill(first_report, "calendar").n == 6
    assert skill(location_report, "email").n == 12


async def test_a_donor_slice_hides_a_small_rest_of_the_cohort(db):
    from cohorts.tables import Loan, Tablet

    location = await make_location()
    seeded = await seeded_cohort(location)
    # Two of the six switch to Vanhusten turva's tablets: DNA 4, VT 2.
    loans = await Loan.select(Loan.tablet).where(Loan.cohort == seeded["cohort_id"]).order_by(Loan.id)
    await Tablet.update({Tablet.donor: "Vanhusten turva"}).where(
        Tablet.id.is_in([loans[0]["tablet"], loans[1]["tablet"]])
    )
    cohort_report = await report_for(cohort_id=seeded["cohort_id"])
    # Tablets by donor: VT (2) would be a small group, so the cohort's tablets are one row, not split by donor.
    assert cohort_report.course.tablets_lent == 6
    [row] = cohort_report.course.tablets
    assert (row.donor, row.lent, row.returned, row.lost, row.out) == ("not_split", 6, 4, 1, 1)
    # A DNA report of 4 of the cohort's 6 would reveal the other 2 against the cohort report.
    assert (await report_for(donor="DNA")).suppressed
    assert (await report_for(donor="Vanhusten turva")).suppressed


async def test_comparison_by_location_and_the_change_across_groups(db):
    one = await make_location("Malmin kirjasto", "library", "Malmi")
    two = await make_location("Kontulan palvelukeskus", "service_centre", "Kontula")
    await seeded_cohort(one)
    await small_cohort(two, 5, before=1, after=3)
    report = await report_for(compare="location")
    groups = {g.label: g for g in report.groups}
    assert groups["Kontulan palvelukeskus"].mean_before == 1.0 and groups["Kontulan palvelukeskus"].mean_after == 3.0
    assert groups["Kontulan palvelukeskus"].share_independent_after == 1.0
    assert groups["Malmin kirjasto"].seniors == 6 and not groups["Malmin kirjasto"].suppressed
