"""Enrolling seniors: seats up to capacity, then a waiting list in order; dropping promotes.

Every change runs in a write transaction that first locks the cohort row
(SQLite: BEGIN IMMEDIATE; PostgreSQL: SELECT ... FOR UPDATE), so two seniors
racing for the last seat get one seat and one waiting-list place.
"""

from __future__ import annotations

from typing import Any, Literal, TypedDict

from piccolo.columns import Column

from cohorts.enrolments.schemas import EnrolmentBrief, EnrolmentChangeOut, EnrolmentOut
from cohorts.participants.erased import ERASED
from cohorts.participants.finding import found_ids
from cohorts.tables import Cohort, Enrolment, Pairing, Participant, Volunteer
from cohorts.volunteers.services import active_loads
from digiystava import audit, clock, search
from digiystava.access import (
    FINISHED,
    Principal,
    cohort_or_404,
    ensure_cohort_open,
    require,
    senior_ref,
    senior_where,
)
from digiystava.db import is_unique_violation, must_exist, write_transaction
from digiystava.errors import Conflict, InvalidInput, NotFound
from digiystava.i18n import N_

SEATED = ("enrolled", "completed")


async def _seated(cohort_id: int) -> int:
    return await Enrolment.count().where(Enrolment.cohort == cohort_id, Enrolment.status.is_in(list(SEATED)))


async def _next_position(cohort_id: int) -> int:
    rows = await Enrolment.select(Enrolment.waitlist_position).where(
        Enrolment.cohort == cohort_id, Enrolment.status == "waitlisted"
    )
    return max((r["waitlist_position"] or 0 for r in rows), default=0) + 1


async def _renumber_waitlist(cohort_id: int) -> None:
    rows = (
        await Enrolment.select(Enrolment.id, Enrolment.waitlist_position)
        .where(Enrolment.cohort == cohort_id, Enrolment.status == "waitlisted")
        .order_by(Enrolment.waitlist_position)
        .order_by(Enrolment.id)
    )
    for position, row in enumerate(rows, start=1):
        if row["waitlist_position"] != position:
            await Enrolment.update({Enrolment.waitlist_position: position}).where(Enrolment.id == row["id"])


async def fill_free_seats(cohort_id: int) -> list[int]:
    """Promote the first on the waiting list into every free seat; returns promoted enrolment ids.

    A completed or cancelled course takes nobody: its waiting list stays as it is.
    """
    cohort = must_exist(await Cohort.select(Cohort.capacity, Cohort.status).where(Cohort.id == cohort_id).first())
    if cohort["status"] in FINISHED:
        return []
    free = cohort["capacity"] - await _seated(cohort_id)
    promoted = []
    if free > 0:
        rows = (
            await Enrolment.select(Enrolment.id)
            .where(Enrolment.cohort == cohort_id, Enrolment.status == "waitlisted")
            .order_by(Enrolment.waitlist_position)
            .order_by(Enrolment.id)
            .limit(free)
        )
        promoted = [r["id"] for r in rows]
        if promoted:
            now = clock.now()
            # NOTE: every promotion owes the senior a call; it waits on the to-do list until ticked.
            await Enrolment.update(
                {
                    Enrolment.status: "enrolled",
                    Enrolment.waitlist_position: None,
                    Enrolment.changed_at: now,
                    Enrolment.promoted_at: now,
                    Enrolment.call_done_at: None,
                    Enrolment.call_done_by: "",
                }
            ).where(Enrolment.id.is_in(promoted))
            await _renumber_waitlist(cohort_id)
    return promoted


COLUMNS = (
    *Enrolment.all_columns(
        exclude=[
            Enrolment.changed_at,
            Enrolment.drop_promoted,
            Enrolment.drop_pairing,
            Enrolment.dropped_from,
            Enrolment.dropped_position,
        ]
    ),
    Enrolment.participant.first_name.as_alias("first_name"),
    Enrolment.participant.last_name.as_alias("last_name"),
)


def _out(row: dict) -> EnrolmentOut:
    call_needed = row["status"] == "enrolled" and row["promoted_at"] is not None and row["call_done_at"] is None
    return EnrolmentOut(
        **{k: v for k, v in row.items() if k not in ("cohort", "participant")},
        cohort_id=row["cohort"],
        participant_id=row["participant"],
        call_needed=call_needed,
    )


