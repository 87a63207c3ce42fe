"""JSON API of volunteers, pairing suggestions, pairings and volunteer hours."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from litestar import Controller, Response, delete, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody

from cohorts.volunteers import hours, own_view, pairing, services
from cohorts.volunteers.hours_export import hours_pdf, hours_sheet
from cohorts.volunteers.schemas import (
    HoursFillIn,
    HoursFillOut,
    HoursIn,
    HoursOut,
    HoursPage,
    HoursTotals,
    OwnPairingOut,
    PairingChangeOut,
    PairingIn,
    PairingOut,
    PairingPatch,
    SuggestionOut,
    UnmatchedOut,
    VolunteerIn,
    VolunteerOut,
    VolunteerPatch,
)
from digiystava import i18n
from digiystava.read_cache import CACHED_READ
from digiystava.schemas import Page
from digiystava.spreadsheets import XLSX_MEDIA_TYPE, Separator
from digiystava.web.downloads import download
from digiystava.web.params import Caller, ChosenLanguage, Limit, Offset


class VolunteerController(Controller):
    path = "/api/v1/volunteers"
    tags = ["volunteers"]

    @get("/", opt=CACHED_READ)
    async def list_volunteers(
        self,
        principal: Caller,
        limit: Limit = 50,
        offset: Offset = 0,
        active: FromQuery[bool | None] = None,
        organisation: FromQuery[str | None] = None,
    ) -> Page[VolunteerOut]:
        return await services.list_volunteers(principal, limit, offset, active, organisation)

    @post("/")
    async def create_volunteer(self, principal: Caller, data: JSONBody[VolunteerIn]) -> VolunteerOut:
        return await services.create_volunteer(principal, data)

    @get("/{volunteer_id:int}")
    async def get_volunteer(self, principal: Caller, volunteer_id: FromPath[int]) -> VolunteerOut:
        return await services.get_volunteer(principal, volunteer_id)

    @patch("/{volunteer_id:int}")
    async def update_volunteer(
        self, principal: Caller, volunteer_id: FromPath[int], data: JSONBody[VolunteerPatch]
    ) -> VolunteerOut:
        return await services.update_volunteer(principal, volunteer_id, data)


class HoursController(Controller):
    path = "/api/v1/volunteers"
    tags = ["volunteer hours"]

    @get("/{volunteer_id:int}/hours")
    async def list_hours(
        self,
        principal: Caller,
        volunteer_id: FromPath[int],
        limit: Limit = 50,
        offset: Offset = 0,
        cohort_id: FromQuery[int | None] = None,
        date_from: FromQuery[dt.date | None] = None,
        date_to: FromQuery[dt.date | None] = None,
    ) -> HoursPage:
        return await hours.list_hours(principal, volunteer_id, limit, offset, cohort_id, date_from, date_to)

    @post("/{volunteer_id:int}/hours")
    async def add_hours(self, principal: Caller, volunteer_id: FromPath[int], data: JSONBody[HoursIn]) -> HoursOut:
        return await hours.add_hours(principal, volunteer_id, data)

    @delete("/{volunteer_id:int}/hours/{hours_id:int}")
    async def delete_hours(self, principal: Caller, volunteer_id: FromPath[int], hours_id: FromPath[int]) -> None:
        await hours.delete_hours(principal, volunteer_id, hours_id)

    @post("/{volunteer_id:int}/hours/fill")
    async def fill_hours(
        self, principal: Caller, volunteer_id: FromPath[int], data: JSONBody[HoursFillIn]
    ) -> HoursFillOut:
        """Fill in hours from the practice sessions the volunteer's seniors attended."""
        return await hours.fill_from_sessions(principal, volunteer_id, data)

    @get(
        "/hours/totals",
        response_model=None,
        opt={"formats": {"csv": "text/csv", "xlsx": XLSX_MEDIA_TYPE, "pdf": "application/pdf"}},
    )
    async def hour_totals(
        self,
        principal: Caller,
        answer_language: ChosenLanguage,
        date_from: FromQuery[dt.date | None] = None,
        date_to: FromQuery[dt.date | None] = None,
        organisation: FromQuery[str | None] = None,
        format: FromQuery[Literal["json", "csv", "xlsx", "pdf"]] = "json",
        separator: FromQuery[Separator] = "semicolon",
    ) -> HoursTotals | Response:
        """Totals per volunteer and organisation in a period, as JSON, CSV (``separator``), .xlsx or PDF."""
        i18n.set_language(answer_language)
        totals = await hours.totals(principal, date_from, date_to, organisation)
        if format == "json":
            return totals
        name = f"volunteer-hours-{date_from or 'start'}-{date_to or 'end'}"
        if format in ("csv", "xlsx"):
            content, media_type = hours_sheet(totals, format, separator)
            return download(content, f"{name}.{format}", media_type)
        return download(hours_pdf(totals), f"{name}.pdf", save=True)


class SuggestionController(Controller):
    path = "/api/v1/cohorts"
    tags = ["pairings"]

    @get("/{cohort_id:int}/pairing-suggestions")
    async def suggestions(
        self, principal: Caller, cohort_id: FromPath[int], answer_language: ChosenLanguage
    ) -> list[SuggestionOut]:
        """The best-fit volunteer for each senior who can get one; reasons in the page language."""
        i18n.set_language(answer_language)
        return await pairing.suggestions(principal, cohort_id)

    @get("/{cohort_id:int}/pairing-suggestions/unmatched")
    async def unmatched(
        self, principal: Caller, cohort_id: FromPath[int], answer_language: ChosenLanguage
    ) -> list[UnmatchedOut]:
        """The seniors the suggestion leaves without a volunteer, with why."""
        i18n.set_language(answer_language)
        return await pairing.unmatched(principal, cohort_id)


class PairingController(Controller):
    path = "/api/v1/pairings"
    tags = ["pairings"]

    @get("/")
    async def list_pairings(
        self,
        principal: Caller,
        limit: Limit = 50,
        offset: Offset = 0,
        cohort_id: FromQuery[int | None] = None,
        volunteer_id: FromQuery[int | None] = None,
        participant_id: FromQuery[int | None] = None,
        active: FromQuery[bool | None] = None,
    ) -> Page[PairingOut]:
        return await pairing.list_pairings(principal, limit, offset, cohort_id, volunteer_id, participant_id, active)

    @post("/")
    async def create_pairing(self, principal: Caller, data: JSONBody[PairingIn]) -> PairingOut:
        return await pairing.create_pairing(principal, data)

    @get("/{pairing_id:int}")
    async def get_pairing(self, principal: Caller, pairing_id: FromPath[int]) -> PairingOut:
        return await pairing.get_pairing(principal, pairing_id)

    @patch("/{pairing_id:int}")
    async def update_pairing(
        self,
        principal: Caller,
        pairing_id: FromPath[int],
        data: JSONBody[PairingPatch],
        answer_language: ChosenLanguage,
    ) -> PairingChangeOut:
        """End a pair or record its fit check; "change_needed" ends it and suggests the next volunteer."""
        i18n.set_language(answer_language)
        return await pairing.update_pairing(principal, pairing_id, data)


class OwnPairingController(Controller):
    path = "/api/v1/me/pairings"
    tags = ["pairings"]

    @get("/")
    async def own_pairings(self, principal: Caller) -> list[OwnPairingOut]:
        """A volunteer's own active pairs: the seniors' first names, the sessions and the place."""
        return await own_view.own_pairings(principal)
