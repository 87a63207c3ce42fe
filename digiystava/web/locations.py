"""Pages for the list of locations and the location form."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from cohorts.courses.services import list_cohorts
from cohorts.locations import services
from cohorts.locations.schemas import LocationIn, LocationPatch
from digiystava.access import require
from digiystava.i18n import _
from digiystava.web.accounts import Form
from digiystava.web.cohorts import status_labels
from digiystava.web.forms import submit
from digiystava.web.params import Caller
from digiystava.web.rendering import page


def kind_labels() -> dict[str, str]:
    return {
        "community_house": _("Community house"),
        "service_centre": _("Service centre"),
        "library": _("Library"),
        "other": _("Other"),
    }


# The newest cohorts a location's page lists; the cohorts page has them all.
COHORTS_SHOWN = 20


class LocationPages(Controller):
    path = "/locations"

    @get("/")
    async def list_locations(
        self, request: Request, principal: Caller, offset: FromQuery[int] = 0, kind: FromQuery[str | None] = None
    ) -> Template:
        kind = kind if kind in kind_labels() else None
        locations = await services.list_locations(principal, 50, max(offset, 0), kind)
        return page(
            request,
            "locations/list.html",
            page=locations,
            kind=kind,
            kinds=list(kind_labels().items()),
            kind_labels=kind_labels(),
            query_base=f"kind={kind}&" if kind else "",
        )

    def _form(
        self, request: Request, values: dict[str, Any], errors: list, action: str, title: str, status: int = 200
    ) -> Template:
        return page(
            request,
            "locations/form.html",
            status_code=status,
            values=values,
            errors=errors,
            action=action,
            title=title,
            kinds=list(kind_labels().items()),
            field_labels={"name": _("Name"), "kind": _("Kind"), "district": _("District"), "address": _("Address")},
        )

    @get("/new")
    async def new_location(self, request: Request, principal: Caller) -> Template:
        require(principal, "locations.write")
        return self._form(request, {"kind": "library"}, [], "/locations", _("Add a location"))

    @post("/")
    async def create_location(self, request: Request, principal: Caller, data: Form) -> Template | Redirect:
        require(principal, "locations.write")

        async def save(form: Any) -> str:
            return f"/locations/{(await services.create_location(principal, form)).id}?saved=1"

        def show(values: dict, errors: list, status: int) -> Template:
            return self._form(request, values, errors, "/locations", _("Add a location"), status)

        return await submit(LocationIn, data, save, show)

    @get("/{location_id:int}")
    async def location(
        self, request: Request, principal: Caller, location_id: FromPath[int], saved: FromQuery[bool] = False
    ) -> Template:
        location = await services.get_location(principal, location_id)
        return page(
            request,
            "locations/detail.html",
            location=location,
            kind_labels=kind_labels(),
            cohorts=await list_cohorts(principal, COHORTS_SHOWN, 0, location_id=location_id),
            trainers=await services.location_trainers(principal, location_id),
            status_labels=status_labels(),
            flash=_("Saved.") if saved else None,
        )

    @get("/{location_id:int}/edit")
    async def edit_location(self, request: Request, principal: Caller, location_id: FromPath[int]) -> Template:
        require(principal, "locations.write")
        location = await services.get_location(principal, location_id)
        return self._form(request, location.model_dump(), [], f"/locations/{location_id}/edit", _("Edit location"))

    @post("/{location_id:int}/edit")
    async def update_location(
        self, request: Request, principal: Caller, location_id: FromPath[int], data: Form
    ) -> Template | Redirect:
        require(principal, "locations.write")

        async def save(form: Any) -> str:
            await services.update_location(principal, location_id, form)
            return f"/locations/{location_id}?saved=1"

        def show(values: dict, errors: list, status: int) -> Template:
            return self._form(request, values, errors, f"/locations/{location_id}/edit", _("Edit location"), status)

        return await submit(LocationPatch, data, save, show)
