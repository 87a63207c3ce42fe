"""Test data for tablets and loans: donations from DNA and Vanhusten turva, tablets, an enrolled senior."""

from __future__ import annotations

import datetime as dt
import itertools

from digiystava import clock
from tests.factories import enrol, make_cohort, make_location, make_participant

_serials = itertools.count(1)


async def make_donation(
    donor: str = "DNA", seniors_may_keep: bool = False, count: int = 10, reference: str = "DNA-2026-01"
) -> int:
    from cohorts.tables import Donation

    donation = Donation(
        donor=donor,
        received_on=dt.date(2026, 8, 15),
        tablet_count=count,
        reference=reference,
        seniors_may_keep=seniors_may_keep,
    )
    await donation.save()
    return donation.id


async def make_tablet(
    donor: str = "DNA",
    donation_id: int | None = None,
    status: str = "available",
    model: str = "Samsung Galaxy Tab A9+",
    serial: str | None = None,
) -> int:
    """A tablet straight in the table (asset tags follow the id, as the service would give them)."""
    from cohorts.tables import Tablet

    number = next(_serials)
    tablet = Tablet(
        asset_tag=f"TEST-{number:06d}",
        serial_number=serial or f"R9TW{number:07d}",
        donation=donation_id,
        donor=donor,
        model=model,
        os="android",
        accessories={
            "charger": True,
            "cable": True,
            "case": True,
            "stylus": False,
            "headphones": False,
            "sim_card": False,
            "sim_number": "",
            "data_plan": "",
        },
        status=status,
    )
    await tablet.save()
    return tablet.id


async def make_course(
    location_name: str = "Kinaporin palvelukeskus",
    first_name: str = "Aino",
    last_name: str = "Virtanen",
    language: str = "fi",
    start_date: dt.date | None = None,
    location_id: int | None = None,
) -> dict[str, int]:
    """A location, a running cohort on it and one enrolled senior."""
    location_id = location_id or await make_location(location_name)
    # NOTE: started nine weeks ago, so the course ends about now and loans are due in two weeks.
    start = start_date or clock.today() - dt.timedelta(weeks=9)
    cohort_id = await make_cohort(location_id, start_date=start)
    participant_id = await make_participant(location_id, first_name=first_name, last_name=last_name, language=language)
    await enrol(cohort_id, participant_id)
    return {"location_id": location_id, "cohort_id": cohort_id, "participant_id": participant_id}


async def add_senior(course: dict[str, int], first_name: str, last_name: str, language: str = "fi") -> int:
    participant_id = await make_participant(
        course["location_id"], first_name=first_name, last_name=last_name, language=language
    )
    await enrol(course["cohort_id"], participant_id)
    return participant_id
