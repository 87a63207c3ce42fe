"""Password hashing with Argon2id, computed off the event loop."""

from __future__ import annotations

import asyncio
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from digiystava.errors import InvalidInput
from digiystava.settings import get_settings

MIN_LENGTH = 8
MAX_LENGTH = 256


@lru_cache(maxsize=1)
def hasher() -> PasswordHasher:
    """New hashes at the configured memory cost; a stored hash is checked at the cost it was made with."""
    return PasswordHasher(memory_cost=get_settings().password_hash_kib)


def check_strength(password: str, field: str = "password") -> None:
    if len(password) < MIN_LENGTH:
        raise InvalidInput(field, f"must be at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise InvalidInput(field, f"must be at most {MAX_LENGTH} characters")


async def hash_password(password: str) -> str:
    return await asyncio.to_thread(hasher().hash, password)


async def _verify(target: str, password: str) -> bool:
    try:
        return await asyncio.to_thread(hasher().verify, target, password)
    except (VerificationError, InvalidHashError):
        return False


async def verify_password(password_hash: str | None, password: str, *, edges_trimmed: bool = False) -> bool:
    """Verify against the stored hash, or a dummy one so unknown users cost the same time.

    The password is taken exactly as typed. ``edges_trimmed`` accounts were created when
    passwords were stripped, so their hash may be of the stripped password: that is
    tried too. Any other failed password with edge spaces costs the same second check.
    """
    target = password_hash or _dummy_hash()
    ok = await _verify(target, password)
    if not ok and password != password.strip():
        stripped_ok = await _verify(target if edges_trimmed else _dummy_hash(), password.strip())
        ok = edges_trimmed and stripped_ok
    return ok and password_hash is not None


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return hasher().hash("not-a-real-password")
