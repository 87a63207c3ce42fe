"""Accent-insensitive search, the same on SQLite and PostgreSQL: "makela" finds Mäkelä, "soderberg" Söderberg.

Neither engine folds accents by itself (SQLite's LIKE ignores only ASCII case, and
PostgreSQL's ``unaccent`` is an extension that may be missing), so a search is made in
two steps: ``like_pattern`` turns each word into a LIKE pattern in which every letter
that has accented forms matches any one character, which narrows the rows in the
database to a handful; ``matches`` then keeps those whose folded text really contains
every folded word. Small lists (cohorts, a page of choices) are simply filtered with
``matches``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import lru_cache

# Letters that carry accents in the names of Finland's seniors (ä ö å é ü ç ñ š ž...): each
# matches any single character in the database, and the exact test is made in Python.
ACCENTED_BASES = frozenset("aceinosuyz")
# Letters that do not decompose into a base letter and a mark.
SPECIAL = str.maketrans({"ø": "o", "æ": "ae", "ß": "ss", "đ": "d", "ł": "l"})


@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Lower case without accents: "Mäkelä" -> "makela", "Söderberg" -> "soderberg"."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(SPECIAL))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(query: str | None) -> list[str]:
    """The folded words of a search, in order; none for an empty or blank query."""
    return fold(query or "").split()


def like_pattern(word: str) -> str:
    """A LIKE pattern (``%...%``) that matches every text whose folded form contains ``word`` (folded).

    It matches more than that (``m_k_l_`` also finds "Mikola"); ``matches`` keeps the right ones.
    LIKE's own wildcards typed in a search match any one character too.
    """
    return "%" + "".join("_" if c in ACCENTED_BASES or c in "%_\\" or not c.isascii() else c for c in word) + "%"


def matches(query_words: Iterable[str], *texts: str | None) -> bool:
    """Whether every word occurs in the folded texts (in any of them, in any order)."""
    # NOTE: names repeat (Aino, Virtanen), so folding is cached; a one-letter search folds most rows.
    haystack = " ".join(fold(t or "") for t in texts)
    return all(w in haystack for w in query_words)
