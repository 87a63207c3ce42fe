"""Pairing suggestions for a cohort and the pairs themselves: start, end, fit check."""

from __future__ import annotations

import datetime as dt
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any

from cohorts.participants.erased import refuse_erased
from cohorts.tables import Cohort, CourseSession, Enrolment, Pairing, Participant, Volunteer
from cohorts.volunteers import matching
from cohorts.volunteers.reasons import describe
from cohorts.volunteers.schemas import (
    PairingChangeOut,
    PairingIn,
    PairingOut,
    PairingPatch,
    ReasonOut,
    SuggestionOut,
    UnmatchedOut,
)
from cohorts.volunteers.services import active_loads
from digiystava import audit, clock
from digiystava.access import Principal, cohort_or_404, cohort_ref, ensure_location, require, scope_where
from digiystava.db import is_sqlite, is_unique_violation, write_transaction
from digiystava.errors import Conflict, DomainError, InvalidInput, NotFound
from digiystava.i18n import N_
from digiystava.paging import paged
from digiystava.schemas import Page


@dataclass(frozen=True)
class CohortInputs:
    """What the engine needs for one cohort, read from the database."""

    seniors: list[matching.Senior]
    volunteers: list[matching.Volunteer]
    slots: list[matching.PracticeSlot]


def _window(item: dict[str, Any]) -> matching.Window | None:
    try:
        return matching.Window(
            int(item["weekday"]), dt.time.fromisoformat(item["start"]), dt.time.fromisoformat(item["end"])
        )
    except (KeyError, TypeError, ValueError):
        return None  # NOTE: a malformed stored window is ignored rather than failing the cohort


