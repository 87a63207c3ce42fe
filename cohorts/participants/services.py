"""Registering and finding seniors, within the caller's locations.

A trainer sees the seniors registered at their own locations and those on their
locations' cohorts (``access.senior_ref``); everyone else is 404 to them. Personal
data is stored only with a consent date.
"""

from __future__ import annotations

import secrets
from typing import Any, Literal

from assessments.instrument import current_instrument
from assessments.services import checked_wishes, raise_problems
from cohorts.enrolments.services import enrol
from cohorts.participants.finding import found_ids
from cohorts.participants.schemas import DuplicateOut, ParticipantIn, ParticipantOut, ParticipantPatch
from cohorts.tables import Participant
from digiystava import audit, search
from digiystava.access import Principal, cohort_ref, location_ref, location_scope, require, senior_ref, senior_where
from digiystava.db import ilike, write_transaction
from digiystava.errors import Conflict, InvalidInput
from digiystava.i18n import N_
from digiystava.paging import paged
from digiystava.schemas import Page

COLUMNS = Participant.all_columns(exclude=[Participant.erased_at])


def _out(row: dict[str, Any]) -> ParticipantOut:
    return ParticipantOut(**{k: v for k, v in row.items() if k != "location"}, location_id=row["location"])


def _visible(principal: Principal) -> list:
    where = [Participant.erased_at.is_null()]
    scope = senior_where(principal, Participant.id)
    if scope is not None:
        where.append(scope)
    return where


async def list_participants(
    principal: Principal, limit: int = 50, offset: int = 0, q: str | None = None, location_id: int | None = None
) -> Page[ParticipantOut]:
    """A page of the seniors the caller may see; ``q`` finds names and pseudonyms whatever their accents."""
    require(principal, "participants.read")
    where = _visible(principal)
    if location_id is not None:
        where.append(Participant.location == location_id)
    query_words = search.words(q)
    if query_words:
        # NOTE: the names alone are read and folded (a one-letter search reads most rows), then one page of rows.
        found = await found_ids(query_words, *where)
        shown = found[offset : offset + limit]
        items = await Participant.select(*COLUMNS).where(Participant.id.is_in(shown or [0]))
        items.sort(key=lambda r: shown.index(r["id"]))
        return Page[ParticipantOut](items=[_out(r) for r in items], total=len(found), limit=limit, offset=offset)
    query = Participant.select(*COLUMNS).order_by(Participant.last_name).order_by(Participant.first_name)
    return await paged(lambda: (query, Participant.count(), where), limit, offset, _out)


async def fetch_participant(principal: Principal, participant_id: int) -> dict[str, Any]:
    """The senior's row; 404 when erased, missing or not the caller's (``access.senior_ref``)."""
    return await senior_ref(
        principal, participant_id, None, *[c for c in COLUMNS if c._meta.name not in ("id", "location")]
    )


async def get_participant(principal: Principal, participant_id: int) -> ParticipantOut:
    require(principal, "participants.read")
    row = await fetch_participant(principal, participant_id)
    row.pop("erased_at")
    return _out(row)


