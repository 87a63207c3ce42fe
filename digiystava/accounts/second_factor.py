"""The second factor of coordinators: TOTP (RFC 6238) and one-time recovery codes.

Coordinators can reach everyone's data, so their login needs a second step (OWASP
ASVS 5.0 level 2, 6.3.3): a coordinator without one sets it up at the next login.
The TOTP seed is derived from a stored random salt and the app's secret key, so a
copy of the database alone cannot produce codes. Every code works once: a TOTP code
by the step it belongs to (``totp_last_step``), a recovery code by its ``used_at``.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import io
import secrets
from functools import lru_cache
from typing import Any, Literal

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from digiystava import audit, clock
from digiystava.access import Principal, require
from digiystava.accounts.tables import ApiToken, LoginChallenge, LoginSession, RecoveryCode, StaffUser
from digiystava.db import write_transaction
from digiystava.errors import Conflict, NotFound
from digiystava.i18n import N_
from digiystava.settings import PRODUCTION_MIN_PASSWORD_HASH_KIB, get_settings

Step = Literal["code", "enrol"]
ISSUER = "Digiystävä"
DIGITS = 6
INTERVAL = 30
# A code of the step before or after is taken too: phones' clocks drift a little.
DRIFT_STEPS = 1
RECOVERY_CODES = 10
# NOTE: no 0/O or 1/I, so a code copied from paper is read right; 12 characters are 60 bits.
RECOVERY_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
RECOVERY_LENGTH = 12


@lru_cache(maxsize=1)
def _recovery_hasher() -> PasswordHasher:
    """OWASP's smallest Argon2id settings (or the passwords' own, if smaller): ten codes hash in well under a second."""
    memory = min(PRODUCTION_MIN_PASSWORD_HASH_KIB, get_settings().password_hash_kib)
    return PasswordHasher(time_cost=2, memory_cost=memory, parallelism=1)


def step_for(user: dict[str, Any]) -> Step | None:
    """What a user's login needs after the password: a code, setting one up, or nothing."""
    if user.get("totp_salt"):
        return "code"
    if user["role"] == "coordinator":
        return "enrol"
    return None


def new_salt() -> str:
    return secrets.token_hex(32)


def seed_for(salt: str) -> str:
    """The TOTP seed (base32, 160 bits) of a salt under this installation's secret key."""
    digest = hmac.new(get_settings().secret_key.encode(), b"totp seed:" + salt.encode(), hashlib.sha256).digest()
    return base64.b32encode(digest[:20]).decode()


def manual_key(seed: str) -> str:
    """The seed in groups of four, for typing into an app that cannot scan."""
    return " ".join(seed[i : i + 4] for i in range(0, len(seed), 4))


def qr_data_uri(seed: str, username: str) -> str:
    """The otpauth:// address as an SVG QR code, inline as a data: URI (the CSP allows data: images)."""
    # NOTE: heavy library on first use (qrcode loads PIL): start-up stays quick (tests/unit/test_lazy_imports.py).
    import qrcode
    import qrcode.image.svg

    uri = pyotp.TOTP(seed, digits=DIGITS, interval=INTERVAL).provisioning_uri(name=username, issuer_name=ISSUER)
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def _normalise(code: str) -> str:
    return "".join(code.split()).replace("-", "").upper()


def _matching_step(seed: str, code: str) -> int | None:
    """The step whose code this is, within the allowed drift, or None."""
    if len(code) != DIGITS or not code.isdigit():
        return None
    totp = pyotp.TOTP(seed, digits=DIGITS, interval=INTERVAL)
    now = int(clock.now().timestamp()) // INTERVAL
    found = None
    for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            found = step
    return found


async def _take_step(user_id: int, step: int) -> bool:
    """Mark the step used, in one statement; False when it (or a later one) was used already."""
    taken = (
        await StaffUser.update({StaffUser.totp_last_step: step})
        .where(StaffUser.id == user_id, StaffUser.totp_last_step.is_null() | (StaffUser.totp_last_step < step))
        .returning(StaffUser.id)
    )
    return bool(taken)


