"""Pages for volunteers: the list, the form with weekly availability, hours and their totals."""

from __future__ import annotations

import datetime as dt
from typing import Any

from babel.dates import get_day_names
from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from cohorts.volunteers import hours, pairing, services
from cohorts.volunteers.schemas import HoursFillIn, HoursIn, VolunteerIn, VolunteerPatch
from digiystava import clock, i18n
from digiystava.access import Principal, allowed, require
from digiystava.errors import DomainError, FieldProblem
from digiystava.i18n import _
from digiystava.plain_messages import DATE_FORMAT
from digiystava.web.accounts import Form
from digiystava.web.forms import domain_problems, submit, typed_date
from digiystava.web.params import Caller
from digiystava.web.rendering import page

AVAILABILITY_ROWS = 3  # empty rows offered beyond the saved ones


def weekday_names() -> list[tuple[str, str]]:
    names = get_day_names("wide", locale=i18n.current_language())
    return [(str(d), names[d].capitalize()) for d in range(7)]


def field_labels() -> dict[str, str]:
    return {
        "name": _("Name"),
        "phone": _("Phone"),
        "email": _("Email"),
        "organisation": _("Organisation"),
        "languages": _("Languages"),
        "districts": _("Districts"),
        "max_participants": _("Seniors at most"),
        "identity_checked_on": _("Identity checked on"),
        "training_done_on": _("Training done on"),
        "user_id": _("Login"),
        "availability": _("Availability"),
    }


def _split(text: Any) -> list[str]:
    return [part.strip() for part in str(text or "").split(",") if part.strip()]


def form_to_model_input(data: dict[str, Any]) -> dict[str, Any]:
    """The form's flat fields as the API's JSON: comma lists split, availability rows gathered."""
    values: dict[str, Any] = {
        k: data.get(k, "") for k in ("name", "phone", "email", "organisation", "max_participants")
    }
    values["languages"] = [part.lower() for part in _split(data.get("languages"))]
    values["districts"] = _split(data.get("districts"))
    values["identity_checked_on"] = data.get("identity_checked_on") or None
    values["training_done_on"] = data.get("training_done_on") or None
    values["active"] = bool(data.get("active"))
    values["user_id"] = data.get("user_id") or None
    rows = []
    for n in range(30):
        weekday = data.get(f"avail-{n}-weekday", "")
        if weekday == "" and not data.get(f"avail-{n}-start") and not data.get(f"avail-{n}-end"):
            continue
        rows.append(
            {
                "weekday": weekday,
                "start": data.get(f"avail-{n}-start", ""),
                "end": data.get(f"avail-{n}-end", ""),
                "row": n,
            }
        )
    values["availability"] = [{k: v for k, v in r.items() if k != "row"} for r in rows]
    values["_rows"] = [r["row"] for r in rows]
    return values


def _errors_for_form(errors: list[FieldProblem], rows: list[int]) -> list[FieldProblem]:
    """``availability.1.start`` -> the form's ``avail-N-start`` field of that row."""
    fixed = []
    for e in errors:
        parts = e.field.split(".")
        if parts[0] == "availability" and len(parts) > 1 and parts[1].isdecimal() and int(parts[1]) < len(rows):
            column = parts[2] if len(parts) > 2 and parts[2] in ("weekday", "start", "end") else "start"
            fixed.append(FieldProblem(f"avail-{rows[int(parts[1])]}-{column}", f"{_('Availability')}: {e.message}"))
        elif parts[0] in ("languages", "districts"):
            fixed.append(FieldProblem(parts[0], e.message))
        else:
            fixed.append(e)
    return fixed


def form_values(volunteer: Any) -> dict[str, Any]:
    values = volunteer.model_dump()
    values["languages"] = ", ".join(volunteer.languages)
    values["districts"] = ", ".join(volunteer.districts)
    for n, w in enumerate(volunteer.availability):
        values.update(
            {
                f"avail-{n}-weekday": str(w.weekday),
                f"avail-{n}-start": w.start.strftime("%H:%M"),
                f"avail-{n}-end": w.end.strftime("%H:%M"),
            }
        )
    values["user_id"] = volunteer.user_id or ""
    return values


