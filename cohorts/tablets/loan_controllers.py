"""JSON API of loans, returns, agreements and reminders."""

from __future__ import annotations

from litestar import Controller, Response, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody

from cohorts.tablets import letters, loans
from cohorts.tablets.schemas import LoanIn, LoanOut, LoanPatch, ReminderOut, ReturnIn
from digiystava.read_cache import CACHED_READ
from digiystava.schemas import Page
from digiystava.web.downloads import download
from digiystava.web.params import Caller, Limit, Offset


class LoanController(Controller):
    path = "/api/v1/loans"
    tags = ["loans"]

    @get("/", opt=CACHED_READ)
    async def list_loans(
        self,
        principal: Caller,
        limit: Limit = 50,
        offset: Offset = 0,
        overdue: FromQuery[bool | None] = None,
        tablet_id: FromQuery[int | None] = None,
        participant_id: FromQuery[int | None] = None,
    ) -> Page[LoanOut]:
        return await loans.loan_page(principal, limit, offset, overdue, tablet_id, participant_id)

    @post("/")
    async def create_loan(self, principal: Caller, data: JSONBody[LoanIn]) -> LoanOut:
        """Lend a tablet; due date by default the course's end plus 14 days. 409 when not available."""
        return await loans.create_loan(principal, data)

    @get("/reminders")
    async def reminders(self, principal: Caller) -> list[ReminderOut]:
        """Open loans due within 7 days, and overdue ones, with phone and language."""
        return await loans.reminders(principal)

    @get("/{loan_id:int}")
    async def get_loan(self, principal: Caller, loan_id: FromPath[int]) -> LoanOut:
        return await loans.get_loan(principal, loan_id)

    @patch("/{loan_id:int}")
    async def update_loan(self, principal: Caller, loan_id: FromPath[int], data: JSONBody[LoanPatch]) -> LoanOut:
        return await loans.update_loan(principal, loan_id, data)

    @post("/{loan_id:int}/return", status_code=200)
    async def return_loan(self, principal: Caller, loan_id: FromPath[int], data: JSONBody[ReturnIn]) -> LoanOut:
        """409 when the loan has already ended."""
        return await loans.return_loan(principal, loan_id, data)

    @get("/{loan_id:int}/agreement.pdf", media_type="application/pdf")
    async def agreement(self, principal: Caller, loan_id: FromPath[int]) -> Response[bytes]:
        return download(await letters.agreement_pdf(principal, loan_id), f"loan-agreement-{loan_id}.pdf")

    @get("/{loan_id:int}/reminder.pdf", media_type="application/pdf")
    async def reminder_letter(self, principal: Caller, loan_id: FromPath[int]) -> Response[bytes]:
        return download(await letters.reminder_pdf(principal, loan_id), f"reminder-{loan_id}.pdf")
