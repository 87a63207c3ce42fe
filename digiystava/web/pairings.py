"""Pages for pairing: pairs at a glance, the suggestion table with accept buttons, the fit check, the volunteer's
own view.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from cohorts.volunteers import overview, own_view, pairing
from cohorts.volunteers.schemas import PairingIn, PairingPatch
from digiystava import clock
from digiystava.access import require
from digiystava.errors import DomainError, FieldProblem
from digiystava.i18n import _, ngettext
from digiystava.web.accounts import Form
from digiystava.web.forms import domain_problems, parse_form
from digiystava.web.params import Caller
from digiystava.web.rendering import page


def _all(data: dict[str, Any], key: str) -> list[str]:
    value = data.get(key, [])
    return value if isinstance(value, list) else [value]


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def fit_labels() -> dict[str, str]:
    return {"good": _("Good"), "change_needed": _("Change needed")}


class PairingPages(Controller):
    path = "/pairings"

    @get("/")
    async def at_a_glance(
        self,
        request: Request,
        principal: Caller,
        done: FromQuery[str | None] = None,
        next: FromQuery[str | None] = None,
        offset: FromQuery[int] = 0,
    ) -> Template:
        cohorts = await overview.pairs_at_a_glance(principal, 20, max(offset, 0))
        return page(
            request,
            "pairings/overview.html",
            page=cohorts,
            cohorts=cohorts.items,
            fit_labels=fit_labels(),
            flash=_flash(done, next),
            query_base="",
        )

    @get("/cohorts/{cohort_id:int}")
    async def suggestions(
        self, request: Request, principal: Caller, cohort_id: FromPath[int], accepted: FromQuery[int | None] = None
    ) -> Template:
        table = await overview.suggestion_table(principal, cohort_id)
        flash = (
            ngettext("%(num)d pair accepted.", "%(num)d pairs accepted.", accepted) % {"num": accepted}
            if accepted
            else None
        )
        return page(request, "pairings/suggestions.html", table=table, flash=flash)

    @post("/cohorts/{cohort_id:int}/accept")
    async def accept(
        self, request: Request, principal: Caller, cohort_id: FromPath[int], data: Form
    ) -> Template | Redirect:
        """Accept the checked rows, or the one row whose button was pressed, each with the volunteer chosen in its
        row.
        """
        require(principal, "pairings.write")
        chosen = _all(data, "only") or _all(data, "senior")
        errors: list[FieldProblem] = []
        reason = str(data.get("override_reason", "")).strip() or None
        accepted = 0
        for raw in chosen:
            pid = _int(raw)
            volunteer = _int(data.get(f"volunteer-{raw}"))
            if pid is None:
                continue
            if volunteer is None:
                errors.append(FieldProblem(f"volunteer-{pid}", _("Choose a volunteer.")))
                continue
            values = {
                "cohort_id": cohort_id,
                "volunteer_id": volunteer,
                "participant_id": pid,
                "override_reason": reason,
            }
            form, problems = parse_form(PairingIn, values)
            if form is None:
                # A row's problem is at its volunteer; the reason is one field for the whole table.
                errors += [FieldProblem(_row_field(p.field, pid), p.message) for p in problems]
                continue
            try:
                await pairing.create_pairing(principal, form)
                accepted += 1
            except DomainError as exc:
                errors += [FieldProblem(f"volunteer-{pid}", p.message) for p in domain_problems(exc)]
        if not chosen:
            errors.append(FieldProblem("accept-selected", _("Select at least one senior.")))
        if errors:
            table = await overview.suggestion_table(principal, cohort_id)
            # A row gone from the table (paired or moved meanwhile) has no field left: its problem is the form's.
            on_page = {f"volunteer-{row.participant_id}" for row in table.rows}
            if table.rows:
                on_page |= {"accept-selected", "override_reason"} if table.unchecked else {"accept-selected"}
            errors = [p if p.field in on_page else FieldProblem("form", p.message) for p in errors]
            flash = (
                ngettext("%(num)d pair accepted.", "%(num)d pairs accepted.", accepted) % {"num": accepted}
                if accepted
                else None
            )
            return page(
                request,
                "pairings/suggestions.html",
                status_code=409 if accepted == 0 and chosen else 422,
                table=table,
                errors=errors,
                flash=flash,
                override_reason=reason or "",
            )
        return Redirect(path=f"/pairings/cohorts/{cohort_id}?accepted={accepted}", status_code=303)

    @post("/{pairing_id:int}/fit")
    async def fit_check(self, principal: Caller, pairing_id: FromPath[int], data: Form) -> Redirect:
        require(principal, "pairings.fit")
        fit = data.get("fit")
        if fit not in ("good", "change_needed"):
            return Redirect(path="/pairings?done=nofit", status_code=303)
        changed = await pairing.update_pairing(principal, pairing_id, PairingPatch(fit=fit))
        if changed.next_suggestion is not None:
            names = await overview.volunteer_names([changed.next_suggestion.volunteer_id])
            return Redirect(
                path="/pairings",
                query_params={"done": "changed", "next": names.get(changed.next_suggestion.volunteer_id, "")},
                status_code=303,
            )
        return Redirect(path=f"/pairings?done={'checked' if fit == 'good' else 'ended'}", status_code=303)

    @post("/{pairing_id:int}/end")
    async def end(self, principal: Caller, pairing_id: FromPath[int]) -> Redirect:

        current = await pairing.get_pairing(principal, pairing_id)
        await pairing.update_pairing(
            principal, pairing_id, PairingPatch(ended_on=max(clock.today(), current.started_on))
        )
        return Redirect(path="/pairings?done=ended", status_code=303)


def _row_field(field: str, participant_id: int) -> str:
    return f"volunteer-{participant_id}" if field in ("volunteer_id", "participant_id") else field


def _flash(done: str | None, next_name: str | None = None) -> str | None:
    if done == "changed" and next_name:
        return _("The pair has ended. Suggested next volunteer: %(name)s.") % {"name": next_name}
    return {
        "checked": _("Fit check saved."),
        "ended": _("The pair has ended."),
        "changed": _("The pair has ended. The senior can now be paired again."),
        "nofit": _("Choose good or change needed."),
    }.get(done or "")


class OwnPairingPages(Controller):
    path = "/my-pairings"

    @get("/")
    async def own(self, request: Request, principal: Caller) -> Template:
        pairs = await own_view.own_pairings(principal)
        return page(request, "pairings/own.html", pairs=pairs)
