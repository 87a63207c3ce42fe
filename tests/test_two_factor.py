"""Coordinators log in with a second factor: TOTP, or a one-time recovery code.

A coordinator without one sets it up at the next login (QR code and key on the
page); the API then takes the code in the field ``otp``. Guesses count against
the same login limit as passwords, and every code works once.
"""

from __future__ import annotations

import asyncio
import re
from collections import Counter

import httpx
import pyotp

from digiystava import clock
from digiystava.accounts.authentication import SESSION_COOKIE
from digiystava.accounts.tables import AuditEntry, LoginSession, RecoveryCode, StaffUser
from tests.factories import PASSWORD, InLoopClient, login, make_user, totp_for
from tests.factories.commands import on_database


def csrf(html: str) -> str:
    return re.search(r'name="_csrf" value="([^"]+)"', html).group(1)


def step_now() -> int:
    return int(clock.now().timestamp()) // 30


async def api_login(client, username: str, otp: str | None = None, password: str = PASSWORD) -> httpx.Response:
    body = {"username": username, "password": password} | ({"otp": otp} if otp is not None else {})
    return await client.post("/api/v1/auth/login", json=body)


async def password_step(client, username: str, password: str = PASSWORD, next_path: str = "/users") -> httpx.Response:
    form = await client.get("/login")
    return await client.post(
        "/login", data={"username": username, "password": password, "_csrf": csrf(form.text), "next": next_path}
    )


# --- the API ----------------------------------------------------------------------------


async def test_an_enrolled_coordinator_needs_the_code_and_each_code_works_once(client):
    await make_user("coordinator", "kaisa")
    without = await api_login(client, "kaisa")
    assert without.status_code == 401 and without.json()["second_factor"] == "code"
    assert not client.cookies.get(SESSION_COOKIE)
    wrong = await api_login(client, "kaisa", await wrong_code("kaisa"))
    assert wrong.status_code == 401 and wrong.json()["second_factor"] == "code"
    code = await totp_for_user("kaisa", step_now())
    assert (await api_login(client, "kaisa", code)).status_code == 200
    assert client.cookies.get(SESSION_COOKIE)
    client.cookies.clear()
    # NOTE: the same code again, still within its 30 seconds: refused (ASVS 6.5.1).
    assert (await api_login(client, "kaisa", code)).status_code == 401


async def test_a_coordinator_without_a_second_factor_is_sent_to_set_it_up(client):
    await make_user("coordinator", "uusi", second_factor=False)
    response = await api_login(client, "uusi")
    assert response.status_code == 401
    problem = response.json()
    assert problem["second_factor"] == "enrol" and "/login" in problem["detail"]
    assert not client.cookies.get(SESSION_COOKIE)
    # A wrong password says nothing about the second factor.
    wrong = await api_login(client, "uusi", password="wrong-password")
    assert wrong.status_code == 401 and "second_factor" not in wrong.json()


async def test_other_roles_log_in_with_the_password_alone(client):
    for role in ("trainer", "steering", "volunteer"):
        await make_user(role, f"a.{role}")
        assert (await api_login(client, f"a.{role}")).status_code == 200
        client.cookies.clear()


async def test_code_guesses_are_throttled_like_passwords(client):
    await make_user("coordinator", "kaisa")
    right, wrong = await totp_for_user("kaisa", step_now()), await wrong_code("kaisa")
    for _ in range(5):
        assert (await api_login(client, "kaisa", wrong)).status_code == 401
    # NOTE: the right password and the right code are refused while the account is throttled.
    assert (await api_login(client, "kaisa", right)).status_code == 429


async def test_a_hundred_code_guesses_at_once_are_five_evaluated(app):
    """Someone who has the password cannot race the code: guesses are counted before they are checked."""
    await make_user("coordinator", "kaisa")
    valid = {await totp_for_user("kaisa", step_now() + d) for d in (-1, 0, 1, 2)}
    guesses = [f"{n:06d}" for n in range(200000, 200400) if f"{n:06d}" not in valid][:100]

    async def guess(i: int, code: str) -> int:
        async with InLoopClient(app, f"10.1.{i // 250}.{i % 250}") as guesser:
            return (await api_login(guesser, "kaisa", code)).status_code

    async def race() -> Counter:
        return Counter(await asyncio.gather(*[guess(i, code) for i, code in enumerate(guesses)]))

    codes = await race()  # on the ``db`` fixture's pool of 10 connections, as in production
    assert codes == {401: 5, 429: 95}


