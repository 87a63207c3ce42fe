"""What the cohort page says around a drop-out: the question before it, the notice after it."""

from __future__ import annotations

from typing import Any

from cohorts.enrolments.services import SEATED
from cohorts.tables import Enrolment, Pairing
from digiystava import clock
from digiystava.access import Principal, ensure_cohort_open, require
from digiystava.errors import NotFound


def _name(row: dict[str, Any], prefix: str = "") -> str:
    return f"{row[prefix + 'first_name']} {row[prefix + 'last_name']}".strip()


async def _enrolment(principal: Principal, cohort_id: int, enrolment_id: int) -> dict[str, Any]:
    row = (
        await Enrolment.select(
            Enrolment.id,
            Enrolment.cohort,
            Enrolment.participant,
            Enrolment.status,
            Enrolment.dropped_at,
            Enrolment.dropped_from,
            Enrolment.drop_promoted,
            Enrolment.drop_pairing,
            Enrolment.participant.first_name.as_alias("first_name"),
            Enrolment.participant.last_name.as_alias("last_name"),
            Enrolment.cohort.status.as_alias("cohort_status"),
        )
        .where(Enrolment.id == enrolment_id)
        .first()
    )
    if row is None or row["cohort"] != cohort_id:
        raise NotFound()
    from cohorts.courses.services import fetch_cohort

    await fetch_cohort(principal, cohort_id)  # 404 outside the caller's locations
    row["name"] = _name(row)
    return row


async def _pairs(
    cohort_id: int, participant_id: int, active: bool = True, ids: list[int] | None = None
) -> list[dict[str, Any]]:
    where = [Pairing.cohort == cohort_id, Pairing.participant == participant_id]
    where.append(Pairing.ended_on.is_null() if active else Pairing.id.is_in(ids or [0]))
    return (
        await Pairing.select(Pairing.id, Pairing.ended_on, Pairing.volunteer.name.as_alias("volunteer_name"))
        .where(*where)
        .order_by(Pairing.id)
    )


async def drop_preview(principal: Principal, cohort_id: int, enrolment_id: int) -> dict[str, Any]:
    """The senior, who would get the seat from the waiting list, and the pairs that would end."""
    require(principal, "enrolments.write")
    row = await _enrolment(principal, cohort_id, enrolment_id)
    # NOTE: no question is asked about a change the caller may not make (a trainer on a finished course: 409).
    ensure_cohort_open(principal, row["cohort_status"])
    taker = None
    if row["status"] in SEATED:
        taker = (
            await Enrolment.select(
                Enrolment.participant.first_name.as_alias("first_name"),
                Enrolment.participant.last_name.as_alias("last_name"),
            )
            .where(Enrolment.cohort == cohort_id, Enrolment.status == "waitlisted")
            .order_by(Enrolment.waitlist_position)
            .order_by(Enrolment.id)
            .first()
        )
    return {
        "enrolment": row,
        "droppable": row["status"] in ("enrolled", "waitlisted", "completed"),
        "taker": _name(taker) if taker else None,
        "pairs": await _pairs(cohort_id, row["participant"]),
    }


async def drop_notice(principal: Principal, cohort_id: int, enrolment_id: int) -> dict[str, Any] | None:
    """After a drop-out: who got the seat (and their phone, to call), which pair ended, whether undo is still
    possible.
    """
    require(principal, "enrolments.write")
    row = await _enrolment(principal, cohort_id, enrolment_id)
    if row["status"] != "dropped" or row["dropped_at"] is None:
        return None
    taker = None
    if row["drop_promoted"] is not None:
        taker = (
            await Enrolment.select(
                Enrolment.id,
                Enrolment.status,
                Enrolment.call_done_at,
                Enrolment.participant.first_name.as_alias("first_name"),
                Enrolment.participant.last_name.as_alias("last_name"),
                Enrolment.participant.phone.as_alias("phone"),
            )
            .where(Enrolment.id == row["drop_promoted"])
            .first()
        )
        if taker is not None:
            taker["name"] = _name(taker)
    pairs = await _pairs(
        cohort_id, row["participant"], active=False, ids=[row["drop_pairing"]] if row["drop_pairing"] else []
    )
    return {
        "enrolment": row,
        "taker": taker,
        "pairs": pairs,
        "undo_possible": clock.local_date(row["dropped_at"]) == clock.today()
        and not (taker and taker["status"] == "enrolled" and taker["call_done_at"]),
    }