class VolunteerPages(Controller):
    path = "/volunteers"

    @get("/")
    async def list_volunteers(
        self, request: Request, principal: Caller, offset: FromQuery[int] = 0, show: FromQuery[str] = "active"
    ) -> Template:
        active = None if show == "all" else show != "inactive"
        volunteers = await services.list_volunteers(principal, 50, max(offset, 0), active)
        return page(request, "volunteers/list.html", page=volunteers, show=show, query_base=f"show={show}&")

    async def _form(
        self,
        request: Request,
        values: dict,
        errors: list,
        action: str,
        title: str,
        current_user: int | None,
        status: int = 200,
    ) -> Template:
        saved_rows = max(
            (int(k.split("-")[1]) + 1 for k in values if k.startswith("avail-") and values[k] not in ("", None)),
            default=0,
        )
        return page(
            request,
            "volunteers/form.html",
            status_code=status,
            values=values,
            errors=errors,
            action=action,
            title=title,
            weekdays=weekday_names(),
            rows=range(saved_rows + AVAILABILITY_ROWS),
            logins=[("", _("No login"))] + await services.login_choices(request.scope["user"], current_user),
            field_labels=field_labels(),
        )

    @get("/new")
    async def new_volunteer(self, request: Request, principal: Caller) -> Template:
        require(principal, "volunteers.write")
        values = {"organisation": "HelsinkiMissio", "languages": "fi", "max_participants": 2, "active": True}
        return await self._form(request, values, [], "/volunteers", _("Add a volunteer"), None)

    @post("/")
    async def create_volunteer(self, request: Request, principal: Caller, data: Form) -> Template | Redirect:
        require(principal, "volunteers.write")
        values = form_to_model_input(data)
        rows = values.pop("_rows")

        async def save(form: Any) -> str:
            return f"/volunteers/{(await services.create_volunteer(principal, form)).id}?saved=1"

        async def show(typed: dict, errors: list, status: int) -> Template:
            problems = _errors_for_form(errors, rows)
            return await self._form(request, typed, problems, "/volunteers", _("Add a volunteer"), None, status)

        return await submit(VolunteerIn, values, save, show, typed=data)

    @get("/{volunteer_id:int}")
    async def volunteer(
        self, request: Request, principal: Caller, volunteer_id: FromPath[int], saved: FromQuery[str | None] = None
    ) -> Template:
        flashes = {"1": _("Saved."), "filled": _("Hours filled in from the sessions."), "hours": _("Hours saved.")}
        return await _detail(request, principal, volunteer_id, flash=flashes.get(saved or ""))

    @get("/{volunteer_id:int}/edit")
    async def edit_volunteer(self, request: Request, principal: Caller, volunteer_id: FromPath[int]) -> Template:
        require(principal, "volunteers.write")
        volunteer = await services.get_volunteer(principal, volunteer_id)
        return await self._form(
            request,
            form_values(volunteer),
            [],
            f"/volunteers/{volunteer_id}/edit",
            _("Edit volunteer"),
            volunteer.user_id,
        )

    @post("/{volunteer_id:int}/edit")
    async def update_volunteer(
        self, request: Request, principal: Caller, volunteer_id: FromPath[int], data: Form
    ) -> Template | Redirect:
        require(principal, "volunteers.write")
        values = form_to_model_input(data)
        rows = values.pop("_rows")

        async def save(form: Any) -> str:
            await services.update_volunteer(principal, volunteer_id, form)
            return f"/volunteers/{volunteer_id}?saved=1"

        async def show(typed: dict, errors: list, status: int) -> Template:
            current = (await services.get_volunteer(principal, volunteer_id)).user_id
            action, title = f"/volunteers/{volunteer_id}/edit", _("Edit volunteer")
            return await self._form(request, typed, _errors_for_form(errors, rows), action, title, current, status)

        return await submit(VolunteerPatch, values, save, show, typed=data)

    @post("/{volunteer_id:int}/hours")
    async def add_hours(
        self, request: Request, principal: Caller, volunteer_id: FromPath[int], data: Form
    ) -> Template | Redirect:
        require(principal, "hours.manage")

        async def save(form: Any) -> str:
            await hours.add_hours(principal, volunteer_id, form)
            return f"/volunteers/{volunteer_id}?saved=hours#hours"

        async def show(typed: dict, errors: list, status: int) -> Template:
            labels = {"date": _("Date"), "hours": _("Hours"), "cohort_id": _("Cohort")}
            return await _detail(
                request,
                principal,
                volunteer_id,
                errors=errors,
                field_labels=labels,
                hours_values=typed,
                status_code=status,
            )

        return await submit(HoursIn, {k: data.get(k) for k in ("date", "hours", "cohort_id")}, save, show, typed=data)

    @post("/{volunteer_id:int}/hours/fill")
    async def fill_hours(self, request: Request, principal: Caller, volunteer_id: FromPath[int]) -> Redirect:
        await hours.fill_from_sessions(principal, volunteer_id, HoursFillIn())
        return Redirect(path=f"/volunteers/{volunteer_id}?saved=filled#hours", status_code=303)

    @post("/{volunteer_id:int}/hours/{hours_id:int}/delete")
    async def delete_hours(self, principal: Caller, volunteer_id: FromPath[int], hours_id: FromPath[int]) -> Redirect:
        await hours.delete_hours(principal, volunteer_id, hours_id)
        return Redirect(path=f"/volunteers/{volunteer_id}#hours", status_code=303)

    @get("/hours")
    async def hour_totals(
        self,
        request: Request,
        principal: Caller,
        date_from: FromQuery[str] = "",
        date_to: FromQuery[str] = "",
        organisation: FromQuery[str] = "",
    ) -> Template:
        require(principal, "hours.manage")
        errors, start, end = [], None, None
        try:
            start = dt.date.fromisoformat(typed_date(date_from)) if date_from else None
            end = dt.date.fromisoformat(typed_date(date_to)) if date_to else None
            totals = await hours.totals(principal, start, end, organisation or None)
        except ValueError:
            errors, totals = (
                [FieldProblem("date_from", i18n.translated(DATE_FORMAT))],
                await hours.totals(principal),
            )
        except DomainError as exc:
            errors, totals = domain_problems(exc), await hours.totals(principal)
        query = {k: v for k, v in (("date_from", date_from), ("date_to", date_to), ("organisation", organisation)) if v}
        return page(
            request,
            "volunteers/hours.html",
            totals=totals,
            values={"date_from": date_from, "date_to": date_to, "organisation": organisation},
            query=query,
            errors=errors,
        )


async def _detail(
    request: Request, principal: Principal, volunteer_id: int, status_code: int = 200, **context: Any
) -> Template:
    volunteer = await services.get_volunteer(principal, volunteer_id)
    pairs = await pairing.list_pairings(principal, 200, 0, volunteer_id=volunteer_id)
    if allowed(principal, "hours.manage"):
        context["hours"] = await hours.list_hours(principal, volunteer_id, 100, 0)
        context["cohorts"] = await hours.cohort_choices(principal, volunteer_id)
    context.setdefault("hours_values", {"date": clock.today().isoformat(), "hours": "1.5"})
    return page(
        request,
        "volunteers/detail.html",
        status_code=status_code,
        volunteer=volunteer,
        pairs=pairs.items,
        weekdays=dict(weekday_names()),
        **context,
    )