async def _briefs(enrolment_ids: list[int]) -> list[EnrolmentBrief]:
    rows = await Enrolment.select(
        Enrolment.id,
        Enrolment.participant.as_alias("participant_id"),
        Enrolment.participant.first_name.as_alias("first_name"),
        Enrolment.participant.last_name.as_alias("last_name"),
    ).where(Enrolment.id.is_in(enrolment_ids or [0]))
    order = {i: n for n, i in enumerate(enrolment_ids)}
    return [EnrolmentBrief(**r) for r in sorted(rows, key=lambda r: order[r["id"]])]


async def list_enrolments(principal: Principal, cohort_id: int) -> list[EnrolmentOut]:
    require(principal, "cohorts.read")
    await cohort_or_404(principal, cohort_id)
    rows = (
        await Enrolment.select(*COLUMNS)
        .where(Enrolment.cohort == cohort_id)
        .order_by(Enrolment.status)
        .order_by(Enrolment.waitlist_position)
        .order_by(Enrolment.participant.last_name)
    )
    return [_out(r) for r in rows]


async def get_enrolment(enrolment_id: int) -> EnrolmentOut:
    row = await Enrolment.select(*COLUMNS).where(Enrolment.id == enrolment_id).first()
    if row is None:
        raise NotFound()
    return _out(row)


async def enrol(principal: Principal, cohort_id: int, participant_id: int) -> EnrolmentOut:
    """A seat while there is one, otherwise the end of the waiting list; twice is a 409."""
    require(principal, "enrolments.write")
    try:
        async with write_transaction():
            cohort = await cohort_or_404(principal, cohort_id, Cohort.capacity, lock=True)
            if cohort["status"] in ("completed", "cancelled"):
                ended = cohort["status"] == "completed"
                raise Conflict(
                    N_("The course has ended; nobody can join it.")
                    if ended
                    else N_("The course was cancelled; nobody can join it.")
                )
            # NOTE: a senior the caller may not see answers as one who does not exist.
            await senior_ref(principal, participant_id, "participant_id")
            existing = (
                await Enrolment.select(Enrolment.id, Enrolment.status)
                .where(Enrolment.cohort == cohort_id, Enrolment.participant == participant_id)
                .first()
            )
            if existing and existing["status"] != "dropped":
                raise Conflict(N_("The senior is already on this cohort or its waiting list."))
            seat_free = await _seated(cohort_id) < cohort["capacity"]
            status = "enrolled" if seat_free else "waitlisted"
            position = None if seat_free else await _next_position(cohort_id)
            now = clock.now()
            if existing:
                enrolment_id = existing["id"]
                await Enrolment.update(
                    {Enrolment.status: status, Enrolment.waitlist_position: position, Enrolment.changed_at: now}
                ).where(Enrolment.id == enrolment_id)
            else:
                row = await Enrolment.insert(
                    Enrolment(cohort=cohort_id, participant=participant_id, status=status, waitlist_position=position)
                ).returning(Enrolment.id)
                enrolment_id = row[0]["id"]
            await audit.record(principal, "create", "enrolment", enrolment_id, ["status", "waitlist_position"])
    except Exception as exc:
        if is_unique_violation(exc):  # a parallel request won the same row
            raise Conflict(N_("The senior is already on this cohort or its waiting list.")) from exc
        raise
    return await get_enrolment(enrolment_id)


# What a drop-out remembers for its undo, cleared by any other change of status.
_NOT_DROPPED: dict[Column | str, Any] = {
    Enrolment.dropped_at: None,
    Enrolment.dropped_from: "",
    Enrolment.dropped_position: None,
    Enrolment.drop_promoted: None,
    Enrolment.drop_pairing: None,
}


