"""What a volunteer sees of their own pairs: seniors' first names, the sessions and the place."""

from __future__ import annotations

import datetime as dt

from cohorts.tables import CourseSession, Pairing, Volunteer
from cohorts.volunteers.schemas import OwnPairingOut, OwnSessionOut
from digiystava.access import Principal, require


def _end(start: dt.time, minutes: int) -> dt.time:
    total = min(start.hour * 60 + start.minute + minutes, 24 * 60 - 1)
    return dt.time(total // 60, total % 60)


async def own_pairings(principal: Principal) -> list[OwnPairingOut]:
    """Active pairs of the volunteer linked to the caller's login; none when no volunteer is linked."""
    require(principal, "pairings.own")
    volunteer = await Volunteer.select(Volunteer.id).where(Volunteer.user == principal.user_id).first()
    if volunteer is None:
        return []
    rows = (
        await Pairing.select(
            Pairing.id,
            Pairing.cohort.as_alias("cohort_id"),
            Pairing.cohort.name.as_alias("cohort_name"),
            Pairing.cohort.session_minutes.as_alias("minutes"),
            Pairing.cohort._.location._.name.as_alias("place"),
            Pairing.cohort._.location._.address.as_alias("address"),
            # NOTE: the first name only; last name, phone and the rest stay with the staff.
            Pairing.participant.first_name.as_alias("first_name"),
        )
        .where(Pairing.volunteer == volunteer["id"], Pairing.ended_on.is_null())
        .order_by(Pairing.cohort)
        .order_by(Pairing.id)
    )
    cohort_ids = sorted({r["cohort_id"] for r in rows})
    sessions = (
        await CourseSession.select(
            CourseSession.cohort, CourseSession.date, CourseSession.start_time, CourseSession.cancelled
        )
        .where(CourseSession.cohort.is_in(cohort_ids or [0]), CourseSession.kind == "practice")
        .order_by(CourseSession.date)
    )
    out = []
    for r in rows:
        own = [
            OwnSessionOut(
                date=s["date"],
                start_time=s["start_time"],
                end_time=_end(s["start_time"], r["minutes"]),
                cancelled=s["cancelled"],
            )
            for s in sessions
            if s["cohort"] == r["cohort_id"]
        ]
        out.append(
            OwnPairingOut(
                id=r["id"],
                first_name=r["first_name"],
                cohort_name=r["cohort_name"],
                place=r["place"],
                address=r["address"],
                sessions=own,
            )
        )
    return out