async def test_recovery_codes_work_once_and_are_hashed_at_rest(client):
    user_id = await make_user("coordinator", "uusi", second_factor=False)
    codes = await enrol_through_pages(client, "uusi")
    assert len(codes) == 10 and len(set(codes)) == 10
    stored = [
        r["code_hash"] for r in await RecoveryCode.select(RecoveryCode.code_hash).where(RecoveryCode.user == user_id)
    ]
    assert len(stored) == 10 and all(h.startswith("$argon2id$") for h in stored)
    assert not any(code.replace("-", "") in h for code in codes for h in stored)
    client.cookies.clear()
    # Typed in lower case with spaces, as people copy them from paper.
    assert (await api_login(client, "uusi", codes[3].lower().replace("-", " "))).status_code == 200
    client.cookies.clear()
    assert (await api_login(client, "uusi", codes[3])).status_code == 401


# --- the pages --------------------------------------------------------------------------


async def enrol_through_pages(client, username: str) -> list[str]:
    """Log in on the page, read the key from the set-up page, enter a code; returns the recovery codes."""
    first = await password_step(client, username)
    assert first.status_code == 303 and first.headers["location"].startswith("/login/setup"), first.text
    setup = await client.get(first.headers["location"])
    assert setup.status_code == 200
    key = re.search(r'id="totp-key"[^>]*>([A-Z2-7 ]+)<', setup.text).group(1).replace(" ", "")
    code = pyotp.TOTP(key).at(clock.now())
    done = await client.post("/login/setup", data={"code": code, "_csrf": csrf(setup.text), "next": "/users"})
    assert done.status_code == 200, done.text
    assert client.cookies.get(SESSION_COOKIE)
    return re.findall(r'<li class="recovery-code"><code>([A-Z0-9-]+)</code></li>', done.text)


async def test_first_login_of_a_coordinator_sets_up_the_second_factor(client):
    await make_user("coordinator", "uusi", second_factor=False)
    first = await password_step(client, "uusi")
    assert first.status_code == 303 and first.headers["location"].startswith("/login/setup")
    assert not client.cookies.get(SESSION_COOKIE)
    # Nothing is reachable before the second step.
    assert (await client.get("/users", headers={"accept": "text/html"})).status_code == 302
    setup = await client.get(first.headers["location"])
    assert 'src="data:image/svg+xml;base64,' in setup.text and 'alt="' in setup.text
    assert 'id="totp-key"' in setup.text and 'autocomplete="one-time-code"' in setup.text
    wrong = await client.post("/login/setup", data={"code": "12345", "_csrf": csrf(setup.text), "next": "/users"})
    assert wrong.status_code == 401 and "error-summary" in wrong.text and not client.cookies.get(SESSION_COOKIE)
    client.cookies.clear()
    codes = await enrol_through_pages(client, "uusi")
    assert len(codes) == 10
    assert (await client.get("/users")).status_code == 200
    assert await StaffUser.select(StaffUser.second_factor_since).where(StaffUser.username == "uusi").first() != {
        "second_factor_since": None
    }
    entry = await AuditEntry.select().where(AuditEntry.entity == "user", AuditEntry.username == "uusi").first()
    assert entry and "second_factor" in str(entry["fields"])


async def test_an_enrolled_coordinator_enters_the_code_on_the_page(client):
    await make_user("coordinator", "kaisa")
    first = await password_step(client, "kaisa")
    assert first.status_code == 303 and first.headers["location"].startswith("/login/code")
    page = await client.get(first.headers["location"])
    assert (
        page.status_code == 200 and 'autocomplete="one-time-code"' in page.text and 'inputmode="numeric"' in page.text
    )
    done = await client.post(
        "/login/code",
        data={"code": await totp_for_user("kaisa", step_now()), "_csrf": csrf(page.text), "next": "/users"},
    )
    assert done.status_code == 303 and done.headers["location"] == "/users"
    assert (await client.get("/users")).status_code == 200


async def test_the_code_page_without_a_password_step_goes_back_to_login(client):
    response = await client.get("/login/code", headers={"accept": "text/html"})
    assert response.status_code in (302, 303) and response.headers["location"].startswith("/login")
    form = await client.get("/login")
    posted = await client.post("/login/code", data={"code": "123456", "_csrf": csrf(form.text)})
    assert posted.status_code in (302, 303) and not client.cookies.get(SESSION_COOKIE)


