"""The seniors' own feedback at the last session: six plain questions, anonymous.

A senior answers on their own tablet through a one-time link (a QR code on a card the
trainer hands out; no login), or the trainer enters the answers for them. The link names
the course, never a senior, and the form asks nothing that identifies anyone: the
answers are the course's, not a person's. Only the SHA-256 of a link's secret is stored;
a link works once and expires after ``LINK_LIFETIME``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from assessments.tables import Feedback, FeedbackLink
from digiystava import audit, clock
from digiystava.access import Principal, require
from digiystava.db import write_transaction
from digiystava.errors import Conflict, FieldProblem, InvalidInput, InvalidRows
from digiystava.i18n import N_
from digiystava.identity_codes import find_identity_code

LINK_LIFETIME = dt.timedelta(days=14)
# 96 random bits: short enough to type from the card, far beyond guessing within two weeks.
TOKEN_BYTES = 12
MAX_CARDS = 40  # a course has at most a few dozen seniors
FREE_TEXT_MAX = 1000
FREE_TEXT = "learn"


@dataclass(frozen=True)
class Question:
    code: str
    text: str  # an N_ msgid, translated where shown
    options: tuple[tuple[str, str], ...]  # (code, label msgid)


YES, NO = ("yes", N_("Yes")), ("no", N_("No"))
QUESTIONS: tuple[Question, ...] = (
    Question("recommend", N_("Would you recommend the course to a friend?"), (YES, ("maybe", N_("Maybe")), NO)),
    Question(
        "pace",
        N_("Was the pace of the course right for you?"),
        (("too_fast", N_("Too fast")), ("right", N_("Just right")), ("too_slow", N_("Too slow"))),
    ),
    Question(
        "friend",
        N_("Was your digital friend helpful?"),
        (YES, ("somewhat", N_("Somewhat")), NO, ("no_friend", N_("I did not have one"))),
    ),
    Question(
        "confident",
        N_("Do you now feel more confident using a tablet?"),
        (YES, ("a_little", N_("A little")), NO),
    ),
    Question(
        "guide",
        N_("Was the printed guide useful?"),
        (YES, ("somewhat", N_("Somewhat")), NO, ("not_used", N_("I did not use it"))),
    ),
)
FREE_TEXT_QUESTION = N_("What would you still like to learn?")


class LinkUsed(Conflict):
    """The feedback link was used already, or has expired."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def checked_feedback(form: Mapping[str, Any]) -> tuple[dict[str, str], str]:
    """The chosen options by question (unanswered ones left out) and the free text; 422 naming the field."""
    problems: list[FieldProblem] = []
    answers: dict[str, str] = {}
    for question in QUESTIONS:
        value = str(form.get(question.code) or "").strip()
        if not value:
            continue
        if value not in dict(question.options):
            problems.append(FieldProblem(question.code, N_("choose one of the options")))
        else:
            answers[question.code] = value
    text = str(form.get(FREE_TEXT) or "").strip()
    if len(text) > FREE_TEXT_MAX:
        problems.append(FieldProblem(FREE_TEXT, N_("at most {count} characters", count=FREE_TEXT_MAX)))
    elif find_identity_code(text):
        problems.append(FieldProblem(FREE_TEXT, N_("a personal identity code is not needed here")))
    if problems:
        raise InvalidRows("; ".join(f"{p.field}: {p.message}" for p in problems), errors=problems)
    return answers, text


async def create_links(principal: Principal, cohort_id: int, count: int) -> tuple[list[str], dt.datetime]:
    """``count`` new one-time links for the cohort: their secrets (shown once, on the cards) and when they expire."""
    from assessments.services import cohort_in_scope

    require(principal, "assessments.write")
    await cohort_in_scope(principal, cohort_id)
    if not 1 <= count <= MAX_CARDS:
        raise InvalidInput("count", N_("from 1 to {max} cards", max=MAX_CARDS))
    expires = clock.now() + LINK_LIFETIME
    tokens = [secrets.token_urlsafe(TOKEN_BYTES) for _ in range(count)]
    async with write_transaction():
        await FeedbackLink.insert(
            *[
                FeedbackLink(
                    cohort=cohort_id, token_hash=token_hash(t), created_by=principal.user_id, expires_at=expires
                )
                for t in tokens
            ]
        )
        await audit.record(principal, "create", "feedback_link", cohort_id, ["count"])
    return tokens, expires


async def link_state(token: str) -> str:
    """``open``, ``used``, ``expired`` or ``unknown``: what the form's page says."""
    row = (
        await FeedbackLink.select(FeedbackLink.used_at, FeedbackLink.expires_at)
        .where(FeedbackLink.token_hash == token_hash(token))
        .first()
    )
    if row is None:
        return "unknown"
    if row["used_at"] is not None:
        return "used"
    return "open" if row["expires_at"] > clock.now() else "expired"


async def submit_with_link(token: str, form: Mapping[str, Any]) -> None:
    """Save the answers and spend the link, in one transaction: a second use finds it spent (409)."""
    answers, text = checked_feedback(form)
    now = clock.now()
    async with write_transaction():
        # NOTE: the condition is in the UPDATE itself, so two submits at once cannot both spend the link.
        spent = (
            await FeedbackLink.update({FeedbackLink.used_at: now})
            .where(
                FeedbackLink.token_hash == token_hash(token),
                FeedbackLink.used_at.is_null(),
                FeedbackLink.expires_at > now,
            )
            .returning(FeedbackLink.cohort)
        )
        if not spent:
            raise LinkUsed(N_("This feedback link has already been used or has expired."))
        await Feedback.insert(Feedback(cohort=spent[0]["cohort"], answers=answers, free_text=text, method="card"))


async def record_for_senior(principal: Principal, cohort_id: int, form: Mapping[str, Any]) -> int:
    """The trainer enters a senior's answers (no name is kept with them)."""
    from assessments.services import cohort_in_scope

    require(principal, "assessments.write")
    await cohort_in_scope(principal, cohort_id)
    answers, text = checked_feedback(form)
    feedback = Feedback(
        cohort=cohort_id, answers=answers, free_text=text, method="trainer", recorded_by=principal.user_id
    )
    async with write_transaction():
        await feedback.save()
        await audit.record(principal, "create", "feedback", feedback.id, ["answers", "free_text"])
    return feedback.id
