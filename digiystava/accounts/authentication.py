"""Logging in and out, browser sessions, API tokens and login throttling."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from cohorts.tables import StaffLocation
from digiystava import clock
from digiystava.access import Principal
from digiystava.accounts import second_factor
from digiystava.accounts.passwords import verify_password
from digiystava.accounts.tables import ApiToken, LoginChallenge, LoginSession, LoginThrottle, StaffUser
from digiystava.errors import NotAuthenticated, SecondFactorNeeded, TooManyAttempts
from digiystava.read_cache import NOTHING_KEPT, Kept, Reading
from digiystava.settings import get_settings
from digiystava.table_versions import VERSION_OF, Unconfirmed, tables_in, unconfirmed

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
    "window_started = CASE WHEN login_throttle.window_started <= {} THEN excluded.window_started ELSE "
    "login_throttle.window_started END "
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
        await LoginThrottle.delete().where(
            (LoginThrottle.bucket == account) | (LoginThrottle.window_started <= window_start)
        )


class LoginStepExpired(NotAuthenticated):
    """No half-done login to finish (none, expired, or its user changed): log in again."""


# --- login and sessions --------------------------------------------------------
# The API logs in with one call (the second factor in the field ``otp``); the pages in
# two steps: the password, then on a page of its own the code, or setting one up.

CHALLENGE_COOKIE = "digiystava_login_step"
CHALLENGE_MINUTES = 10


async def check_password(username: str, password: str, client_address: str) -> dict:
    """The active user with this password, after counting the attempt; 401 otherwise."""
    await count_attempt(username, client_address)
    user = await StaffUser.select().where(StaffUser.username == username.strip()).first()
    ok = await verify_password(
        user["password_hash"] if user else None, password, edges_trimmed=bool(user and user["password_edges_trimmed"])
    )
    if not ok or not user or not user["active"]:
        raise NotAuthenticated("Wrong username or password.")
    return user


async def start_session(user: dict, client_address: str, old_cookie: str | None) -> tuple[str, Principal]:
    """Every step passed: a new session; returns (cookie value, principal).

    A cookie sent with the login request is never reused: its session is
    deleted and a fresh id is issued, so a planted cookie gains nothing.
    """
    await uncount_attempt(user["username"], client_address, succeeded=True)
    if old_cookie:
        await LoginSession.delete().where(LoginSession.key_hash == keyed_hash(old_cookie))
    cookie = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    await LoginSession.insert(LoginSession(key_hash=keyed_hash(cookie), user=user["id"], csrf_token=csrf))
    return cookie, _principal(user, await _location_ids(user["id"]), "session", csrf)


async def login(
    username: str, password: str, client_address: str, old_cookie: str | None, otp: str | None = None
) -> tuple[str, Principal]:
    """The API's login in one call: the password, and ``otp`` when the account has a second factor."""
    user = await check_password(username, password, client_address)
    step = second_factor.step_for(user)
    if step == "enrol" or (step == "code" and otp is None):
        # NOTE: the right password is not a failure; the attempt is given back.
        await uncount_attempt(username, client_address, succeeded=False)
        if step == "enrol":
            raise SecondFactorNeeded(
                "enrol",
                "Coordinators log in with two-step verification. Set it up first: log in on the login page (/login).",
            )
        raise SecondFactorNeeded(
            "code", "Enter the code from your authenticator app, or a recovery code, in the field otp."
        )
    if step == "code" and not await second_factor.check_code(user, otp or ""):
        raise SecondFactorNeeded("code", "Wrong code.")
    return await start_session(user, client_address, old_cookie)


async def start_challenge(user: dict, step: second_factor.Step, client_address: str) -> str:
    """The password was right on the login page: remember that for the second step; returns the cookie value."""
    await uncount_attempt(user["username"], client_address, succeeded=False)
    await LoginChallenge.delete().where(LoginChallenge.created_at < _now() - dt.timedelta(minutes=CHALLENGE_MINUTES))
    cookie = secrets.token_urlsafe(32)
    salt = second_factor.new_salt() if step == "enrol" else ""
    await LoginChallenge.insert(LoginChallenge(key_hash=keyed_hash(cookie), user=user["id"], kind=step, totp_salt=salt))
    return cookie


