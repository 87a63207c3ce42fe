"""Pages of loans: lend with the scanner, return with the wipe checklist, agreements and reminders."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from cohorts.tablets import loans as services
from cohorts.tablets.schemas import LoanIn, LoanPatch, ReturnIn
from cohorts.tablets.services import find_tablet_id, get_tablet
from digiystava.access import Principal, allowed, require
from digiystava.errors import DomainError, FieldProblem, NotFound
from digiystava.i18n import _
from digiystava.web.accounts import Form
from digiystava.web.forms import domain_problems, submit
from digiystava.web.params import Caller
from digiystava.web.rendering import page
from digiystava.web.tablets import accessory_labels, condition_labels, status_labels


def outcome_labels() -> dict[str, str]:
    return {
        "returned": _("Returned"),
        "maintenance": _("Returned to maintenance"),
        "lost": _("Lost"),
        "kept": _("Kept by the senior"),
        "": _("On loan"),
    }


def unlendable(conflict: Exception) -> str:
    """Why the scanned tablet cannot go out, as the lending desk says it."""
    if isinstance(conflict, services.TabletOnLoan):
        return _("This tablet is already out on loan.")
    if isinstance(conflict, services.TabletNeedsWipe):
        return _("This tablet waits for its data wipe before it can be lent.")
    return _("This tablet is not available for lending.")


def lend_labels() -> dict[str, str]:
    return {
        "asset_tag": _("Tablet asset tag"),
        "enrolment": _("Senior and course"),
        "due_date": _("Return date"),
        "agreement_signed_on": _("Agreement signed on"),
    }


# The service's fields as the lending form names them.
LEND_FIELDS = {"tablet_id": "asset_tag", "participant_id": "enrolment", "cohort_id": "enrolment"}


class LoanPages(Controller):
    path = "/loans"

    @get("/")
    async def list_loans(
        self, request: Request, principal: Caller, offset: FromQuery[int] = 0, show: FromQuery[str] = "open"
    ) -> Template:
        show = show if show in ("open", "overdue", "all") else "open"
        loans = await services.list_loans(
            principal, 50, max(offset, 0), overdue=True if show == "overdue" else None, open_only=show == "open"
        )
        return page(
            request,
            "loans/list.html",
            page=loans,
            show=show,
            query_base=f"show={show}&",
            outcome_labels=outcome_labels(),
        )

    async def _lend_form(
        self,
        request: Request,
        principal: Principal,
        values: dict[str, Any],
        errors: list,
        status: int = 200,
        find: str = "",
        tablet: int | None = None,
    ) -> Template:
        enrolments = await services.lendable_enrolments(principal, find)
        options = [
            (
                f"{e['cohort']}:{e['participant']}",
                f"{e['last_name']} {e['first_name']} – {e['cohort_name']}, {e['location_name']}",
            )
            for e in enrolments
        ]
        # NOTE: as in the enrol picker, what a search found comes first, ready to choose.
        if not (find and options):
            options.insert(0, ("", _("Choose a senior")))
        return page(
            request,
            "loans/new.html",
            status_code=status,
            values=values,
            errors=errors,
            enrolments=options,
            found=len(enrolments),
            find=find,
            tablet=tablet,
            field_labels=lend_labels(),
        )

    @get("/new")
    async def new_loan(
        self,
        request: Request,
        principal: Caller,
        tablet: FromQuery[int | None] = None,
        find: FromQuery[str | None] = None,
    ) -> Template:
        require(principal, "loans.manage")
        # NOTE: the signing date stays empty until the paper is signed: a date filled in ahead
        # would print on the agreement as "signed" before anyone has signed it.
        values: dict[str, Any] = {}
        if tablet is not None:
            values["asset_tag"] = (await get_tablet(principal, tablet)).asset_tag
        return await self._lend_form(request, principal, values, [], find=(find or "")[:100], tablet=tablet)

    @post("/")
    async def create_loan(self, request: Request, principal: Caller, data: Form) -> Template | Redirect:
        require(principal, "loans.manage")
        found: list[FieldProblem] = []
        tablet_id = None
        tag = str(data.get("asset_tag", "")).strip()
        if not tag:
            found.append(FieldProblem("asset_tag", _("Scan or type the tablet's asset tag.")))
        else:
            try:
                tablet_id = await find_tablet_id(principal, tag)
                # Said at once, so the scanner desk hears it before choosing a senior.
                await services.ensure_lendable(principal, tablet_id)
            except NotFound:
                found.append(FieldProblem("asset_tag", _("No tablet has this asset tag. Check the tag and try again.")))
            except services.TabletNotAvailable as exc:
                found.append(FieldProblem("asset_tag", unlendable(exc)))
        cohort_id, _sep, participant_id = str(data.get("enrolment", "")).partition(":")
        if not (cohort_id.isdecimal() and participant_id.isdecimal()):
            found.append(FieldProblem("enrolment", _("Choose the senior who borrows the tablet.")))
        values = {"tablet_id": tablet_id, "participant_id": participant_id, "cohort_id": cohort_id}
        values.update({k: data[k] for k in ("due_date", "agreement_signed_on") if data.get(k)})

        async def save(form: LoanIn) -> str:
            return f"/loans/{(await services.create_loan(principal, form)).id}?saved=1"

        async def show(typed: dict[str, Any], errors: list[FieldProblem], status: int) -> Template:
            # The tag and the senior are checked first: the rest only once the desk has those right.
            return await self._lend_form(request, principal, typed, found or errors, status)

        async def refused(exc: DomainError) -> Template:
            """Each refusal at the field it concerns, the conflicts as the lending desk says them."""
            if isinstance(exc, services.TabletNotAvailable):
                errors = [FieldProblem("asset_tag", unlendable(exc))]
            elif isinstance(exc, services.SeniorHasTablet):
                errors = [FieldProblem("enrolment", _("This senior already has a tablet on loan for this course."))]
            else:
                errors = [FieldProblem(LEND_FIELDS.get(p.field, p.field), p.message) for p in domain_problems(exc)]
            return await self._lend_form(request, principal, data, errors, 422)

        return await submit(LoanIn, values, save, show, typed=data, also=found, answer=refused)

    @get("/reminders")
    async def reminders(self, request: Request, principal: Caller) -> Template:
        return page(request, "loans/reminders.html", reminders=await services.reminders(principal))

    async def _detail(
        self,
        request: Request,
        principal: Principal,
        loan_id: int,
        errors: list | None = None,
        status: int = 200,
        flash: str | None = None,
        **form: Any,
    ) -> Template:
        loan = await services.get_loan(principal, loan_id)
        may_keep = await services.donation_allows_keeping(loan.tablet_id)
        went_out = [(k, v) for k, v in accessory_labels().items() if getattr(loan.accessories, k)]
        return page(
            request,
            "loans/detail.html",
            status_code=status,
            loan=loan,
            errors=errors or [],
            flash=flash,
            may_keep=may_keep,
            went_out=went_out,
            accessory_labels=accessory_labels(),
            conditions=[(k, v) for k, v in condition_labels().items() if k != "new"],
            outcome_labels=outcome_labels(),
            can_manage=allowed(principal, "loans.manage"),
            status_labels=status_labels(),
            **form,
        )

    @get("/{loan_id:int}")
    async def loan(
        self, request: Request, principal: Caller, loan_id: FromPath[int], saved: FromQuery[bool] = False
    ) -> Template:
        return await self._detail(request, principal, loan_id, flash=_("Saved.") if saved else None)

    @post("/{loan_id:int}/return")
    async def return_loan(
        self, request: Request, principal: Caller, loan_id: FromPath[int], data: Form
    ) -> Template | Redirect:
        require(principal, "loans.manage")
        wipe_steps = ("accounts_removed", "factory_reset", "sim_handled")
        values = {
            "condition": data.get("condition", ""),
            "kept": "kept" in data,
            "wiped": all(step in data for step in wipe_steps),
            "checklist": {name: f"back_{name}" in data for name in accessory_labels()},
        }

        async def save(form: Any) -> str:
            await services.return_loan(principal, loan_id, form)
            return f"/loans/{loan_id}?saved=1"

        async def show(typed: dict, errors: list, status: int) -> Template:
            return await self._detail(request, principal, loan_id, errors, status)

        return await submit(ReturnIn, values, save, show, service_status=True)

    @post("/{loan_id:int}/signed")
    async def signed(
        self, request: Request, principal: Caller, loan_id: FromPath[int], data: Form
    ) -> Template | Redirect:
        async def save(form: Any) -> str:
            await services.update_loan(principal, loan_id, form)
            return f"/loans/{loan_id}?saved=1"

        async def show(values: dict, errors: list, status: int) -> Template:
            return await self._detail(request, principal, loan_id, errors, status, values=values)

        return await submit(LoanPatch, {"agreement_signed_on": data.get("agreement_signed_on") or None}, save, show)
