"""Logging in and out, browser sessions, API tokens and login throttling."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from digiystava import clock
from digiystava.access import Principal
from digiystava.accounts.passwords import verify_password
from digiystava.accounts.tables import ApiToken, LoginSession, LoginThrottle, StaffUser
from digiystava.errors import NotAuthenticated, TooManyAttempts
from digiystava.read_cache import NOTHING_KEPT, Reading
from digiystava.settings import get_settings

SESSION_COOKIE = "digiystava_session"
TOKEN_PREFIX = "dy_"
# Write last_seen/last_used at most this often, not on every request.
TOUCH_INTERVAL = dt.timedelta(seconds=60)


def _now() -> dt.datetime:
    return clock.now()


def keyed_hash(secret_value: str) -> str:
    """HMAC with the app's secret: a stolen database alone cannot forge a cookie or token."""
    return hmac.new(get_settings().secret_key.encode(), secret_value.encode(), hashlib.sha256).hexdigest()


async def _location_ids(user_id: int) -> frozenset[int]:
    from cohorts.tables import StaffLocation

    rows = await StaffLocation.select(StaffLocation.location).where(StaffLocation.user == user_id)
    return frozenset(row["location"] for row in rows)


def _principal(user: dict, location_ids: frozenset[int], auth: str, csrf_token: str | None = None) -> Principal:
    return Principal(
        user_id=user["id"],
        username=user["username"],
        role=user["role"],
        location_ids=location_ids,
        auth=auth,
        csrf_token=csrf_token,
        display_name=user.get("display_name") or user["username"],
    )


# --- throttling -------------------------------------------------------------
# Every attempt is counted before the password (or the second factor) is checked,
# in one INSERT ... ON CONFLICT statement per bucket: the database hands out the
# numbers 1, 2, 3 ... one at a time, so of any number of parallel guesses only
# the first few are ever evaluated. A window starts with its first attempt.

_COUNT_SQL = (
    "INSERT INTO login_throttle (bucket, window_started, attempts) VALUES ({}, {}, 1) "
    "ON CONFLICT (bucket) DO UPDATE SET "
    "attempts = CASE WHEN login_throttle.window_started <= {} THEN 1 ELSE login_throttle.attempts + 1 END, "
    "window_started = CASE WHEN login_throttle.window_started <= {} THEN excluded.window_started ELSE login_throttle.window_started END "
    "RETURNING attempts, window_started"
)


def _username_key(username: str) -> str:
    return hashlib.sha256(username.strip().lower().encode()).hexdigest()[:64]


def _buckets(username: str, client_address: str) -> tuple[str, str]:
    return "account:" + _username_key(username), "address:" + client_address[:64]


async def count_attempt(username: str, client_address: str) -> None:
    """Count one attempt for the account and the address; 429 once either is over the limit."""
    settings = get_settings()
    now = int(_now().timestamp())
    window = settings.login_window_minutes * 60
    wait = 0
    for bucket in _buckets(username, client_address):
        row = (await LoginThrottle.raw(_COUNT_SQL, bucket, now, now - window, now - window))[0]
        if row["attempts"] > settings.login_max_failures:
            wait = max(wait, row["window_started"] + window - now)
    if wait:
        raise TooManyAttempts(retry_after=max(1, wait))


async def uncount_attempt(username: str, client_address: str, *, succeeded: bool) -> None:
    """The attempt was not a failure: a success clears the account's count, and never counts against the address."""
    account, address = _buckets(username, client_address)
    await LoginThrottle.update({LoginThrottle.attempts: LoginThrottle.attempts - 1}).where(
        LoginThrottle.bucket.is_in([address] if succeeded else [account, address]), LoginThrottle.attempts > 0
    )
    if succeeded:
        window_start = int(_now().timestamp()) - get_settings().login_window_minutes * 60
        await LoginThrottle.delete().where((LoginThrottle.bucket == account) | (LoginThrottle.window_started <= window_start))


# --- login and sessions --------------------------------------------------------


