"""Cohort and session models."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from annotated_types import Ge, Le
from pydantic import Field, ValidationInfo, field_validator, model_validator

from cohorts.courses.schedule import parse_pattern
from digiystava.schemas import Date, Id, In, Name, OptionalName, Out, ShortText, TimeOfDay

CohortStatus = Literal["planned", "running", "completed", "cancelled"]
SessionKind = Literal["group", "practice"]
Weeks = Annotated[int, Ge(1), Le(52)]
Capacity = Annotated[int, Ge(1), Le(500)]
Minutes = Annotated[int, Ge(15), Le(480)]


# The weekly pattern of session kinds, published as the same expression the server checks.
SESSION_PATTERN = r"^ *(group|practice) *(, *(group|practice) *)*$"
Pattern = Annotated[OptionalName, Field(json_schema_extra={"pattern": SESSION_PATTERN})]


def _check_pattern(value: str | None) -> str | None:
    if value is not None:
        if not re.fullmatch(SESSION_PATTERN, value):
            raise ValueError("pattern must list 'group' and/or 'practice', separated by commas")
        parse_pattern(value)
    return value


class CohortIn(In):
    location_id: Id
    name: Name
    start_date: Date
    start_time: TimeOfDay
    session_minutes: Minutes = 90
    weeks: Weeks | None = None
    end_date: Date | None = None
    capacity: Capacity = 19
    trainer_ids: list[Id] = Field(default_factory=list)
    widen_access: bool = Field(
        False,
        description="confirms giving a trainer the cohort's location (all its seniors, cohorts and loans); "
        "without it such a choice is 409",
    )
    status: Literal["planned", "running"] = "planned"
    pattern: Pattern = "group,practice"

    _pattern = field_validator("pattern")(_check_pattern)

    @field_validator("end_date")
    @classmethod
    def _end_after_start(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        start = info.data.get("start_date")
        if value is not None and start is not None and value < start:
            raise ValueError("must not be before start_date")
        return value

    @model_validator(mode="after")
    def _weeks_from_end(self) -> CohortIn:
        """Weeks may be given directly or follow from the end date (the last session's day)."""
        if self.weeks is None:
            self.weeks = (self.end_date - self.start_date).days // 7 + 1 if self.end_date else 10
        return self


class CohortPatch(In):
    name: Name = None
    start_date: Date = None
    start_time: TimeOfDay = None
    session_minutes: Minutes = None
    weeks: Weeks = None
    capacity: Capacity = None
    trainer_ids: list[Id] = None
    widen_access: bool = Field(
        None, description="confirms giving a trainer the cohort's location; without it such a choice is 409"
    )
    status: CohortStatus = None
    pattern: Pattern = None

    _pattern = field_validator("pattern")(_check_pattern)


class RunAgainIn(In):
    start_date: Date
    name: Name | None = None


class CohortOut(Out):
    id: int
    location_id: int
    location_name: str
    name: str
    start_date: dt.date
    start_time: dt.time
    weekday: int
    session_minutes: int
    weeks: int
    capacity: int
    trainer_ids: list[int]
    status: CohortStatus
    end_date: dt.date
    pattern: str
    enrolled: int = 0
    waitlisted: int = 0
    free_seats: int = 0
    # A running cohort whose last session is behind it: the coordinator should mark it completed.
    needs_completion: bool = False


class SessionOut(Out):
    id: int
    cohort_id: int
    week: int
    date: dt.date
    start_time: dt.time
    kind: SessionKind
    cancelled: bool
    holiday: str
    note: str


class SessionPatch(In):
    date: Date = None
    start_time: TimeOfDay = None
    kind: SessionKind = None
    cancelled: bool = None
    note: ShortText = None


class CalendarLinkOut(Out):
    url: str
