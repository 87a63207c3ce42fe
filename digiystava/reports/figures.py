"""Every figure of an outcome report, computed in memory from one scope's rows."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Iterable

from digiystava import clock
from digiystava.access import Principal
from digiystava.reports import summary
from digiystava.reports.disclosure import unit_counts
from digiystava.reports.queries import ScopeRows, load_rows
from digiystava.reports.schemas import CourseFigures, DonorTablets, GroupFigures, OutcomeReport, SkillFigures
from digiystava.reports.scope import Scope, authorise, describe
from digiystava.reports.statistics import (
    INDEPENDENT_LEVEL, REPORTING_MINIMUM, holm_adjust, paired_skill_stats, suppress_small_groups,
)

Key = tuple[int, int]  # (cohort, participant): one senior's place on one course


@dataclass
class Population:
    """The seniors that count: places in cohorts that pass the unit rule."""

    places: dict[Key, str]  # key -> enrolment status
    kept_cohorts: set[int]
    left_out: int
    pairs: dict[str, dict[Key, tuple[int, int]]]  # skill -> key -> (before, after)
    before_rows: dict[Key, dict]


async def outcome_report(principal: Principal | None, scope: Scope, lang: str, today: dt.date | None = None) -> OutcomeReport:
    """Check access, run the scope's queries, and compute the report off the event loop."""
    await authorise(principal, scope)
    rows = await load_rows(scope)
    title, detail = await describe(scope, lang)
    return await asyncio.to_thread(build_report, scope, rows, lang, title, detail, today or clock.today())


def build_report(scope: Scope, rows: ScopeRows, lang: str, title: str, detail: str, today: dt.date) -> OutcomeReport:
    from assessments.instrument import current_instrument

    instrument = current_instrument()
    population = select_population(scope, rows, instrument.skill_codes)
    suppressed = len(population.places) < REPORTING_MINIMUM
    skills = [] if suppressed else skill_figures(population, instrument, lang)
    course = course_figures(scope, rows, population, suppressed, instrument, lang)
    groups = [] if suppressed or not scope.compare else group_figures(scope, rows, population)
    report = OutcomeReport(
        scope=scope.query(), scope_title=title, scope_detail=detail, language=lang, generated_on=today,
        suppressed=suppressed, minimum=REPORTING_MINIMUM, left_out_cohorts=population.left_out, summary=[],
        course=course, skills=skills, tested_skills=sum(1 for s in skills if s.p_value is not None),
        compare=scope.compare, groups=groups,
    )
    report.summary = summary.sentences(report, lang)
    report.method_note = summary.method_note(lang, REPORTING_MINIMUM)
    return report


def select_population(scope: Scope, rows: ScopeRows, skill_codes: Iterable[str]) -> Population:
    """Apply the unit rule to cohorts, then to each skill's pairs within a cohort."""
    places = {(e["cohort"], e["participant"]): e["status"] for e in rows.enrolments}
    borrowers = {(loan["cohort"], loan["participant"]) for loan in rows.loans if loan["donor"] == scope.donor}
    inside = (lambda key: key in borrowers) if scope.donor else (lambda key: True)
    whole = Counter(c for c, _ in places)
    ins = Counter(key[0] for key in places if inside(key))
    kept = {c for c, n in ins.items() if unit_counts(n, whole[c])}
    phases: dict[Key, dict[str, dict]] = defaultdict(dict)
    for a in rows.assessments:
        key = (a["cohort"], a["participant"])
        if key in places:
            phases[key][a["phase"]] = a
    pairs: dict[str, dict[Key, tuple[int, int]]] = {}
    for code in skill_codes:
        candidates = {
            key: (p["before"]["answers"].get(code), p["after"]["answers"].get(code))
            for key, p in phases.items() if key[0] in kept and "before" in p and "after" in p
        }
        candidates = {k: v for k, v in candidates.items() if v[0] is not None and v[1] is not None}
        unit_whole = Counter(k[0] for k in candidates)
        unit_in = Counter(k[0] for k in candidates if inside(k))
        units = {c for c, n in unit_in.items() if unit_counts(n, unit_whole[c])}
        pairs[code] = {k: v for k, v in candidates.items() if k[0] in units and inside(k)}
    counted = {k: s for k, s in places.items() if k[0] in kept and inside(k)}
    before_rows = {k: p["before"] for k, p in phases.items() if k in counted and "before" in p}
    return Population(counted, kept, sum(1 for c in ins if c not in kept), pairs, before_rows)


def skill_figures(population: Population, instrument, lang: str) -> list[SkillFigures]:
    results: list[SkillFigures] = []
    for skill in instrument.skills:
        pairs = list(population.pairs[skill.code].values())
        if len(pairs) < REPORTING_MINIMUM:
            results.append(SkillFigures(code=skill.code, label=skill.label(lang), suppressed=True))
            continue
        stats = paired_skill_stats(pairs)
        levels = range(instrument.min_level, instrument.max_level + 1)
        results.append(SkillFigures(
            code=skill.code, label=skill.label(lang), suppressed=False, n=stats.n,
            mean_before=stats.mean_before, mean_after=stats.mean_after,
            median_before=stats.median_before, median_after=stats.median_after,
            independent_before=sum(1 for b, _ in pairs if b >= INDEPENDENT_LEVEL),
            independent_after=sum(1 for _, a in pairs if a >= INDEPENDENT_LEVEL),
            share_independent_before=stats.share_independent_before, share_independent_after=stats.share_independent_after,
            improved=stats.improved, same=stats.same, declined=stats.declined,
            levels_before=[sum(1 for b, _ in pairs if b == v) for v in levels],
            levels_after=[sum(1 for _, a in pairs if a == v) for v in levels],
            wilcoxon_statistic=stats.wilcoxon_statistic, p_value=stats.p_value, effect_size=stats.effect_size,
            test_method=stats.test_method, notes=list(stats.notes),
        ))
    for figures, adjusted in zip(results, holm_adjust([s.p_value for s in results])):
        figures.p_holm = adjusted
    return results


