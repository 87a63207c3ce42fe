"""Every figure of an outcome report, computed in memory from one scope's rows."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from operator import itemgetter
from typing import Any, TypeVar, cast

from assessments.instrument import Instrument, current_instrument
from cohorts.courses.status import start_due_cohorts
from digiystava import clock
from digiystava.access import Principal, ensure_report_scope
from digiystava.reports import disclosure, summary
from digiystava.reports.collector import collector_paused
from digiystava.reports.disclosure import Ledger, Split
from digiystava.reports.queries import ScopeRows, load_rows
from digiystava.reports.schemas import (
    CourseFigures,
    DonorTablets,
    FollowupFigures,
    GroupFigures,
    OutcomeReport,
    SkillFigures,
)
from digiystava.reports.scope import Scope, describe
from digiystava.reports.statistics import (
    INDEPENDENT_LEVEL,
    REPORTING_MINIMUM,
    holm_adjust,
    paired_skill_stats,
)

Key = tuple[int, int]  # (cohort, participant): one senior's place on one course
NO_AFTER_ANSWERS = "no_after_answers"
NO_FOLLOWUP_ANSWERS = "no_followup_answers"
NOT_STARTED = "not_started"
NOBODY = "nobody"  # a group with no senior in the view (e.g. nobody borrowed that donor's tablets)
NOT_SPLIT_DONOR = "not_split"  # the row of tablets from courses that are not shown by donor
T = TypeVar("T")


@dataclass
class Population:
    """The seniors that count, and every group a figure is computed from (``ledger``)."""

    places: dict[Key, str]  # key -> enrolment status
    kept_cohorts: set[int]
    left_out: Counter  # reason -> cohorts kept out of this report
    pairs: dict[str, dict[Key, tuple[int, int]]]  # skill -> key -> (before, after)
    skill_reasons: dict[str, str | None]  # skill -> why it has no pairs
    triples: dict[str, dict[Key, tuple[int, int, int]]]  # skill -> key -> (before, after, follow-up)
    followup_reasons: dict[str, str | None]  # skill -> why it has no follow-up figures
    before_rows: dict[Key, dict]  # the first questionnaires whose wishes count
    marked: set[Key]  # the seniors whose attendance marks count
    split_cohorts: set[int]  # kept cohorts whose tablets may be shown by donor
    donors: dict[Key, frozenset[str]]  # the donors whose tablets each senior borrowed on the course
    cohort_reasons: dict[int, str]  # why a started cohort in scope counts for nothing here
    ledger: Ledger


async def outcome_report(principal: Principal, scope: Scope, lang: str, today: dt.date | None = None) -> OutcomeReport:
    """Check access, run the scope's queries, and compute the report off the event loop."""
    await ensure_report_scope(principal, scope.cohort_id, scope.location_id)
    today = today or clock.today()
    # NOTE: a cohort whose first session has come counts as running even if nobody has opened its page yet.
    await start_due_cohorts(clock.today())
    rows = await load_rows(scope)
    title, detail = await describe(scope, lang)
    return await asyncio.to_thread(build_report, scope, rows, lang, title, detail, today)


def build_report(scope: Scope, rows: ScopeRows, lang: str, title: str, detail: str, today: dt.date) -> OutcomeReport:
    with collector_paused():
        return _build_report(scope, rows, lang, title, detail, today)


