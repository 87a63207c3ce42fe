"""Pages of the seniors' feedback: the form behind a card's one-time link (no login), entry, the counts."""

from __future__ import annotations

from typing import Any

import anyio
from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from assessments import feedback
from assessments.services import COHORT_COLUMNS
from assessments.tables import Feedback
from cohorts.tables import Enrolment
from digiystava.access import cohort_or_404, require
from digiystava.errors import DomainError, FieldProblem
from digiystava.i18n import _, current_language
from digiystava.reports.controllers import SCOPE_DEPENDENCY, ReportScope
from digiystava.reports.feedback import feedback_report
from digiystava.web.accounts import Form
from digiystava.web.downloads import download
from digiystava.web.forms import domain_problems, submit
from digiystava.web.params import Caller
from digiystava.web.rendering import page


def questions() -> list[dict[str, Any]]:
    """The questions in the page's language."""
    return [
        {"code": q.code, "text": _(q.text), "options": [(code, _(label)) for code, label in q.options]}
        for q in feedback.QUESTIONS
    ]


def _form_values(data: dict[str, Any]) -> dict[str, str]:
    return {k: str(v) for k, v in data.items() if k != "_csrf"}


def _closed(request: Request, state: str) -> Template:
    """A kind answer for a card that cannot be used (again): 410 once used or expired, 404 for no such card."""
    if state == "used":
        title, message = _("Thank you, this card has been used"), _("The answers from this card were already sent.")
    elif state == "expired":
        title, message = _("This card has expired"), _("The feedback time for this card is over.")
    else:
        title, message = _("This link does not work"), _("Check the address on the card.")
    return page(
        request, "feedback/closed.html", status_code=404 if state == "unknown" else 410, title=title, message=message
    )


class FeedbackPages(Controller):
    @get("/f/{token:str}", opt={"public": True})
    async def card_form(self, request: Request, token: FromPath[str]) -> Template:
        state = await feedback.link_state(token)
        if state != "open":
            return _closed(request, state)
        return page(
            request,
            "feedback/form.html",
            action=f"/f/{token}",
            items=questions(),
            free_text_label=_(feedback.FREE_TEXT_QUESTION),
            values={},
            cohort_name="",
        )

    @post("/f/{token:str}", opt={"public": True})
    async def card_answers(self, request: Request, token: FromPath[str], data: Form) -> Template | Redirect:
        """The service checks the answers; the thanks come at once (the card is spent: no page to go back to)."""

        async def save(answers: dict[str, Any]) -> Template:
            await feedback.submit_with_link(token, answers)
            return page(
                request,
                "feedback/closed.html",
                title=_("Thank you for your answers!"),
                message=_("Your answers were sent. They help us make the course better for the next group."),
            )

        def show(typed: dict[str, Any], errors: list[FieldProblem], status: int) -> Template:
            return page(
                request,
                "feedback/form.html",
                status_code=status,
                action=f"/f/{token}",
                items=questions(),
                free_text_label=_(feedback.FREE_TEXT_QUESTION),
                values=_form_values(typed),
                errors=errors,
                cohort_name="",
            )

        async def spent(exc: DomainError) -> Template | None:
            return _closed(request, await feedback.link_state(token)) if isinstance(exc, feedback.LinkUsed) else None

        return await submit(None, data, save, show, service_status=True, answer=spent)

    async def _cohort_page(
        self, request: Request, principal: Caller, cohort_id: int, status: int = 200, **extra: Any
    ) -> Template:
        require(principal, "assessments.write")
        cohort = await cohort_or_404(principal, cohort_id, *COHORT_COLUMNS)
        return page(
            request,
            "feedback/cohort.html",
            status_code=status,
            cohort=cohort,
            answers=await Feedback.count().where(Feedback.cohort == cohort_id),
            seniors=await Enrolment.count().where(
                Enrolment.cohort == cohort_id, Enrolment.status.is_in(["enrolled", "completed"])
            ),
            items=questions(),
            free_text_label=_(feedback.FREE_TEXT_QUESTION),
            **{"values": {}, **extra},
        )

    @get("/cohorts/{cohort_id:int}/feedback")
    async def cohort_feedback(self, request: Request, principal: Caller, cohort_id: FromPath[int]) -> Template:
        saved = request.query_params.get("saved")
        return await self._cohort_page(request, principal, cohort_id, flash=_("Saved.") if saved else None)

    @post("/cohorts/{cohort_id:int}/feedback")
    async def enter_feedback(
        self, request: Request, principal: Caller, cohort_id: FromPath[int], data: Form
    ) -> Template | Redirect:
        """The service checks the answers. A cohort outside the caller's scope stays the 404 page: the
        form's page looks the cohort up as the service does."""

        async def save(answers: dict[str, Any]) -> str:
            await feedback.record_for_senior(principal, cohort_id, answers)
            return f"/cohorts/{cohort_id}/feedback?saved=1#enter"

        async def show(typed: dict[str, Any], errors: list[FieldProblem], status: int) -> Template:
            return await self._cohort_page(
                request, principal, cohort_id, status, values=_form_values(typed), errors=errors
            )

        return await submit(None, data, save, show, service_status=True)

    @post("/cohorts/{cohort_id:int}/feedback/cards", status_code=200)
    async def print_cards(
        self, request: Request, principal: Caller, cohort_id: FromPath[int], data: Form
    ) -> Response[bytes] | Template:

        from pdf_templates.feedback_cards import render_cards

        count_text = str(data.get("count", "")).strip()
        count = int(count_text) if count_text.isdecimal() and len(count_text) < 4 else 0
        try:
            tokens, expires = await feedback.create_links(principal, cohort_id, count)
        except DomainError as exc:
            if exc.status != 422:
                raise
            return await self._cohort_page(request, principal, cohort_id, 422, errors=domain_problems(exc))
        cohort = await cohort_or_404(principal, cohort_id, *COHORT_COLUMNS)
        base = str(request.base_url).rstrip("/")
        urls = [f"{base}/f/{t}" for t in tokens]
        content = await anyio.to_thread.run_sync(render_cards, urls, cohort["name"], expires.date(), current_language())
        return download(content, f"feedback-cards-{cohort_id}.pdf")


class FeedbackReportPages(Controller):
    dependencies = SCOPE_DEPENDENCY

    @get("/reports/feedback")
    async def report(self, request: Request, principal: Caller, report_scope: ReportScope) -> Template:
        report = await feedback_report(principal, report_scope, current_language())
        return page(request, "feedback/report.html", report=report)
