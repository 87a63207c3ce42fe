"""Forms sent after their session had ended: kept for their author until they sign in again.

Nothing is lost when a session times out mid-form. The browser holds a random key in a
cookie; the database holds its hash, the form's page and the typed fields, for a few hours.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from typing import Any

from digiystava import clock
from digiystava.accounts.authentication import keyed_hash
from digiystava.accounts.tables import FormDraft

DRAFT_COOKIE = "digiystava_draft"
KEPT_HOURS = 12
# The longest text a form takes is 4,000 characters (a note); anything far beyond is not typing.
MAX_FIELD_CHARS, MAX_FIELDS = 5_000, 100


async def keep(page: str, fields: dict[str, Any], user_id: int | None) -> str:
    """Store the typed fields for ``page``; returns the cookie value that finds them again."""
    await FormDraft.delete().where(FormDraft.created_at < clock.now() - dt.timedelta(hours=KEPT_HOURS))
    key = secrets.token_urlsafe(32)
    kept = {
        str(name)[:200]: [str(v)[:MAX_FIELD_CHARS] for v in value]
        if isinstance(value, list)
        else str(value)[:MAX_FIELD_CHARS]
        for name, value in list(fields.items())[:MAX_FIELDS]
    }
    await FormDraft.insert(FormDraft(key_hash=keyed_hash(key), user=user_id, page=page[:2000], fields=kept))
    return key


async def find(key: str, user_id: int, page: str) -> tuple[int, dict[str, Any]] | None:
    """The draft of this cookie for ``page``, when it is recent and was typed by this user (or by no one known)."""
    row = (
        await FormDraft.select(FormDraft.id, FormDraft.user, FormDraft.page, FormDraft.fields)
        .where(
            FormDraft.key_hash == keyed_hash(key),
            FormDraft.created_at > clock.now() - dt.timedelta(hours=KEPT_HOURS),
        )
        .first()
    )
    if row is None or row["page"] != page or row["user"] not in (None, user_id):
        return None
    fields = row["fields"]
    return row["id"], json.loads(fields) if isinstance(fields, str) else fields


async def forget(draft_id: int) -> None:
    await FormDraft.delete().where(FormDraft.id == draft_id)