async def check_code(user: dict[str, Any], code: str) -> bool:
    """A TOTP code of the user's app, or one of their unused recovery codes; either works once."""
    code = _normalise(code)
    if code.isdigit():
        step = _matching_step(seed_for(user["totp_salt"]), code)
        return step is not None and await _take_step(user["id"], step)
    return await _use_recovery_code(user["id"], code)


async def _use_recovery_code(user_id: int, code: str) -> bool:
    if len(code) != RECOVERY_LENGTH or any(c not in RECOVERY_ALPHABET for c in code):
        return False
    unused = await RecoveryCode.select(RecoveryCode.id, RecoveryCode.code_hash).where(
        RecoveryCode.user == user_id, RecoveryCode.used_at.is_null()
    )
    for row in unused:
        if await asyncio.to_thread(_verify_recovery, row["code_hash"], code):
            used = (
                await RecoveryCode.update({RecoveryCode.used_at: clock.now()})
                .where(RecoveryCode.id == row["id"], RecoveryCode.used_at.is_null())
                .returning(RecoveryCode.id)
            )
            return bool(used)
    return False


def _verify_recovery(code_hash: str, code: str) -> bool:
    try:
        return _recovery_hasher().verify(code_hash, code)
    except (VerificationError, InvalidHashError):
        return False


def _new_recovery_codes() -> list[str]:
    return ["".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH)) for _ in range(RECOVERY_CODES)]


def shown(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


async def enrol(user: dict[str, Any], salt: str, code: str) -> list[str] | None:
    """Turn the second factor on with the seed of ``salt`` once ``code`` proves the app has it.

    Returns the new recovery codes (shown once), or None when the code is wrong.
    """
    step = _matching_step(seed_for(salt), _normalise(code))
    if step is None:
        return None
    codes = _new_recovery_codes()
    hashes = await asyncio.gather(*[asyncio.to_thread(_recovery_hasher().hash, c) for c in codes])
    async with write_transaction():
        changed = (
            await StaffUser.update(
                {StaffUser.totp_salt: salt, StaffUser.second_factor_since: clock.now(), StaffUser.totp_last_step: step}
            )
            .where(StaffUser.id == user["id"], StaffUser.totp_salt == "")
            .returning(StaffUser.id)
        )
        if not changed:
            return None  # set up meanwhile in another tab: that one counts
        await RecoveryCode.delete().where(RecoveryCode.user == user["id"])
        await RecoveryCode.insert(*[RecoveryCode(user=user["id"], code_hash=h) for h in hashes])
        actor = Principal(user_id=user["id"], username=user["username"], role=user["role"])
        await audit.record(actor, "update", "user", user["id"], ["second_factor"])
    return [shown(c) for c in codes]


async def reset(principal: Principal, user_id: int) -> None:
    """Turn a user's second factor off (a lost phone); they set it up again at their next login.

    Their browser sessions end; a coordinator cannot reset their own, so a stolen session
    cannot swap in the thief's phone.
    """
    require(principal, "users.manage")
    if principal.user_id == user_id:
        raise Conflict(N_("Ask another coordinator to reset your own two-step verification."))
    async with write_transaction():
        if not await StaffUser.exists().where(StaffUser.id == user_id):
            raise NotFound()
        await StaffUser.update(
            {StaffUser.totp_salt: "", StaffUser.second_factor_since: None, StaffUser.totp_last_step: None}
        ).where(StaffUser.id == user_id)
        await RecoveryCode.delete().where(RecoveryCode.user == user_id)
        await LoginChallenge.delete().where(LoginChallenge.user == user_id)
        await LoginSession.delete().where(LoginSession.user == user_id)
        await audit.record(principal, "reset", "user", user_id, ["second_factor"])


async def end_access_made_without_it(user_id: int) -> None:
    """A user who becomes a coordinator: sessions and tokens from before (without a second step) end."""
    await LoginSession.delete().where(LoginSession.user == user_id)
    await ApiToken.update({ApiToken.revoked_at: clock.now()}).where(
        ApiToken.user == user_id, ApiToken.revoked_at.is_null()
    )
