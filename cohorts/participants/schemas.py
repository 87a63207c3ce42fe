"""Participant models."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from annotated_types import Ge, Le
from pydantic import Field, StringConstraints, field_validator

from digiystava import clock
from digiystava.identity_codes import NoIdentityCode
from digiystava.schemas import (
    CleanStr,
    Date,
    Id,
    In,
    JsonStrList,
    LongText,
    Out,
    PlaceName,
    published_pattern,
)

AccessibilityNeed = Literal["sight", "hearing", "hands", "memory"]
# NOTE: every free text of a senior refuses an identity code (checked before the phone is
# reduced to its digits, where "131052-308T" would become a plausible number).
PersonName = Annotated[CleanStr, StringConstraints(min_length=1, max_length=100), NoIdentityCode]
Language = Annotated[
    CleanStr, StringConstraints(min_length=2, max_length=10), published_pattern(r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$")
]
# The patterns publish the rules of canonical_phone and _check_email (one line, as every CleanStr).
_TEXT = r"[^\x00-\x1F\x7F-\x9F\u2028\u2029"
PHONE_PATTERN = rf"^(|{_TEXT}0-9]*([0-9]{_TEXT}0-9]*){{5,15}})$"
EMAIL_PATTERN = rf"^(|{_TEXT}@\s]+@{_TEXT}@\s]+\.{_TEXT}@\s]+)$"
Phone = Annotated[
    CleanStr, StringConstraints(max_length=40), NoIdentityCode, Field(json_schema_extra={"pattern": PHONE_PATTERN})
]
Email = Annotated[
    CleanStr, StringConstraints(max_length=254), NoIdentityCode, Field(json_schema_extra={"pattern": EMAIL_PATTERN})
]
SeniorNotes = Annotated[LongText, NoIdentityCode]
BirthYear = Annotated[int, Ge(1900), Le(2010)]
# The instrument's wish codes (GET /instruments/current: ``wishes``); unknown codes are a 422 naming them.
WishCodes = Annotated[list[Annotated[str, StringConstraints(max_length=40)]], Field(max_length=50)]


def canonical_phone(value: str) -> str:
    """Digits only (a leading + kept), so '040-123 4567' and '0401234567' are the same number."""
    value = value.strip()
    if not value:
        return ""
    digits = re.sub(r"[^0-9]", "", value)
    if len(digits) < 5 or len(digits) > 15:
        raise ValueError("must be a phone number of 5 to 15 digits")
    return ("+" if value.startswith("+") else "") + digits


def _check_email(value: str | None) -> str | None:
    if value and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
        raise ValueError("must be an email address")
    return value


def _consent_not_in_future(value: dt.date | None) -> dt.date | None:
    if value is not None and value > clock.today() + dt.timedelta(days=1):
        raise ValueError("must not be in the future")
    return value


class ParticipantIn(In):
    first_name: PersonName
    last_name: PersonName
    phone: Phone = ""
    email: Email = ""
    language: Language = "fi"
    district: Annotated[PlaceName, NoIdentityCode] = ""
    birth_year: BirthYear | None = None
    accessibility_needs: list[AccessibilityNeed] = Field(default_factory=list)
    notes: SeniorNotes = ""
    wishes: WishCodes = Field(default_factory=list, description="what the senior wants to learn: wish codes")
    wishes_text: SeniorNotes = Field("", description="what the senior wants to learn, in their own words")
    consent_given_on: Date
    location_id: Id | None = None
    allow_duplicate: bool = Field(False, description="save even when a likely duplicate exists")

    _phone = field_validator("phone")(canonical_phone)
    _email = field_validator("email")(_check_email)
    _consent = field_validator("consent_given_on")(_consent_not_in_future)


class WishesIn(In):
    """What the senior wishes to learn, as the grid's wishes page sends it."""

    wishes: WishCodes = Field(default_factory=list)
    wishes_text: SeniorNotes = ""


class ParticipantPatch(In):
    first_name: PersonName = None
    last_name: PersonName = None
    phone: Phone = None
    email: Email = None
    language: Language = None
    district: Annotated[PlaceName, NoIdentityCode] = None
    birth_year: BirthYear | None = None
    accessibility_needs: list[AccessibilityNeed] = None
    notes: SeniorNotes = None
    wishes: WishCodes = None
    wishes_text: SeniorNotes = None
    consent_given_on: Date = None
    location_id: Id | None = None

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        return None if value is None else canonical_phone(value)

    _email = field_validator("email")(_check_email)
    _consent = field_validator("consent_given_on")(_consent_not_in_future)


class ParticipantOut(Out):
    id: int
    pseudonym: str
    first_name: str
    last_name: str
    phone: str
    email: str
    language: str
    district: str
    birth_year: int | None
    accessibility_needs: JsonStrList
    notes: str
    wishes: JsonStrList = Field(default_factory=list, description="told at registration, before any questionnaire")
    wishes_text: str = ""
    consent_given_on: dt.date | None
    location_id: int | None
    created_at: dt.datetime


class DuplicateQuery(In):
    first_name: Annotated[CleanStr, StringConstraints(max_length=100)] = ""
    last_name: Annotated[CleanStr, StringConstraints(max_length=100)] = ""
    birth_year: BirthYear | None = None
    phone: Phone = ""

    _phone = field_validator("phone")(canonical_phone)


class DuplicateOut(Out):
    id: int | None = Field(None, description="null when the match is outside your locations")
    name: str = ""
    birth_year: int | None = None
    reason: Literal["name_and_birth_year", "phone"]
