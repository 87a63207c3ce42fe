"""Recording, correcting and reading assessments, within the caller's scope."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from assessments.instrument import (
    Instrument,
    UnknownInstrumentVersion,
    current_instrument,
    load_instrument,
    validate_answers,
)
from assessments.schemas import AssessmentCorrection, AssessmentIn, AssessmentOut
from assessments.tables import Assessment
from cohorts.participants.erased import refuse_erased
from cohorts.tables import Cohort, Enrolment, Participant
from digiystava import audit, clock
from digiystava.access import Principal, cohort_or_404, ensure_location, require, scope_where
from digiystava.db import is_unique_violation, write_transaction
from digiystava.errors import Conflict, FieldProblem, InvalidInput, InvalidRows, NotFound
from digiystava.i18n import N_
from digiystava.paging import paged
from digiystava.schemas import Page

# Seniors whose answers may be recorded: on the course now, or finished it.
ASSESSABLE_STATUSES = ("enrolled", "completed")

_COLUMNS = (
    Assessment.id,
    Assessment.participant,
    Assessment.cohort,
    Assessment.phase,
    Assessment.instrument_version,
    Assessment.answers,
    Assessment.wishes,
    Assessment.wishes_text,
    Assessment.method,
    Assessment.recorded_by,
    Assessment.recorded_at,
    Assessment.updated_at,
)


def instrument_for(version: int | None) -> Instrument:
    """The instrument of ``version`` (the current one when None); 422 when unknown."""
    if version is None:
        return current_instrument()
    try:
        return load_instrument(version)
    except UnknownInstrumentVersion:
        raise InvalidInput("instrument_version", N_("unknown instrument version")) from None


def checked_answers(
    instrument: Instrument, answers: Mapping[str, Any], field: str = "answers"
) -> tuple[dict[str, int | None], list[FieldProblem]]:
    """Every skill of the version with its level or None, and the problems found."""
    problems = [
        FieldProblem(f"{field}{name.removeprefix('answers')}", message)
        for name, message in validate_answers(instrument, answers)
    ]
    full = {code: answers.get(code) for code in instrument.skill_codes} if isinstance(answers, Mapping) else {}
    return full, problems


def _already_assessed(phase: str) -> str:
    if phase == "before":
        return N_("The senior already has answers for the start of this course; correct those instead.")
    if phase == "followup":
        return N_("The senior already has follow-up answers for this course; correct those instead.")
    return N_("The senior already has answers for the end of this course; correct those instead.")


def checked_wishes(
    instrument: Instrument, wishes: Iterable[str], field: str = "wishes"
) -> tuple[list[str], list[FieldProblem]]:
    known = set(instrument.wish_codes)
    wishes = list(wishes)
    problems = [FieldProblem(field, N_("unknown wish '{code}'", code=code)) for code in wishes if code not in known]
    # Kept in the instrument's order, each once.
    return [code for code in instrument.wish_codes if code in wishes], problems


def raise_problems(problems: list[FieldProblem]) -> None:
    """One 422 naming every field with a problem, when there are any."""
    if problems:
        raise InvalidRows("; ".join(f"{p.field}: {p.message}" for p in problems), errors=problems)


# What the assessment pages and files show of a cohort.
COHORT_COLUMNS = (Cohort.name, Cohort.start_date, Cohort.end_date)


# The end-of-course answers are the course's outcome: they can be given in the last two weeks
# (from the week before the last session); the follow-up after the course has ended.
AFTER_OPENS_BEFORE_END = dt.timedelta(days=7)


def phase_opens_on(cohort: Mapping[str, Any], phase: str) -> dt.date | None:
    """The first day answers of ``phase`` may be recorded for the cohort (None: from the start)."""
    if phase == "after":
        return max(cohort["start_date"], cohort["end_date"] - AFTER_OPENS_BEFORE_END)
    if phase == "followup":
        return cohort["end_date"] + dt.timedelta(days=1)
    return None


def phase_not_open(cohort: Mapping[str, Any], phase: str) -> str | None:
    """Why answers of ``phase`` cannot be recorded today, or None when they can."""
    opens = phase_opens_on(cohort, phase)
    if opens is None or clock.today() >= opens:
        return None
    if phase == "after":
        return N_(
            "The end-of-course answers can be recorded from {date} on, in the course's last two weeks.",
            date=opens.isoformat(),
        )
    return N_(
        "The follow-up answers can be recorded once the course has ended, from {date} on.", date=opens.isoformat()
    )


async def followup_instrument(cohort_id: int, participant_id: int, version: int | None) -> Instrument:
    """The follow-up asks on the version the senior answered at the course (their end answers', else their start's).

    Answers on two versions could not be compared skill by skill; 422 naming ``instrument_version`` for another.
    """
    earlier = {
        row["phase"]: row["instrument_version"]
        for row in await Assessment.select(Assessment.phase, Assessment.instrument_version).where(
            Assessment.cohort == cohort_id,
            Assessment.participant == participant_id,
            Assessment.phase.is_in(["before", "after"]),
        )
    }
    course_version = earlier.get("after", earlier.get("before"))
    if course_version is None:
        return instrument_for(version)
    if version is not None and version != course_version:
        raise InvalidInput(
            "instrument_version",
            N_("the follow-up uses the form version of the course's answers, {version}", version=course_version),
        )
    return load_instrument(course_version)


async def ensure_assessable(cohort_id: int, participant_id: int, field: str = "participant_id") -> None:
    """The senior is on the cohort (the caller's scope is the cohort's) and not erased; 422 naming ``field``
    otherwise.
    """
    enrolled = await Enrolment.exists().where(
        Enrolment.cohort == cohort_id,
        Enrolment.participant == participant_id,
        Enrolment.status.is_in(list(ASSESSABLE_STATUSES)),
    )
    if not enrolled:
        raise InvalidInput(field, N_("the senior is not enrolled in this cohort"))
    await refuse_erased(participant_id, field)


def _out(row: Mapping[str, Any], unpaired: bool = False) -> AssessmentOut:
    try:
        codes = load_instrument(row["instrument_version"]).skill_codes
    except UnknownInstrumentVersion:  # pragma: no cover - versions are never removed
        codes = tuple(row["answers"])
    answers = row["answers"] or {}
    return AssessmentOut(
        id=row["id"],
        participant_id=row["participant"],
        cohort_id=row["cohort"],
        phase=row["phase"],
        instrument_version=row["instrument_version"],
        answers={code: answers.get(code) for code in codes},
        wishes=row["wishes"] or [],
        wishes_text=row["wishes_text"],
        method=row["method"],
        recorded_by=row["recorded_by"],
        recorded_at=row["recorded_at"],
        updated_at=row["updated_at"],
        unpaired=unpaired,
    )


async def _with_pairing(rows: list[dict[str, Any]]) -> list[AssessmentOut]:
    """Outputs with ``unpaired`` set on every "after" that has no "before"."""
    afters = [r for r in rows if r["phase"] == "after"]
    paired: set[tuple[int, int]] = set()
    if afters:
        befores = await Assessment.select(Assessment.participant, Assessment.cohort).where(
            Assessment.phase == "before",
            Assessment.cohort.is_in(sorted({r["cohort"] for r in afters})),
            Assessment.participant.is_in(sorted({r["participant"] for r in afters})),
        )
        paired = {(b["participant"], b["cohort"]) for b in befores}
    return [_out(r, r["phase"] == "after" and (r["participant"], r["cohort"]) not in paired) for r in rows]


async def list_assessments(
    principal: Principal,
    cohort_id: int | None = None,
    participant_id: int | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page[AssessmentOut]:
    require(principal, "assessments.read")
    where = [w for w in (scope_where(principal, Assessment.cohort.location),) if w is not None]
    if cohort_id is not None:
        where.append(Assessment.cohort == cohort_id)
    if participant_id is not None:
        where.append(Assessment.participant == participant_id)
    query = (
        Assessment.select(*_COLUMNS)
        .order_by(Assessment.cohort)
        .order_by(Assessment.participant)
        .order_by(Assessment.phase, ascending=False)
    )
    page = await paged(lambda: (query.output(load_json=True), Assessment.count(), where), limit, offset)
    page.items = await _with_pairing(page.items)
    return page


async def _row(assessment_id: int) -> dict[str, Any]:
    row = (
        await Assessment.select(*_COLUMNS, Assessment.cohort.location.as_alias("location"))
        .where(Assessment.id == assessment_id)
        .first()
        .output(load_json=True)
    )
    if row is None:
        raise NotFound()
    return row


async def get_assessment(principal: Principal, assessment_id: int) -> AssessmentOut:
    require(principal, "assessments.read")
    row = await _row(assessment_id)
    ensure_location(principal, row["location"])
    return (await _with_pairing([row]))[0]


async def intake_wishes(instrument: Instrument, participant_id: int) -> tuple[list[str], str]:
    """The wishes the senior told at registration, as codes this instrument knows and their own words."""

    row = (
        await Participant.select(Participant.wishes, Participant.wishes_text)
        .where(Participant.id == participant_id)
        .output(load_json=True)
        .first()
    )
    if row is None:
        return [], ""
    wished = set(row["wishes"] or [])
    return [code for code in instrument.wish_codes if code in wished], row["wishes_text"]


async def create_assessment(principal: Principal, data: AssessmentIn) -> AssessmentOut:
    require(principal, "assessments.write")
    cohort = await cohort_or_404(principal, data.cohort_id, *COHORT_COLUMNS)
    not_open = phase_not_open(cohort, data.phase)
    if not_open:
        raise InvalidInput("phase", not_open)
    if data.phase == "followup":
        instrument = await followup_instrument(data.cohort_id, data.participant_id, data.instrument_version)
    else:
        instrument = instrument_for(data.instrument_version)
    answers, problems = checked_answers(instrument, data.answers)
    wishes, wish_problems = checked_wishes(instrument, data.wishes)
    raise_problems(problems + wish_problems)
    await ensure_assessable(data.cohort_id, data.participant_id)
    wishes_text = data.wishes_text
    if data.phase == "before" and not wishes and not wishes_text:
        # NOTE: the first questionnaire takes over what the senior wished for at registration.
        wishes, wishes_text = await intake_wishes(instrument, data.participant_id)
    assessment = Assessment(
        participant=data.participant_id,
        cohort=data.cohort_id,
        phase=data.phase,
        instrument_version=instrument.version,
        answers=answers,
        wishes=wishes,
        wishes_text=wishes_text,
        method=data.method,
        recorded_by=principal.user_id,
    )
    try:
        async with write_transaction():
            if await Assessment.exists().where(
                Assessment.participant == data.participant_id,
                Assessment.cohort == data.cohort_id,
                Assessment.phase == data.phase,
            ):
                raise Conflict(_already_assessed(data.phase))
            await assessment.save()
            await audit.record(
                principal,
                "create",
                "assessment",
                assessment.id,
                ["participant_id", "cohort_id", "phase", "answers", "wishes", "wishes_text", "method"],
            )
    except Exception as exc:
        # NOTE: two requests at once both pass the check above on PostgreSQL; the index decides.
        if is_unique_violation(exc):
            raise Conflict(_already_assessed(data.phase)) from None
        raise
    return await get_assessment(principal, assessment.id)


async def correct_assessment(principal: Principal, assessment_id: int, data: AssessmentCorrection) -> AssessmentOut:
    require(principal, "assessments.write")
    row = await _row(assessment_id)
    ensure_location(principal, row["location"])
    await refuse_erased(row["participant"])
    instrument = load_instrument(row["instrument_version"])
    answers, problems = checked_answers(instrument, data.answers)
    changes: dict[str, Any] = {"answers": answers}
    if data.wishes is not None:
        changes["wishes"], wish_problems = checked_wishes(instrument, data.wishes)
        problems += wish_problems
    raise_problems(problems)
    if data.wishes_text is not None:
        changes["wishes_text"] = data.wishes_text
    if data.method is not None:
        changes["method"] = data.method
    before = dict(row, answers={code: (row["answers"] or {}).get(code) for code in instrument.skill_codes})
    changed = audit.changed_fields(before, changes)
    changed += [f"answers.{code}" for code in instrument.skill_codes if before["answers"][code] != answers[code]]
    async with write_transaction():
        if changed:
            await Assessment.update(
                {**{getattr(Assessment, k): v for k, v in changes.items()}, Assessment.updated_at: clock.now()}
            ).where(Assessment.id == assessment_id)
        await audit.record(principal, "update", "assessment", assessment_id, changed)
    return await get_assessment(principal, assessment_id)
