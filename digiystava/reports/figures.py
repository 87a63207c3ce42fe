"""Every figure of an outcome report, computed in memory from one scope's rows."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from digiystava import clock
from digiystava.access import Principal
from digiystava.reports import disclosure, summary
from digiystava.reports.disclosure import Ledger
from digiystava.reports.queries import ScopeRows, load_rows
from digiystava.reports.schemas import (
    CourseFigures,
    DonorTablets,
    FollowupFigures,
    GroupFigures,
    OutcomeReport,
    SkillFigures,
)
from digiystava.reports.scope import Scope, authorise, describe
from digiystava.reports.statistics import (
    INDEPENDENT_LEVEL,
    REPORTING_MINIMUM,
    holm_adjust,
    paired_skill_stats,
)

Key = tuple[int, int]  # (cohort, participant): one senior's place on one course
NO_AFTER_ANSWERS = "no_after_answers"
NO_FOLLOWUP_ANSWERS = "no_followup_answers"
FOLLOWUP_PHASES = ("before", "after", "followup")
NOT_STARTED = "not_started"
NOBODY = "nobody"  # a group with no senior in the view (e.g. nobody borrowed that donor's tablets)
NOT_SPLIT_DONOR = "not_split"  # the row of tablets from courses that are not shown by donor


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


async def outcome_report(
    principal: Principal | None, scope: Scope, lang: str, today: dt.date | None = None
) -> OutcomeReport:
    """Check access, run the scope's queries, and compute the report off the event loop."""
    from cohorts.courses.status import start_due_cohorts

    await authorise(principal, scope)
    today = today or clock.today()
    # NOTE: a cohort whose first session has come counts as running even if nobody has opened its page yet.
    await start_due_cohorts(clock.today())
    rows = await load_rows(scope)
    title, detail = await describe(scope, lang)
    return await asyncio.to_thread(build_report, scope, rows, lang, title, detail, today)


