"""An attacker's auditor for outcome reports: every released count and sum as a linear equation.

The attacker is as strong as we can make them: they know which senior is on which course,
whose tablets each borrowed and who answered what (a trainer might), and they may fetch
any number of reports. What they must not learn is anything that rests on fewer than
``MINIMUM`` seniors: a count, sum, mean or distribution of such a group, or one senior's
value.

Every senior has unknowns, one per measure (``before:email``, ``wish:bills``,
``loans:DNA:lost``, ``head`` for being counted at all, ...); a measure a senior has no
answer for is no unknown of theirs. A released figure says that the sum of one measure
over one group is some number: a row of 0/1 over the unknowns. Each equation is first
checked against the truth read straight from the tables (``Truth``), so the auditor works
only with equations that hold. Then the question is linear algebra: does the row space of
everything released contain a non-zero vector that touches fewer than ``MINIMUM``
seniors? Such a vector is a determined sum of a small group (a single senior's value is
the smallest case).

It is decided exactly: the unknowns fall into *atoms* (unknowns that every row takes
together), and every vector of the row space is constant on atoms, so when every atom
holds unknowns of at least ``MINIMUM`` seniors nothing small is determined. Otherwise the
small atoms are tested by exact rational elimination: is there a non-zero vector of the
row space supported on a few small atoms touching fewer than ``MINIMUM`` seniors?
Medians and tests are not linear; they are checked to be computed from the same groups,
whose atoms the analysis covers.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

MINIMUM = 5
Key = tuple[int, int]  # (cohort, participant)
Var = tuple[Key, str]  # (senior, measure)
OUTCOMES = ("returned", "kept", "lost", "out")
DONORS = ("DNA", "Vanhusten turva", "other")
LEVELS = range(0, 5)
INDEPENDENT = 2
PLACED = ("enrolled", "completed", "dropped")


def outcome_of(raw: str) -> str:
    return {"maintenance": "returned", "": "out"}.get(raw, raw)


@dataclass
class Truth:
    """Every senior's measures, read from the tables without the report's code."""

    values: dict[Var, int] = field(default_factory=dict)  # counts and levels: whole numbers
    skills: tuple[str, ...] = ()
    wishes: tuple[str, ...] = ()
    donors_of: dict[Key, frozenset[str]] = field(default_factory=dict)
    pairs: dict[Key, dict[str, tuple[int, int]]] = field(default_factory=dict)
    triples: dict[Key, dict[str, tuple[int, int, int]]] = field(default_factory=dict)  # before, after, follow-up
    volunteers_of: dict[Key, set[int]] = field(default_factory=dict)
    hours: dict[int, Fraction] = field(default_factory=dict)
    background: dict[Key, dict[str, str]] = field(default_factory=dict)  # age band, language, district

    def has(self, var: Var) -> bool:
        return var in self.values

    def value(self, var: Var) -> int:
        return self.values[var]


async def read_truth() -> Truth:
    """Plain selects of every table a report reads: placed seniors of every cohort."""
    from assessments.instrument import current_instrument
    from assessments.tables import Assessment
    from cohorts.tables import Attendance, CourseSession, Enrolment, Loan, Pairing, Tablet, VolunteerHours

    instrument = current_instrument()
    truth = Truth(skills=tuple(instrument.skill_codes), wishes=tuple(instrument.wish_codes))
    v = truth.values
    places = {
        (e["cohort"], e["participant"]): e["status"]
        for e in await Enrolment.select(Enrolment.cohort, Enrolment.participant, Enrolment.status)
        if e["status"] in PLACED
    }
    for key, status in places.items():
        v[(key, "head")] = 1
        for s in PLACED:
            v[(key, f"status:{s}")] = int(status == s)
        for d in DONORS:
            for o in OUTCOMES:
                v[(key, f"loans:{d}:{o}")] = 0
        v[(key, "pairings")] = 0
    donor_of_tablet = {t["id"]: t["donor"] for t in await Tablet.select(Tablet.id, Tablet.donor)}
    donors: dict[Key, set[str]] = defaultdict(set)
    for loan in await Loan.select(Loan.cohort, Loan.participant, Loan.tablet, Loan.outcome):
        key = (loan["cohort"], loan["participant"])
        if key in places:
            donor = donor_of_tablet[loan["tablet"]]
            donors[key].add(donor)
            v[(key, f"loans:{donor}:{outcome_of(loan['outcome'])}")] += 1
    truth.donors_of = {key: frozenset(donors.get(key, ())) for key in places}
    # The seniors' backgrounds, as the funder's report breaks them down: one 0/1 unknown per value.
    from cohorts.tables import Cohort, Participant

    starts = {c["id"]: c["start_date"] for c in await Cohort.select(Cohort.id, Cohort.start_date)}
    people = {
        p["id"]: p
        for p in await Participant.select(
            Participant.id, Participant.birth_year, Participant.language, Participant.district
        )
    }
    for key in places:
        person = people[key[1]]
        born = person["birth_year"]
        age = None if born is None else starts[key[0]].year - born
        band = (
            "unknown"
            if age is None
            else "under_65"
            if age < 65
            else "65_74"
            if age < 75
            else "75_84"
            if age < 85
            else "85_plus"
        )
        language = person["language"] if person["language"] in ("fi", "sv", "en") else "other"
        district = (person["district"] or "").strip() or "unknown"
        truth.background[key] = {"age": band, "language": language, "district": district}
    cancelled = {s["id"] for s in await CourseSession.select(CourseSession.id).where(CourseSession.cancelled.eq(True))}
    session_cohort = {s["id"]: s["cohort"] for s in await CourseSession.select(CourseSession.id, CourseSession.cohort)}
    marks: dict[Key, Counter] = defaultdict(Counter)
    for a in await Attendance.select(Attendance.session, Attendance.participant, Attendance.status):
        key = (session_cohort[a["session"]], a["participant"])
        if key in places and a["session"] not in cancelled:
            marks[key][a["status"]] += 1
    for key, counter in marks.items():
        v[(key, "attendance:present")] = int(counter["present"])
        v[(key, "attendance:marks")] = int(sum(counter.values()))
    for p in await Pairing.select(Pairing.cohort, Pairing.participant, Pairing.volunteer):
        key = (p["cohort"], p["participant"])
        if key in places:
            v[(key, "pairings")] += 1
            truth.volunteers_of.setdefault(key, set()).add(p["volunteer"])
    for h in await VolunteerHours.select(VolunteerHours.cohort, VolunteerHours.hours):
        truth.hours[h["cohort"]] = truth.hours.get(h["cohort"], Fraction(0)) + Fraction(h["hours"]).limit_denominator(
            100
        )
    phases: dict[Key, dict[str, dict]] = defaultdict(dict)
    for a in await Assessment.select(
        Assessment.cohort, Assessment.participant, Assessment.phase, Assessment.answers, Assessment.wishes
    ).output(load_json=True):
        key = (a["cohort"], a["participant"])
        if key in places:
            phases[key][a["phase"]] = a
    for key in places:
        p = phases.get(key, {})
        v[(key, "answered_before")] = int("before" in p)
        v[(key, "answered_both")] = int("before" in p and "after" in p)
        v[(key, "answered_all_phases")] = int("before" in p and "after" in p and "followup" in p)
        if "before" in p:
            wished = set(p["before"]["wishes"] or [])
            for code in truth.wishes:
                v[(key, f"wish:{code}")] = int(code in wished)
        truth.pairs[key] = {}
        for code in truth.skills:
            b = (p.get("before") or {}).get("answers", {}).get(code) if "before" in p else None
            a = (p.get("after") or {}).get("answers", {}).get(code) if "after" in p else None
            answered = b is not None and a is not None
            v[(key, f"answered:{code}")] = int(answered)
            if not answered:
                continue
            truth.pairs[key][code] = (b, a)
            v[(key, f"before:{code}")] = int(b)
            v[(key, f"after:{code}")] = int(a)
            for k in LEVELS:
                v[(key, f"level_before:{code}:{k}")] = int(b == k)
                v[(key, f"level_after:{code}:{k}")] = int(a == k)
            v[(key, f"improved:{code}")] = int(a > b)
            v[(key, f"same:{code}")] = int(a == b)
            v[(key, f"declined:{code}")] = int(a < b)
            v[(key, f"independent_before:{code}")] = int(b >= INDEPENDENT)
            v[(key, f"independent_after:{code}")] = int(a >= INDEPENDENT)
        truth.triples[key] = {}
        for code in truth.skills:
            # The follow-up's measures: a senior who answered the skill all three times.
            f = (p["followup"].get("answers") or {}).get(code) if "followup" in p else None
            has_all = code in truth.pairs[key] and f is not None
            v[(key, f"answered_all:{code}")] = int(has_all)
            if not has_all:
                continue
            b, a = truth.pairs[key][code]
            truth.triples[key][code] = (b, a, f)
            v[(key, f"followup:{code}")] = int(f)
            for k in LEVELS:
                v[(key, f"level_followup:{code}:{k}")] = int(f == k)
            v[(key, f"independent_followup:{code}")] = int(f >= INDEPENDENT)
            v[(key, f"still_independent:{code}")] = int(a >= INDEPENDENT and f >= INDEPENDENT)
            v[(key, f"kept_improved:{code}")] = int(f > a)
            v[(key, f"kept_same:{code}")] = int(f == a)
            v[(key, f"kept_declined:{code}")] = int(f < a)
    return truth


class Mismatch(AssertionError):
    """A released figure is not the sum the auditor was told it is."""


@dataclass
class Finding:
    seniors: frozenset[Key]
    figures: list[str]

    def __str__(self) -> str:
        return f"{len(self.seniors)} senior(s) {sorted(self.seniors)} determined through {self.figures[:6]}"


class Auditor:
    """Collects checked equations and says what they determine."""

    def __init__(self, truth: Truth, minimum: int = MINIMUM) -> None:
        self.truth = truth
        self.minimum = minimum
        self.rows: dict[frozenset[Var], str] = {}
        self.checked = 0

    # --- equations --------------------------------------------------------------
    def equation(
        self,
        group: Iterable[Key],
        measure: str | Iterable[str],
        released: float | int | None,
        figure: str,
        strict: bool = True,
    ) -> bool:
        """``released`` is the sum of ``measure`` over ``group`` (the seniors who have it). False if it is not (or
        raise,
        ``strict``).
        """
        measures = [measure] if isinstance(measure, str) else list(measure)
        row = frozenset((key, m) for key in group for m in measures if self.truth.has((key, m)))
        expected = sum(self.truth.value(var) for var in row)
        if released is None or not math.isclose(float(expected), float(released), rel_tol=1e-9, abs_tol=1e-6):
            if strict:
                raise Mismatch(f"{figure}: released {released}, the group's true sum is {float(expected)}")
            return False
        self.checked += 1
        if row:
            self.rows.setdefault(row, figure)
        return True

    def mean(
        self, group: Iterable[Key], measure: str | Iterable[str], mean: float | None, figure: str, strict: bool = True
    ) -> bool:
        """A mean over the seniors who have the measure: the sum, with the count taken as known (the worst case)."""
        measures = [measure] if isinstance(measure, str) else list(measure)
        count = sum(1 for key in group for m in measures if self.truth.has((key, m)))
        if mean is None:
            if count and strict:
                raise Mismatch(f"{figure}: no mean released for {count} answers")
            return count == 0
        return self.equation(group, measures, mean * count, figure, strict)

    # --- analysis ---------------------------------------------------------------
    def small_atoms(self) -> list[frozenset[Key]]:
        """The seniors of each atom that touches fewer than the minimum: none means every figure rests on blocks."""
        return [s for s in self._atoms()[1] if len(s) < self.minimum]

    def _atoms(self) -> tuple[list[set[Var]], list[frozenset[Key]]]:
        signature: dict[Var, list[int]] = defaultdict(list)
        for index, row in enumerate(self.rows):
            for var in row:
                signature[var].append(index)
        by_signature: dict[tuple[int, ...], set[Var]] = defaultdict(set)
        for var, indices in signature.items():
            by_signature[tuple(indices)].add(var)
        atoms = list(by_signature.values())
        return atoms, [frozenset(var[0] for var in atom) for atom in atoms]

    def findings(self, limit: int = 3, max_combinations: int = 5000) -> list[Finding]:
        """Groups of fewer than the minimum whose sums (some non-zero combination) the released rows determine."""
        rows = list(self.rows)
        atoms, seniors = self._atoms()
        small = [i for i, s in enumerate(seniors) if len(s) < self.minimum]
        if not small:
            return []
        atom_of = {var: i for i, atom in enumerate(atoms) for var in atom}
        atom_rows = [frozenset(atom_of[var] for var in row) for row in rows]
        # Rows only meet through shared atoms: each connected part is solved on its own.
        parent = list(range(len(atoms)))

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        for row in atom_rows:
            first, *rest = row
            for other in rest:
                parent[find(other)] = find(first)
        found: list[Finding] = []
        for root in sorted({find(i) for i in small}):
            part_atoms = sorted(i for i in range(len(atoms)) if find(i) == root)
            part_rows = [(row, rows[n]) for n, row in enumerate(atom_rows) if find(next(iter(row))) == root]
            basis = _echelon([[Fraction(int(a in row)) for a in part_atoms] for row, _ in part_rows])
            column = {a: c for c, a in enumerate(part_atoms)}
            candidates = [i for i in small if find(i) == root]
            tried = 0
            for size in range(1, self.minimum):
                hit = None
                for combo in itertools.combinations(candidates, size):
                    tried += 1
                    if tried > max_combinations:
                        raise RuntimeError("too many small atoms to decide: the auditor's search is bounded")
                    union = frozenset().union(*(seniors[i] for i in combo))
                    if len(union) >= self.minimum:
                        continue
                    keep = [c for a, c in column.items() if a not in combo]
                    if _rank([[r[c] for c in keep] for r in basis]) < len(basis):
                        hit = Finding(union, sorted({self.rows[row_vars] for _, row_vars in part_rows}))
                        break
                if hit:
                    found.append(hit)
                    break
            if len(found) >= limit:
                break
        return found


def _echelon(matrix: list[list[Fraction]]) -> list[list[Fraction]]:
    """A basis of the row space, by exact elimination."""
    rows = [list(r) for r in matrix]
    basis: list[list[Fraction]] = []
    width = len(rows[0]) if rows else 0
    for c in range(width):
        pivot = next((r for r in rows if r[c] != 0), None)
        if pivot is None:
            continue
        rows.remove(pivot)
        pivot = [x / pivot[c] for x in pivot]
        rows = [[x - r[c] * p for x, p in zip(r, pivot)] if r[c] != 0 else r for r in rows]
        basis.append(pivot)
    return basis


def _rank(matrix: list[list[Fraction]]) -> int:
    return len(_echelon(matrix)) if matrix and matrix[0] else 0


# --- reading a report ---------------------------------------------------------------
def audit_report(auditor: Auditor, body: dict[str, Any], ledger, strict: bool = True) -> None:
    """Every figure of one report (its JSON body) as equations over the groups its ledger names.

    ``strict`` (the groups are the ones released, ``report.released``): raise ``Mismatch``
    if a figure is not what its group's data give. Otherwise the groups are an attacker's
    guess (``NaiveLedger``): each group's figures are used only when its head count (a
    number the attacker can work out from who is where) matches the released one, and
    an equation that still does not hold is left out.
    An AssertionError says the body carries a figure this auditor does not know.
    """
    from digiystava.reports.statistics import paired_skill_stats

    truth, seen = auditor.truth, set()
    released, base = ledger.released, ledger.base
    where = "&".join(f"{k}={v}" for k, v in body["scope"].items()) or "programme"

    def eq(group, measure, value, figure) -> bool:
        seen.add(figure)
        return auditor.equation(group, measure, value, f"{where}: {figure}", strict=strict)

    def mean(group, measure, value, figure) -> bool:
        seen.add(figure)
        return auditor.mean(group, measure, value, f"{where}: {figure}", strict=strict)

    def check(condition: bool, figure: str) -> None:
        seen.add(figure)
        if strict and not condition:
            raise Mismatch(figure)

    def count(group, measure) -> int:
        return sum(1 for key in group if truth.values.get((key, measure)))

    def gate(group, measure, value, figure) -> bool:
        """Whether the figures that follow are about ``group``: its count, as the attacker can work it out."""
        seen.add(figure)
        if strict:
            return True
        return value == count(group, measure)

    course = body["course"]
    loans_all = [f"loans:{d}:{o}" for d in DONORS for o in OUTCOMES]
    if body["suppressed"]:
        check(
            course["cohorts"] == 0 and course["seniors"] is None and not course["tablets"] and not course["wishes"],
            "course.cohorts",
        )
    elif gate(released["course"], "head", course["seniors"], "course.seniors"):
        g = released["course"]
        eq(g, "head", course["seniors"], "course.seniors")
        eq(g, "status:completed", course["completed"], "course.completed")
        eq(g, "status:dropped", course["dropped"], "course.dropped")
        eq(g, "status:enrolled", course["on_course"], "course.on_course")
        eq(g, "answered_both", course["paired_seniors"], "course.paired_seniors")
        eq(g, "answered_all_phases", course["followup_seniors"], "course.followup_seniors")
        eq(g, "pairings", course["volunteer_pairs"], "course.volunteer_pairs")
        eq(g, loans_all, course["tablets_lent"], "course.tablets_lent")
        # Not linear: the distinct volunteers of the group's pairs.
        check(
            course["volunteers"] == len(set().union(*(truth.volunteers_of.get(k, set()) for k in g))),
            "course.volunteers",
        )
        # Cohort figures, not seniors': how many courses, and their volunteers' hours, whole.
        cohorts = {k[0] for k in g}
        check(course["cohorts"] == len(cohorts), "course.cohorts")
        hours = course["volunteer_hours"]
        check(
            hours is None or math.isclose(hours, round(float(sum(truth.hours.get(c, 0) for c in cohorts)), 1)),
            "course.volunteer_hours",
        )
        # The rate is a ratio; the worst case: the attacker also knows the marks behind it.
        marked, rate = released["attendance"], course["attendance_rate"]
        seen.add("course.attendance_rate")
        if marked:
            marks = sum(truth.value((k, "attendance:marks")) for k in marked)
            eq(marked, "attendance:marks", marks, "course.attendance_rate")
            eq(marked, "attendance:present", None if rate is None else rate * float(marks), "course.attendance_rate")
        else:
            check(rate is None, "course.attendance_rate")
        if gate(released["wishes"], "answered_before", course["wish_respondents"], "course.wish_respondents"):
            eq(base["wishes"], "answered_before", course["wish_respondents"], "course.wish_respondents")
            for code in truth.wishes:
                eq(released["wishes"], f"wish:{code}", course["wishes"].get(code, 0), f"course.wishes.{code}")
        for row in course["tablets"]:
            t = released[f"tablets:{row['donor']}"]
            donors = DONORS if row["donor"] == "not_split" else (row["donor"],)
            if row["suppressed"]:
                check(
                    False, f"tablets.{row['donor']}: a tablets row is never hidden, its group being a union of blocks"
                )
                continue
            lent = [f"loans:{d}:{o}" for d in donors for o in OUTCOMES]
            seen.update(f"tablets.{row['donor']}.{name}" for name in ("lent", *OUTCOMES))
            if strict or row["lent"] == sum(truth.values.get((k, m), 0) for k in t for m in lent):
                eq(t, lent, row["lent"], f"tablets.{row['donor']}.lent")
                for o in OUTCOMES:
                    eq(t, [f"loans:{d}:{o}" for d in donors], row[o], f"tablets.{row['donor']}.{o}")
    for skill in body["skills"]:
        code = skill["code"]
        if skill["suppressed"]:
            check(all(skill[f] is None for f in ("n", "mean_before", "levels_before", "p_value")), f"{code}.n")
            continue
        pairs = released[f"skill:{code}"]
        if not gate(pairs, f"answered:{code}", skill["n"], f"{code}.n"):
            continue
        eq(base[f"skill:{code}"], f"answered:{code}", skill["n"], f"{code}.n")
        mean(pairs, f"before:{code}", skill["mean_before"], f"{code}.mean_before")
        mean(pairs, f"after:{code}", skill["mean_after"], f"{code}.mean_after")
        for phase in ("before", "after"):
            for k in LEVELS:
                eq(pairs, f"level_{phase}:{code}:{k}", skill[f"levels_{phase}"][k], f"{code}.levels_{phase}")
            eq(pairs, f"independent_{phase}:{code}", skill[f"independent_{phase}"], f"{code}.independent_{phase}")
            mean(
                pairs,
                f"independent_{phase}:{code}",
                skill[f"share_independent_{phase}"],
                f"{code}.share_independent_{phase}",
            )
        for change in ("improved", "same", "declined"):
            eq(pairs, f"{change}:{code}", skill[change], f"{code}.{change}")
        # Not linear: medians and the test, computed again from the same group.
        stats = paired_skill_stats([truth.pairs[k][code] for k in sorted(pairs)])
        for name in ("median_before", "median_after", "wilcoxon_statistic", "p_value", "effect_size"):
            mine, theirs = getattr(stats, name), skill[name]
            check(
                (mine is None and theirs is None)
                or (None not in (mine, theirs) and math.isclose(mine, theirs, rel_tol=1e-9, abs_tol=1e-12)),
                f"{code}.{name}",
            )
    for skill in body["followup"]:
        code = skill["code"]
        figure = f"followup.{code}"
        if skill["suppressed"]:
            check(all(skill[f] is None for f in ("n", "mean_followup", "levels_followup", "p_value")), f"{figure}.n")
            continue
        triples = released[f"followup:{code}"]
        if not gate(triples, f"answered_all:{code}", skill["n"], f"{figure}.n"):
            # The attacker's guess of the group is wrong: these figures give them no equation.
            seen.update(f"{figure}.{name}" for name in skill)
            continue
        eq(base[f"followup:{code}"], f"answered_all:{code}", skill["n"], f"{figure}.n")
        for phase, measure in (("before", "before"), ("after", "after"), ("followup", "followup")):
            mean(triples, f"{measure}:{code}", skill[f"mean_{phase}"], f"{figure}.mean_{phase}")
            eq(triples, f"independent_{phase}:{code}", skill[f"independent_{phase}"], f"{figure}.independent_{phase}")
            mean(
                triples,
                f"independent_{phase}:{code}",
                skill[f"share_independent_{phase}"],
                f"{figure}.share_independent_{phase}",
            )
        for k in LEVELS:
            eq(triples, f"level_followup:{code}:{k}", skill["levels_followup"][k], f"{figure}.levels_followup")
        eq(triples, f"still_independent:{code}", skill["still_independent"], f"{figure}.still_independent")
        for change in ("improved", "same", "declined"):
            eq(triples, f"kept_{change}:{code}", skill[change], f"{figure}.{change}")
        # Not linear: the medians and the test of the follow-up against the end, from the same group.
        stats = paired_skill_stats([truth.triples[k][code][1:] for k in sorted(triples)])
        for name, theirs in (
            ("median_before", skill["median_after"]),
            ("median_after", skill["median_followup"]),
            ("wilcoxon_statistic", skill["wilcoxon_statistic"]),
            ("p_value", skill["p_value"]),
            ("effect_size", skill["effect_size"]),
        ):
            mine = getattr(stats, name)
            label = {"median_before": "median_after", "median_after": "median_followup"}.get(name, name)
            check(
                (mine is None and theirs is None)
                or (None not in (mine, theirs) and math.isclose(mine, theirs, rel_tol=1e-9, abs_tol=1e-12)),
                f"{figure}.{label}",
            )
    paired_any = frozenset().union(*(group for name, group in released.items() if name.startswith("skill:")))
    view = "donor" if body["scope"].get("donor") else "whole"
    for group in body["groups"]:
        if group["suppressed"]:
            check(group["seniors"] is None and group["mean_before"] is None, "groups.seniors")
            continue
        g = released[f"group:{group['key']}"]
        if not gate(g, "head", group["seniors"], "groups.seniors"):
            continue
        eq(g, "head", group["seniors"], "groups.seniors")
        eq(g, "status:completed", group["completed"], "groups.completed")
        # Whether a senior has a pair in some skill is fixed for a view (whole cohorts, or donor parts).
        for k in g:
            truth.values.setdefault((k, f"paired_any:{view}"), int(k in paired_any))
        eq(g, f"paired_any:{view}", group["paired_seniors"], "groups.paired_seniors")
        # The group's mean over every skill's released pairs: one sum over (senior, skill) unknowns.
        for phase in ("before", "after"):
            over = [(k, code) for code in truth.skills for k in released[f"skill:{code}"] if k in g]
            for measure, name in ((phase, f"mean_{phase}"), (f"independent_{phase}", f"share_independent_{phase}")):
                seen.add(f"groups.{name}")
                value = group[name]
                row = [(k, f"{measure}:{code}") for k, code in over]
                expected = sum(truth.value(var) for var in row)
                holds = (value is None and not row) or (
                    value is not None and math.isclose(float(expected), value * len(row), abs_tol=1e-6)
                )
                check(holds, f"groups.{name}")
                if row and holds:
                    auditor.rows.setdefault(frozenset(row), f"{where}: groups.{name}")
    unknown = _numeric_paths(body) - seen - NOT_ABOUT_SENIORS
    assert not unknown, f"figures the auditor does not know: {sorted(unknown)}"


class NaiveLedger:
    """An attacker's guess of the groups behind a report: everyone in ``group`` who could count.

    Replays an attack against a report whose real groups one does not know: a group's
    figures are used when its released count matches the guess.
    """

    def __init__(self, truth: Truth, group: Iterable[Key]) -> None:
        group = frozenset(group)
        self.released = _Guess(truth, group)
        self.base = _Guess(truth, group, base=True)


class _Guess(dict):
    def __init__(self, truth: Truth, group: frozenset[Key], base: bool = False) -> None:
        super().__init__()
        self.truth, self.group, self.is_base = truth, group, base

    def __missing__(self, name: str) -> frozenset[Key]:
        t, g = self.truth, self.group
        if self.is_base or name in ("course",) or name.startswith("group:") or name == "tablets:not_split":
            return g
        if name.startswith("skill:"):
            return frozenset(k for k in g if name[6:] in t.pairs.get(k, {}))
        if name.startswith("followup:"):
            return frozenset(k for k in g if name[9:] in t.triples.get(k, {}))
        if name == "wishes":
            return frozenset(k for k in g if t.values.get((k, "answered_before")))
        if name == "attendance":
            return frozenset(k for k in g if t.has((k, "attendance:marks")))
        if name.startswith("tablets:"):
            return frozenset(k for k in g if name[8:] in t.donors_of.get(k, ()))
        raise KeyError(name)

    def items(self):  # the skill groups, for a comparison's paired seniors
        return [(f"skill:{code}", self[f"skill:{code}"]) for code in self.truth.skills]


# Numbers in a report that are not sums over seniors: the rule, cohort counts, the test count.
NOT_ABOUT_SENIORS = {"minimum", "tested_skills", "followup_tested", "left_out_cohorts", "missing.count", "p_holm"}


def _numeric_paths(body: dict[str, Any]) -> set[str]:
    """Where the report has numbers, named as ``audit_report`` names them."""
    paths = set()
    course = body["course"]
    for name, value in course.items():
        if name == "tablets":
            for row in value:
                paths |= {
                    f"tablets.{row['donor']}.{k}"
                    for k, v in row.items()
                    if isinstance(v, (int, float)) and not isinstance(v, bool)
                }
        elif name in ("wishes",):
            paths |= {f"course.wishes.{code}" for code in value}
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            paths.add(f"course.{name}")
    for skill in body["skills"]:
        for name, value in skill.items():
            if name == "p_holm":
                continue
            if (
                isinstance(value, (int, float, list))
                and not isinstance(value, bool)
                and value is not None
                and name != "notes"
            ):
                paths.add(f"{skill['code']}.{name}")
    for skill in body.get("followup", []):
        paths |= {
            f"followup.{skill['code']}.{name}"
            for name, value in skill.items()
            if name not in ("p_holm", "notes")
            and isinstance(value, (int, float, list))
            and not isinstance(value, bool)
            and value is not None
        }
    for group in body["groups"]:
        paths |= {f"groups.{k}" for k, v in group.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}
    paths |= {k for k in ("minimum", "tested_skills", "followup_tested", "left_out_cohorts") if k in body}
    if any(gap.get("count") is not None for gap in body.get("missing", [])):
        paths.add("missing.count")
    return paths


# --- the funder's report ---------------------------------------------------------------
FUNDER_NOT_ABOUT_SENIORS = {"sessions_held"}


def audit_funder_report(auditor: Auditor, body: dict[str, Any], ledger) -> None:
    """The funder's report: its outcome figures as an outcome report's, then the breakdowns and the independent.

    A breakdown's part is a count of one background value over the courses shown by that
    breakdown (a sum of 0/1 unknowns over whole blocks); the courses not broken down are a
    head count of whole courses. Sessions and costs are not about seniors; the feedback
    counts answers under its own rule (``reports/feedback.py``).
    """
    truth, released = auditor.truth, ledger.released
    where = f"funder {body.get('date_from')}..{body.get('date_to')}"
    outcome = {
        "scope": {"funder_from": str(body.get("date_from")), "funder_to": str(body.get("date_to"))},
        "suppressed": body["suppressed"],
        "course": body["course"],
        "skills": body["skills"],
        "followup": body["followup"],
        "groups": [],
        "missing": [],
    }
    audit_report(auditor, outcome, ledger)
    if body["suppressed"]:
        assert body["reach"] == [] and body["independent_seniors"] is None, "a suppressed report shows no reach"
        return
    for breakdown in body["reach"]:
        by = breakdown["by"]
        # The rule itself, from the tables: every course shown by this breakdown has each value none or 5+, so no
        # difference of two periods (whole courses) leaves a small part.
        shown = frozenset().union(
            *(ledger.base[f"reach:{by}:{r['key']}"] for r in breakdown["rows"] if r["key"] != "not_shown")
        )
        per_course = Counter((key[0], truth.background[key][by]) for key in shown)
        small = {part: n for part, n in per_course.items() if n < MINIMUM}
        assert not small, f"{where}: reach.{by} shows a course whose part is under {MINIMUM}: {small}"
        for row in breakdown["rows"]:
            group = released[f"reach:{by}:{row['key']}"]
            if row["key"] == "not_shown":
                auditor.equation(group, "head", row["seniors"], f"{where}: reach.{by}.not_shown")
                continue
            for key in ledger.base[f"reach:{by}:{row['key']}"]:
                truth.values.setdefault((key, f"{by}:{row['key']}"), int(truth.background[key][by] == row["key"]))
            auditor.equation(
                ledger.base[f"reach:{by}:{row['key']}"], f"{by}:{row['key']}", row["seniors"], f"{where}: reach.{by}"
            )
    # Whether a senior became independent in some skill is fixed by the skills' released pairs (whole cohorts).
    course = released["course"]
    pairs = {name[6:]: group for name, group in released.items() if name.startswith("skill:")}
    for key in course:
        became = any(
            key in group and truth.pairs[key][code][0] < INDEPENDENT <= truth.pairs[key][code][1]
            for code, group in pairs.items()
        )
        truth.values.setdefault((key, "independent_any"), int(became))
    auditor.equation(course, "independent_any", body["independent_seniors"], f"{where}: independent_seniors")
