"""The calls a coordinator or trainer owes: seniors who got a seat from the waiting list.

Every promotion (a drop-out, a raised capacity) sets ``promoted_at``; ticking the call
done sets ``call_done_at`` and ``call_done_by``. ``calls_to_make`` is the one place that
says what is still open, for the home pages, the cohort page and the JSON API.
"""

from __future__ import annotations

from cohorts.enrolments.schemas import CallOut
from cohorts.tables import Enrolment
from digiystava.access import Principal, allowed, require, scope_where


async def calls_to_make(principal: Principal, cohort_id: int | None = None) -> list[CallOut]:
    """Promoted seniors still enrolled whom nobody has called, oldest promotion first, within the caller's locations.

    Coordinators and trainers only (403 for the other roles); ``open_calls`` answers an empty list instead.
    """
    require(principal, "enrolments.write")
    where = [
        Enrolment.status == "enrolled",
        Enrolment.promoted_at.is_not_null(),
        Enrolment.call_done_at.is_null(),
        Enrolment.participant.erased_at.is_null(),
    ]
    scope = scope_where(principal, Enrolment.cohort._.location)
    if scope is not None:
        where.append(scope)
    if cohort_id is not None:
        where.append(Enrolment.cohort == cohort_id)
    rows = (
        await Enrolment.select(
            Enrolment.id.as_alias("enrolment_id"),
            Enrolment.cohort.as_alias("cohort_id"),
            Enrolment.cohort.name.as_alias("cohort_name"),
            Enrolment.cohort._.location._.name.as_alias("location_name"),
            Enrolment.cohort.start_date.as_alias("start_date"),
            Enrolment.participant.as_alias("participant_id"),
            Enrolment.participant.first_name.as_alias("first_name"),
            Enrolment.participant.last_name.as_alias("last_name"),
            Enrolment.participant.phone.as_alias("phone"),
            Enrolment.participant.language.as_alias("language"),
            Enrolment.promoted_at,
        )
        .where(*where)
        .order_by(Enrolment.promoted_at)
        .order_by(Enrolment.id)
    )
    return [CallOut(**r) for r in rows]


async def open_calls(principal: Principal) -> list[CallOut]:
    """``calls_to_make`` for a page every role sees (the home page): nothing for roles that make no calls."""
    return await calls_to_make(principal) if allowed(principal, "enrolments.write") else []
