"""Test data for skill assessments: a cohort with seniors enrolled, and answer sets."""

from __future__ import annotations

from tests.factories import enrol, make_cohort, make_location, make_participant

SENIORS = [
    # first name, last name, language
    ("Aino", "Virtanen", "fi"),
    ("Birgitta", "Lindqvist", "sv"),
    ("Eino", "Mäkinen", "fi"),
    ("Ruth", "Ahlström", "en"),  # NOTE: a senior who reads English, for the third language
]


async def cohort_with_seniors(
    location_id: int | None = None, seniors=SENIORS, status: str = "running", name: str = "Syksy 2026"
) -> tuple[int, int, list[int]]:
    """(location id, cohort id, participant ids) of a cohort whose seniors are all enrolled."""
    location_id = location_id or await make_location()
    cohort_id = await make_cohort(location_id, name=name, status=status)
    ids = []
    for first, last, lang in seniors:
        participant_id = await make_participant(location_id, first_name=first, last_name=last, language=lang)
        await enrol(cohort_id, participant_id)
        ids.append(participant_id)
    return location_id, cohort_id, ids


def answers(**levels: int | None) -> dict[str, int | None]:
    """A full answer set: level 1 everywhere unless given."""
    codes = (
        "search",
        "email",
        "calendar",
        "banking",
        "shopping",
        "health",
        "photos",
        "e_reading",
        "streaming",
        "music",
        "games",
        "contact",
        "remote_groups",
    )
    return {code: levels.get(code, 1) for code in codes}
