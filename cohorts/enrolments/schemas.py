"""Enrolment and attendance models."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from digiystava.schemas import In, Out

EnrolmentStatus = Literal["enrolled", "waitlisted", "completed", "dropped"]
AttendanceStatus = Literal["present", "absent", "excused"]


class EnrolmentIn(In):
    participant_id: int


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


class AttendanceIn(In):
    participant_id: int
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
