"""The login limit holds under real concurrency: a hundred guesses at once, five evaluated.

The worker's app (the ``app`` fixture) runs on the test's own event loop behind httpx's
ASGI transport, so the requests really overlap, and a hundred requests at once share the
``db`` fixture's pool of 10 connections, as in production.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from contextlib import asynccontextmanager

from tests.factories import PASSWORD, InLoopClient, make_user

GUESSES = 100


@asynccontextmanager
async def browser_at(app, address: str):
    async with InLoopClient(app, address) as client:
        yield client


async def _login(app, address: str, username: str, password: str) -> int:
    async with browser_at(app, address) as client:
        return (await client.post("/api/v1/auth/login", json={"username": username, "password": password})).status_code


async def test_a_hundred_guesses_at_once_for_one_account_are_five_evaluated(app):
    await make_user("trainer", "timo")
    # NOTE: each guess from its own address, so only the account's limit can stop them.
    codes = await asyncio.gather(
        *[_login(app, f"10.0.{i // 250}.{i % 250}", "timo", f"guess-{i}") for i in range(GUESSES)]
    )
    assert Counter(codes) == {401: 5, 429: GUESSES - 5}
    # The right password is refused too while the account is throttled.
    assert await _login(app, "10.9.9.9", "timo", PASSWORD) == 429


async def test_a_hundred_guesses_at_once_from_one_address_are_five_evaluated(app):
    await make_user("trainer", "timo")
    codes = await asyncio.gather(*[_login(app, "192.0.2.7", f"user{i}", "guess") for i in range(GUESSES)])
    assert Counter(codes) == {401: 5, 429: GUESSES - 5}
    assert await _login(app, "192.0.2.7", "timo", PASSWORD) == 429
    assert await _login(app, "192.0.2.8", "timo", PASSWORD) == 200


async def test_the_service_counts_before_it_checks(db):
    """The same through the service, a hundred calls at once, each from its own address."""
    from digiystava.accounts.authentication import login
    from digiystava.errors import NotAuthenticated, TooManyAttempts

    await make_user("coordinator", "kaisa")

    async def attempt(i: int) -> str:
        try:
            await login("kaisa", f"guess-{i}", f"198.51.100.{i}", None)
        except NotAuthenticated:
            return "evaluated"
        except TooManyAttempts:
            return "throttled"
        return "logged in"

    async def race() -> Counter:
        return Counter(await asyncio.gather(*[attempt(i) for i in range(GUESSES)]))

    results = await race()
    assert results == {"evaluated": 5, "throttled": GUESSES - 5}


async def test_successful_logins_from_one_office_are_never_throttled(app):
    """Attempts are counted before the check, but a success does not count against its address."""
    for i in range(8):
        await make_user("trainer", f"trainer{i}")
    codes = [await _login(app, "203.0.113.1", f"trainer{i}", PASSWORD) for i in range(8)]
    assert codes == [200] * 8
    # Three failures and then a success clear the account's count: five more tries are allowed.
    for _ in range(3):
        assert await _login(app, "203.0.113.2", "trainer0", "wrong-one") == 401
    assert await _login(app, "203.0.113.2", "trainer0", PASSWORD) == 200
    assert [await _login(app, "203.0.113.3", "trainer0", "wrong-one") for _ in range(6)] == [401] * 5 + [429]
