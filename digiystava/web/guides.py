"""The guides as web pages: large text for reading on the tablet and with a screen reader."""

from __future__ import annotations

from litestar import Controller, Request, get
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from cohorts.handouts import services
from digiystava.i18n import LANGUAGE_NAMES
from digiystava.web.params import AskedLanguage, Caller
from digiystava.web.rendering import page
from pdf_templates import pictures
from pdf_templates.guide_tailoring import os_blocks


def _picture(picture, lang: str, large: bool = False) -> dict[str, object]:
    """What the page needs to show one picture: an SVG address, its name and its text alternative."""
    kind, name = picture.kind, picture.name
    width = {"tablet": 480, "scene": 420}.get(kind, 64) if large or kind in ("tablet", "scene") else 64
    return {
        "src": pictures.svg_data_uri(kind, name, lang, width, 16),
        "width": width,
        "height": round(pictures.height_for(kind, width)),
        "label": pictures.label(kind, name, lang),
        "alt": pictures.alt_text(kind, name, lang),
        "kind": kind,
    }


class GuidePages(Controller):
    path = "/cohorts/{cohort_id:int}/guides"

    async def _guide(
        self,
        request: Request,
        principal: Caller,
        cohort_id: int,
        kind: str,
        lang: str | None,
        participant_id: int | None,
    ) -> Template:
        guide = await services.tailored(principal, cohort_id, kind, lang, participant_id)
        query = f"participant_id={participant_id}&" if participant_id is not None else ""
        return page(
            request,
            "guides/guide.html",
            guide=guide,
            cohort_id=cohort_id,
            kind=kind,
            participant_id=participant_id,
            os_blocks=os_blocks,
            picture=lambda p, large=False: _picture(p, guide.lang, large),
            scene=lambda code: (
                _picture(pictures.Picture("scene", code), guide.lang) if pictures.known("scene", code or "") else None
            ),
            guide_languages=LANGUAGE_NAMES,
            pdf_url=f"/api/v1/cohorts/{cohort_id}/handouts/{kind}.pdf?{query}lang={guide.lang}",
            page_url=f"/cohorts/{cohort_id}/guides/{kind}?{query}",
        )

    @get("/beginner")
    async def beginner(
        self,
        request: Request,
        principal: Caller,
        cohort_id: FromPath[int],
        asked_language: AskedLanguage,
        participant_id: FromQuery[int | None] = None,
    ) -> Template:
        """A senior's own guide speaks the senior's language unless ``?lang`` asks another."""
        return await self._guide(request, principal, cohort_id, "beginner", asked_language, participant_id)

    @get("/trainer")
    async def trainer(
        self, request: Request, principal: Caller, cohort_id: FromPath[int], asked_language: AskedLanguage
    ) -> Template:
        return await self._guide(request, principal, cohort_id, "trainer", asked_language, None)