async def change_status(principal: Principal, enrolment_id: int, status: str) -> EnrolmentChangeOut:
    """Drop, complete or re-enrol; dropping a seated senior promotes the first on the list at once.

    Dropping also ends the senior's pair on the cohort (their volunteer gets the place back)
    and remembers both, so that the drop-out can be undone the same day (``undo_drop``).

    On a completed course a trainer may only mark an enrolled senior completed; the rest is a
    coordinator's correction. On a cancelled course the only change is dropping out.
    """
    require(principal, "enrolments.write")
    row = await Enrolment.select(Enrolment.cohort).where(Enrolment.id == enrolment_id).first()
    if row is None:
        raise NotFound()
    promoted: list[int] = []
    ended: list[int] = []
    async with write_transaction():
        cohort = await cohort_or_404(principal, row["cohort"], Cohort.capacity, lock=True)
        current = must_exist(
            await Enrolment.select(*Enrolment.all_columns(), Enrolment.participant.erased_at.as_alias("erased_at"))
            .where(Enrolment.id == enrolment_id)
            .first()
        )
        old = current["status"]
        # NOTE: marking a senior who finished as completed closes the course; any other change to it is a correction.
        closing = cohort["status"] == "completed" and (old, status) == ("enrolled", "completed")
        action = "update" if closing else ensure_cohort_open(principal, cohort["status"])
        if status == old:
            return EnrolmentChangeOut(**(await get_enrolment(enrolment_id)).model_dump())
        if status != "dropped" and cohort["status"] == "cancelled":
            raise Conflict(N_("The course was cancelled; nobody can join it."))
        if status != "dropped" and current["erased_at"] is not None:
            raise InvalidInput("participant_id", ERASED)
        now = clock.now()
        values: dict[Column | str, Any] = {
            Enrolment.status: status,
            Enrolment.changed_at: now,
            Enrolment.waitlist_position: None,
        }
        values.update(_NOT_DROPPED)
        # NOTE: a correction of a course that has ended records what happened; seats no longer count.
        if (
            status in ("enrolled", "completed")
            and old in ("waitlisted", "dropped")
            and cohort["status"] not in FINISHED
        ):
            if await _seated(cohort["id"]) >= cohort["capacity"]:
                if old == "waitlisted":
                    raise Conflict(N_("The cohort is full; the senior stays on the waiting list."))
                values[Enrolment.status] = "waitlisted"
                values[Enrolment.waitlist_position] = await _next_position(cohort["id"])
        if status == "waitlisted" and old != "waitlisted":
            values[Enrolment.waitlist_position] = await _next_position(cohort["id"])
        if status == "dropped":
            values.update(
                {
                    Enrolment.dropped_at: now,
                    Enrolment.dropped_from: old,
                    Enrolment.dropped_position: current["waitlist_position"],
                }
            )
            ended = await _end_pairs(principal, cohort["id"], current["participant"])
            values[Enrolment.drop_pairing] = ended[0] if ended else None
        await Enrolment.update(values).where(Enrolment.id == enrolment_id)
        await _renumber_waitlist(cohort["id"])
        if old in SEATED or status == "dropped":
            promoted = await fill_free_seats(cohort["id"])
            if status == "dropped" and old in SEATED and promoted:
                await Enrolment.update({Enrolment.drop_promoted: promoted[0]}).where(Enrolment.id == enrolment_id)
        await audit.record(principal, action, "enrolment", enrolment_id, ["status"])
        for promoted_id in promoted:
            await audit.record(principal, "promote", "enrolment", promoted_id, ["status", "waitlist_position"])
    out = await get_enrolment(enrolment_id)
    return EnrolmentChangeOut(**out.model_dump(), promoted=await _briefs(promoted), ended_pairing_ids=ended)


async def _end_pairs(principal: Principal, cohort_id: int, participant_id: int) -> list[int]:
    """End the senior's active pairs on the cohort today: a senior who left is guided by nobody."""
    today = clock.today()
    rows = (
        await Pairing.select(Pairing.id, Pairing.started_on)
        .where(Pairing.cohort == cohort_id, Pairing.participant == participant_id, Pairing.ended_on.is_null())
        .order_by(Pairing.id)
    )
    for pair in rows:
        await Pairing.update({Pairing.ended_on: max(today, pair["started_on"])}).where(Pairing.id == pair["id"])
        await audit.record(principal, "update", "pairing", pair["id"], ["ended_on"])
    return [r["id"] for r in rows]


