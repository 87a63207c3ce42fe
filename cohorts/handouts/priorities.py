"""Which skill chapters a senior's own guide puts first: their wishes, then their weakest skills.

The skills are the instrument's (``assessments/instrument``), so the guide's order and the
self-assessment form cannot drift apart; the guide prints the chapters in the order given.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from assessments.instrument import current_instrument

# Intake wishes (assessment instrument v1) -> the beginner's guide chapter that serves them.
# NOTE: "kela" maps to banking: Kela's e-services start with strong identification by
# bank codes, which the banking chapter teaches; "doctor" maps to health (MyKanta, Maisa).
WISH_SKILLS: Mapping[str, str] = {
    "contact": "contact",
    "information": "search",
    "timetables": "search",
    "photos": "photos",
    "email": "email",
    "bills": "banking",
    "health": "health",
    "doctor": "health",
    "bank": "banking",
    "kela": "banking",
    "groceries": "shopping",
}


def skill_priorities(wishes: Iterable[str], before: Mapping[str, int | None]) -> tuple[str, ...]:
    """Skill codes in the senior's order: their wishes first, then their lowest "before" levels.

    Wishes keep the order given; answered skills follow from level 0 upwards (ties in the
    instrument's order). Unanswered skills are left out ("no answer" is not 0), so they
    keep their usual place after these.
    """
    skills = current_instrument().skill_codes
    order: list[str] = []
    for wish in wishes:
        code = WISH_SKILLS.get(wish, wish if wish in skills else None)
        if code and code not in order:
            order.append(code)
    answered = [c for c in skills if isinstance(before.get(c), int) and c not in order]
    order += sorted(answered, key=lambda c: (before[c], skills.index(c)))
    return tuple(order)