def _build_report(scope: Scope, rows: ScopeRows, lang: str, title: str, detail: str, today: dt.date) -> OutcomeReport:
    instrument = current_instrument()
    population = select_population(scope, rows, instrument.skill_codes)
    suppressed = len(population.places) < REPORTING_MINIMUM
    skills = [] if suppressed else skill_figures(population, instrument, lang)
    course = course_figures(scope, rows, population, suppressed, instrument, lang)
    groups = [] if suppressed or not scope.compare else group_figures(scope, rows, population)
    tested = sum(1 for s in skills if s.p_value is not None)
    followup = [] if suppressed else followup_figures(population, instrument, lang)
    report = OutcomeReport(
        scope=scope.query(),
        scope_title=title,
        scope_detail=detail,
        language=lang,
        generated_on=today,
        suppressed=suppressed,
        minimum=REPORTING_MINIMUM,
        left_out_cohorts=sum(population.left_out.values()),
        summary=[],
        course=course,
        skills=skills,
        tested_skills=tested,
        followup=followup,
        followup_tested=sum(1 for s in followup if s.p_value is not None),
        compare=scope.compare,
        groups=groups,
    )
    report.missing = summary.gaps(report, rows, population, lang)
    report.summary = summary.sentences(report, lang)
    report.method_note = summary.method_note(
        lang,
        REPORTING_MINIMUM,
        tested=tested,
        skills=len(instrument.skill_codes),
        followup_tested=report.followup_tested if any(not s.suppressed for s in followup) else None,
    )
    disclosure.check(population.ledger)
    report._released = population.ledger
    return report


def select_population(scope: Scope, rows: ScopeRows, skill_codes: Iterable[str]) -> Population:
    """Release each cohort, and each cohort's answers, by the rule of ``disclosure``.

    The cut is the set of donors whose tablets a senior borrowed on the course ("no
    tablet" being the empty set); a donor view takes the parts holding that donor. A
    course is cut once; the groups of its answerers are cut from its parts.
    """
    codes = list(skill_codes)
    places = {(e["cohort"], e["participant"]): e["status"] for e in rows.enrolments}
    borrowed: dict[Key, set[str]] = defaultdict(set)
    for loan in rows.loans:
        borrowed[(loan["cohort"], loan["participant"])].add(loan["donor"])
    donors = {key: frozenset(borrowed.get(key, ())) for key in places}
    wanted = (lambda part: scope.donor in part) if scope.donor else None
    by_cohort: dict[int, list[Key]] = {c["id"]: [] for c in rows.cohorts}
    for key in places:
        by_cohort[key[0]].append(key)
    courses = {cohort: Split.of(keys, donors.__getitem__) for cohort, keys in by_cohort.items()}
    ledger: Ledger[Key] = Ledger()
    left_out: Counter[str] = Counter()
    kept: dict[int, frozenset[Key]] = {}
    cohort_reasons: dict[int, str] = {}
    for cohort, split in courses.items():
        ledger.add_unit("course", split)
        released = split.release(wanted)
        if released.reason:
            left_out[released.reason] += 1
            cohort_reasons[cohort] = released.reason
        elif released.seniors:
            kept[cohort] = released.seniors
    counted = {k: places[k] for seniors in kept.values() for k in seniors}
    ledger.add("course", "course", counted)

    def answerers(keys: AbstractSet[Key]) -> dict[int, Split[Key]]:
        """Per kept cohort, its seniors among ``keys`` (those who answered something), cut as the course is."""
        return {cohort: courses[cohort].among(courses[cohort].members & keys) for cohort in kept}

    def answers(name: str, family: str, units: Mapping[int, Split[Key]]) -> tuple[frozenset[Key], Counter[str]]:
        """The answerers a figure may count: per kept cohort, its answerers released by the same rule."""
        released_keys: set[Key] = set()
        base: set[Key] = set()
        reasons: Counter[str] = Counter()
        for cohort, split in units.items():
            ledger.add_unit(family, split)
            released = split.release(wanted)
            if released.reason:
                reasons[released.reason] += 1
            elif released.seniors:
                released_keys |= released.seniors
                base |= kept[cohort]
        ledger.add(name, family, released_keys, base)
        return frozenset(released_keys), reasons

    phases: dict[Key, dict[str, dict[str, Any]]] = defaultdict(dict)
    for a in rows.assessments:
        key = (a["cohort"], a["participant"])
        if key in places:
            phases[key][a["phase"]] = a
    levels = Levels.of(phases, codes)
    paired = {code: answerers(levels.paired[code]) for code in codes}  # the skill's pairs, per kept cohort
    pairs: dict[str, dict[Key, tuple[int, int]]] = {}
    skill_reasons: dict[str, str | None] = {}
    any_after = any(key in phases and "after" in phases[key] for key in counted)
    for code in codes:
        answerers_counted, reasons = answers(f"skill:{code}", f"skill:{code}", paired[code])
        pairs[code] = _some(levels.pairs[code], answerers_counted)
        if pairs[code]:
            skill_reasons[code] = None
        elif not any_after:
            skill_reasons[code] = NO_AFTER_ANSWERS
        else:
            skill_reasons[code] = disclosure.NOT_SPLIT if reasons[disclosure.NOT_SPLIT] else disclosure.UNDER_MINIMUM

    any_followup = any(key in phases and "followup" in phases[key] for key in counted)
    triples, followup_reasons = _followup_groups(ledger, kept, paired, levels, scope.donor, any_followup)
    respondents, _ = answers("wishes", "wishes", answerers({k for k, p in phases.items() if "before" in p}))
    marked_keys = {(row["cohort"], row["participant"]) for row in rows.attendance if row["marks"]}
    marked, _ = answers("attendance", "attendance", answerers(marked_keys))
    return Population(
        counted,
        set(kept),
        left_out,
        pairs,
        skill_reasons,
        triples,
        followup_reasons,
        {k: phases[k]["before"] for k in respondents},
        set(marked),
        {cohort for cohort in kept if courses[cohort].splits},
        {k: donors[k] for k in counted},
        cohort_reasons,
        ledger,
    )


