"""JSON API of enrolments and attendance."""

from __future__ import annotations

from litestar import Controller, get, patch, post, put
from litestar.params import FromPath, JSONBody

from digiystava.access import Caller

from cohorts.enrolments import attendance, services
from cohorts.enrolments.schemas import AttendanceIn, AttendanceOut, EnrolmentIn, EnrolmentOut, EnrolmentPatch


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
    async def change_status(self, principal: Caller, enrolment_id: FromPath[int], data: JSONBody[EnrolmentPatch]) -> EnrolmentOut:
        """Dropping an enrolled senior promotes the first on the waiting list."""
        return await services.change_status(principal, enrolment_id, data.status)


class AttendanceController(Controller):
    path = "/api/v1/sessions/{session_id:int}/attendance"
    tags = ["attendance"]

    @get("/")
    async def get_attendance(self, principal: Caller, session_id: FromPath[int]) -> list[AttendanceOut]:
        return await attendance.get_attendance(principal, session_id)

    @put("/")
    async def put_attendance(self, principal: Caller, session_id: FromPath[int], data: JSONBody[list[AttendanceIn]]) -> list[AttendanceOut]:
        return await attendance.put_attendance(principal, session_id, data)
