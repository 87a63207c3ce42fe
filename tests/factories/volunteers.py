"""Volunteers and pairs with realistic defaults: HelsinkiMissio, Helsinki districts, Monday afternoons."""

from __future__ import annotations

import datetime as dt

# NOTE: make_cohort's practice sessions fall on Mondays at 13:00; this window covers them.
MONDAY_AFTERNOON = [{"weekday": 0, "start": "12:00", "end": "16:00"}]


async def make_volunteer(
    name: str = "Mikko Laine",
    languages: list[str] = ("fi",),  # type: ignore[assignment]
    districts: list[str] = ("Kallio",),  # type: ignore[assignment]
    availability: list[dict] | None = None,
    max_participants: int = 2,
    active: bool = True,
    organisation: str = "HelsinkiMissio",
    user_id: int | None = None,
    phone: str = "050 765 4321",
    # NOTE: checked and trained by default, as a volunteer must be before guiding anyone.
    identity_checked_on: dt.date | None = dt.date(2026, 8, 17),
    training_done_on: dt.date | None = dt.date(2026, 8, 24),
) -> int:
    from cohorts.tables import Volunteer

    volunteer = Volunteer(
        name=name,
        phone=phone,
        email=f"{name.split()[0].lower()}@example.fi",
        organisation=organisation,
        languages=list(languages),
        districts=list(districts),
        availability=MONDAY_AFTERNOON if availability is None else availability,
        max_participants=max_participants,
        active=active,
        user=user_id,
        identity_checked_on=identity_checked_on,
        training_done_on=training_done_on,
    )
    await volunteer.save()
    return volunteer.id


async def make_pairing(
    cohort_id: int,
    volunteer_id: int,
    participant_id: int,
    started_on: dt.date = dt.date(2026, 9, 7),
    ended_on: dt.date | None = None,
) -> int:
    from cohorts.tables import Pairing

    pairing = Pairing(
        cohort=cohort_id, volunteer=volunteer_id, participant=participant_id, started_on=started_on, ended_on=ended_on
    )
    await pairing.save()
    return pairing.id
