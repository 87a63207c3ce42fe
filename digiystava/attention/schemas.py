"""The "needs attention" list as plain data: what, how many, and where it is put right."""

from __future__ import annotations

from typing import Literal

from digiystava.schemas import Out

Kind = Literal["overdue_loans", "calls", "unpaired", "no_before", "past_dates", "unchecked_volunteers"]


class AttentionPart(Out):
    """One cohort (or volunteer) behind a line, with its own count and page."""

    label: str
    count: int
    href: str
    cohort_id: int | None = None
    volunteer_id: int | None = None


class AttentionItem(Out):
    """One line of the list: ``count`` things of ``kind``, put right at ``href`` (or at each part's)."""

    kind: Kind
    count: int
    href: str
    parts: list[AttentionPart] = []
