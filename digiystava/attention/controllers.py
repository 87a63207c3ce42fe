"""JSON API of the "needs attention" list."""

from __future__ import annotations

from litestar import Controller, get

from digiystava.attention import services
from digiystava.attention.schemas import AttentionItem
from digiystava.web.params import Caller


class AttentionController(Controller):
    path = "/api/v1/attention"
    tags = ["attention"]

    @get("/")
    async def needs_attention(self, principal: Caller) -> list[AttentionItem]:
        """What needs doing in the caller's locations, a line per kind with its count and page; empty: all is well."""
        return await services.needs_attention(principal)
