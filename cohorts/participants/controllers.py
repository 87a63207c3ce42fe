"""JSON API of participants (seniors)."""

from __future__ import annotations

import asyncio
from typing import Literal

from litestar import Controller, Response, delete, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody

from cohorts.participants import privacy, services
from cohorts.participants.schemas import DuplicateOut, DuplicateQuery, ParticipantIn, ParticipantOut, ParticipantPatch
from digiystava.read_cache import CACHED_READ
from digiystava.schemas import Page
from digiystava.web.downloads import download
from digiystava.web.params import Caller, Limit, Offset


class ParticipantController(Controller):
    path = "/api/v1/participants"
    tags = ["participants"]

    @get("/", opt=CACHED_READ)
    async def list_participants(
        self,
        principal: Caller,
        limit: Limit = 50,
        offset: Offset = 0,
        q: FromQuery[str | None] = None,
        location_id: FromQuery[int | None] = None,
    ) -> Page[ParticipantOut]:
        return await services.list_participants(principal, limit, offset, q, location_id)

    @post("/")
    async def create_participant(self, principal: Caller, data: JSONBody[ParticipantIn]) -> ParticipantOut:
        """A likely duplicate answers 409 with the matches; send ``allow_duplicate`` to save anyway."""
        return await services.create_participant(principal, data)

    @post("/duplicates", status_code=200)
    async def duplicates(self, principal: Caller, data: JSONBody[DuplicateQuery]) -> list[DuplicateOut]:
        """Likely duplicates of a senior about to be registered (a POST: names never go in a URL)."""
        return await services.find_duplicates(principal, data.first_name, data.last_name, data.birth_year, data.phone)

    @get("/{participant_id:int}")
    async def get_participant(self, principal: Caller, participant_id: FromPath[int]) -> ParticipantOut:
        return await services.get_participant(principal, participant_id)

    @get("/{participant_id:int}/export", opt={"formats": {"pdf": "application/pdf"}})
    async def export(
        self, participant_id: FromPath[int], principal: Caller, format: FromQuery[Literal["json", "pdf"]] = "json"
    ) -> Response:
        """Everything held about the senior (GDPR access): JSON, or ``?format=pdf`` for a letter in their language."""
        data = await privacy.export_person(principal, participant_id)
        if format == "pdf":
            from pdf_templates.privacy_letter import access_letter

            content = await asyncio.to_thread(access_letter, data)
            return download(content, f"person-{participant_id}.pdf")
        return download(data, f"person-{participant_id}.json")

    @delete("/{participant_id:int}")
    async def erase(self, principal: Caller, participant_id: FromPath[int]) -> None:
        """Erase the senior's personal data (GDPR); pseudonymous facts stay for the reports."""
        await privacy.erase_person(principal, participant_id)

    @patch("/{participant_id:int}")
    async def update_participant(
        self, principal: Caller, participant_id: FromPath[int], data: JSONBody[ParticipantPatch]
    ) -> ParticipantOut:
        return await services.update_participant(principal, participant_id, data)