async def challenge(cookie: str | None) -> tuple[dict, dict] | None:
    """The half-done login of this cookie and its (still active) user, or None when there is none or it expired."""
    if not cookie:
        return None
    row = (
        await LoginChallenge.select()
        .where(
            LoginChallenge.key_hash == keyed_hash(cookie),
            LoginChallenge.created_at > _now() - dt.timedelta(minutes=CHALLENGE_MINUTES),
        )
        .first()
    )
    if row is None:
        return None
    user = await StaffUser.select().where(StaffUser.id == row["user"], StaffUser.active.eq(True)).first()
    if user is None or second_factor.step_for(user) != row["kind"]:
        return None  # deactivated, set up or reset meanwhile: start again
    return row, user


async def finish_challenge(
    cookie: str | None, code: str, client_address: str, old_cookie: str | None
) -> tuple[str, Principal, list[str]]:
    """The second step on the pages: a code (or setting one up); returns (cookie, principal, recovery codes).

    The attempt is counted first, against the same limits as passwords.
    """
    found = await challenge(cookie)
    if found is None:
        raise LoginStepExpired()
    row, user = found
    await count_attempt(user["username"], client_address)
    recovery_codes: list[str] = []
    if row["kind"] == "code":
        ok = await second_factor.check_code(user, code)
    else:
        recovery_codes = await second_factor.enrol(user, row["totp_salt"], code) or []
        ok = bool(recovery_codes)
    if not ok:
        raise NotAuthenticated("Wrong code.")
    await LoginChallenge.delete().where(LoginChallenge.id == row["id"])
    session, principal = await start_session(user, client_address, old_cookie)
    return session, principal, recovery_codes


async def logout(cookie: str | None) -> None:
    if cookie:
        await LoginSession.delete().where(LoginSession.key_hash == keyed_hash(cookie))


async def principal_from_session(
    cookie: str,
    reading: Reading = NOTHING_KEPT,
    ended: dict[str, int] | None = None,
    kept: KeptCredentials | None = None,
) -> Principal | None:
    """The session's principal; None when unknown or idle too long (then ``ended`` learns whose it was).

    With ``kept``, a session used lately may be taken on trust (``KeptCredentials``).
    """
    row = await _credential(_SESSION_SQL, cookie, reading, kept)
    if row is None:
        return None
    now = _now()
    if now - row["touched_at"] > dt.timedelta(minutes=get_settings().session_idle_minutes):
        await LoginSession.delete().where(LoginSession.id == row["credential_id"])
        if ended is not None:
            ended["user_id"] = row["id"]
        return None
    if now - row["touched_at"] > TOUCH_INTERVAL:
        await LoginSession.update({LoginSession.last_seen_at: now}).where(LoginSession.id == row["credential_id"])
    return _principal(row, row["location_ids"], "session", row["csrf_token"])


# --- API tokens ---------------------------------------------------------------


def new_token_secret() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


async def principal_from_token(
    token: str, reading: Reading = NOTHING_KEPT, kept: KeptCredentials | None = None
) -> Principal | None:
    """The token's principal; None when unknown or revoked. With ``kept``, as ``principal_from_session``."""
    row = await _credential(_TOKEN_SQL, token, reading, kept)
    if row is None:
        return None
    now = _now()
    if row["touched_at"] is None or now - row["touched_at"] > TOUCH_INTERVAL:
        await ApiToken.update({ApiToken.last_used_at: now}).where(ApiToken.id == row["credential_id"])
    return _principal(row, row["location_ids"], "token")


