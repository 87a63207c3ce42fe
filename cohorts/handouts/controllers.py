"""JSON API of the printed guides: PDFs per cohort and per senior, a zip of a cohort's personal guides, friend cards."""

from __future__ import annotations

from typing import Literal

from litestar import Controller, Response, get
from litestar.params import FromPath, FromQuery

from cohorts.handouts import services
from digiystava.web.downloads import PDF, ZIP, download
from digiystava.web.params import AskedLanguage, Caller

PrintSize = Literal["large", "larger"]  # pdf_templates.guide_tailoring.SIZES, published as an enum


class HandoutController(Controller):
    path = "/api/v1/cohorts/{cohort_id:int}/handouts"
    tags = ["handouts"]

    @get("/beginner.pdf", media_type=PDF)
    async def beginner(
        self,
        principal: Caller,
        cohort_id: FromPath[int],
        asked_language: AskedLanguage,
        participant_id: FromQuery[int | None] = None,
        size: FromQuery[PrintSize | None] = None,
    ) -> Response[bytes]:
        """The beginner's guide for the cohort, or the personal one of ``participant_id`` (in their language unless
        ``lang``).
        """
        content = await services.guide_pdf(principal, cohort_id, "beginner", asked_language, participant_id, size)
        suffix = f"-{participant_id}" if participant_id is not None else ""
        return download(content, f"beginner-guide-{cohort_id}{suffix}.pdf")

    @get("/trainer.pdf", media_type=PDF)
    async def trainer(
        self,
        principal: Caller,
        cohort_id: FromPath[int],
        asked_language: AskedLanguage,
        participant_id: FromQuery[int | None] = None,
        size: FromQuery[PrintSize | None] = None,
    ) -> Response[bytes]:
        """The trainer's guide with the cohort's sessions and seniors; ``participant_id`` is checked but changes
        nothing.
        """
        return download(
            await services.guide_pdf(principal, cohort_id, "trainer", asked_language, participant_id, size),
            f"trainer-guide-{cohort_id}.pdf",
        )

    @get("/beginner.zip", media_type=ZIP)
    async def personal_guides(
        self,
        principal: Caller,
        cohort_id: FromPath[int],
        asked_language: AskedLanguage,
        size: FromQuery[PrintSize | None] = None,
    ) -> Response[bytes]:
        """Every senior's own beginner's guide, one PDF per senior, in a zip."""
        content = await services.personal_guides_zip(principal, cohort_id, asked_language, size)
        return download(content, f"personal-guides-{cohort_id}.zip")

    @get("/volunteer-cards.pdf", media_type=PDF)
    async def volunteer_cards(
        self,
        principal: Caller,
        cohort_id: FromPath[int],
        asked_language: AskedLanguage,
        volunteer_id: FromQuery[int | None] = None,
        size: FromQuery[PrintSize | None] = None,
    ) -> Response[bytes]:
        """A digital friend card for each volunteer paired on the cohort, or for ``volunteer_id``."""
        content = await services.volunteer_cards(principal, cohort_id, asked_language, volunteer_id, size)
        return download(content, f"volunteer-cards-{cohort_id}.pdf")