def practice_slots(sessions: list[dict[str, Any]], minutes: int) -> list[matching.PracticeSlot]:
    """Each practice session as a weekly slot; a session running past midnight is cut there."""
    slots = []
    for s in sessions:
        start = s["start_time"]
        end_minutes = min(start.hour * 60 + start.minute + max(minutes, 1), 24 * 60 - 1)
        end = dt.time(end_minutes // 60, end_minutes % 60)
        if end > start:
            slots.append(matching.PracticeSlot(s["date"].weekday(), start, end))
    return slots


async def cohort_inputs(
    cohort_id: int, session_minutes: int, exclude_volunteers: AbstractSet[int] = frozenset()
) -> CohortInputs:
    """Enrolled seniors without an active pair, active volunteers with their load, practice slots."""
    paired = {
        r["participant"]
        for r in await Pairing.select(Pairing.participant).where(
            Pairing.cohort == cohort_id, Pairing.ended_on.is_null()
        )
    }
    enrolled = await Participant.select(Participant.id, Participant.language, Participant.district).where(
        Participant.id.is_in(
            Enrolment.select(Enrolment.participant).where(Enrolment.cohort == cohort_id, Enrolment.status == "enrolled")
        ),
        Participant.erased_at.is_null(),
    )
    seniors = [
        matching.Senior(str(p["id"]), p["language"] or "fi", p["district"] or None)
        for p in enrolled
        if p["id"] not in paired
    ]
    rows = (
        await Volunteer.select(
            Volunteer.id, Volunteer.languages, Volunteer.districts, Volunteer.availability, Volunteer.max_participants
        )
        .where(
            Volunteer.active.eq(True),
            *checked_volunteer(),  # noqa: E712 - a Piccolo expression
        )
        .output(load_json=True)
    )
    loads = await active_loads(also_cohort=cohort_id)
    volunteers = [
        matching.Volunteer(
            id=str(v["id"]),
            languages=tuple(v["languages"] or ()),
            districts=tuple(v["districts"] or ()),
            availability=tuple(w for w in map(_window, v["availability"] or ()) if w is not None),
            capacity=v["max_participants"],
            load=loads.get(v["id"], 0),
        )
        for v in rows
        if v["id"] not in exclude_volunteers
    ]
    sessions = await CourseSession.select(CourseSession.date, CourseSession.start_time).where(
        CourseSession.cohort == cohort_id,
        CourseSession.kind == "practice",
        CourseSession.cancelled == False,  # noqa: E712
    )
    return CohortInputs(seniors, volunteers, practice_slots(sessions, session_minutes))


def checked_volunteer() -> list[Any]:
    """Where-clauses of a volunteer whose identity check and training are recorded (and done by today)."""
    today = clock.today()
    return [
        Volunteer.identity_checked_on.is_not_null(),
        Volunteer.identity_checked_on <= today,
        Volunteer.training_done_on.is_not_null(),
        Volunteer.training_done_on <= today,
    ]


def missing_checks(volunteer: dict[str, Any]) -> list[str]:
    """Which safeguarding steps are not recorded for the volunteer: "identity_check", "training"."""
    today = clock.today()
    missing = []
    if volunteer["identity_checked_on"] is None or volunteer["identity_checked_on"] > today:
        missing.append("identity_check")
    if volunteer["training_done_on"] is None or volunteer["training_done_on"] > today:
        missing.append("training")
    return missing


def reason_out(reason: matching.Reason) -> ReasonOut:
    return ReasonOut(code=reason.code, params=dict(reason.params), text=describe(reason.code, reason.params))


def suggestion_out(s: matching.Suggestion) -> SuggestionOut:
    return SuggestionOut(
        volunteer_id=int(s.volunteer_id),
        participant_id=int(s.senior_id),
        score=s.score,
        reasons=[reason_out(r) for r in s.reasons],
    )


def unmatched_out(u: matching.Unmatched) -> UnmatchedOut:
    return UnmatchedOut(participant_id=int(u.senior_id), reason=reason_out(u.reason))


async def compute(principal: Principal, cohort_id: int) -> matching.MatchResult:
    """The engine's answer for a cohort as it stands now."""
    require(principal, "pairings.write")
    cohort = await cohort_or_404(principal, cohort_id, Cohort.name, Cohort.session_minutes)
    inputs = await cohort_inputs(cohort_id, cohort["session_minutes"])
    return matching.suggest_pairs(inputs.seniors, inputs.volunteers, inputs.slots)


async def suggestions(principal: Principal, cohort_id: int) -> list[SuggestionOut]:
    return [suggestion_out(s) for s in (await compute(principal, cohort_id)).suggestions]


async def unmatched(principal: Principal, cohort_id: int) -> list[UnmatchedOut]:
    return [unmatched_out(u) for u in (await compute(principal, cohort_id)).unmatched]


# --- pairs ------------------------------------------------------------------------

PAIRING_COLUMNS = (
    Pairing.id,
    Pairing.cohort.as_alias("cohort_id"),
    Pairing.volunteer.as_alias("volunteer_id"),
    Pairing.participant.as_alias("participant_id"),
    Pairing.started_on,
    Pairing.ended_on,
    Pairing.fit,
    Pairing.fit_checked_on,
    Pairing.fit_checked_by,
    Pairing.safeguarding_override,
    Pairing.cohort.name.as_alias("cohort_name"),
    Pairing.volunteer.name.as_alias("volunteer_name"),
    Pairing.participant.first_name.as_alias("first_name"),
    Pairing.participant.last_name.as_alias("last_name"),
)


def _pairing_out(row: dict[str, Any]) -> PairingOut:
    name = f"{row.pop('first_name')} {row.pop('last_name')}".strip()
    return PairingOut(**row, participant_name=name)


async def list_pairings(
    principal: Principal,
    limit: int = 50,
    offset: int = 0,
    cohort_id: int | None = None,
    volunteer_id: int | None = None,
    participant_id: int | None = None,
    active: bool | None = None,
    cohort_ids: list[int] | None = None,
) -> Page[PairingOut]:
    require(principal, "pairings.read")
    where = [w for w in (scope_where(principal, Pairing.cohort._.location),) if w is not None]
    if cohort_id is not None:
        where.append(Pairing.cohort == cohort_id)
    if cohort_ids is not None:
        where.append(Pairing.cohort.is_in(cohort_ids or [0]))
    if volunteer_id is not None:
        where.append(Pairing.volunteer == volunteer_id)
    if participant_id is not None:
        where.append(Pairing.participant == participant_id)
    if active is not None:
        where.append(Pairing.ended_on.is_null() if active else Pairing.ended_on.is_not_null())
    query = Pairing.select(*PAIRING_COLUMNS).order_by(Pairing.cohort).order_by(Pairing.started_on).order_by(Pairing.id)
    return await paged(lambda: (query, Pairing.count(), where), limit, offset, _pairing_out)


async def get_pairing(principal: Principal, pairing_id: int) -> PairingOut:
    require(principal, "pairings.read")
    row = (
        await Pairing.select(*PAIRING_COLUMNS, Pairing.cohort._.location.as_alias("location"))
        .where(Pairing.id == pairing_id)
        .first()
    )
    if row is None:
        raise NotFound()
    ensure_location(principal, row.pop("location"))
    return _pairing_out(row)


async def create_pairing(principal: Principal, data: PairingIn) -> PairingOut:
    require(principal, "pairings.write")
    try:
        async with write_transaction():
            pairing_id = await _insert_pairing(principal, data)
    except DomainError:
        raise
    except Exception as exc:  # the partial unique index catches a race the check missed
        if is_unique_violation(exc):
            raise Conflict(N_("This senior already has an active pair on this cohort.")) from exc
        raise
    return await get_pairing(principal, pairing_id)


async def _insert_pairing(principal: Principal, data: PairingIn) -> int:
    cohort = await cohort_ref(principal, data.cohort_id, "cohort_id")
    if cohort["status"] in ("completed", "cancelled"):
        raise Conflict(N_("The cohort has ended; it takes no new pairs."))
    volunteer = await _volunteer_for_update(data.volunteer_id)
    if volunteer is None:
        raise InvalidInput("volunteer_id", N_("no such volunteer"))
    if not volunteer["active"]:
        raise Conflict(N_("The volunteer is not active."))
    enrolled = await Enrolment.exists().where(
        Enrolment.cohort == data.cohort_id, Enrolment.participant == data.participant_id, Enrolment.status == "enrolled"
    )
    if not enrolled:
        raise InvalidInput("participant_id", N_("the senior is not enrolled on this cohort"))
    await refuse_erased(data.participant_id)
    if await Pairing.exists().where(
        Pairing.cohort == data.cohort_id, Pairing.participant == data.participant_id, Pairing.ended_on.is_null()
    ):
        raise Conflict(N_("This senior already has an active pair on this cohort."))
    load = (await active_loads([data.volunteer_id], also_cohort=data.cohort_id)).get(data.volunteer_id, 0)
    if load >= volunteer["max_participants"]:
        raise Conflict(N_("The volunteer already guides {count} seniors, their maximum.", count=load))
    missing = missing_checks(volunteer)
    reason = (data.override_reason or "").strip()
    if missing and not (reason and principal.is_coordinator):
        raise Conflict(_MISSING_CHECKS[tuple(missing)], extra={"missing_checks": missing})
    pairing = Pairing(
        cohort=data.cohort_id,
        volunteer=data.volunteer_id,
        participant=data.participant_id,
        started_on=data.started_on or clock.today(),
        safeguarding_override=reason if missing else "",
    )
    await pairing.save()
    await audit.record(
        principal, "create", "pairing", pairing.id, ["cohort_id", "volunteer_id", "participant_id", "started_on"]
    )
    if missing:
        # NOTE: the reason itself stays on the pair; the log says who overrode the checks and when.
        await audit.record(principal, "override", "pairing", pairing.id, ["safeguarding_override"])
    return pairing.id


_MISSING_CHECKS = {
    ("identity_check",): N_(
        "The volunteer's identity check is not recorded. A coordinator can pair them anyway by giving a "
        "reason (override_reason)."
    ),
    ("training",): N_(
        "The volunteer's training is not recorded. A coordinator can pair them anyway by giving a reason "
        "(override_reason)."
    ),
    ("identity_check", "training"): N_(
        "The volunteer's identity check and training are not recorded. A coordinator can pair them anyway by "
        "giving a reason (override_reason)."
    ),
}


async def _volunteer_for_update(volunteer_id: int) -> dict[str, Any] | None:
    """The volunteer's row, locked on PostgreSQL so two pairs cannot both take their last place."""
    query = Volunteer.select(
        Volunteer.id,
        Volunteer.active,
        Volunteer.max_participants,
        Volunteer.identity_checked_on,
        Volunteer.training_done_on,
    ).where(Volunteer.id == volunteer_id)
    if not is_sqlite():
        query = query.lock_rows()  # NOTE: SQLite's BEGIN IMMEDIATE already serialises writers
    return await query.first()


async def update_pairing(principal: Principal, pairing_id: int, data: PairingPatch) -> PairingChangeOut:
    require(principal, "pairings.fit")
    changes = data.model_dump(exclude_unset=True)
    if not changes:
        raise InvalidInput("body", N_("give ended_on or fit"))
    async with write_transaction():
        row = (
            await Pairing.select(
                Pairing.id,
                Pairing.cohort,
                Pairing.started_on,
                Pairing.ended_on,
                Pairing.cohort._.location.as_alias("location"),
            )
            .where(Pairing.id == pairing_id)
            .first()
        )
        if row is None:
            raise NotFound()
        ensure_location(principal, row["location"])
        if row["ended_on"] is not None:
            raise Conflict(N_("The pair has already ended."))
        values: dict[Any, Any] = {}
        fit = changes.get("fit")
        if "fit" in changes:
            if fit is None:
                raise InvalidInput("fit", N_("must be good or change_needed"))
            values.update(
                {Pairing.fit: fit, Pairing.fit_checked_on: clock.today(), Pairing.fit_checked_by: principal.user_id}
            )
        ended_on = changes.get("ended_on")
        if "ended_on" in changes and ended_on is None:
            raise InvalidInput("ended_on", N_("must be a date"))
        if fit == "change_needed" and ended_on is None:
            ended_on = max(clock.today(), row["started_on"])
        if ended_on is not None:
            if ended_on < row["started_on"]:
                raise InvalidInput("ended_on", N_("must not be before the start date"))
            values[Pairing.ended_on] = ended_on
        await Pairing.update(values).where(Pairing.id == pairing_id)
        await audit.record(principal, "update", "pairing", pairing_id, [c._meta.name for c in values])
    out = PairingChangeOut(**(await get_pairing(principal, pairing_id)).model_dump())
    if fit == "change_needed":
        await _next_for(principal, out)
    return out


async def _next_for(principal: Principal, out: PairingChangeOut) -> None:
    """After "change needed": the best other volunteer for this senior, or why there is none."""
    cohort = await cohort_or_404(principal, out.cohort_id, Cohort.session_minutes)
    inputs = await cohort_inputs(out.cohort_id, cohort["session_minutes"], exclude_volunteers={out.volunteer_id})
    seniors = [s for s in inputs.seniors if s.id == str(out.participant_id)]
    result = matching.suggest_pairs(seniors, inputs.volunteers, inputs.slots)
    if result.suggestions:
        out.next_suggestion = suggestion_out(result.suggestions[0])
    elif result.unmatched:
        out.next_unmatched = unmatched_out(result.unmatched[0])
