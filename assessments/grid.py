"""What the trainer's entry grid and the cohort overview show, and saving one grid row."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from assessments import services
from assessments.instrument import current_instrument
from assessments.schemas import AssessmentCorrection, AssessmentIn, AssessmentOut
from assessments.tables import PHASES, Assessment
from cohorts.participants.schemas import ParticipantPatch
from cohorts.participants.services import update_participant
from cohorts.tables import Cohort, Enrolment, Participant
from digiystava.access import Principal, cohort_or_404, require, scope_where
from digiystava.db import must_exist
from digiystava.errors import NotFound
from digiystava.schemas import Page


async def cohort_overview(principal: Principal, limit: int = 50, offset: int = 0) -> Page[dict[str, Any]]:
    """A page of the cohorts in the caller's scope (not cancelled), newest first, with answer counts."""
    require(principal, "assessments.read")
    where = [Cohort.status != "cancelled"]
    scope = scope_where(principal, Cohort.location)
    if scope is not None:
        where.append(scope)
    cohorts = (
        await Cohort.select(
            Cohort.id,
            Cohort.name,
            Cohort.status,
            Cohort.start_date,
            Cohort.end_date,
            Cohort.location.name.as_alias("location_name"),
        )
        .where(*where)
        .order_by(Cohort.start_date, ascending=False)
        .order_by(Cohort.id)
        .limit(limit)
        .offset(offset)
    )
    total = await Cohort.count().where(*where)
    ids = [c["id"] for c in cohorts]
    if ids:
        seated = await Enrolment.select(Enrolment.cohort, Enrolment.participant).where(
            Enrolment.cohort.is_in(ids), Enrolment.status.is_in(list(services.ASSESSABLE_STATUSES))
        )
        seniors = Counter(r["cohort"] for r in seated)
        on_course = {(r["cohort"], r["participant"]) for r in seated}
        # NOTE: only the answers of seniors on the course (enrolled or completed) count: a senior
        # who dropped out or went back to the waiting list keeps their answers, outside the figures.
        answered = Counter(
            (a["cohort"], a["phase"])
            for a in await Assessment.select(Assessment.cohort, Assessment.participant, Assessment.phase).where(
                Assessment.cohort.is_in(ids)
            )
            if (a["cohort"], a["participant"]) in on_course
        )
        for cohort in cohorts:
            cohort["seniors"] = seniors[cohort["id"]]
            for phase in PHASES:
                cohort[phase] = answered[(cohort["id"], phase)]
    return Page[dict[str, Any]](items=cohorts, total=total, limit=limit, offset=offset)


async def grid_rows(principal: Principal, cohort_id: int, phase: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The cohort and one row per assessable senior, with their saved answers of ``phase``."""
    require(principal, "assessments.write")
    if phase not in PHASES:
        raise NotFound()
    cohort = await cohort_or_404(principal, cohort_id, *services.COHORT_COLUMNS)
    seniors = (
        await Enrolment.select(
            Enrolment.participant.as_alias("participant_id"),
            Enrolment.participant.first_name.as_alias("first_name"),
            Enrolment.participant.last_name.as_alias("last_name"),
            Enrolment.participant.pseudonym.as_alias("pseudonym"),
            Enrolment.participant.wishes.as_alias("intake_wishes"),
        )
        .where(
            # NOTE: an erased senior's answers stay in the figures, but no new ones are taken.
            Enrolment.cohort == cohort_id,
            Enrolment.status.is_in(list(services.ASSESSABLE_STATUSES)),
            Enrolment.participant.erased_at.is_null(),
        )
        .order_by(Enrolment.participant.last_name)
        .order_by(Enrolment.participant.first_name)
    )
    saved = (
        await Assessment.select(
            Assessment.id, Assessment.participant, Assessment.phase, Assessment.answers, Assessment.wishes
        )
        .where(Assessment.cohort == cohort_id)
        .output(load_json=True)
    )
    by_key = {(a["participant"], a["phase"]): a for a in saved}
    codes = current_instrument().skill_codes
    for senior in seniors:
        found = by_key.get((senior["participant_id"], phase))
        senior["name"] = f"{senior['first_name']} {senior['last_name']}".strip() or senior["pseudonym"]
        senior["assessment_id"] = found["id"] if found else None
        senior["answers"] = (
            {code: (found["answers"] or {}).get(code) for code in codes} if found else dict.fromkeys(codes)
        )
        senior["has_before"] = (senior["participant_id"], "before") in by_key
        # The wishes of the first questionnaire, else those told at registration (it takes them over).
        first = by_key.get((senior["participant_id"], "before"))
        intake = senior.pop("intake_wishes")
        senior["wishes"] = (
            (first["wishes"] or []) if first else (json.loads(intake) if isinstance(intake, str) else intake or [])
        )
    return cohort, seniors


async def save_row(
    principal: Principal, cohort_id: int, phase: str, participant_id: int, answers: dict[str, Any], method: str
) -> AssessmentOut:
    """Record the row's answers, or correct them when the senior already has this phase."""
    existing = (
        await Assessment.select(Assessment.id)
        .where(Assessment.cohort == cohort_id, Assessment.participant == participant_id, Assessment.phase == phase)
        .first()
    )
    if existing:
        return await services.correct_assessment(principal, existing["id"], AssessmentCorrection(answers=answers))
    return await services.create_assessment(
        principal,
        AssessmentIn(participant_id=participant_id, cohort_id=cohort_id, phase=phase, answers=answers, method=method),  # type: ignore[arg-type]
    )


async def senior_wishes(principal: Principal, cohort_id: int, participant_id: int) -> dict[str, Any]:
    """A senior's wishes on the cohort, for the grid's wishes page: those of their first questionnaire
    once it is recorded, else those told at registration (which that questionnaire will take over).

    404 unless the senior is on the cohort (enrolled or completed) in the caller's locations.
    """

    cohort, rows = await grid_rows(principal, cohort_id, "before")
    senior = next((r for r in rows if r["participant_id"] == participant_id), None)
    if senior is None:
        raise NotFound()
    found = (
        await Assessment.select(Assessment.id, Assessment.answers, Assessment.wishes, Assessment.wishes_text)
        .where(Assessment.cohort == cohort_id, Assessment.participant == participant_id, Assessment.phase == "before")
        .output(load_json=True)
        .first()
    )
    if found is None:
        found = must_exist(
            await Participant.select(Participant.wishes, Participant.wishes_text)
            .where(Participant.id == participant_id)
            .output(load_json=True)
            .first()
        )
    return {
        "cohort": cohort,
        "senior": senior,
        "assessment_id": found.get("id"),
        "answers": found.get("answers"),
        "wishes": found["wishes"] or [],
        "wishes_text": found["wishes_text"],
    }


async def save_wishes(
    principal: Principal, cohort_id: int, participant_id: int, wishes: list[str], wishes_text: str
) -> None:
    """Record the senior's wishes: in their first questionnaire when it is recorded, else with the senior."""

    current = await senior_wishes(principal, cohort_id, participant_id)
    if current["assessment_id"] is None:
        await update_participant(principal, participant_id, ParticipantPatch(wishes=wishes, wishes_text=wishes_text))
        return
    await services.correct_assessment(
        principal,
        current["assessment_id"],
        AssessmentCorrection(answers=current["answers"] or {}, wishes=wishes, wishes_text=wishes_text),
    )