# --- one query per request --------------------------------------------------------
# Every request is authenticated, so this is the hottest query of the app: the
# credential, its user and the user's locations come back in one round trip (a row
# per location), written as SQL so that nothing is rebuilt per request. The versions
# of the tables it reads come with it (``table_versions.py``), read in the same statement.
_USER_COLUMNS = "u.id, u.username, u.role, u.display_name, u.active, sl.location"
_USER_JOINS = 'JOIN staff_user u ON u.id = c."user" LEFT JOIN staff_location sl ON sl."user" = u.id'
_SESSION_SQL = (
    f"SELECT c.id AS credential_id, c.last_seen_at AS touched_at, c.csrf_token, {_USER_COLUMNS} "
    f"FROM login_session c {_USER_JOINS} WHERE c.key_hash = {{}}"
)
_TOKEN_SQL = (
    f"SELECT c.id AS credential_id, c.last_used_at AS touched_at, {_USER_COLUMNS} "
    f"FROM api_token c {_USER_JOINS} WHERE c.token_hash = {{}} AND c.revoked_at IS NULL"
)
_VERSION = "credential_version_"


def _versioned(sql: str) -> tuple[str, tuple[str, ...]]:
    """``sql`` with the versions of the tables it reads as more columns (each table a parameter); and those tables."""
    tables = tuple(sorted(tables_in(sql)))
    columns = "".join(f", {VERSION_OF} AS {_VERSION}{i}" for i in range(len(tables)))
    select, source = sql.split(" FROM ", 1)
    return f"{select}{columns} FROM {source}", tables


_VERSIONED = {sql: _versioned(sql) for sql in (_SESSION_SQL, _TOKEN_SQL)}


class KeptCredentials(Kept[tuple[dict, Unconfirmed]]):
    """Credentials read lately, with the versions of the tables they were read from: (row, as read).

    With the read cache off, a list's GET takes its caller's credential from here on
    trust, and the page's own statement confirms it (``table_versions.Unconfirmed``): one
    statement per request instead of two. What the page did not confirm is checked
    again before the answer leaves (``guards.AuthenticationMiddleware``). Only a
    credential used within ``TOUCH_INTERVAL`` is taken, so a request on trust never writes.
    """

    def __init__(self, max_entries: int = 256) -> None:
        super().__init__(max_entries)

    def take(self, key: tuple) -> dict | None:
        """The kept row, now trusted by this request (``unconfirmed``); None if none may be taken."""
        kept = self.get(key)
        if kept is None or unconfirmed.get() is not None:
            return None  # NOTE: a request trusts once; checked again, it reads the credential
        row, read = kept
        if row["touched_at"] is None or _now() - row["touched_at"] > TOUCH_INTERVAL:
            return None
        unconfirmed.set(Unconfirmed(read.tables, read.versions))
        return row

    def remember(self, key: tuple, row: dict | None, tables: tuple[str, ...], versions: tuple) -> None:
        """Keep ``row`` as read at ``versions``; None (unknown, revoked) or an inactive user's: drop what was kept."""
        if row is None or None in versions or not row["active"]:
            self.drop(key)
        else:
            self.put(key, (row, Unconfirmed(tables, versions)))


async def _credential(sql: str, secret_value: str, reading: Reading, kept: KeptCredentials | None) -> dict | None:
    """The credential's row with its user's locations gathered, or None if unknown or inactive.

    Kept while its tables do not change: a revoked token, a deactivated user or a
    changed location is a write to them, so the next request reads the credential again.
    """
    key = ("credential", sql, keyed_hash(secret_value))
    row = reading.get(key)
    if row is None and kept is not None:
        row = kept.take(key)
    if row is None:
        versioned, tables = _VERSIONED[sql]
        rows = await ApiToken.raw(versioned, *tables, key[2])
        if not rows:
            if kept is not None:
                kept.remember(key, None, tables, ())
            return None
        versions = tuple(rows[0][f"{_VERSION}{i}"] for i in range(len(tables)))
        row = {
            **{name: value for name, value in rows[0].items() if not name.startswith(_VERSION)},
            "location_ids": frozenset(r["location"] for r in rows if r["location"] is not None),
        }
        reading.put(key, row, tables)
        if kept is not None:
            kept.remember(key, row, tables, versions)
    return row if row["active"] else None
