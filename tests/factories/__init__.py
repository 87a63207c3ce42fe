"""Test data with realistic defaults: Finnish and Swedish names, Helsinki districts."""

from __future__ import annotations

import asyncio
import itertools
from functools import lru_cache
from typing import Any

import httpx

from digiystava.accounts.passwords import hasher

PASSWORD = "oikea-hevonen-akku"
# NOTE: every test coordinator has two-step verification set up with this salt, as the rule
# for real coordinators demands; the seed still comes from the app's secret key.
TOTP_SALT = "test-salt-" + "5" * 22
_counter = itertools.count(1)


@lru_cache(maxsize=1)
def password_hash() -> str:
    # Hashed once per run, at the suite's small cost (conftest); login still verifies it for real.
    return hasher().hash(PASSWORD)


async def make_location(
    name: str = "Kinaporin palvelukeskus",
    kind: str = "service_centre",
    district: str = "Kallio",
    address: str = "Kinaporinkatu 9",
) -> int:
    from cohorts.tables import Location

    location = Location(name=name, kind=kind, district=district, address=address)
    await location.save()
    return location.id


async def make_user(
    role: str = "coordinator",
    username: str | None = None,
    location_ids: list[int] = (),
    active: bool = True,
    second_factor: bool | None = None,  # type: ignore[assignment]
) -> int:
    """A staff user; coordinators come with their second factor set up unless ``second_factor=False``."""
    from cohorts.tables import StaffLocation
    from digiystava import clock
    from digiystava.accounts.tables import StaffUser

    username = username or f"{role}{next(_counter)}"
    enrolled = role == "coordinator" if second_factor is None else second_factor
    user = StaffUser(
        username=username,
        role=role,
        password_hash=password_hash(),
        display_name=username.title(),
        active=active,
        totp_salt=TOTP_SALT if enrolled else "",
        second_factor_since=clock.now() if enrolled else None,
    )
    await user.save()
    for location_id in location_ids:
        await StaffLocation.insert(StaffLocation(user=user.id, location=location_id))
    return user.id


def totp_for(salt: str, step: int) -> str:
    """The authenticator app's code of one 30-second step."""
    import pyotp

    from digiystava.accounts.second_factor import seed_for

    return pyotp.TOTP(seed_for(salt)).generate_otp(step)


async def second_factor_code(username: str) -> str | None:
    """A code the app takes now for this user, as their phone would show it; None without a second factor."""
    from digiystava import clock
    from digiystava.accounts import second_factor
    from digiystava.accounts.tables import StaffUser

    row = await StaffUser.select().where(StaffUser.username == username).first()
    if row is None:
        return None
    now = int(clock.now().timestamp()) // 30
    if not row["totp_salt"] and second_factor.step_for(row) == "enrol":
        # NOTE: a coordinator made elsewhere (the demo's): set it up as the first login's page does.
        assert await second_factor.enrol(row, TOTP_SALT, totp_for(TOTP_SALT, now)), (
            "setting up the second factor failed"
        )
        row = await StaffUser.select().where(StaffUser.username == username).first()
    if not row["totp_salt"]:
        return None
    step = max(now, (row["totp_last_step"] or 0) + 1)
    if step > now + 1:
        # NOTE: a third login within one 30-second step, which no person makes: the fixture forgets
        # the step used last instead of waiting (test_two_factor.py shows every code works once).
        await StaffUser.update({StaffUser.totp_last_step: None}).where(StaffUser.id == row["id"])
        step = now
    return totp_for(row["totp_salt"], step)


class InLoopClient(httpx.AsyncClient):
    """A test client that calls the app on the test's own event loop (``app.lifespan()``, or the
    ``client`` fixture, runs its start-up there): no thread per test and no hop between loops
    per request, and requests sent together (``asyncio.gather``) are in the app together, as a
    served worker's are. ``address`` is the caller's, as the app sees it (the login limits).

    Redirects are not followed: tests look at them as a browser's user would see them happen.
    """

    def __init__(self, app, address: str = "testclient", base_url: str = "http://testserver.local") -> None:
        super().__init__(
            transport=httpx.ASGITransport(app=app, client=(address, 50000)),
            base_url=base_url,
            headers={"user-agent": "testclient"},
            follow_redirects=False,
        )
        self.app = app


async def login(client: httpx.AsyncClient, username: str, password: str = PASSWORD) -> dict:
    """Log in through the API (with the second factor where the user has one); later unsafe requests carry the CSRF
    header.
    """
    otp = await second_factor_code(username)
    body = {"username": username, "password": password} | ({"otp": otp} if otp else {})
    response = await client.post("/api/v1/auth/login", json=body)
    assert response.status_code == 200, response.text
    body = response.json()
    client.headers["X-CSRFToken"] = body["csrf_token"]
    return body


async def as_role(client: httpx.AsyncClient, role: str, location_ids: list[int] = ()) -> str:  # type: ignore[assignment]
    """Create a user with ``role`` and log the client in as them; returns the username."""
    username = f"{role}{next(_counter)}"
    await make_user(role, username, list(location_ids))
    await login(client, username)
    return username


async def send_at_once(client: httpx.AsyncClient, requests: list[tuple[str, str, Any]]) -> list[httpx.Response]:
    """Send ``(method, path, json)`` requests together as ``client``'s user, all in the app at once.

    They go to the app on the test's event loop, with the client's cookies and headers, and
    the helper fails if no two of them were in the app at the same time: a race test that
    raced nothing (the requests taking turns) fails rather than passes.
    """
    in_app = most = 0

    async def counted(scope, receive, send) -> None:
        nonlocal in_app, most
        in_app += 1
        most = max(most, in_app)
        try:
            await client.app(scope, receive, send)
        finally:
            in_app -= 1

    async with InLoopClient(counted, base_url=str(client.base_url)) as together:
        together.cookies, together.headers = client.cookies, client.headers
        responses = await asyncio.gather(*[together.request(m, path, json=body) for m, path, body in requests])
    assert most > 1, "the requests reached the app one after another"
    return responses


def set_cookie(client: httpx.AsyncClient, name: str, value: str) -> None:
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
        pseudonym=secrets.token_hex(4).upper(),
        first_name=first_name,
        last_name=last_name,
        language=language,
        district=district,
        phone=phone,
        birth_year=birth_year,
        consent_given_on=dt.date(2026, 8, 1),
        location=location_id,
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
        location=location_id,
        name=name,
        start_date=start_date,
        start_time=start_time,
        capacity=capacity,
        status=status,
        weeks=weeks,
        end_date=start_date + dt.timedelta(weeks=weeks - 1),
        calendar_token=secrets.token_urlsafe(24),
    )
    await cohort.save()
    await CourseSession.insert(
        *[
            CourseSession(
                cohort=cohort.id,
                week=w,
                date=start_date + dt.timedelta(weeks=w - 1),
                start_time=start_time,
                kind="group" if w % 2 else "practice",
            )
            for w in range(1, weeks + 1)
        ]
    )
    for user_id in trainer_ids:
        await CohortTrainer.insert(CohortTrainer(cohort=cohort.id, user=user_id))
    return cohort.id


async def enrol(
    cohort_id: int, participant_id: int, status: str = "enrolled", waitlist_position: int | None = None
) -> int:
    from cohorts.tables import Enrolment

    enrolment = Enrolment(
        cohort=cohort_id, participant=participant_id, status=status, waitlist_position=waitlist_position
    )
    await enrolment.save()
    return enrolment.id