async def undo_drop(principal: Principal, enrolment_id: int) -> EnrolmentChangeOut:
    """Take back today's drop-out: the senior gets their seat, or their place on the waiting list, and their pair back.

    The senior promoted into the freed seat goes back to the top of the waiting list,
    unless somebody has already called them: a seat promised on the phone is kept, and
    the undo is then refused (enrolling again puts the senior on the waiting list).
    """
    require(principal, "enrolments.write")
    row = await Enrolment.select(Enrolment.cohort).where(Enrolment.id == enrolment_id).first()
    if row is None:
        raise NotFound()
    back: list[int] = []
    reopened: list[int] = []
    promoted: list[int] = []
    async with write_transaction():
        cohort = await cohort_or_404(principal, row["cohort"], Cohort.capacity, lock=True)
        ensure_cohort_open(principal, cohort["status"])
        if cohort["status"] == "cancelled":
            raise Conflict(N_("The course was cancelled; nobody can join it."))
        current = must_exist(
            await Enrolment.select(*Enrolment.all_columns(), Enrolment.participant.erased_at.as_alias("erased_at"))
            .where(Enrolment.id == enrolment_id)
            .first()
        )
        if current["erased_at"] is not None:
            raise InvalidInput("participant_id", ERASED)
        if (
            current["status"] != "dropped"
            or current["dropped_at"] is None
            or clock.local_date(current["dropped_at"]) != clock.today()
        ):
            raise Conflict(
                N_(
                    "Only a drop-out recorded today can be undone. Enrol the senior again instead: they get a "
                    "free seat or the end of the waiting list."
                )
            )
        taker = None
        if current["drop_promoted"] is not None:
            taker = (
                await Enrolment.select(
                    Enrolment.id,
                    Enrolment.status,
                    Enrolment.participant,
                    Enrolment.call_done_at,
                    Enrolment.call_done_by,
                    Enrolment.participant.first_name.as_alias("first_name"),
                    Enrolment.participant.last_name.as_alias("last_name"),
                )
                .where(Enrolment.id == current["drop_promoted"])
                .first()
            )
        now = clock.now()
        if taker is not None and taker["status"] == "enrolled":
            if taker["call_done_at"] is not None:
                name = f"{taker['first_name']} {taker['last_name']}".strip()
                raise Conflict(
                    N_(
                        "{name} was already called and told they have the seat, so the drop-out cannot be undone. "
                        "Enrol the senior again instead: they go on the waiting list.",
                        name=name,
                    )
                )
            # NOTE: position 0 sorts before everyone; renumbering makes it number 1.
            await Enrolment.update(
                {
                    Enrolment.status: "waitlisted",
                    Enrolment.waitlist_position: 0,
                    Enrolment.changed_at: now,
                    Enrolment.promoted_at: None,
                    Enrolment.call_done_at: None,
                    Enrolment.call_done_by: "",
                }
            ).where(Enrolment.id == taker["id"])
            await _end_pairs(principal, cohort["id"], taker["participant"])
            await audit.record(principal, "update", "enrolment", taker["id"], ["status", "waitlist_position"])
            back.append(taker["id"])
        restored: dict[Column | str, Any] = {Enrolment.changed_at: now, **_NOT_DROPPED}
        if current["dropped_from"] == "waitlisted":
            # Back to the same place on the list: those from that place on move one down.
            place = current["dropped_position"] or await _next_position(cohort["id"])
            await Enrolment.update({Enrolment.waitlist_position: Enrolment.waitlist_position + 1}).where(
                Enrolment.cohort == cohort["id"], Enrolment.status == "waitlisted", Enrolment.waitlist_position >= place
            )
            restored.update({Enrolment.status: "waitlisted", Enrolment.waitlist_position: place})
        else:
            if await _seated(cohort["id"]) >= cohort["capacity"]:
                raise Conflict(
                    N_(
                        "The seat has been taken meanwhile. Enrol the senior again instead: they go on the "
                        "waiting list."
                    )
                )
            restored.update(
                {Enrolment.status: current["dropped_from"] or "enrolled", Enrolment.waitlist_position: None}
            )
        await Enrolment.update(restored).where(Enrolment.id == enrolment_id)
        await _renumber_waitlist(cohort["id"])
        promoted = await fill_free_seats(cohort["id"])  # NOTE: a seat freed meanwhile goes to the list, as always
        if current["drop_pairing"] is not None and await _reopen_pair(
            current["drop_pairing"], cohort["id"], current["participant"]
        ):
            await audit.record(principal, "update", "pairing", current["drop_pairing"], ["ended_on"])
            reopened.append(current["drop_pairing"])
        await audit.record(principal, "undo", "enrolment", enrolment_id, ["status"])
    out = await get_enrolment(enrolment_id)
    return EnrolmentChangeOut(
        **out.model_dump(),
        promoted=await _briefs(promoted),
        back_on_waiting_list=await _briefs(back),
        reopened_pairing_ids=reopened,
    )