def _some(values: dict[Key, T], keys: frozenset[Key]) -> dict[Key, T]:
    """``values`` of ``keys`` (all of them: the common case, no copy)."""
    return values if len(keys) == len(values) else {k: values[k] for k in keys}


@dataclass(frozen=True)
class Levels:
    """Every senior's levels per skill, read from the answers once rather than per figure and course.

    ``pairs[code]``: the seniors who answered the skill before and after, and their two
    levels; ``triples[code]``: those who answered the follow-up too, and their three.
    """

    pairs: dict[str, dict[Key, tuple[int, int]]]
    triples: dict[str, dict[Key, tuple[int, int, int]]]
    paired: dict[str, frozenset[Key]]
    followed: dict[str, frozenset[Key]]

    @classmethod
    def of(cls, phases: Mapping[Key, Mapping[str, dict[str, Any]]], codes: list[str]) -> Levels:
        pairs: dict[str, dict[Key, tuple[int, int]]] = {code: {} for code in codes}
        triples: dict[str, dict[Key, tuple[int, int, int]]] = {code: {} for code in codes}
        for key, p in phases.items():
            if "before" not in p or "after" not in p:
                continue
            followup = p["followup"]["answers"] if "followup" in p else {}
            answered = zip(codes, map(p["before"]["answers"].get, codes), map(p["after"]["answers"].get, codes))
            for (code, b, a), f in zip(answered, map(followup.get, codes)):
                if b is None or a is None:
                    continue
                pairs[code][key] = (b, a)
                if f is not None:
                    triples[code][key] = (b, a, f)
        return cls(
            pairs,
            triples,
            {code: frozenset(found) for code, found in pairs.items()},
            {code: frozenset(found) for code, found in triples.items()},
        )