async def find_duplicates(
    principal: Principal, first_name: str, last_name: str, birth_year: int | None, phone: str
) -> list[DuplicateOut]:
    """Likely duplicates: same name and birth year, or same phone. Outside the caller's scope only the fact is told."""
    require(principal, "participants.read")
    matches: dict[int, DuplicateOut] = {}
    candidates: list[tuple[dict[str, Any], Literal["name_and_birth_year", "phone"]]] = []
    if first_name and last_name and birth_year:
        candidates += [
            (r, "name_and_birth_year")
            for r in await Participant.select(
                Participant.id,
                Participant.first_name,
                Participant.last_name,
                Participant.birth_year,
                Participant.location,
            ).where(
                ilike(Participant.last_name, last_name.strip()),
                ilike(Participant.first_name, first_name.strip()),
                Participant.birth_year == birth_year,
                Participant.erased_at.is_null(),
            )
        ]
    if phone:
        candidates += [
            (r, "phone")
            for r in await Participant.select(
                Participant.id,
                Participant.first_name,
                Participant.last_name,
                Participant.birth_year,
                Participant.location,
            ).where(Participant.phone == phone, Participant.erased_at.is_null())
        ]
    visible = None
    if location_scope(principal) is not None and candidates:
        ids = sorted({row["id"] for row, _reason in candidates})
        visible = {
            r["id"]
            for r in await Participant.select(Participant.id).where(
                Participant.id.is_in(ids), senior_where(principal, Participant.id)
            )
        }
    for row, reason in candidates:
        if row["id"] in matches:
            continue
        if visible is None or row["id"] in visible:
            matches[row["id"]] = DuplicateOut(
                id=row["id"],
                name=f"{row['first_name']} {row['last_name']}",
                birth_year=row["birth_year"],
                reason=reason,
            )
        else:
            matches[row["id"]] = DuplicateOut(id=None, reason=reason)
    return list(matches.values())


def known_wishes(codes: list[str]) -> list[str]:
    """The wish codes in the instrument's order; 422 naming ``wishes`` for a code it does not know."""

    wishes, problems = checked_wishes(current_instrument(), codes)
    raise_problems(problems)
    return wishes


async def _check_location(principal: Principal, location_id: int | None) -> int | None:
    scope = location_scope(principal)
    if location_id is None:
        if scope is not None:
            if len(scope) == 1:
                return next(iter(scope))
            raise InvalidInput("location_id", N_("choose one of your locations"))
        return None
    return await location_ref(principal, location_id, "location_id")


async def create_participant(principal: Principal, data: ParticipantIn, cohort_id: int | None = None) -> ParticipantOut:
    """Register a senior; with ``cohort_id``, also enrol them there: both are saved, or neither."""
    require(principal, "participants.write")
    location_id = await _check_location(principal, data.location_id)
    if cohort_id is not None:
        require(principal, "enrolments.write")
        await cohort_ref(principal, cohort_id, "cohort_id")
    if not data.allow_duplicate:
        duplicates = await find_duplicates(principal, data.first_name, data.last_name, data.birth_year, data.phone)
        if duplicates:
            raise Conflict(
                "A senior with the same name and birth year, or the same phone, is already registered.",
                extra={"duplicates": [d.model_dump() for d in duplicates]},
            )
    values = data.model_dump(exclude={"allow_duplicate", "location_id"})
    values["wishes"] = known_wishes(values["wishes"])
    async with write_transaction():
        participant = Participant(**values, location=location_id, pseudonym=secrets.token_hex(5).upper())
        await participant.save()
        await audit.record(
            principal,
            "create",
            "participant",
            participant.id,
            [k for k, v in values.items() if v not in ("", None, [])],
        )
        if cohort_id is not None:
            # NOTE: inside this transaction: a refused enrolment (a cancelled course...) saves no senior.
            await enrol(principal, cohort_id, participant.id)
    return await get_participant(principal, participant.id)


async def update_participant(principal: Principal, participant_id: int, data: ParticipantPatch) -> ParticipantOut:
    require(principal, "participants.write")
    # NOTE: only the birth year and the location may be emptied; a cleared phone is "".
    changes = data.changes(nullable=("birth_year", "location_id"))
    if "wishes" in changes:
        changes["wishes"] = known_wishes(changes["wishes"])
    async with write_transaction():
        before = await fetch_participant(principal, participant_id)
        if "location_id" in changes:
            changes["location"] = await _check_location(principal, changes.pop("location_id"))
        if changes:
            await Participant.update({getattr(Participant, k): v for k, v in changes.items()}).where(
                Participant.id == participant_id
            )
        await audit.record(principal, "update", "participant", participant_id, audit.changed_fields(before, changes))
    return await get_participant(principal, participant_id)
