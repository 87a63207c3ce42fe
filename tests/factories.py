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
