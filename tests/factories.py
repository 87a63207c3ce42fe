"""Test data with realistic defaults: Finnish and Swedish names, Helsinki districts."""

from __future__ import annotations

import itertools
from functools import lru_cache

from litestar.testing import AsyncTestClient

from digiystava.accounts.passwords import _hasher

PASSWORD = "oikea-hevonen-akku"
_counter = itertools.count(1)


@lru_cache(maxsize=1)
def password_hash() -> str:
    # Hashing once per run keeps the suite fast; login still verifies it for real.
    return _hasher.hash(PASSWORD)


async def make_location(name: str = "Kinaporin palvelukeskus", kind: str = "service_centre", district: str = "Kallio", address: str = "Kinaporinkatu 9") -> int:
    from cohorts.tables import Location

    location = Location(name=name, kind=kind, district=district, address=address)
    await location.save()
    return location.id


async def make_user(role: str = "coordinator", username: str | None = None, location_ids: list[int] = (), active: bool = True) -> int:  # type: ignore[assignment]
    from cohorts.tables import StaffLocation
    from digiystava.accounts.tables import StaffUser

    username = username or f"{role}{next(_counter)}"
    user = StaffUser(username=username, role=role, password_hash=password_hash(), display_name=username.title(), active=active)
    await user.save()
    for location_id in location_ids:
        await StaffLocation.insert(StaffLocation(user=user.id, location=location_id))
    return user.id


async def login(client: AsyncTestClient, username: str, password: str = PASSWORD) -> dict:
    """Log in through the API; later unsafe requests carry the CSRF header automatically."""
    response = await client.post("/api/v1/auth/login", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    body = response.json()
    client.headers["X-CSRFToken"] = body["csrf_token"]
    return body


async def as_role(client: AsyncTestClient, role: str, location_ids: list[int] = ()) -> str:  # type: ignore[assignment]
    """Create a user with ``role`` and log the client in as them; returns the username."""
    username = f"{role}{next(_counter)}"
    await make_user(role, username, list(location_ids))
    await login(client, username)
    return username


def set_cookie(client: AsyncTestClient, name: str, value: str) -> None:
    """Replace a cookie the way a browser (or an attacker's planted cookie) would hold it."""
    client.cookies.delete(name)
    client.cookies.set(name, value, domain="testserver.local")


async def make_participant(
    location_id: int | None = None,
    first_name: str = "Aino",
    last_name: str = "Virtanen",
    language: str = "fi",
    district: str = "Kallio",
    phone: str = "040 123 4567",
    birth_year: int = 1948,
) -> int:
    import datetime as dt
    import secrets

    from cohorts.tables import Participant

    participant = Participant(
        pseudonym=secrets.token_hex(4).upper(), first_name=first_name, last_name=last_name, language=language, district=district,
        phone=phone, birth_year=birth_year, consent_given_on=dt.date(2026, 8, 1), location=location_id,
    )
    await participant.save()
    return participant.id


async def make_cohort(
    location_id: int,
    name: str = "Syksy 2026",
    start_date=None,
    capacity: int = 19,
    status: str = "running",
    weeks: int = 10,
    start_time=None,
    trainer_ids: list[int] = (),  # type: ignore[assignment]
) -> int:
    """A cohort with its weekly sessions, group and practice weeks alternating."""
    import datetime as dt
    import secrets

    from cohorts.tables import Cohort, CohortTrainer, CourseSession

    start_date = start_date or dt.date(2026, 9, 7)  # NOTE: a Monday
    start_time = start_time or dt.time(13, 0)
    cohort = Cohort(
        location=location_id, name=name, start_date=start_date, start_time=start_time, capacity=capacity, status=status, weeks=weeks,
        end_date=start_date + dt.timedelta(weeks=weeks - 1), calendar_token=secrets.token_urlsafe(24),
    )
    await cohort.save()
    await CourseSession.insert(
        *[
            CourseSession(cohort=cohort.id, week=w, date=start_date + dt.timedelta(weeks=w - 1), start_time=start_time, kind="group" if w % 2 else "practice")
            for w in range(1, weeks + 1)
        ]
    )
    for user_id in trainer_ids:
        await CohortTrainer.insert(CohortTrainer(cohort=cohort.id, user=user_id))
    return cohort.id


async def enrol(cohort_id: int, participant_id: int, status: str = "enrolled", waitlist_position: int | None = None) -> int:
    from cohorts.tables import Enrolment

    enrolment = Enrolment(cohort=cohort_id, participant=participant_id, status=status, waitlist_position=waitlist_position)
    await enrolment.save()
    return enrolment.id
