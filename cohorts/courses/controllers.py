"""JSON API of cohorts and sessions, their calendars and printables."""

from __future__ import annotations

from litestar import Controller, Request, Response, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody

from cohorts.courses import calendar, printables, services, sessions
from cohorts.courses.schemas import (
    CalendarLinkOut,
    CohortIn,
    CohortOut,
    CohortPatch,
    CohortStatus,
    RunAgainIn,
    SessionOut,
    SessionPatch,
)
from cohorts.enrolments import attendance
from cohorts.enrolments.schemas import CohortAttendanceOut
from cohorts.tables import Cohort, Location
from digiystava.errors import NotFound
from digiystava.read_cache import CACHED_READ
from digiystava.schemas import Page
from digiystava.web.downloads import ICS, PDF, download
from digiystava.web.params import Caller, ChosenLanguage, Limit, Offset


class CohortController(Controller):
    path = "/api/v1/cohorts"
    tags = ["cohorts"]

    @get("/", opt=CACHED_READ)
    async def list_cohorts(
        self,
        principal: Caller,
        limit: Limit = 50,
        offset: Offset = 0,
        location_id: FromQuery[int | None] = None,
        status: FromQuery[CohortStatus | None] = None,
        q: FromQuery[str | None] = None,
    ) -> Page[CohortOut]:
        """``q``: words of the cohort's or its location's name, accents ignored ("toolo" finds Töölö)."""
        return await services.cohort_page(principal, limit, offset, location_id, status, q)

    @post("/")
    async def create_cohort(self, principal: Caller, data: JSONBody[CohortIn]) -> CohortOut:
        return await services.create_cohort(principal, data)

    @get("/{cohort_id:int}")
    async def get_cohort(self, principal: Caller, cohort_id: FromPath[int]) -> CohortOut:
        return await services.get_cohort(principal, cohort_id)

    @patch("/{cohort_id:int}")
    async def update_cohort(
        self, principal: Caller, cohort_id: FromPath[int], data: JSONBody[CohortPatch]
    ) -> CohortOut:
        return await services.update_cohort(principal, cohort_id, data)

    @post("/{cohort_id:int}/run-again")
    async def run_again(self, principal: Caller, cohort_id: FromPath[int], data: JSONBody[RunAgainIn]) -> CohortOut:
        """Copy the cohort's set-up to a new term starting on ``start_date``."""
        return await services.run_again(principal, cohort_id, data)

    @get("/{cohort_id:int}/sessions")
    async def list_sessions(self, principal: Caller, cohort_id: FromPath[int]) -> list[SessionOut]:
        return await sessions.list_sessions(principal, cohort_id)

    @get("/{cohort_id:int}/attendance")
    async def cohort_attendance(self, principal: Caller, cohort_id: FromPath[int]) -> CohortAttendanceOut:
        """Attendance rate per senior and for the whole cohort."""
        return await attendance.cohort_attendance(principal, cohort_id)

    @get("/{cohort_id:int}/calendar.ics", media_type=ICS)
    async def calendar(self, principal: Caller, cohort_id: FromPath[int], answer_language: ChosenLanguage) -> bytes:
        await services.get_cohort(principal, cohort_id)
        return await calendar.cohort_calendar(cohort_id, answer_language)

    @get("/{cohort_id:int}/calendar-link")
    async def calendar_link(self, request: Request, principal: Caller, cohort_id: FromPath[int]) -> CalendarLinkOut:
        """A secret link a calendar app can subscribe to, without logging in."""
        token = await services.calendar_token(principal, cohort_id)
        return CalendarLinkOut(url=str(request.base_url).rstrip("/") + f"/calendar/{token}.ics")

    @post("/{cohort_id:int}/calendar-link", status_code=200)
    async def renew_calendar_link(
        self, request: Request, principal: Caller, cohort_id: FromPath[int]
    ) -> CalendarLinkOut:
        """A new secret link; the old one stops working."""
        token = await services.calendar_token(principal, cohort_id, renew=True)
        return CalendarLinkOut(url=str(request.base_url).rstrip("/") + f"/calendar/{token}.ics")

    @get("/{cohort_id:int}/schedule.pdf", media_type=PDF)
    async def schedule_pdf(
        self, principal: Caller, cohort_id: FromPath[int], answer_language: ChosenLanguage
    ) -> Response[bytes]:
        """The course schedule for seniors, large print, in ``lang``."""
        return download(
            await printables.course_schedule(principal, cohort_id, answer_language), f"schedule-{cohort_id}.pdf"
        )


class SessionController(Controller):
    path = "/api/v1/sessions"
    tags = ["sessions"]

    @patch("/{session_id:int}")
    async def update_session(
        self, principal: Caller, session_id: FromPath[int], data: JSONBody[SessionPatch]
    ) -> SessionOut:
        """Move, re-time or cancel a session (a moved session is re-checked for holidays)."""
        return await sessions.update_session(principal, session_id, data)

    @get("/{session_id:int}/sign-in.pdf", media_type=PDF)
    async def sign_in_pdf(
        self, principal: Caller, session_id: FromPath[int], answer_language: ChosenLanguage
    ) -> Response[bytes]:
        return download(
            await printables.sign_in_sheet(principal, session_id, answer_language), f"sign-in-{session_id}.pdf"
        )


class CalendarFeedController(Controller):
    """Calendar feeds behind secret links, for calendar apps that cannot log in."""

    path = "/calendar"
    tags = ["calendars"]

    @get("/{token:str}", opt={"public": True}, media_type=ICS)
    async def cohort_feed(self, token: FromPath[str], answer_language: ChosenLanguage) -> bytes:
        token = token.removesuffix(".ics")
        row = await Cohort.select(Cohort.id).where(Cohort.calendar_token == token).first()
        if row is None or not token:
            raise NotFound()
        return await calendar.cohort_calendar(row["id"], answer_language)

    @get("/location/{token:str}", opt={"public": True}, media_type=ICS)
    async def location_feed(self, token: FromPath[str], answer_language: ChosenLanguage) -> bytes:
        token = token.removesuffix(".ics")
        row = await Location.select(Location.id).where(Location.calendar_token == token).first()
        if row is None or not token:
            raise NotFound()
        return await calendar.location_calendar(row["id"], answer_language)
