"""Enrolment and attendance models."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from digiystava.schemas import Id, In, Out

EnrolmentStatus = Literal["enrolled", "waitlisted", "completed", "dropped"]
AttendanceStatus = Literal["present", "absent", "excused"]


class EnrolmentIn(In):
    participant_id: Id


class EnrolmentPatch(In):
    status: EnrolmentStatus


class EnrolmentOut(Out):
    id: int
    cohort_id: int
    participant_id: int
    first_name: str
    last_name: str
    status: EnrolmentStatus
    waitlist_position: int | None
    created_at: dt.datetime
    dropped_at: dt.datetime | None = Field(
        None, description="when the senior dropped out; the same day it can be undone"
    )
    promoted_at: dt.datetime | None = Field(None, description="when the senior got a seat from the waiting list")
    call_needed: bool = Field(False, description="promoted from the waiting list and nobody has called them yet")
    call_done_at: dt.datetime | None = None
    call_done_by: str = ""


class EnrolmentBrief(Out):
    id: int
    participant_id: int
    first_name: str
    last_name: str


class EnrolmentChangeOut(EnrolmentOut):
    """The enrolment after the change, and what the change did to others."""

    promoted: list[EnrolmentBrief] = Field(
        default_factory=list, description="seniors who got a seat from the waiting list: call them"
    )
    back_on_waiting_list: list[EnrolmentBrief] = Field(
        default_factory=list, description="promoted seniors an undo put back at the top of the waiting list"
    )
    ended_pairing_ids: list[int] = Field(default_factory=list, description="the dropped senior's pairs, ended today")
    reopened_pairing_ids: list[int] = Field(default_factory=list, description="pairs an undo started again")


class CallOut(Out):
    """A senior who got a seat from the waiting list and must be told."""

    enrolment_id: int
    cohort_id: int
    cohort_name: str
    location_name: str
    start_date: dt.date
    participant_id: int
    first_name: str
    last_name: str
    phone: str
    language: str
    promoted_at: dt.datetime


class AttendanceIn(In):
    participant_id: Id
    status: AttendanceStatus


class AttendanceOut(Out):
    participant_id: int
    first_name: str
    last_name: str
    status: AttendanceStatus | None


class AttendanceRateOut(Out):
    participant_id: int
    first_name: str
    last_name: str
    present: int
    absent: int
    excused: int
    rate: float | None


class CohortAttendanceOut(Out):
    cohort_id: int
    sessions_marked: int
    rate: float | None
    seniors: list[AttendanceRateOut]
