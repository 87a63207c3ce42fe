"""JSON API of enrolments and attendance."""

from __future__ import annotations

from litestar import Controller, get, patch, post, put
from litestar.params import FromPath, JSONBody

from cohorts.enrolments import attendance, calls, services
from cohorts.enrolments.schemas import (
    AttendanceIn,
    AttendanceOut,
    CallOut,
    EnrolmentChangeOut,
    EnrolmentIn,
    EnrolmentOut,
    EnrolmentPatch,
)
from digiystava.access import Caller


class CohortEnrolmentController(Controller):
    path = "/api/v1/cohorts/{cohort_id:int}/enrolments"
    tags = ["enrolments"]

    @get("/")
    async def list_enrolments(self, principal: Caller, cohort_id: FromPath[int]) -> list[EnrolmentOut]:
        return await services.list_enrolments(principal, cohort_id)

    @post("/")
    async def enrol(self, principal: Caller, cohort_id: FromPath[int], data: JSONBody[EnrolmentIn]) -> EnrolmentOut:
        """A seat while one is free, otherwise the end of the waiting list."""
        return await services.enrol(principal, cohort_id, data.participant_id)


class EnrolmentController(Controller):
    path = "/api/v1/enrolments"
    tags = ["enrolments"]

    @patch("/{enrolment_id:int}")
    async def change_status(
        self, principal: Caller, enrolment_id: FromPath[int], data: JSONBody[EnrolmentPatch]
    ) -> EnrolmentChangeOut:
        """Dropping an enrolled senior promotes the first on the waiting list (``promoted``: call them) and ends the
        senior's pair.
        """
        return await services.change_status(principal, enrolment_id, data.status)

    @post("/{enrolment_id:int}/undo-drop", status_code=200)
    async def undo_drop(self, principal: Caller, enrolment_id: FromPath[int]) -> EnrolmentChangeOut:
        """The same day only: the seat and the pair back; the promoted senior back to the top of the waiting list
        (409 once
        they were called).
        """
        return await services.undo_drop(principal, enrolment_id)

    @get("/calls")
    async def calls_to_make(self, principal: Caller) -> list[CallOut]:
        """Seniors promoted from the waiting list whom nobody has called yet, in the caller's locations."""
        return await calls.calls_to_make(principal)

    @post("/{enrolment_id:int}/call-done", status_code=200)
    async def call_done(self, principal: Caller, enrolment_id: FromPath[int]) -> EnrolmentOut:
        """Tick the call to a promoted senior done (who and when are kept)."""
        return await services.mark_called(principal, enrolment_id)


class AttendanceController(Controller):
    path = "/api/v1/sessions/{session_id:int}/attendance"
    tags = ["attendance"]

    @get("/")
    async def get_attendance(self, principal: Caller, session_id: FromPath[int]) -> list[AttendanceOut]:
        return await attendance.get_attendance(principal, session_id)

    @put("/")
    async def put_attendance(
        self, principal: Caller, session_id: FromPath[int], data: JSONBody[list[AttendanceIn]]
    ) -> list[AttendanceOut]:
        return await attendance.put_attendance(principal, session_id, data)