def _followup_groups(
    ledger: Ledger[Key],
    kept: dict[int, frozenset[Key]],
    paired: Mapping[str, Mapping[int, Split[Key]]],
    levels: Levels,
    donor: str | None,
    any_followup: bool,
) -> tuple[dict[str, dict[Key, tuple[int, int, int]]], dict[str, str | None]]:
    """Per skill, the seniors whose before, after and follow-up answers a figure may count.

    Having follow-up answers is a cut inside the skill's before/after pairs, like a donor:
    the pairs without a follow-up are released too (the skill's own figures), so the
    follow-up's seniors are released only when, inside each block of the pairs (a donor's
    part where the pairs split by donor, else the pairs whole), those with a follow-up and
    those without are each none or at least the minimum. Otherwise the difference of the
    two releases (the pairs minus the follow-up's) would be a small group. A donor's view
    gets a follow-up only where the pairs split by donor, as it gets the pairs.
    """
    triples: dict[str, dict[Key, tuple[int, int, int]]] = {}
    reasons: dict[str, str | None] = {}

    def wanted(part: Hashable) -> bool:
        donors, followed = cast(tuple[frozenset[str] | None, bool], part)
        return followed and (donor is None or (donors is not None and donor in donors))

    for code, units in paired.items():
        found: set[Key] = set()
        base: set[Key] = set()  # the released cohorts' seniors: what the count of answerers is taken over
        left_out: Counter[str] = Counter()
        for cohort, pairs in units.items():
            by_donor = pairs.splits
            split = pairs.crossed(levels.followed[code], keep_parts=by_donor)
            ledger.add_unit(f"followup:{code}", split)
            if donor is not None and not by_donor and len(pairs.members) >= REPORTING_MINIMUM:
                left_out[disclosure.NOT_SPLIT] += 1
                continue
            released = split.release(wanted)
            if released.reason:
                left_out[released.reason] += 1
            if released.seniors:
                found |= released.seniors
                base |= kept[cohort]
        triples[code] = _some(levels.triples[code], frozenset(found))
        ledger.add(f"followup:{code}", f"followup:{code}", found, base)
        if found:
            reasons[code] = None
        elif not any_followup:
            reasons[code] = NO_FOLLOWUP_ANSWERS
        else:
            reasons[code] = disclosure.NOT_SPLIT if left_out[disclosure.NOT_SPLIT] else disclosure.UNDER_MINIMUM
    return triples, reasons


def followup_figures(population: Population, instrument: Instrument, lang: str) -> list[FollowupFigures]:
    """Before, after and follow-up per skill, and the paired test of the follow-up against the end."""
    results: list[FollowupFigures] = []
    levels = range(instrument.min_level, instrument.max_level + 1)
    for skill in instrument.skills:
        triples = list(population.triples[skill.code].values())
        if len(triples) < REPORTING_MINIMUM:
            reason = population.followup_reasons.get(skill.code) or disclosure.UNDER_MINIMUM
            results.append(FollowupFigures(code=skill.code, label=skill.label(lang), suppressed=True, reason=reason))
            continue
        stats = paired_skill_stats([(a, f) for _, a, f in triples])
        n = len(triples)
        before, after, later = (Counter(map(itemgetter(phase), triples)) for phase in range(3))
        on_own = [_at_or_above(counts, INDEPENDENT_LEVEL) for counts in (before, after, later)]
        results.append(
            FollowupFigures(
                code=skill.code,
                label=skill.label(lang),
                suppressed=False,
                n=n,
                mean_before=sum(level * count for level, count in before.items()) / n,
                mean_after=stats.mean_before,
                mean_followup=stats.mean_after,
                median_after=stats.median_before,
                median_followup=stats.median_after,
                independent_before=on_own[0],
                independent_after=on_own[1],
                independent_followup=on_own[2],
                still_independent=sum(1 for _, a, f in triples if a >= INDEPENDENT_LEVEL and f >= INDEPENDENT_LEVEL),
                share_independent_before=on_own[0] / n,
                share_independent_after=stats.share_independent_before,
                share_independent_followup=stats.share_independent_after,
                improved=stats.improved,
                same=stats.same,
                declined=stats.declined,
                levels_followup=[later[v] for v in levels],
                wilcoxon_statistic=stats.wilcoxon_statistic,
                p_value=stats.p_value,
                effect_size=stats.effect_size,
                test_method=stats.test_method,
                notes=list(stats.notes),
            )
        )
    for figures, adjusted in zip(results, holm_adjust([s.p_value for s in results])):
        figures.p_holm = adjusted
    return results


