"""Seniors' rights under the GDPR: access (export), erasure, and retention.

Erasure blanks the name, contacts and free text everywhere and marks the
row erased; pseudonymous facts (enrolment, attendance, answers, loans) stay,
so reports give the same figures and nobody can be found by name.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from piccolo.columns import Column

from assessments.tables import Assessment
from cohorts.participants.services import fetch_participant
from cohorts.tables import Attendance, Enrolment, Loan, Pairing, Participant
from digiystava import audit, clock
from digiystava.access import COMMAND_LINE, Principal, require
from digiystava.accounts.tables import AuditEntry
from digiystava.db import write_transaction
from digiystava.errors import NotFound

PERSONAL_FIELDS: dict[Column | str, Any] = {
    Participant.first_name: "",
    Participant.last_name: "",
    Participant.phone: "",
    Participant.email: "",
    Participant.district: "",
    Participant.birth_year: None,
    Participant.accessibility_needs: [],
    Participant.notes: "",
    Participant.wishes: [],
    Participant.wishes_text: "",
    Participant.consent_given_on: None,
}


def _json(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _clean(rows: list[dict]) -> list[dict]:
    return [{k: _json(v) for k, v in row.items()} for row in rows]


async def export_person(principal: Principal, participant_id: int) -> dict[str, Any]:
    """Everything held about one senior, for an access request."""
    require(principal, "participants.read")
    person = await fetch_participant(principal, participant_id)
    person.pop("erased_at", None)
    enrolments = await Enrolment.select(
        Enrolment.cohort.name.as_alias("cohort"),
        Enrolment.cohort._.location._.name.as_alias("location"),
        Enrolment.cohort.start_date.as_alias("start_date"),
        Enrolment.status,
        Enrolment.waitlist_position,
        Enrolment.created_at,
    ).where(Enrolment.participant == participant_id)
    attendance = (
        await Attendance.select(
            Attendance.session._.cohort._.name.as_alias("cohort"),
            Attendance.session.date.as_alias("date"),
            Attendance.status,
        )
        .where(Attendance.participant == participant_id)
        .order_by(Attendance.session.date)
    )
    loans = await Loan.select(
        Loan.tablet.asset_tag.as_alias("tablet"),
        Loan.tablet.model.as_alias("model"),
        Loan.cohort.name.as_alias("cohort"),
        Loan.out_at,
        Loan.due_date,
        Loan.agreement_signed_on,
        Loan.returned_at,
        Loan.outcome,
    ).where(Loan.participant == participant_id)
    pairings = await Pairing.select(
        Pairing.cohort.name.as_alias("cohort"),
        Pairing.volunteer.name.as_alias("volunteer"),
        Pairing.started_on,
        Pairing.ended_on,
        Pairing.fit,
    ).where(Pairing.participant == participant_id)
    assessments = await Assessment.select(
        Assessment.cohort.name.as_alias("cohort"),
        Assessment.phase,
        Assessment.instrument_version,
        Assessment.answers,
        Assessment.wishes,
        Assessment.wishes_text,
        Assessment.method,
        Assessment.recorded_at,
    ).where(Assessment.participant == participant_id)
    history = (
        await AuditEntry.select(AuditEntry.at, AuditEntry.username, AuditEntry.action, AuditEntry.fields)
        .where(AuditEntry.entity == "participant", AuditEntry.entity_id == str(participant_id))
        .order_by(AuditEntry.at)
    )
    await audit.record(principal, "export", "participant", participant_id)
    return {
        "exported_at": clock.now().isoformat(),
        "participant": {k: _json(v) for k, v in person.items()},
        "enrolments": _clean(enrolments),
        "attendance": _clean(attendance),
        "loans": _clean(loans),
        "pairings": [{**row, "volunteer": row["volunteer"].split(" ")[0]} for row in _clean(pairings)],
        "assessments": _clean(assessments),
        "history": _clean(history),
    }


async def erase_person(principal: Principal, participant_id: int) -> None:
    """Blank personal data everywhere; keep the pseudonymous facts. Audited without the values."""
    if principal is not None:
        require(principal, "participants.erase")
        await fetch_participant(principal, participant_id)
    async with write_transaction():
        row = (
            await Participant.select(Participant.id, Participant.erased_at)
            .where(Participant.id == participant_id)
            .first()
        )
        if row is None or row["erased_at"] is not None:
            raise NotFound()
        values = {**PERSONAL_FIELDS, Participant.erased_at: clock.now()}
        await Participant.update(values).where(Participant.id == participant_id)
        await Assessment.update({Assessment.wishes_text: ""}).where(Assessment.participant == participant_id)
        await audit.record(
            principal,
            "erase",
            "participant",
            participant_id,
            [c._meta.name for c in PERSONAL_FIELDS if isinstance(c, Column)] + ["wishes_text"],
        )


async def due_for_erasure(months: int, today: dt.date | None = None) -> list[dict[str, Any]]:
    """Seniors whose last course ended more than ``months`` ago (or who never joined one), not yet erased."""
    today = today or clock.today()
    cutoff = _months_before(today, months)
    people = await Participant.select(Participant.id, Participant.pseudonym, Participant.created_at).where(
        Participant.erased_at.is_null()
    )
    last_end: dict[int, dt.date] = {}
    for row in await Enrolment.select(Enrolment.participant, Enrolment.cohort.end_date.as_alias("end_date")):
        if row["participant"] not in last_end or row["end_date"] > last_end[row["participant"]]:
            last_end[row["participant"]] = row["end_date"]
    due = []
    for person in people:
        last = last_end.get(person["id"], clock.local_date(person["created_at"]))
        if last < cutoff:
            due.append({"id": person["id"], "pseudonym": person["pseudonym"], "last_course_ended": last.isoformat()})
    return due


async def apply_retention(months: int, today: dt.date | None = None) -> list[dict[str, Any]]:
    due = await due_for_erasure(months, today)
    for person in due:
        await erase_person(COMMAND_LINE, person["id"])
    return due


def _months_before(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return dt.date(year, month + 1, min(day.day, 28))
