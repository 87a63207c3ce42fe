"""The funder's report: whom the courses reached, what the seniors learned and kept, and what it cost.

It is the outcome report of a period (the same groups, released by the same rule, so
the same figures) plus what a funder asks next:

- seniors reached by age band, language and home district: each breakdown is a cut of
  a course's seniors, and a course is shown by it only when every part is none or at
  least the minimum (``disclosure.release``); the other courses are one row, whole, so
  no difference of two reports gives a part under the minimum;
- the seniors who became independent (from below "on my own" to it or higher) in at
  least one skill, counted inside the course group over the skills' released pairs;
- the costs the coordinator recorded for the period and funder, in whole cents, and the
  cost per senior reached and per senior who became independent, with and without the
  in-kind value of donated tablets and volunteer hours.

Costs are not about seniors; the feedback comes from ``feedback.py`` (courses whose
answers are at least the minimum), without free text.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable, Hashable
from typing import Any

from piccolo.query.functions.aggregate import Count
from pydantic import PrivateAttr

from cohorts.costs.rates import IN_KIND
from cohorts.costs.services import line_total
from cohorts.courses.status import start_due_cohorts
from cohorts.tables import COST_CATEGORIES, Cost, CourseSession, Participant, VolunteerHours
from digiystava import clock
from digiystava.access import Principal, require
from digiystava.i18n import LANGUAGES
from digiystava.reports import disclosure
from digiystava.reports.feedback import FeedbackReport, feedback_report
from digiystava.reports.figures import Key, build_report
from digiystava.reports.funder_summary import sentences
from digiystava.reports.queries import load_rows
from digiystava.reports.schemas import CourseFigures, FollowupFigures, SkillFigures
from digiystava.reports.scope import Scope, describe, parse_scope
from digiystava.reports.statistics import INDEPENDENT_LEVEL, REPORTING_MINIMUM
from digiystava.schemas import Out
from pdf_templates.funder_report import AGE_BANDS

CUTS = ("age", "language", "district")
NOT_SHOWN = "not_shown"
UNKNOWN = "unknown"


class CountRow(Out):
    key: str  # an age band, a language code, a district; "unknown"; "not_shown" for courses not broken down
    seniors: int


class Breakdown(Out):
    by: str  # age, language, district
    rows: list[CountRow]


class CostLineTotal(Out):
    category: str
    in_kind: bool
    cents: int


class FunderReport(Out):
    date_from: dt.date | None
    date_to: dt.date | None
    funder: str | None  # STEA, city, other; None: every funder
    language: str
    generated_on: dt.date
    minimum: int
    suppressed: bool
    summary: list[str] = []
    course: CourseFigures
    sessions_held: int | None = None
    independent_seniors: int | None = None  # became independent in at least one skill (course places)
    reach: list[Breakdown] = []
    skills: list[SkillFigures] = []
    followup: list[FollowupFigures] = []
    feedback: FeedbackReport | None = None
    costs: list[CostLineTotal] = []
    money_cents: int = 0
    in_kind_cents: int = 0
    cost_per_senior_cents: int | None = None
    cost_per_senior_with_in_kind_cents: int | None = None
    cost_per_independent_cents: int | None = None
    cost_per_independent_with_in_kind_cents: int | None = None

    # The groups each figure was computed from (not part of any format): see disclosure.Ledger.
    _ledger: Any = PrivateAttr(default=None)

    @property
    def released(self) -> Any:
        return self._ledger


def age_band(birth_year: int | None, on: dt.date) -> str:
    if birth_year is None:
        return UNKNOWN
    age = on.year - birth_year
    return "under_65" if age < 65 else "65_74" if age < 75 else "75_84" if age < 85 else "85_plus"


def language_of(code: str | None) -> str:
    return code if code in LANGUAGES else ("other" if code else UNKNOWN)


async def funder_report(
    principal: Principal,
    date_from: dt.date | None,
    date_to: dt.date | None,
    funder: str | None,
    lang: str,
    today: dt.date | None = None,
) -> FunderReport:
    """Coordinators and the steering group read it (the command line too); a period's courses by start date."""
    require(principal, "funder_report.read")
    scope = parse_scope(date_from=date_from, date_to=date_to)
    today = today or clock.today()
    await start_due_cohorts(clock.today())
    rows = await load_rows(scope)
    title, detail = await describe(scope, lang)
    people = await _people([e["participant"] for e in rows.enrolments])
    sessions = await _sessions([c["id"] for c in rows.cohorts], today)
    costs = await cost_totals(date_from, date_to, funder)
    feedback = await feedback_report(principal, scope, lang, rows)
    feedback.free_text = None  # NOTE: the seniors' own words stay with the coordinators
    return await asyncio.to_thread(
        build_funder_report, scope, rows, people, sessions, costs, feedback, funder, lang, title, detail, today
    )


def build_funder_report(
    scope: Scope, rows, people, sessions, costs, feedback, funder, lang, title, detail, today
) -> FunderReport:
    outcome = build_report(scope, rows, lang, title, detail, today)
    ledger = outcome.released
    counted: frozenset[Key] = ledger.released["course"]
    report = FunderReport(
        date_from=scope.date_from,
        date_to=scope.date_to,
        funder=funder,
        language=lang,
        generated_on=today,
        minimum=REPORTING_MINIMUM,
        suppressed=outcome.suppressed,
        course=outcome.course,
        skills=outcome.skills,
        followup=outcome.followup,
        feedback=feedback,
        costs=[CostLineTotal(**c) for c in costs],
        money_cents=sum(c["cents"] for c in costs if not c["in_kind"]),
        in_kind_cents=sum(c["cents"] for c in costs if c["in_kind"]),
    )
    if not outcome.suppressed:
        kept = {k[0] for k in counted}
        report.sessions_held = sum(sessions.get(c, 0) for c in kept)
        report.independent_seniors = len(independent(rows, ledger, counted))
        ledger.add("independent", "course", counted)
        report.reach = reach(rows, people, counted, ledger)
        seniors, independents = len(counted), report.independent_seniors
        total = report.money_cents + report.in_kind_cents
        report.cost_per_senior_cents = _per(report.money_cents, seniors)
        report.cost_per_senior_with_in_kind_cents = _per(total, seniors)
        report.cost_per_independent_cents = _per(report.money_cents, independents)
        report.cost_per_independent_with_in_kind_cents = _per(total, independents)
    disclosure.check(ledger)
    report._ledger = ledger

    report.summary = sentences(report)
    return report


