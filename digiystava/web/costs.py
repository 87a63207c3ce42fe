"""Pages of the programme's costs (/costs, the coordinator's) and the funder's report (/reports/funder)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery, QueryParameter
from litestar.response import Redirect, Template

from cohorts.costs import services
from cohorts.costs.rates import DEFAULT_UNIT_CENTS
from cohorts.costs.schemas import CostIn
from cohorts.locations.services import location_choices
from cohorts.tables import FUNDERS
from digiystava.access import Principal, require
from digiystava.errors import FieldProblem, InvalidInput
from digiystava.i18n import N_, _, current_language
from digiystava.reports.funder_controllers import _report, funder_page
from digiystava.web.accounts import Form
from digiystava.web.forms import submit
from digiystava.web.params import Caller, ChosenLanguage
from digiystava.web.rendering import page
from pdf_templates.funder_report import funder_texts

FIELDS = ("term", "starts_on", "ends_on", "location_id", "funder", "category", "quantity", "unit_cents", "note")


def field_labels() -> dict[str, str]:
    return {
        "term": _("Term"),
        "starts_on": _("First day"),
        "ends_on": _("Last day"),
        "location_id": _("Location"),
        "funder": _("Funder"),
        "category": _("Kind of cost"),
        "quantity": _("Hours or tablets"),
        "unit_cents": _("Price of one, in cents"),
        "note": _("Note"),
    }


def _form_input(data: dict[str, Any]) -> dict[str, Any]:
    """Empty fields are "not given": the default rate, a programme-wide line, hours counted from those recorded."""
    values = {k: (data.get(k) or None) for k in FIELDS}
    values["note"] = data.get("note") or ""
    return values


async def _costs_page(
    request: Request,
    principal: Principal,
    errors: Sequence[FieldProblem] = (),
    values: dict[str, Any] | None = None,
    **extra: Any,
) -> Template:
    t = funder_texts(current_language())
    lines = await services.list_costs(principal, limit=500)
    locations = [("", _("Whole programme"))] + [(str(r["id"]), r["name"]) for r in await location_choices(principal)]
    return page(
        request,
        "costs/index.html",
        lines=lines,
        values=values or {},
        errors=list(errors),
        field_labels=field_labels(),
        locations=locations,
        funders=[(k, v) for k, v in t["funders"].items() if k],
        categories=list(t["categories"].items()),
        category_names=t["categories"],
        funder_names=t["funders"],
        rates=[(t["categories"][k], v) for k, v in DEFAULT_UNIT_CENTS.items()],
        **extra,
    )


class CostPages(Controller):
    path = "/costs"

    @get("/")
    async def index(self, request: Request, principal: Caller, saved: FromQuery[str | None] = None) -> Template:
        require(principal, "costs.manage")
        return await _costs_page(request, principal, flash=_("Saved.") if saved else None)

    @post("/")
    async def add(self, request: Request, principal: Caller, data: Form) -> Template | Redirect:
        require(principal, "costs.manage")

        async def save(form: CostIn) -> str:
            await services.create_cost(principal, form)
            return "/costs?saved=1"

        async def show(typed: dict[str, Any], errors: list[FieldProblem], status: int) -> Template:
            return await _costs_page(request, principal, errors, values=typed, status_code=status)

        return await submit(CostIn, _form_input(data), save, show, typed=data)

    @post("/{cost_id:int}/delete")
    async def remove(self, principal: Caller, cost_id: FromPath[int]) -> Redirect:
        await services.delete_cost(principal, cost_id)
        return Redirect(path="/costs", status_code=303)


class FunderReportPages(Controller):
    @get("/reports/funder")
    async def funder(
        self,
        request: Request,
        principal: Caller,
        answer_language: ChosenLanguage,
        date_from: Annotated[str | None, QueryParameter(name="from")] = None,
        date_to: Annotated[str | None, QueryParameter(name="to")] = None,
        funder: FromQuery[str | None] = None,
    ) -> Template:
        """NOTE: the picker sends every field, and an empty funder means every funder."""

        if funder and funder not in FUNDERS:
            raise InvalidInput("funder", N_("Choose one of the options."))
        report = await _report(principal, date_from, date_to, funder or None, answer_language)
        return await funder_page(request, report)
