"""JSON API of the printed guides: PDFs per cohort and per senior, a zip of a cohort's personal guides, friend cards."""

from __future__ import annotations

from typing import Literal

from litestar import Controller, Response, get
from litestar.params import FromPath, FromQuery

from cohorts.handouts import services
from digiystava.access import Caller

PrintSize = Literal["large", "larger"]  # pdf_templates.guide_tailoring.SIZES, published as an enum

PDF = "application/pdf"
ZIP = "application/zip"


def _file(content: bytes, media_type: str, filename: str, disposition: str = "inline") -> Response[bytes]:
    # NOTE: PDFs inline, so the browser opens them for printing; the zip is saved.
    return Response(
        content, media_type=media_type, headers={"Content-Disposition": f'{disposition}; filename="{filename}"'}
    )


class HandoutController(Controller):
    path = "/api/v1/cohorts/{cohort_id:int}/handouts"
    tags = ["handouts"]

    @get("/beginner.pdf", media_type=PDF)
    async def beginner(
        self,
        principal: Caller,
        cohort_id: FromPath[int],
        lang: FromQuery[str | None] = None,
        participant_id: FromQuery[int | None] = None,
        size: FromQuery[PrintSize | None] = None,
    ) -> Response[bytes]:
        """The beginner's guide for the cohort, or the personal one of ``participant_id`` (in their language unless
        ``lang``).
        """
        content = await services.guide_pdf(principal, cohort_id, "beginner", lang, participant_id, size)
        suffix = f"-{participant_id}" if participant_id is not None else ""
        return _file(content, PDF, f"beginner-guide-{cohort_id}{suffix}.pdf")

    @get("/trainer.pdf", media_type=PDF)
    async def trainer(
        self,
        principal: Caller,
        cohort_id: FromPath[int],
        lang: FromQuery[str | None] = None,
        participant_id: FromQuery[int | None] = None,
        size: FromQuery[PrintSize | None] = None,
    ) -> Response[bytes]:
        """The trainer's guide with the cohort's sessions and seniors; ``participant_id`` is checked but changes
        nothing.
        """
        return _file(
            await services.guide_pdf(principal, cohort_id, "trainer", lang, participant_id, size),
            PDF,
            f"trainer-guide-{cohort_id}.pdf",
        )

    @get("/beginner.zip", media_type=ZIP)
    async def personal_guides(
        self,
        principal: Caller,
        cohort_id: FromPath[int],
        lang: FromQuery[str | None] = None,
        size: FromQuery[PrintSize | None] = None,
    ) -> Response[bytes]:
        """Every senior's own beginner's guide, one PDF per senior, in a zip."""
        content = await services.personal_guides_zip(principal, cohort_id, lang, size)
        return _file(content, ZIP, f"personal-guides-{cohort_id}.zip", "attachment")

    @get("/volunteer-cards.pdf", media_type=PDF)
    async def volunteer_cards(
        self,
        principal: Caller,
        cohort_id: FromPath[int],
        lang: FromQuery[str | None] = None,
        volunteer_id: FromQuery[int | None] = None,
        size: FromQuery[PrintSize | None] = None,
    ) -> Response[bytes]:
        """A digital friend card for each volunteer paired on the cohort, or for ``volunteer_id``."""
        content = await services.volunteer_cards(principal, cohort_id, lang, volunteer_id, size)
        return _file(content, PDF, f"volunteer-cards-{cohort_id}.pdf")