def _per(cents: int, seniors: int) -> int | None:
    return round(cents / seniors) if seniors and cents else None


def independent(rows, ledger, counted: frozenset[Key]) -> set[Key]:
    """Seniors of the course group with a released pair, in some skill, from below "on my own" to it or higher."""
    phases: dict[Key, dict[str, dict]] = {}
    for a in rows.assessments:
        phases.setdefault((a["cohort"], a["participant"]), {})[a["phase"]] = a["answers"] or {}
    found: set[Key] = set()
    for name, group in ledger.released.items():
        if not name.startswith("skill:"):
            continue
        code = name[6:]
        for key in group & counted:
            before, after = phases[key]["before"][code], phases[key]["after"][code]
            if before < INDEPENDENT_LEVEL <= after:
                found.add(key)
    return found


def reach(rows, people: dict[int, dict], counted: frozenset[Key], ledger) -> list[Breakdown]:
    """Per breakdown, each course shown by its parts when every part is none or at least the minimum."""
    starts = {c["id"]: c["start_date"] for c in rows.cohorts}
    members: dict[int, set[Key]] = {}
    for key in counted:
        members.setdefault(key[0], set()).add(key)

    def cut_of(by: str) -> Callable[[Key], Hashable]:
        def cut(key: Key) -> Hashable:
            person = people.get(key[1], {})
            if by == "age":
                return age_band(person.get("birth_year"), starts[key[0]])
            if by == "language":
                return language_of(person.get("language"))
            return (person.get("district") or "").strip() or UNKNOWN

        return cut

    result = []
    for by in CUTS:
        cut = cut_of(by)
        parts: dict[Hashable, set[Key]] = {}
        not_shown: set[Key] = set()
        for unit in members.values():
            ledger.unit(f"reach:{by}", unit, cut)
            if disclosure.splits(unit, cut):
                for key in unit:
                    parts.setdefault(cut(key), set()).add(key)
            else:
                not_shown |= unit
        shown = frozenset().union(*parts.values()) if parts else frozenset()
        for part, group in parts.items():
            ledger.add(f"reach:{by}:{part}", f"reach:{by}", group, base=shown)
        ledger.add(f"reach:{by}:{NOT_SHOWN}", f"reach:{by}", not_shown)
        order = AGE_BANDS if by == "age" else ()
        keys = sorted(parts, key=lambda p: (p == UNKNOWN, order.index(p) if p in order else 0, str(p)))
        rows_ = [CountRow(key=str(p), seniors=len(parts[p])) for p in keys]
        if not_shown:
            rows_.append(CountRow(key=NOT_SHOWN, seniors=len(not_shown)))
        result.append(Breakdown(by=by, rows=rows_))
    return result


async def _people(ids: list[int]) -> dict[int, dict]:

    if not ids:
        return {}
    found = await Participant.select(
        Participant.id, Participant.birth_year, Participant.language, Participant.district
    ).where(Participant.id.is_in(sorted(set(ids))))
    return {p["id"]: p for p in found}


async def _sessions(cohort_ids: list[int], today: dt.date) -> dict[int, int]:
    """Sessions held: not cancelled, on or before today."""

    if not cohort_ids:
        return {}
    found = (
        await CourseSession.select(CourseSession.cohort, Count(alias="n"))
        .where(
            CourseSession.cohort.is_in(cohort_ids),
            CourseSession.cancelled.eq(False),
            CourseSession.date <= today,
        )
        .group_by(CourseSession.cohort)
    )
    return {r["cohort"]: r["n"] for r in found}


async def cost_totals(date_from: dt.date | None, date_to: dt.date | None, funder: str | None) -> list[dict]:
    """Cents per category of the lines whose term starts in the period; volunteer hours valued from those recorded."""

    where = []
    if date_from:
        where.append(Cost.starts_on >= date_from)
    if date_to:
        where.append(Cost.starts_on <= date_to)
    if funder:
        where.append(Cost.funder == funder)
    query = Cost.select(Cost.category, Cost.quantity, Cost.unit_cents, Cost.starts_on, Cost.ends_on, Cost.location)
    lines = await (query.where(*where) if where else query)
    totals: dict[str, int] = {}
    for line in lines:
        cents = line_total(line["category"], line["quantity"], line["unit_cents"])
        if cents is None:
            hours = VolunteerHours.select(VolunteerHours.hours).where(
                VolunteerHours.date >= line["starts_on"], VolunteerHours.date <= line["ends_on"]
            )
            if line["location"] is not None:
                hours = hours.where(VolunteerHours.cohort.location == line["location"])
            cents = round(sum(h["hours"] for h in await hours) * line["unit_cents"])
        totals[line["category"]] = totals.get(line["category"], 0) + cents
    return [{"category": c, "in_kind": c in IN_KIND, "cents": totals[c]} for c in COST_CATEGORIES if c in totals]
