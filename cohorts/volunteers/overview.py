"""What the coordinator's pairing pages show: suggestions with names, and pairs per cohort."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cohorts.tables import Cohort, Participant, Volunteer
from cohorts.volunteers import matching
from cohorts.volunteers.pairing import (
    _cohort,
    checked_volunteer,
    cohort_inputs,
    list_pairings,
    missing_checks,
    reason_out,
)
from cohorts.volunteers.schemas import PairingOut, ReasonOut
from cohorts.volunteers.services import active_loads
from digiystava.access import Principal, require, scope_where
from digiystava.schemas import Page

ALL = 1_000_000  # NOTE: pages show every active pair; the API pages them.


@dataclass
class SuggestionRow:
    """One senior of the suggestion table: the suggested volunteer, or why there is none."""

    participant_id: int
    name: str
    language: str
    district: str
    volunteer_id: int | None
    score: float | None
    reasons: list[ReasonOut]


@dataclass
class SuggestionTable:
    cohort: dict[str, Any]
    rows: list[SuggestionRow]
    # (id, "Name (free places)") of every active volunteer with a free place, for a choice by hand.
    volunteer_options: list[tuple[int, str]]
    pairs: list[PairingOut] = field(default_factory=list)
    # Volunteers with a free place whose identity check or training is not recorded: never
    # suggested; (id, name, free places, missing checks) for a coordinator's override.
    unchecked: list[tuple[int, str, int, list[str]]] = field(default_factory=list)


async def suggestion_table(principal: Principal, cohort_id: int) -> SuggestionTable:
    require(principal, "pairings.write")
    cohort = await _cohort(cohort_id)
    inputs = await cohort_inputs(cohort_id, cohort["session_minutes"])
    result = matching.suggest_pairs(inputs.seniors, inputs.volunteers, inputs.slots)
    ids = [int(s.id) for s in inputs.seniors]
    people = {
        p["id"]: p
        for p in await Participant.select(
            Participant.id, Participant.first_name, Participant.last_name, Participant.language, Participant.district
        ).where(Participant.id.is_in(ids or [0]))
    }

    def row(pid: int, volunteer_id: int | None, score: float | None, reasons: list[ReasonOut]) -> SuggestionRow:
        p = people[pid]
        return SuggestionRow(
            pid,
            f"{p['first_name']} {p['last_name']}".strip(),
            p["language"],
            p["district"],
            volunteer_id,
            score,
            reasons,
        )

    rows = [
        row(int(s.senior_id), int(s.volunteer_id), s.score, [reason_out(r) for r in s.reasons])
        for s in result.suggestions
    ]
    rows += [row(int(u.senior_id), None, None, [reason_out(u.reason)]) for u in result.unmatched]
    rows.sort(key=lambda r: (r.volunteer_id is None, r.name.casefold()))
    free = {int(v.id): v.free for v in inputs.volunteers if v.free > 0}
    names = (
        await Volunteer.select(Volunteer.id, Volunteer.name)
        .where(Volunteer.id.is_in(sorted(free) or [0]))
        .order_by(Volunteer.name)
    )
    options = [(v["id"], f"{v['name']} ({free[v['id']]})") for v in names]
    pairs = (await list_pairings(principal, ALL, 0, cohort_id=cohort_id, active=True)).items
    return SuggestionTable(cohort, rows, options, pairs, await _unchecked(cohort_id))


async def _unchecked(cohort_id: int) -> list[tuple[int, str, int, list[str]]]:
    checked = Volunteer.select(Volunteer.id).where(*checked_volunteer())
    rows = (
        await Volunteer.select(
            Volunteer.id,
            Volunteer.name,
            Volunteer.max_participants,
            Volunteer.identity_checked_on,
            Volunteer.training_done_on,
        )
        .where(Volunteer.active.eq(True), Volunteer.id.not_in(checked))
        .order_by(Volunteer.name)
    )  # noqa: E712
    loads = await active_loads([r["id"] for r in rows], also_cohort=cohort_id)
    found = []
    for r in rows:
        free = r["max_participants"] - loads.get(r["id"], 0)
        if free > 0:
            found.append((r["id"], r["name"], free, missing_checks(r)))
    return found


@dataclass
class CohortPairs:
    cohort: dict[str, Any]
    pairs: list[PairingOut]


async def pairs_at_a_glance(
    principal: Principal, limit: int = 20, offset: int = 0, statuses: tuple[str, ...] = ("running", "planned")
) -> Page[CohortPairs]:
    """A page of the running (and planned) cohorts in the caller's scope, each with its active pairs."""
    require(principal, "pairings.read")
    where = [Cohort.status.is_in(list(statuses))]
    scope = scope_where(principal, Cohort.location)
    if scope is not None:
        where.append(scope)
    cohorts = (
        await Cohort.select(
            Cohort.id, Cohort.name, Cohort.status, Cohort.start_date, Cohort.location.name.as_alias("location_name")
        )
        .where(*where)
        .order_by(Cohort.start_date)
        .order_by(Cohort.name)
        .order_by(Cohort.id)
        .limit(limit)
        .offset(offset)
    )
    ids = [c["id"] for c in cohorts]
    pairs = (await list_pairings(principal, ALL, 0, active=True, cohort_ids=ids)).items if ids else []
    by_cohort: dict[int, list[PairingOut]] = {i: [] for i in ids}
    for pair in pairs:
        by_cohort[pair.cohort_id].append(pair)
    items = [CohortPairs(c, by_cohort[c["id"]]) for c in cohorts]
    return Page[CohortPairs](items=items, total=await Cohort.count().where(*where), limit=limit, offset=offset)


async def volunteer_names(ids: list[int]) -> dict[int, str]:
    rows = await Volunteer.select(Volunteer.id, Volunteer.name).where(Volunteer.id.is_in(ids or [0]))
    return {r["id"]: r["name"] for r in rows}
