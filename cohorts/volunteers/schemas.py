"""Models of volunteers, pairing suggestions, pairings and volunteer hours."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, StringConstraints, field_validator, model_validator

from digiystava import clock
from digiystava.identity_codes import NoIdentityCode
from digiystava.schemas import CleanStr, Date, Id, In, Name, Out, Page, ShortText, TimeOfDay, published_pattern

Fit = Literal["good", "change_needed"]
HoursSource = Literal["form", "sessions"]
LanguageCode = Annotated[
    CleanStr, StringConstraints(to_lower=True), published_pattern(r"^[A-Za-z]{2,3}$")
]  # stored in lower case
# NOTE: a volunteer's free texts refuse identity codes, like a senior's.
District = Annotated[CleanStr, StringConstraints(min_length=1, max_length=100), NoIdentityCode]
Phone = Annotated[CleanStr, StringConstraints(max_length=40), NoIdentityCode]
Email = Annotated[CleanStr, StringConstraints(max_length=254), NoIdentityCode]
PersonText = Annotated[Name, NoIdentityCode]


def _not_in_future(value: dt.date | None) -> dt.date | None:
    """A check is recorded once it has been done."""
    if value is not None and value > clock.today():
        raise ValueError("must not be in the future: record the date once the check is done")
    return value


CheckDate = Annotated[Date | None, AfterValidator(_not_in_future)]


class Availability(In):
    """A weekly window when the volunteer can meet, e.g. Tuesdays 10:00-14:00."""

    weekday: int = Field(ge=0, le=6, description="0 = Monday ... 6 = Sunday")
    start: TimeOfDay
    end: TimeOfDay

    @model_validator(mode="after")
    def _start_before_end(self) -> Availability:
        if self.start >= self.end:
            raise ValueError("start must be before end")
        return self


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


class VolunteerFields(In):
    @field_validator("languages", "districts", check_fields=False)
    @classmethod
    def _no_repeats(cls, values: list[str] | None) -> list[str] | None:
        return None if values is None else _unique(values)


class VolunteerIn(VolunteerFields):
    name: PersonText
    phone: Phone = ""
    email: Email = ""
    organisation: PersonText = "HelsinkiMissio"
    languages: list[LanguageCode] = Field(default_factory=lambda: ["fi"], max_length=10)
    districts: list[District] = Field(default_factory=list, max_length=20)
    availability: list[Availability] = Field(default_factory=list, max_length=30)
    max_participants: int = Field(default=2, ge=1, le=10)
    identity_checked_on: CheckDate = None
    training_done_on: CheckDate = None
    active: bool = True
    user_id: Id | None = Field(default=None, description="the volunteer's own login (role volunteer)")


class VolunteerPatch(VolunteerFields):
    name: PersonText = None
    phone: Phone = None
    email: Email = None
    organisation: PersonText = None
    languages: list[LanguageCode] = Field(default=None, max_length=10)
    districts: list[District] = Field(default=None, max_length=20)
    availability: list[Availability] = Field(default=None, max_length=30)
    max_participants: int = Field(default=None, ge=1, le=10)
    identity_checked_on: CheckDate = None
    training_done_on: CheckDate = None
    active: bool = None
    user_id: Id | None = None


class AvailabilityOut(Out):
    weekday: int
    start: dt.time
    end: dt.time


class VolunteerOut(Out):
    id: int
    name: str
    phone: str
    email: str
    organisation: str
    languages: list[str]
    districts: list[str]
    availability: list[AvailabilityOut]
    max_participants: int
    identity_checked_on: dt.date | None
    training_done_on: dt.date | None
    active: bool
    user_id: int | None
    active_pairs: int = Field(
        description="the most seniors guided at once: active pairs in cohorts whose dates overlap (planned ones too)"
    )
    created_at: dt.datetime


class ReasonOut(Out):
    code: str
    params: dict[str, Any]
    text: str = Field(description="the reason in words, in the caller's page language")


class SuggestionOut(Out):
    volunteer_id: int
    participant_id: int
    score: float
    reasons: list[ReasonOut]


class UnmatchedOut(Out):
    participant_id: int
    reason: ReasonOut


class PairingIn(In):
    cohort_id: Id
    volunteer_id: Id
    participant_id: Id
    started_on: Date | None = Field(default=None, description="default: today")
    override_reason: Annotated[ShortText, NoIdentityCode] | None = Field(
        default=None,
        description="needed (coordinators only) to pair a volunteer whose identity check or training is not "
        "recorded; kept with the pair and audited",
    )


class PairingPatch(In):
    ended_on: Date = Field(default=None, description="ends the pair on this date")
    fit: Fit = Field(default=None, description='fit check: "change_needed" also ends the pair')


class PairingOut(Out):
    id: int
    cohort_id: int
    volunteer_id: int
    participant_id: int
    started_on: dt.date
    ended_on: dt.date | None
    fit: Fit | None
    fit_checked_on: dt.date | None
    fit_checked_by: int | None
    cohort_name: str
    volunteer_name: str
    participant_name: str
    safeguarding_override: str = Field(
        "", description="the coordinator's reason for pairing a volunteer whose checks were not recorded"
    )


class PairingChangeOut(PairingOut):
    """A changed pair; after "change_needed", the next suggestion for that senior."""

    next_suggestion: SuggestionOut | None = None
    next_unmatched: UnmatchedOut | None = None


class OwnSessionOut(Out):
    date: dt.date
    start_time: dt.time
    end_time: dt.time
    cancelled: bool


class OwnPairingOut(Out):
    """What a volunteer sees of a pair: the senior's first name, the sessions and place."""

    id: int
    first_name: str
    cohort_name: str
    place: str
    address: str
    sessions: list[OwnSessionOut]


def _quarter_hours(value: float) -> float:
    """Exactly a multiple of a quarter hour (pydantic's multiple_of lets 5e-324 through)."""
    if value * 4 != round(value * 4):
        raise ValueError("must be in quarter hours")
    return value


class HoursIn(In):
    date: Date
    hours: Annotated[float, AfterValidator(_quarter_hours)] = Field(
        gt=0, le=12, multiple_of=0.25, description="in quarter hours, at most 12"
    )
    cohort_id: Id


class HoursFillIn(In):
    cohort_id: Id | None = Field(default=None, description="only this cohort; default: all the volunteer's cohorts")
    until: Date | None = Field(default=None, description="last session date to count; default: today")


class HoursOut(Out):
    id: int
    volunteer_id: int
    cohort_id: int
    cohort_name: str
    date: dt.date
    hours: float
    source: HoursSource


class HoursPage(Page[HoursOut]):
    hours_total: float = Field(description="sum of hours over all matching rows, not just this page")


class HoursFillOut(Out):
    created: list[HoursOut]
    count: int


class VolunteerTotal(Out):
    volunteer_id: int
    name: str
    organisation: str
    hours: float
    days: int


class OrganisationTotal(Out):
    organisation: str
    hours: float
    volunteers: int


class HoursTotals(Out):
    date_from: dt.date | None
    date_to: dt.date | None
    volunteers: list[VolunteerTotal]
    organisations: list[OrganisationTotal]
    total_hours: float