def skill_figures(population: Population, instrument: Instrument, lang: str) -> list[SkillFigures]:
    results: list[SkillFigures] = []
    for skill in instrument.skills:
        pairs = list(population.pairs[skill.code].values())
        if len(pairs) < REPORTING_MINIMUM:
            reason = population.skill_reasons.get(skill.code) or disclosure.UNDER_MINIMUM
            results.append(SkillFigures(code=skill.code, label=skill.label(lang), suppressed=True, reason=reason))
            continue
        stats = paired_skill_stats(pairs)
        levels = range(instrument.min_level, instrument.max_level + 1)
        before, after = (Counter(map(itemgetter(phase), pairs)) for phase in range(2))
        results.append(
            SkillFigures(
                code=skill.code,
                label=skill.label(lang),
                suppressed=False,
                n=stats.n,
                mean_before=stats.mean_before,
                mean_after=stats.mean_after,
                median_before=stats.median_before,
                median_after=stats.median_after,
                independent_before=_at_or_above(before, INDEPENDENT_LEVEL),
                independent_after=_at_or_above(after, INDEPENDENT_LEVEL),
                share_independent_before=stats.share_independent_before,
                share_independent_after=stats.share_independent_after,
                improved=stats.improved,
                same=stats.same,
                declined=stats.declined,
                levels_before=[before[v] for v in levels],
                levels_after=[after[v] for v in levels],
                wilcoxon_statistic=stats.wilcoxon_statistic,
                p_value=stats.p_value,
                effect_size=stats.effect_size,
                test_method=stats.test_method,
                notes=list(stats.notes),
            )
        )
    for figures, adjusted in zip(results, holm_adjust([s.p_value for s in results])):
        figures.p_holm = adjusted
    return results


def _at_or_above(levels: Counter[int], threshold: int) -> int:
    """Answers at ``threshold`` or higher, of the answers counted by level."""
    return sum(count for level, count in levels.items() if level >= threshold)


def course_figures(
    scope: Scope, rows: ScopeRows, population: Population, suppressed: bool, instrument: Instrument, lang: str
) -> CourseFigures:
    places = population.places
    course = CourseFigures(cohorts=len(population.kept_cohorts), seniors=None if suppressed else len(places))
    if suppressed:
        return course
    statuses = Counter(places.values())
    course.completed, course.dropped, course.on_course = (
        statuses["completed"],
        statuses["dropped"],
        statuses["enrolled"],
    )
    marks: Counter[str] = Counter()
    for row in rows.attendance:
        if (row["cohort"], row["participant"]) in population.marked:
            marks[row["status"]] += row["marks"]
    total_marks = sum(marks.values())
    course.attendance_rate = marks["present"] / total_marks if total_marks else None
    answered = {(a["cohort"], a["participant"], a["phase"]) for a in rows.assessments}
    course.paired_seniors = sum(1 for c, p in places if (c, p, "before") in answered and (c, p, "after") in answered)
    course.followup_seniors = sum(
        1
        for c, p in places
        if (c, p, "before") in answered and (c, p, "after") in answered and (c, p, "followup") in answered
    )
    loans = [loan for loan in rows.loans if (loan["cohort"], loan["participant"]) in places]
    course.tablets_lent, course.tablets = donor_tablets(loans, population.split_cohorts)
    borrowers: dict[str, list[Key]] = defaultdict(list)  # per row of the table, the seniors it is about
    for key in places:
        if key[0] not in population.split_cohorts:
            borrowers[NOT_SPLIT_DONOR].append(key)
        else:
            for donor in population.donors[key]:
                borrowers[donor].append(key)
    for tablets in course.tablets:
        population.ledger.add(f"tablets:{tablets.donor}", "course", borrowers.get(tablets.donor, ()))
    pairings = [p for p in rows.pairings if (p["cohort"], p["participant"]) in places]
    course.volunteer_pairs = len(pairings)
    course.volunteers = len({p["volunteer"] for p in pairings})
    # NOTE: hours are logged per volunteer and cohort, not per senior: no share of them belongs to one donor's
    # borrowers.
    course.volunteer_hours = (
        None if scope.donor else round(sum(rows.hours.get(c, 0.0) for c in population.kept_cohorts), 1)
    )
    wishes = Counter(code for row in population.before_rows.values() for code in set(row["wishes"] or []))
    course.wishes = {code: wishes[code] for code in instrument.wish_codes if wishes[code]}
    course.wish_labels = {code: instrument.wish_label(code, lang) for code in course.wishes}
    course.wish_respondents = len(population.before_rows)
    return course


