"""Erased seniors: their ids name nothing, and no new record (course, mark, answers, pair or loan) names them again."""

from __future__ import annotations

from cohorts.tables import Participant
from digiystava.errors import InvalidInput
from digiystava.i18n import N_

ERASED = N_("this senior's data has been erased")


async def erased_among(participant_ids: list[int]) -> set[int]:
    """Which of these seniors have been erased."""
    if not participant_ids:
        return set()
    rows = await Participant.select(Participant.id).where(
        Participant.id.is_in(sorted(set(participant_ids))), Participant.erased_at.is_not_null()
    )
    return {r["id"] for r in rows}


async def refuse_erased(participant_id: int, field: str = "participant_id") -> None:
    """422 naming ``field`` when the senior has been erased."""
    if await erased_among([participant_id]):
        raise InvalidInput(field, ERASED)