def build_report(scope: Scope, rows: ScopeRows, lang: str, title: str, detail: str, today: dt.date) -> OutcomeReport:
    from assessments.instrument import current_instrument

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
    tablet" being the empty set); a donor view takes the parts holding that donor.
    """
    places = {(e["cohort"], e["participant"]): e["status"] for e in rows.enrolments}
    donors: dict[Key, set[str]] = defaultdict(set)
    for loan in rows.loans:
        donors[(loan["cohort"], loan["participant"])].add(loan["donor"])

    def cut(key: Key) -> frozenset[str]:
        return frozenset(donors.get(key, ()))

    wanted = (lambda part: scope.donor in part) if scope.donor else None
    members: dict[int, set[Key]] = {c["id"]: set() for c in rows.cohorts}
    for key in places:
        members[key[0]].add(key)
    ledger: Ledger = Ledger()
    left_out: Counter = Counter()
    kept: dict[int, frozenset[Key]] = {}
    cohort_reasons: dict[int, str] = {}
    for cohort, unit in members.items():
        ledger.unit("course", unit, cut)
        released = disclosure.release(unit, cut, wanted)
        if released.reason:
            left_out[released.reason] += 1
            cohort_reasons[cohort] = released.reason
        elif released.seniors:
            kept[cohort] = released.seniors
    counted = {k: places[k] for seniors in kept.values() for k in seniors}
    ledger.add("course", "course", counted)

    phases: dict[Key, dict[str, dict]] = defaultdict(dict)
    for a in rows.assessments:
        key = (a["cohort"], a["participant"])
        if key in places:
            phases[key][a["phase"]] = a

    def answers(name: str, family: str, answered: Callable[[Key], bool]) -> tuple[frozenset[Key], Counter]:
        """The answerers a figure may count: per kept cohort, its answerers released by the same rule."""
        released_keys: set[Key] = set()
        base: set[Key] = set()
        reasons: Counter = Counter()
        for cohort in kept:
            unit = {key for key in members[cohort] if answered(key)}
            ledger.unit(family, unit, cut)
            released = disclosure.release(unit, cut, wanted)
            if released.reason:
                reasons[released.reason] += 1
            elif released.seniors:
                released_keys |= released.seniors
                base |= kept[cohort]
        ledger.add(name, family, released_keys, base)
        return frozenset(released_keys), reasons

    pairs: dict[str, dict[Key, tuple[int, int]]] = {}
    skill_reasons: dict[str, str | None] = {}
    any_after = any("after" in phases[key] for key in counted)
    for code in skill_codes:

        def has_pair(key: Key, code: str = code) -> bool:
            p = phases.get(key, {})
            return (
                "before" in p
                and "after" in p
                and p["before"]["answers"].get(code) is not None
                and p["after"]["answers"].get(code) is not None
            )

        released, reasons = answers(f"skill:{code}", f"skill:{code}", has_pair)
        pairs[code] = {k: (phases[k]["before"]["answers"][code], phases[k]["after"]["answers"][code]) for k in released}
        if pairs[code]:
            skill_reasons[code] = None
        elif not any_after:
            skill_reasons[code] = NO_AFTER_ANSWERS
        else:
            skill_reasons[code] = disclosure.NOT_SPLIT if reasons[disclosure.NOT_SPLIT] else disclosure.UNDER_MINIMUM

    triples, followup_reasons = _followup_groups(
        ledger, kept, members, phases, skill_codes, cut, scope.donor, any("followup" in phases[k] for k in counted)
    )
    respondents, _ = answers("wishes", "wishes", lambda key: "before" in phases.get(key, {}))
    marked_keys = {(row["cohort"], row["participant"]) for row in rows.attendance if row["marks"]}
    marked, _ = answers("attendance", "attendance", lambda key: key in marked_keys)
    split_cohorts = {cohort for cohort in kept if disclosure.splits(members[cohort], cut)}
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
        split_cohorts,
        {k: cut(k) for k in counted},
        cohort_reasons,
        ledger,
    )


def _answered(phases: dict[Key, dict[str, dict]], key: Key, code: str, wanted: Iterable[str]) -> bool:
    p = phases.get(key, {})
    return all(phase in p and p[phase]["answers"].get(code) is not None for phase in wanted)


def _followup_groups(
    ledger: Ledger,
    kept: dict[int, frozenset[Key]],
    members: dict[int, set[Key]],
    phases: dict[Key, dict[str, dict]],
    skill_codes: Iterable[str],
    cut: Callable[[Key], frozenset[str]],
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
    for code in skill_codes:
        found: dict[Key, tuple[int, int, int]] = {}
        base: set[Key] = set()  # the released cohorts' seniors: what the count of answerers is taken over
        left_out: Counter = Counter()
        for cohort in kept:
            unit = {key for key in members[cohort] if _answered(phases, key, code, ("before", "after"))}

            by_donor = disclosure.splits(unit, cut)

            def part(key: Key, code: str = code, by_donor: bool = by_donor) -> tuple[frozenset[str] | None, bool]:
                followed = "followup" in phases[key] and phases[key]["followup"]["answers"].get(code) is not None
                return (cut(key) if by_donor else None), followed

            ledger.unit(f"followup:{code}", unit, part)
            if donor is not None and not by_donor and len(unit) >= REPORTING_MINIMUM:
                left_out[disclosure.NOT_SPLIT] += 1
                continue
            released = disclosure.release(
                unit, part, lambda p: p[1] and (donor is None or (p[0] is not None and donor in p[0]))
            )
            if released.reason:
                left_out[released.reason] += 1
            for key in released.seniors:
                found[key] = tuple(phases[key][phase]["answers"][code] for phase in FOLLOWUP_PHASES)  # type: ignore[assignment]
            if released.seniors:
                base |= kept[cohort]
        ledger.add(f"followup:{code}", f"followup:{code}", found, base)
        triples[code] = found
        if found:
            reasons[code] = None
        elif not any_followup:
            reasons[code] = NO_FOLLOWUP_ANSWERS
        else:
            reasons[code] = disclosure.NOT_SPLIT if left_out[disclosure.NOT_SPLIT] else disclosure.UNDER_MINIMUM
    return triples, reasons


def followup_figures(population: Population, instrument, lang: str) -> list[FollowupFigures]:
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
        on_own = [[int(level >= INDEPENDENT_LEVEL) for level in triple] for triple in triples]
        results.append(
            FollowupFigures(
                code=skill.code,
                label=skill.label(lang),
                suppressed=False,
                n=n,
                mean_before=sum(b for b, _, _ in triples) / n,
                mean_after=stats.mean_before,
                mean_followup=stats.mean_after,
                median_after=stats.median_before,
                median_followup=stats.median_after,
                independent_before=sum(o[0] for o in on_own),
                independent_after=sum(o[1] for o in on_own),
                independent_followup=sum(o[2] for o in on_own),
                still_independent=sum(o[1] * o[2] for o in on_own),
                share_independent_before=sum(o[0] for o in on_own) / n,
                share_independent_after=stats.share_independent_before,
                share_independent_followup=stats.share_independent_after,
                improved=stats.improved,
                same=stats.same,
                declined=stats.declined,
                levels_followup=[sum(1 for _, _, f in triples if f == v) for v in levels],
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


def skill_figures(population: Population, instrument, lang: str) -> list[SkillFigures]:
    results: list[SkillFigures] = []
    for skill in instrument.skills:
        pairs = list(population.pairs[skill.code].values())
        if len(pairs) < REPORTING_MINIMUM:
            reason = population.skill_reasons.get(skill.code) or disclosure.UNDER_MINIMUM
            results.append(SkillFigures(code=skill.code, label=skill.label(lang), suppressed=True, reason=reason))
            continue
        stats = paired_skill_stats(pairs)
        levels = range(instrument.min_level, instrument.max_level + 1)
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
                independent_before=sum(1 for b, _ in pairs if b >= INDEPENDENT_LEVEL),
                independent_after=sum(1 for _, a in pairs if a >= INDEPENDENT_LEVEL),
                share_independent_before=stats.share_independent_before,
                share_independent_after=stats.share_independent_after,
                improved=stats.improved,
                same=stats.same,
                declined=stats.declined,
                levels_before=[sum(1 for b, _ in pairs if b == v) for v in levels],
                levels_after=[sum(1 for _, a in pairs if a == v) for v in levels],
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


def course_figures(
    scope: Scope, rows: ScopeRows, population: Population, suppressed: bool, instrument, lang: str
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
    marks = Counter()
    for row in rows.attendance:
        if (row["cohort"], row["participant"]) in population.marked:
            marks[row["status"]] += row["marks"]
    total_marks = sum(marks.values())
    course.attendance_rate = marks["present"] / total_marks if total_marks else None
    answered = {(a["cohort"], a["participant"], a["phase"]) for a in rows.assessments}
    course.paired_seniors = sum(1 for c, p in places if (c, p, "before") in answered and (c, p, "after") in answered)
    course.followup_seniors = sum(1 for c, p in places if all((c, p, phase) in answered for phase in FOLLOWUP_PHASES))
    loans = [loan for loan in rows.loans if (loan["cohort"], loan["participant"]) in places]
    course.tablets_lent, course.tablets = donor_tablets(loans, population.split_cohorts)
    for row in course.tablets:
        if row.donor == NOT_SPLIT_DONOR:
            group = (k for k in places if k[0] not in population.split_cohorts)
        else:
            group = (k for k in places if k[0] in population.split_cohorts and row.donor in population.donors[k])
        population.ledger.add(f"tablets:{row.donor}", "course", group)
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