def donor_tablets(loans: list[dict], split_cohorts: set[int]) -> tuple[int, list[DonorTablets]]:
    """Loans by donor, from the courses that may be shown by donor; the other courses' loans in one row.

    A course is shown by donor only when each of its parts (each donor's borrowers, and
    the seniors without a tablet) is none or at least the minimum: the split of any
    other course is never released, by this report or by any difference of two.
    """
    by_donor: dict[str, Counter] = defaultdict(Counter)
    for loan in loans:
        outcome = {"maintenance": "returned", "": "out"}.get(loan["outcome"], loan["outcome"])
        donor = loan["donor"] if loan["cohort"] in split_cohorts else NOT_SPLIT_DONOR
        by_donor[donor][outcome] += 1
    rows = []
    for donor in sorted(by_donor, key=lambda d: (d == NOT_SPLIT_DONOR, d)):
        c = by_donor[donor]
        rows.append(
            DonorTablets(
                donor=donor,
                suppressed=False,
                lent=sum(c.values()),
                returned=c["returned"],
                kept=c["kept"],
                lost=c["lost"],
                out=c["out"],
            )
        )
    return len(loans), rows


def group_figures(scope: Scope, rows: ScopeRows, population: Population) -> list[GroupFigures]:
    """Per cohort or location: seniors and the mean level over every skill's pairs.

    Each group is a union of whole released blocks, as is the total, so no group needs
    hiding for another's sake: a group with nobody counted says why instead.
    """
    by_location = scope.compare == "location"
    labels: dict[int, str] = {}
    group_of: dict[int, int] = {}
    # NOTE: planned cohorts are listed too, so a comparison says which groups have not started.
    for c in rows.cohorts + [c for c in rows.not_counted if c["status"] == "planned"]:
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
    groups = []
    for gid, label in labels.items():
        if not seniors[gid]:
            groups.append(
                GroupFigures(
                    key=str(gid), label=label, suppressed=True, reason=_group_reason(gid, group_of, rows, population)
                )
            )
            continue
        population.ledger.add(f"group:{gid}", "course", (k for k in population.places if group_of[k[0]] == gid))
        pairs = answers[gid]
        groups.append(
            GroupFigures(
                key=str(gid),
                label=label,
                suppressed=False,
                seniors=seniors[gid],
                completed=completed[gid],
                paired_seniors=len(paired[gid]),
                mean_before=_mean(b for b, _ in pairs),
                mean_after=_mean(a for _, a in pairs),
                share_independent_before=_mean(int(b >= INDEPENDENT_LEVEL) for b, _ in pairs),
                share_independent_after=_mean(int(a >= INDEPENDENT_LEVEL) for _, a in pairs),
            )
        )
    return groups


def _group_reason(gid: int, group_of: dict[int, int], rows: ScopeRows, population: Population) -> str:
    """Why nobody of a group counts: a course split badly by donor, too small, or not started; else nobody is in the
    choice.
    """
    cohorts = {c for c, g in group_of.items() if g == gid}
    reasons = {population.cohort_reasons[c] for c in cohorts if c in population.cohort_reasons}
    for reason in (disclosure.NOT_SPLIT, disclosure.UNDER_MINIMUM):
        if reason in reasons:
            return reason
    if any(c["id"] in cohorts for c in rows.not_counted):
        return NOT_STARTED
    return NOBODY


def _mean(values: Iterable[int]) -> float | None:
    values = list(values)
    return sum(values) / len(values) if values else None
