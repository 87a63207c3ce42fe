"""JSON API of locations."""

from __future__ import annotations

from litestar.params import FromPath, FromQuery, JSONBody
from litestar import Controller, get, patch, post

from digiystava.access import Caller, Principal
from digiystava.schemas import Limit, Offset, Page

from cohorts.locations import services
from cohorts.locations.schemas import LocationIn, LocationKind, LocationOut, LocationPatch


class LocationController(Controller):
    path = "/api/v1/locations"
    tags = ["locations"]

    @get("/")
    async def list_locations(
        self, principal: Caller, limit: Limit = 50, offset: Offset = 0, kind: FromQuery[LocationKind | None] = None, district: FromQuery[str | None] = None
    ) -> Page[LocationOut]:
        return await services.list_locations(principal, limit, offset, kind, district)

    @post("/")
    async def create_location(self, principal: Caller, data: JSONBody[LocationIn]) -> LocationOut:
        return await services.create_location(principal, data)

    @get("/{location_id:int}")
    async def get_location(self, principal: Caller, location_id: FromPath[int]) -> LocationOut:
        return await services.get_location(principal, location_id)

    @patch("/{location_id:int}")
    async def update_location(self, principal: Caller, location_id: FromPath[int], data: JSONBody[LocationPatch]) -> LocationOut:
        return await services.update_location(principal, location_id, data)