def course_figures(scope: Scope, rows: ScopeRows, population: Population, suppressed: bool, instrument, lang: str) -> CourseFigures:
    places = population.places
    course = CourseFigures(cohorts=len(population.kept_cohorts), seniors=None if suppressed else len(places))
    if suppressed:
        return course
    statuses = Counter(places.values())
    course.completed, course.dropped, course.on_course = statuses["completed"], statuses["dropped"], statuses["enrolled"]
    marks = Counter()
    for row in rows.attendance:
        if (row["cohort"], row["participant"]) in places:
            marks[row["status"]] += row["marks"]
    total_marks = sum(marks.values())
    course.attendance_rate = marks["present"] / total_marks if total_marks else None
    course.paired_seniors = len(set().union(*(set(p) for p in population.pairs.values())))
    course.tablets_lent, course.tablets = donor_tablets([l for l in rows.loans if (l["cohort"], l["participant"]) in places])
    pairings = [p for p in rows.pairings if (p["cohort"], p["participant"]) in places]
    course.volunteer_pairs = len(pairings)
    course.volunteers = len({p["volunteer"] for p in pairings})
    # NOTE: hours are logged per volunteer and cohort, not per senior: no share of them belongs to one donor's borrowers.
    course.volunteer_hours = None if scope.donor else round(sum(rows.hours.get(c, 0.0) for c in population.kept_cohorts), 1)
    wishes = Counter(code for row in population.before_rows.values() for code in set(row["wishes"] or []))
    course.wishes = {code: wishes[code] for code in instrument.wish_codes if wishes[code]}
    course.wish_labels = {code: instrument.wish_label(code, lang) for code in course.wishes}
    course.wish_respondents = len(population.before_rows)
    return course


def donor_tablets(loans: list[dict]) -> tuple[int, list[DonorTablets]]:
    """Loans by donor; a donor lending to fewer than the minimum is hidden, and a second one with it."""
    by_donor: dict[str, Counter] = defaultdict(Counter)
    for loan in loans:
        outcome = {"maintenance": "returned", "": "out"}.get(loan["outcome"], loan["outcome"])
        by_donor[loan["donor"]][outcome] += 1
    lent = {donor: sum(c.values()) for donor, c in by_donor.items()}
    hidden = suppress_small_groups(lent, total=sum(lent.values()))
    rows = []
    for donor in sorted(by_donor):
        c = by_donor[donor]
        if donor in hidden:
            rows.append(DonorTablets(donor=donor, suppressed=True))
        else:
            rows.append(DonorTablets(donor=donor, suppressed=False, lent=lent[donor], returned=c["returned"], kept=c["kept"], lost=c["lost"], out=c["out"]))
    return sum(lent.values()), rows


def group_figures(scope: Scope, rows: ScopeRows, population: Population) -> list[GroupFigures]:
    """Per cohort or location: seniors and the mean level over every skill's pairs."""
    by_location = scope.compare == "location"
    labels: dict[int, str] = {}
    group_of: dict[int, int] = {}
    for c in rows.cohorts:
        gid = c["location"] if by_location else c["id"]
        group_of[c["id"]] = gid
        labels[gid] = c["location_name"] if by_location else f"{c['name']} – {c['location_name']}"
    seniors = Counter(group_of[k[0]] for k in population.places)
    completed = Counter(group_of[k[0]] for k, s in population.places.items() if s == "completed")
    answers: dict[int, list[tuple[int, int]]] = defaultdict(list)
    paired: dict[int, set[Key]] = defaultdict(set)
    for skill_pairs in population.pairs.values():
        for key, pair in skill_pairs.items():
            answers[group_of[key[0]]].append(pair)
            paired[group_of[key[0]]].add(key)
    cells = {str(g): seniors[g] for g in labels}
    hidden = suppress_small_groups(cells, total=sum(cells.values()))
    groups = []
    for gid, label in labels.items():
        if str(gid) in hidden or not seniors[gid]:
            groups.append(GroupFigures(key=str(gid), label=label, suppressed=True))
            continue
        pairs = answers[gid]
        groups.append(GroupFigures(
            key=str(gid), label=label, suppressed=False, seniors=seniors[gid], completed=completed[gid], paired_seniors=len(paired[gid]),
            mean_before=_mean(b for b, _ in pairs), mean_after=_mean(a for _, a in pairs),
            share_independent_before=_mean(int(b >= INDEPENDENT_LEVEL) for b, _ in pairs),
            share_independent_after=_mean(int(a >= INDEPENDENT_LEVEL) for _, a in pairs),
        ))
    return groups


def _mean(values: Iterable[int]) -> float | None:
    values = list(values)
    return sum(values) / len(values) if values else None