async def login(username: str, password: str, client_address: str, old_cookie: str | None) -> tuple[str, Principal]:
    """Check the credentials and start a new session; returns (cookie value, principal).

    A cookie sent with the login request is never reused: its session is
    deleted and a fresh id is issued, so a planted cookie gains nothing.
    """
    await count_attempt(username, client_address)
    user = await StaffUser.select().where(StaffUser.username == username.strip()).first()
    ok = await verify_password(user["password_hash"] if user else None, password, edges_trimmed=bool(user and user["password_edges_trimmed"]))
    if not ok or not user or not user["active"]:
        raise NotAuthenticated("Wrong username or password.")
    await uncount_attempt(username, client_address, succeeded=True)
    if old_cookie:
        await LoginSession.delete().where(LoginSession.key_hash == keyed_hash(old_cookie))
    cookie = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    await LoginSession.insert(LoginSession(key_hash=keyed_hash(cookie), user=user["id"], csrf_token=csrf))
    return cookie, _principal(user, await _location_ids(user["id"]), "session", csrf)


async def logout(cookie: str | None) -> None:
    if cookie:
        await LoginSession.delete().where(LoginSession.key_hash == keyed_hash(cookie))


async def principal_from_session(cookie: str, reading: Reading = NOTHING_KEPT) -> Principal | None:
    row = await _credential(_SESSION_SQL, cookie, reading)
    if row is None:
        return None
    now = _now()
    if now - row["touched_at"] > dt.timedelta(minutes=get_settings().session_idle_minutes):
        await LoginSession.delete().where(LoginSession.id == row["credential_id"])
        return None
    if now - row["touched_at"] > TOUCH_INTERVAL:
        await LoginSession.update({LoginSession.last_seen_at: now}).where(LoginSession.id == row["credential_id"])
    return _principal(row, row["location_ids"], "session", row["csrf_token"])


# --- API tokens ---------------------------------------------------------------


def new_token_secret() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


async def principal_from_token(token: str, reading: Reading = NOTHING_KEPT) -> Principal | None:
    row = await _credential(_TOKEN_SQL, token, reading)
    if row is None:
        return None
    now = _now()
    if row["touched_at"] is None or now - row["touched_at"] > TOUCH_INTERVAL:
        await ApiToken.update({ApiToken.last_used_at: now}).where(ApiToken.id == row["credential_id"])
    return _principal(row, row["location_ids"], "token")


# --- one query per request --------------------------------------------------------
# Every request is authenticated, so this is the hottest query of the app: the
# credential, its user and the user's locations come back in one round trip (a row
# per location), written as SQL so that nothing is rebuilt per request.
_USER_COLUMNS = 'u.id, u.username, u.role, u.display_name, u.active, sl.location'
_USER_JOINS = 'JOIN staff_user u ON u.id = c."user" LEFT JOIN staff_location sl ON sl."user" = u.id'
_SESSION_SQL = (
    f"SELECT c.id AS credential_id, c.last_seen_at AS touched_at, c.csrf_token, {_USER_COLUMNS} "
    f"FROM login_session c {_USER_JOINS} WHERE c.key_hash = {{}}"
)
_TOKEN_SQL = (
    f"SELECT c.id AS credential_id, c.last_used_at AS touched_at, {_USER_COLUMNS} "
    f"FROM api_token c {_USER_JOINS} WHERE c.token_hash = {{}} AND c.revoked_at IS NULL"
)


async def _credential(sql: str, secret_value: str, reading: Reading) -> dict | None:
    """The credential's row with its user's locations gathered, or None if unknown or inactive.

    Kept while the database does not change: a revoked token, a deactivated user or a
    changed location is a write, so the next request reads the credential again.
    """
    key = ("credential", sql, keyed_hash(secret_value))
    row = reading.get(key)
    if row is None:
        rows = await ApiToken.raw(sql, key[2])
        if not rows:
            return None
        row = {**rows[0], "location_ids": frozenset(r["location"] for r in rows if r["location"] is not None)}
        reading.put(key, row)
    return row if row["active"] else None
