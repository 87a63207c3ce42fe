"""Privacy pages: the notice for seniors (three languages), the record of processing, erasure."""

from __future__ import annotations

from pathlib import Path

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from cohorts.participants import privacy, services
from digiystava.access import require
from digiystava.i18n import _
from digiystava.web.params import Caller, ChosenLanguage
from digiystava.web.rendering import page

TEXTS = Path(__file__).resolve().parent.parent.parent / "pdf_templates" / "privacy"


def _blocks(path: Path) -> list[dict[str, str]]:
    """The texts' tiny format: '# ' title, '## ' heading, other lines paragraphs."""
    blocks = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            blocks.append({"kind": "h2", "text": line[3:]})
        elif line.startswith("# "):
            blocks.append({"kind": "h1", "text": line[2:]})
        elif line.strip():
            blocks.append({"kind": "p", "text": line})
    return blocks


class PrivacyPages(Controller):
    @get("/privacy", opt={"public": True})
    async def notice(self, request: Request, answer_language: ChosenLanguage) -> Template:
        """The privacy notice for seniors, printable, in their language."""
        return page(
            request,
            "privacy/notice.html",
            notice=_blocks(TEXTS / f"notice_{answer_language}.md"),
            notice_lang=answer_language,
        )

    @get("/privacy/processing")
    async def processing(self, request: Request, principal: Caller, answer_language: ChosenLanguage) -> Template:
        """The record of processing (GDPR article 30), in the page's language."""
        require(principal, "participants.erase")
        return page(
            request,
            "privacy/notice.html",
            notice=_blocks(TEXTS / f"processing_record_{answer_language}.md"),
            notice_lang=answer_language,
            title=_("Record of processing"),
        )

    @get("/participants/{participant_id:int}/erase")
    async def confirm_erase(self, request: Request, principal: Caller, participant_id: FromPath[int]) -> Template:
        require(principal, "participants.erase")
        return page(
            request, "participants/erase.html", person=await services.get_participant(principal, participant_id)
        )

    @post("/participants/{participant_id:int}/erase")
    async def erase(self, principal: Caller, participant_id: FromPath[int]) -> Redirect:
        await privacy.erase_person(principal, participant_id)
        return Redirect(path="/participants?erased=1", status_code=303)
