"""A password is exactly what was typed: never stripped at creation, API login or page login.

Accounts whose password was stripped when they were created (before this rule)
still log in with what they typed then, and with what they learned to type since.
"""

import re

from digiystava.accounts.passwords import hasher
from digiystava.accounts.tables import StaffUser
from tests.factories import as_role, make_user
from tests.factories.commands import on_database

SPACED = "  kolme sanaa tässä "  # NOTE: spaces at both edges and inside


async def _api_login(client, username: str, password: str) -> int:
    response = await client.post("/api/v1/auth/login", json={"username": username, "password": password})
    return response.status_code


async def _page_login(client, username: str, password: str) -> int:
    form = await client.get("/login")
    token = re.search(r'name="_csrf" value="([^"]+)"', form.text).group(1)
    response = await client.post(
        "/login", data={"username": username, "password": password, "_csrf": token, "next": "/"}
    )
    return response.status_code


async def test_a_password_is_used_as_typed_in_every_door(client):
    await as_role(client, "coordinator")
    created = await client.post("/api/v1/users", json={"username": "timo", "role": "trainer", "password": SPACED})
    assert created.status_code == 201, created.text
    client.cookies.clear()
    assert await _api_login(client, "timo", SPACED) == 200
    client.cookies.clear()
    assert await _page_login(client, "timo", SPACED) == 303
    client.cookies.clear()
    # Never stripped: the same words without the spaces are another password.
    assert await _api_login(client, "timo", SPACED.strip()) == 401
    assert await _page_login(client, "timo", SPACED.strip()) == 401


async def test_a_new_password_set_by_a_coordinator_keeps_its_spaces(client):
    await as_role(client, "coordinator")
    user_id = await make_user("trainer", "timo")
    assert (await client.patch(f"/api/v1/users/{user_id}", json={"password": SPACED})).status_code == 200
    client.cookies.clear()
    assert await _page_login(client, "timo", SPACED) == 303


async def test_command_line_keeps_the_spaces_and_drops_only_the_line_end(db, database_urls, client):
    url = database_urls["postgres" if db.engine_type == "postgres" else "sqlite"]
    created = on_database(url, "user", "create", "anna", "--role", "trainer", "--password-stdin", stdin=SPACED + "\r\n")
    assert created.returncode == 0, created.stderr
    assert await _page_login(client, "anna", SPACED) == 303


async def test_accounts_created_with_a_stripped_password_still_log_in(client):
    """Before this rule creation stripped the password: the hash is of the stripped words."""
    await StaffUser.insert(
        StaffUser(
            username="vanha", role="trainer", password_hash=hasher().hash(SPACED.strip()), password_edges_trimmed=True
        )
    )
    # As typed at creation (the API login stripped it too) ...
    assert await _api_login(client, "vanha", SPACED) == 200
    client.cookies.clear()
    assert await _page_login(client, "vanha", SPACED) == 303
    client.cookies.clear()
    # ... and as the login page made them learn to type it.
    assert await _page_login(client, "vanha", SPACED.strip()) == 303
    client.cookies.clear()
    assert await _api_login(client, "vanha", "  other words ") == 401


async def test_a_new_password_ends_the_old_stripping(client):
    await as_role(client, "coordinator")
    await StaffUser.insert(
        StaffUser(
            username="vanha", role="trainer", password_hash=hasher().hash("vanha salasana"), password_edges_trimmed=True
        )
    )
    user_id = (await StaffUser.select(StaffUser.id).where(StaffUser.username == "vanha").first())["id"]
    assert (await client.patch(f"/api/v1/users/{user_id}", json={"password": " uusi salasana "})).status_code == 200
    client.cookies.clear()
    assert await _api_login(client, "vanha", " uusi salasana ") == 200
    client.cookies.clear()
    assert await _api_login(client, "vanha", "uusi salasana") == 401
