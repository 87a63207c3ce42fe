"""Finding seniors by name or pseudonym whatever the accents, the same on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from cohorts.tables import Participant
from digiystava import search
from digiystava.db import ilike


async def found_ids(query_words: list[str], *where: Any) -> list[int]:
    """The ids of the seniors (among ``where``) whose name or pseudonym has every word, whatever the accents.

    In the order of the seniors' list: last name, first name.
    """
    narrowed = [
        ilike(Participant.last_name, pattern)
        | ilike(Participant.first_name, pattern)
        | ilike(Participant.pseudonym, pattern)
        for pattern in map(search.like_pattern, query_words)
    ]
    rows = (
        await Participant.select(Participant.id, Participant.first_name, Participant.last_name, Participant.pseudonym)
        .where(*where, *narrowed)
        .order_by(Participant.last_name)
        .order_by(Participant.first_name)
    )
    return [r["id"] for r in rows if search.matches(query_words, r["first_name"], r["last_name"], r["pseudonym"])]
