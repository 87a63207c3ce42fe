"""JSON API of locations."""

from __future__ import annotations

from litestar import Controller, Request, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody

from cohorts.courses.calendar import location_calendar
from cohorts.courses.schemas import CalendarLinkOut
from cohorts.locations import services
from cohorts.locations.schemas import LocationIn, LocationKind, LocationOut, LocationPatch
from digiystava.read_cache import CACHED_READ
from digiystava.schemas import Page
from digiystava.web.params import Caller, ChosenLanguage, Limit, Offset


class LocationController(Controller):
    path = "/api/v1/locations"
    tags = ["locations"]

    @get("/", opt=CACHED_READ)
    async def list_locations(
        self,
        principal: Caller,
        limit: Limit = 50,
        offset: Offset = 0,
        kind: FromQuery[LocationKind | None] = None,
        district: FromQuery[str | None] = None,
    ) -> Page[LocationOut]:
        return await services.list_locations(principal, limit, offset, kind, district)

    @post("/")
    async def create_location(self, principal: Caller, data: JSONBody[LocationIn]) -> LocationOut:
        return await services.create_location(principal, data)

    @get("/{location_id:int}")
    async def get_location(self, principal: Caller, location_id: FromPath[int]) -> LocationOut:
        return await services.get_location(principal, location_id)

    @get("/{location_id:int}/calendar.ics", media_type="text/calendar")
    async def calendar(self, principal: Caller, location_id: FromPath[int], answer_language: ChosenLanguage) -> bytes:
        """Every session of the location's cohorts."""
        await services.get_location(principal, location_id)
        return await location_calendar(location_id, answer_language)

    @get("/{location_id:int}/calendar-link")
    async def calendar_link(self, request: Request, principal: Caller, location_id: FromPath[int]) -> CalendarLinkOut:
        token = await services.calendar_token(principal, location_id)
        return CalendarLinkOut(url=str(request.base_url).rstrip("/") + f"/calendar/location/{token}.ics")

    @post("/{location_id:int}/calendar-link", status_code=200)
    async def renew_calendar_link(
        self, request: Request, principal: Caller, location_id: FromPath[int]
    ) -> CalendarLinkOut:
        token = await services.calendar_token(principal, location_id, renew=True)
        return CalendarLinkOut(url=str(request.base_url).rstrip("/") + f"/calendar/location/{token}.ics")

    @patch("/{location_id:int}")
    async def update_location(
        self, principal: Caller, location_id: FromPath[int], data: JSONBody[LocationPatch]
    ) -> LocationOut:
        return await services.update_location(principal, location_id, data)