async def _reopen_pair(pairing_id: int, cohort_id: int, participant_id: int) -> bool:
    """Start the pair a drop-out ended again, when it ended today and the volunteer still has room."""
    pair = await Pairing.select(Pairing.id, Pairing.volunteer, Pairing.ended_on).where(Pairing.id == pairing_id).first()
    if pair is None or pair["ended_on"] is None or pair["ended_on"] < clock.today():
        return False
    if await Pairing.exists().where(
        Pairing.cohort == cohort_id, Pairing.participant == participant_id, Pairing.ended_on.is_null()
    ):
        return False
    volunteer = (
        await Volunteer.select(Volunteer.active, Volunteer.max_participants)
        .where(Volunteer.id == pair["volunteer"])
        .first()
    )
    load = (await active_loads([pair["volunteer"]], also_cohort=cohort_id)).get(pair["volunteer"], 0)
    if volunteer is None or not volunteer["active"] or load >= volunteer["max_participants"]:
        return False
    await Pairing.update({Pairing.ended_on: None}).where(Pairing.id == pairing_id)
    return True


async def mark_called(principal: Principal, enrolment_id: int) -> EnrolmentOut:
    """Tick a promoted senior's call done: who and when are kept on the enrolment."""
    require(principal, "enrolments.write")
    row = (
        await Enrolment.select(Enrolment.cohort, Enrolment.promoted_at, Enrolment.status)
        .where(Enrolment.id == enrolment_id)
        .first()
    )
    if row is None:
        raise NotFound()
    async with write_transaction():
        await cohort_or_404(principal, row["cohort"], Cohort.capacity, lock=True)
        if row["promoted_at"] is None or row["status"] != "enrolled":
            raise Conflict(N_("Nobody needs to call this senior: they did not get a seat from the waiting list."))
        await Enrolment.update({Enrolment.call_done_at: clock.now(), Enrolment.call_done_by: principal.username}).where(
            Enrolment.id == enrolment_id, Enrolment.call_done_at.is_null()
        )
        await audit.record(principal, "update", "enrolment", enrolment_id, ["call_done_at"])
    return await get_enrolment(enrolment_id)


# How many seniors the enrol list offers at once; a name typed in the search narrows it.
CANDIDATE_LIMIT = 50
# Why the enrol picker offers nobody (see ``candidates``).
NoCandidates = Literal["no_seniors", "all_on_cohort", "none_at_location", "no_match"]


class Candidates(TypedDict):
    """What the enrol picker offers (see ``candidates``)."""

    items: list[dict[str, Any]]
    total: int
    empty: NoCandidates | None


async def candidates(
    principal: Principal, cohort_id: int, find: str | None = None, limit: int = CANDIDATE_LIMIT
) -> Candidates:
    """The seniors the caller may enrol on the cohort (not on it or its waiting list), for the enrol picker.

    Without ``find``: those registered at the cohort's location. With it: every senior the
    caller may see, at any of their locations, whose name or pseudonym has the words of
    ``find`` whatever their accents. Answers ``items`` (at most ``limit``, each with its
    location's name), ``total`` and, when nobody can be offered, ``empty``: why
    (``no_seniors`` in the caller's locations yet, ``all_on_cohort``, ``none_at_location``
    but elsewhere, ``no_match`` for the search).
    """
    require(principal, "enrolments.write")
    cohort = await cohort_or_404(principal, cohort_id)
    visible = [Participant.erased_at.is_null()]
    scope = senior_where(principal, Participant.id)
    if scope is not None:
        visible.append(scope)
    on_it = Enrolment.select(Enrolment.participant).where(Enrolment.cohort == cohort_id, Enrolment.status != "dropped")
    offered = [*visible, Participant.id.not_in(on_it)]
    columns = (
        Participant.id,
        Participant.first_name,
        Participant.last_name,
        Participant.birth_year,
        Participant.location.name.as_alias("location_name"),
    )
    query_words = search.words(find)
    if query_words:
        found = await found_ids(query_words, *offered)
        rows = await Participant.select(*columns).where(Participant.id.is_in(found[:limit] or [0]))
        rows.sort(key=lambda r: found.index(r["id"]))
        total = len(found)
    else:
        # NOTE: one location's seniors are a few dozen: read at once, as the cohort page's other parts are.
        at_location = (
            await Participant.select(*columns)
            .where(*offered, Participant.location == cohort["location"])
            .order_by(Participant.last_name)
            .order_by(Participant.first_name)
        )
        rows, total = at_location[:limit], len(at_location)
    empty: NoCandidates | None = None
    if not total:
        if query_words:
            empty = "no_match"
        elif not await Participant.exists().where(*visible):
            empty = "no_seniors"
        elif not await Participant.exists().where(*offered):
            empty = "all_on_cohort"
        else:
            empty = "none_at_location"
    return {"items": rows, "total": total, "empty": empty}
