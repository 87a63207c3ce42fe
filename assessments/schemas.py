"""Assessment and instrument models of the JSON API."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import Field

from digiystava.identity_codes import NoIdentityCode
from digiystava.schemas import Id, In, LongText, Out

# A senior's own words: never with an identity code in them.
WishesText = Annotated[LongText, NoIdentityCode]

Phase = Literal["before", "after", "followup"]
Method = Literal["alone", "with_help", "paper"]


class AssessmentIn(In):
    participant_id: Id
    cohort_id: Id
    phase: Phase
    # NOTE: checked against the instrument in the service, so a problem names "answers.<skill>".
    answers: dict[str, Any] = Field(default_factory=dict)
    wishes: list[str] = Field(default_factory=list, max_length=50)
    wishes_text: WishesText = ""
    method: Method = "paper"
    instrument_version: Id | None = None


class AssessmentCorrection(In):
    """A PUT: new answers; wishes, wishes_text and method keep their values when left out."""

    answers: dict[str, Any]
    wishes: list[str] | None = Field(default=None, max_length=50)
    wishes_text: WishesText | None = None
    method: Method | None = None


class AssessmentOut(Out):
    id: int
    participant_id: int
    cohort_id: int
    phase: Phase
    instrument_version: int
    answers: dict[str, int | None]
    wishes: list[str]
    wishes_text: str
    method: Method
    recorded_by: int | None
    recorded_at: dt.datetime
    updated_at: dt.datetime
    # An "after" with no "before" for the same senior and cohort.
    unpaired: bool = False


class SkillOut(Out):
    code: str
    label: str


class LevelOut(Out):
    value: int
    label: str


class WishOut(Out):
    code: str
    label: str


class InstrumentOut(Out):
    code: str
    version: int
    language: str
    skills: list[SkillOut]
    levels: list[LevelOut]
    wishes: list[WishOut]


class ImportResult(Out):
    created: int


class FeedbackLinksIn(In):
    count: int = Field(ge=1, le=40)


class FeedbackLinksOut(Out):
    """The one-time links: shown once, here and on the printed cards (only their hashes are kept)."""

    expires_at: dt.datetime
    links: list[str]


class FeedbackIn(In):
    """A senior's feedback entered by the trainer: ``answers`` by question code, ``learn`` in their words."""

    # NOTE: checked against the questions in the service, so a problem names the question.
    answers: dict[str, str] = Field(default_factory=dict)
    learn: WishesText = ""


class FeedbackOut(Out):
    id: int
