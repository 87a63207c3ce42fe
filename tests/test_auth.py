"""Logging in and out, sessions, CSRF, throttling and API tokens."""

import datetime as dt

from digiystava import clock
from digiystava.accounts.authentication import SESSION_COOKIE
from digiystava.accounts.tables import LoginSession
from tests.factories import PASSWORD, login, make_user, set_cookie


async def test_login_issues_a_new_session_id_and_ignores_a_planted_one(client):
    await make_user("coordinator", "kaisa")
    set_cookie(client, SESSION_COOKIE, "planted-by-an-attacker")
    await login(client, "kaisa")
    first = client.cookies.get(SESSION_COOKIE)
    assert first and first != "planted-by-an-attacker"
    await login(client, "kaisa")
    second = client.cookies.get(SESSION_COOKIE)
    assert second != first
    # The session from before the second login is gone.
    set_cookie(client, SESSION_COOKIE, first)
    assert (await client.get("/api/v1/me")).status_code == 401


async def test_logout_kills_the_session(client):
    await make_user("coordinator", "kaisa")
    await login(client, "kaisa")
    cookie = client.cookies.get(SESSION_COOKIE)
    assert (await client.get("/api/v1/me")).json()["username"] == "kaisa"
    assert (await client.post("/api/v1/auth/logout")).status_code == 200
    set_cookie(client, SESSION_COOKIE, cookie)
    assert (await client.get("/api/v1/me")).status_code == 401


async def test_idle_session_expires(client):
    await make_user("trainer", "timo")
    await login(client, "timo")
    await LoginSession.update({LoginSession.last_seen_at: clock.now() - dt.timedelta(hours=3)}, force=True)
    response = await client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_unsafe_session_request_needs_the_csrf_token(client):
    await make_user("coordinator", "kaisa")
    await login(client, "kaisa")
    token = client.headers.pop("X-CSRFToken")
    body = {"name": "Oodi", "kind": "library"}
    assert (await client.post("/api/v1/locations", json=body)).status_code == 403
    assert (await client.post("/api/v1/locations", json=body, headers={"X-CSRFToken": "wrong"})).status_code == 403
    assert (await client.post("/api/v1/locations", json=body, headers={"X-CSRFToken": token})).status_code == 201


async def test_wrong_password_and_unknown_user_look_the_same(client):
    await make_user("coordinator", "kaisa")
    wrong = await client.post("/api/v1/auth/login", json={"username": "kaisa", "password": "nope-nope"})
    unknown = await client.post("/api/v1/auth/login", json={"username": "nobody", "password": "nope-nope"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()


async def test_failed_logins_are_throttled_per_account(client):
    await make_user("coordinator", "kaisa")
    for _ in range(5):
        assert (
            await client.post("/api/v1/auth/login", json={"username": "kaisa", "password": "wrong-one"})
        ).status_code == 401
    # NOTE: even the right password is refused while the account is throttled.
    response = await client.post("/api/v1/auth/login", json={"username": "kaisa", "password": PASSWORD})
    assert response.status_code == 429
    assert int(response.headers["retry-after"]) > 0
    assert response.json()["status"] == 429


async def test_failed_logins_are_throttled_per_address(client):
    for i in range(5):
        await client.post("/api/v1/auth/login", json={"username": f"guess{i}", "password": "wrong-one"})
    response = await client.post("/api/v1/auth/login", json={"username": "someone-else", "password": "wrong-one"})
    assert response.status_code == 429


async def test_inactive_user_cannot_log_in(client):
    await make_user("trainer", "poistettu", active=False)
    response = await client.post("/api/v1/auth/login", json={"username": "poistettu", "password": PASSWORD})
    assert response.status_code == 401


async def test_token_lifecycle(client):
    await make_user("coordinator", "kaisa")
    await login(client, "kaisa")
    created = await client.post("/api/v1/me/tokens", json={"name": "raportit"})
    assert created.status_code == 201
    secret, token_id = created.json()["token"], created.json()["id"]
    listed = (await client.get("/api/v1/me/tokens")).json()
    assert listed[0]["name"] == "raportit" and "token" not in listed[0]
    bearer = {"Authorization": f"Bearer {secret}"}
    assert (await client.get("/api/v1/locations", headers=bearer)).status_code == 200
    assert (await client.delete(f"/api/v1/me/tokens/{token_id}")).status_code == 204
    assert (await client.get("/api/v1/locations", headers=bearer)).status_code == 401


async def test_deactivated_users_token_is_refused(client):
    await make_user("coordinator", "kaisa")
    trainer_id = await make_user("trainer", "timo")
    await login(client, "kaisa")
    token = (await client.post("/api/v1/me/tokens", json={"name": "x"})).json()["token"]
    # A coordinator makes a token for nobody else through the API; use the trainer's own session.
    client.cookies.clear()
    await login(client, "timo")
    trainer_token = (await client.post("/api/v1/me/tokens", json={"name": "skripti"})).json()["token"]
    client.cookies.clear()
    kaisa = {"Authorization": f"Bearer {token}"}
    assert (await client.patch(f"/api/v1/users/{trainer_id}", json={"active": False}, headers=kaisa)).status_code == 200
    response = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {trainer_token}"})
    assert response.status_code == 401


async def test_invalid_token_is_401_even_on_public_routes(client):
    response = await client.get("/health", headers={"Authorization": "Bearer dy_not-a-token"})
    assert response.status_code == 401


async def test_me_reports_role_and_locations(client, db):
    from tests.factories import make_location

    location = await make_location()
    await make_user("trainer", "timo", [location])
    await login(client, "timo")
    me = (await client.get("/api/v1/me")).json()
    assert me["username"] == "timo" and me["role"] == "trainer" and me["location_ids"] == [location]


async def test_every_request_reads_the_users_locations_and_active_flag_afresh(client):
    """Session and token both carry all of a trainer's locations, and a change counts from the next request."""
    from tests.factories import make_location

    first, second = await make_location("Kallion kirjasto"), await make_location("Oodi")
    await make_user("coordinator", "kaisa")
    trainer_id = await make_user("trainer", "timo", location_ids=[first, second])
    await login(client, "timo")
    assert sorted((await client.get("/api/v1/me")).json()["location_ids"]) == sorted([first, second])
    token = (await client.post("/api/v1/me/tokens", json={"name": "skripti"})).json()["token"]
    timo = {"Authorization": f"Bearer {token}"}
    client.cookies.clear()
    assert sorted((await client.get("/api/v1/me", headers=timo)).json()["location_ids"]) == sorted([first, second])
    await login(client, "kaisa")
    moved = await client.patch(f"/api/v1/users/{trainer_id}", json={"location_ids": [second]})
    assert moved.status_code == 200, moved.text
    assert (await client.get("/api/v1/me", headers=timo)).json()["location_ids"] == [second]
    assert (await client.patch(f"/api/v1/users/{trainer_id}", json={"active": False})).status_code == 200
    client.cookies.clear()
    assert (await client.get("/api/v1/me", headers=timo)).status_code == 401