async def test_the_second_step_pages_speak_swedish(client):
    await make_user("coordinator", "uusi", second_factor=False)
    client.cookies.set("digiystava_lang", "sv", domain="testserver.local")
    first = await password_step(client, "uusi")
    setup = await client.get(first.headers["location"])
    assert '<html lang="sv">' in setup.text and "tvåstegsverifiering" in setup.text.lower()


# --- resetting ----------------------------------------------------------------------------


async def test_another_coordinator_resets_the_second_factor_through_the_api(client):
    target = await make_user("coordinator", "kadonnut.puhelin")
    await login(client, "kadonnut.puhelin")
    target_session = client.cookies.get(SESSION_COOKIE)
    client.cookies.clear()
    own_id = await make_user("coordinator", "kaisa")
    await login(client, "kaisa")
    assert (await client.delete(f"/api/v1/users/{own_id}/second-factor")).status_code == 409
    assert (await client.delete(f"/api/v1/users/{target}/second-factor")).status_code == 204
    user = (await client.get(f"/api/v1/users/{target}")).json()
    assert user["second_factor_since"] is None
    assert not await LoginSession.exists().where(LoginSession.user == target)
    assert not await RecoveryCode.exists().where(RecoveryCode.user == target)
    assert target_session
    client.cookies.clear()
    # Next login: set it up again.
    assert (await api_login(client, "kadonnut.puhelin")).json()["second_factor"] == "enrol"


async def test_a_coordinator_resets_it_on_the_users_page(client):
    from tests.test_pages import page_login

    target = await make_user("coordinator", "kadonnut.puhelin")
    await make_user("coordinator", "kaisa")
    await page_login(client, "kaisa")
    edit = await client.get(f"/users/{target}")
    assert "second-factor/reset" in edit.text
    reset = await client.post(f"/users/{target}/second-factor/reset", data={"_csrf": csrf(edit.text)})
    assert reset.status_code == 303
    again = await client.get(reset.headers["location"])
    assert (await StaffUser.select(StaffUser.second_factor_since).where(StaffUser.id == target).first())[
        "second_factor_since"
    ] is None
    assert "second-factor/reset" not in again.text


async def test_command_line_resets_the_second_factor(db, database_urls):
    url = database_urls["postgres" if db.engine_type == "postgres" else "sqlite"]
    target = await make_user("coordinator", "kaisa")
    result = on_database(url, "user", "reset-2fa", "kaisa")
    assert result.returncode == 0, result.stderr
    assert (await StaffUser.select(StaffUser.second_factor_since).where(StaffUser.id == target).first())[
        "second_factor_since"
    ] is None
    unknown = on_database(url, "user", "reset-2fa", "nobody")
    assert unknown.returncode == 1 and len(unknown.stderr.strip().splitlines()) == 1


async def test_created_coordinators_set_it_up_at_their_first_login(db, database_urls, client):
    url = database_urls["postgres" if db.engine_type == "postgres" else "sqlite"]
    created = on_database(
        url, "user", "create", "uusi.koordinaattori", "--role", "coordinator", "--password-stdin", stdin=PASSWORD + "\n"
    )
    assert created.returncode == 0 and "first login" in created.stdout
    assert (await api_login(client, "uusi.koordinaattori")).json()["second_factor"] == "enrol"


async def test_becoming_a_coordinator_ends_sessions_and_tokens_made_without_it(client):
    trainer = await make_user("trainer", "timo")
    await login(client, "timo")
    token = (await client.post("/api/v1/me/tokens", json={"name": "skripti"})).json()["token"]
    client.cookies.clear()
    await make_user("coordinator", "kaisa")
    await login(client, "kaisa")
    assert (await client.patch(f"/api/v1/users/{trainer}", json={"role": "coordinator"})).status_code == 200
    client.cookies.clear()
    client.headers.pop("X-CSRFToken", None)
    assert (await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})).status_code == 401
    assert not await LoginSession.exists().where(LoginSession.user == trainer)


async def totp_for_user(username: str, step: int) -> str:
    row = await StaffUser.select(StaffUser.totp_salt).where(StaffUser.username == username).first()
    return totp_for(row["totp_salt"], step)


async def wrong_code(username: str) -> str:
    """Six digits that are none of the codes the app would take now."""
    valid = {await totp_for_user(username, step_now() + d) for d in (-1, 0, 1, 2)}
    return next(c for c in ("123456", "654321", "111111") if c not in valid)
