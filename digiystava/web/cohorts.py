"""Pages for cohorts: list, form, detail with sessions and enrolments, the attendance grid."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from cohorts.courses import services
from cohorts.courses import sessions as session_service
from cohorts.courses.schemas import CohortIn, CohortPatch, RunAgainIn, SessionPatch
from cohorts.enrolments import (
    attendance as attendance_service,
)
from cohorts.enrolments import (
    calls as call_service,
)
from cohorts.enrolments import (
    dropout,
)
from cohorts.enrolments import (
    services as enrolment_service,
)
from cohorts.enrolments.schemas import AttendanceIn
from cohorts.locations.services import location_choices
from digiystava import clock, i18n
from digiystava.access import Principal, allowed, require
from digiystava.accounts.services import trainer_choices
from digiystava.errors import DomainError, FieldProblem, NotFound
from digiystava.i18n import _
from digiystava.web.accounts import Form
from digiystava.web.forms import submit
from digiystava.web.params import Caller
from digiystava.web.rendering import page


def status_labels() -> dict[str, str]:
    return {"planned": _("Planned"), "running": _("Running"), "completed": _("Completed"), "cancelled": _("Cancelled")}


def kind_labels() -> dict[str, str]:
    return {"group": _("Group lesson"), "practice": _("Practice with a digital friend")}


def enrolment_labels() -> dict[str, str]:
    return {
        "enrolled": _("Enrolled"),
        "waitlisted": _("On the waiting list"),
        "completed": _("Completed the course"),
        "dropped": _("Dropped out"),
    }


def attendance_labels() -> dict[str, str]:
    return {"present": _("Present"), "absent": _("Absent"), "excused": _("Excused")}


def pattern_options() -> list[tuple[str, str]]:
    return [
        ("group,practice", _("Alternate: group lesson first, then practice")),
        ("practice,group", _("Alternate: practice first, then group lesson")),
        ("group", _("Group lessons only")),
        ("practice", _("Practice only")),
    ]


def weekday_names() -> list[str]:
    return [_("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"), _("Saturday"), _("Sunday")]


def field_labels() -> dict[str, str]:
    return {
        "location_id": _("Location"),
        "name": _("Name"),
        "start_date": _("First session"),
        "start_time": _("Start time"),
        "session_minutes": _("Session length in minutes"),
        "weeks": _("Weeks"),
        "capacity": _("Seats"),
        "status": _("Status"),
        "pattern": _("Weekly pattern"),
        "trainer_ids": _("Trainers"),
        "end_date": _("Last session"),
    }


def _form_values(raw: Any) -> dict[str, Any]:
    values = {k: v for k, v in raw.items() if k != "_csrf" and v != ""}
    values["trainer_ids"] = [int(i) for i in raw.getall("trainer_ids", []) if str(i).isdecimal()]
    return values


class CohortPages(Controller):
    path = "/cohorts"

    @get("/")
    async def list_cohorts(
        self,
        request: Request,
        principal: Caller,
        offset: FromQuery[int] = 0,
        location_id: FromQuery[int | None] = None,
        status: FromQuery[str | None] = None,
        q: FromQuery[str | None] = None,
    ) -> Template:
        status = status if status in status_labels() else None
        q = (q or "").strip()[:100]
        cohorts = await services.list_cohorts(principal, 50, max(offset, 0), location_id, status, q)
        query = {k: v for k, v in (("q", q), ("location_id", location_id), ("status", status)) if v}
        return page(
            request,
            "cohorts/list.html",
            page=cohorts,
            locations=await location_choices(principal),
            location_id=location_id,
            status=status,
            q=q,
            status_labels=status_labels(),
            weekdays=weekday_names(),
            query_base=urlencode(query) + "&" if query else "",
        )

    async def _form(
        self,
        request: Request,
        principal: Principal,
        values: dict,
        errors: list,
        action: str,
        title: str,
        status: int = 200,
        widens: list | None = None,
    ) -> Template:
        return page(
            request,
            "cohorts/form.html",
            status_code=status,
            values=values,
            errors=errors,
            action=action,
            title=title,
            locations=await location_choices(principal),
            trainers=await trainer_choices(principal),
            patterns=pattern_options(),
            status_labels=status_labels(),
            field_labels=field_labels(),
            editing="/edit" in action,
            widens=widens or [],
        )

    @get("/new")
    async def new_cohort(
        self, request: Request, principal: Caller, location_id: FromQuery[int | None] = None
    ) -> Template:
        require(principal, "cohorts.write")
        values: dict[str, Any] = {
            "location_id": location_id,
            "start_time": "13:00",
            "session_minutes": 90,
            "weeks": 10,
            "capacity": 19,
            "pattern": "group,practice",
            "trainer_ids": [],
        }
        return await self._form(request, principal, values, [], "/cohorts", _("Plan a cohort"))

    @post("/")
    async def create_cohort(self, request: Request, principal: Caller, data: Form) -> Template | Redirect:
        require(principal, "cohorts.write")
        values = _form_values(await request.form())
        title = _("Plan a cohort")

        async def save(form: Any) -> str:
            return f"/cohorts/{(await services.create_cohort(principal, form)).id}?saved=1"

        async def show(typed: dict, errors: list, status: int) -> Template:
            return await self._form(request, principal, typed, errors, "/cohorts", title, status)

        async def ask(exc: DomainError) -> Template | None:
            """Widening a trainer's locations is asked first."""
            if not exc.extra.get("widens"):
                return None
            return await self._form(request, principal, values, [], "/cohorts", title, 409, widens=exc.extra["widens"])

        return await submit(CohortIn, values, save, show, answer=ask)

    @get("/{cohort_id:int}")
    async def cohort(
        self,
        request: Request,
        principal: Caller,
        cohort_id: FromPath[int],
        saved: FromQuery[bool] = False,
        dropped: FromQuery[int | None] = None,
        undone: FromQuery[int | None] = None,
        find: FromQuery[str | None] = None,
    ) -> Template:
        return await self._detail(
            request, principal, cohort_id, saved=saved, dropped=dropped, undone=undone, find=(find or "")[:100]
        )

    async def _detail(
        self,
        request: Request,
        principal: Principal,
        cohort_id: int,
        saved: bool = False,
        dropped: int | None = None,
        undone: int | None = None,
        problem: str | None = None,
        status: int = 200,
        find: str = "",
        **form: Any,
    ) -> Template:
        cohort = await services.get_cohort(principal, cohort_id)
        enrolments = await enrolment_service.list_enrolments(principal, cohort_id)
        can_enrol = allowed(principal, "enrolments.write")
        candidates = await enrolment_service.candidates(principal, cohort_id, find) if can_enrol else None
        notice = None
        if dropped is not None and can_enrol:
            try:
                notice = await dropout.drop_notice(principal, cohort_id, dropped)
            except NotFound:
                notice = None
        back = None
        if undone is not None:
            back = next((e for e in enrolments if e.id == undone and e.status == "enrolled"), None)
        today = clock.today()
        return page(
            request,
            "cohorts/detail.html",
            status_code=status,
            cohort=cohort,
            sessions=await session_service.list_sessions(principal, cohort_id),
            enrolments=enrolments,
            candidates=candidates,
            find=find,
            status_labels=status_labels(),
            kind_labels=kind_labels(),
            enrolment_labels=enrolment_labels(),
            weekdays=weekday_names(),
            flash=_("Saved.") if saved else None,
            rates=await attendance_service.cohort_attendance(principal, cohort_id),
            can_plan=allowed(principal, "cohorts.write"),
            drop_notice=notice,
            undone=back,
            problem=problem,
            calls=await call_service.calls_to_make(principal, cohort_id),
            undoable={
                e.id
                for e in enrolments
                if e.status == "dropped" and e.dropped_at and clock.local_date(e.dropped_at) == today
            },
            trainers=await services.trainer_names(cohort.trainer_ids),
            field_labels={"start_date": _("First session of the new term")},
            **form,
        )

    @get("/{cohort_id:int}/edit")
    async def edit_cohort(self, request: Request, principal: Caller, cohort_id: FromPath[int]) -> Template:
        require(principal, "cohorts.write")
        cohort = await services.get_cohort(principal, cohort_id)
        return await self._form(
            request, principal, cohort.model_dump(), [], f"/cohorts/{cohort_id}/edit", _("Change cohort")
        )

    @post("/{cohort_id:int}/edit")
    async def update_cohort(
        self, request: Request, principal: Caller, cohort_id: FromPath[int], data: Form
    ) -> Template | Redirect:
        require(principal, "cohorts.write")
        values = _form_values(await request.form())
        values.pop("location_id", None)
        action, title = f"/cohorts/{cohort_id}/edit", _("Change cohort")

        async def save(form: Any) -> str:
            await services.update_cohort(principal, cohort_id, form)
            return f"/cohorts/{cohort_id}?saved=1"

        async def show(typed: dict, errors: list, status: int, widens: list | None = None) -> Template:
            cohort = await services.get_cohort(principal, cohort_id)
            return await self._form(
                request, principal, {**cohort.model_dump(), **typed}, errors, action, title, status, widens=widens
            )

        async def ask(exc: DomainError) -> Template | None:
            """Widening a trainer's locations is asked first."""
            return await show(values, [], 409, exc.extra["widens"]) if exc.extra.get("widens") else None

        return await submit(CohortPatch, values, save, show, answer=ask)

    @post("/{cohort_id:int}/run-again")
    async def run_again(
        self, request: Request, principal: Caller, cohort_id: FromPath[int], data: Form
    ) -> Template | Redirect:
        require(principal, "cohorts.write")

        async def save(form: Any) -> str:
            return f"/cohorts/{(await services.run_again(principal, cohort_id, form)).id}?saved=1"

        async def show(values: dict, errors: list, status: int) -> Template:
            return await self._detail(request, principal, cohort_id, status=status, errors=errors, values=values)

        return await submit(RunAgainIn, data, save, show)

    @post("/{cohort_id:int}/enrol")
    async def enrol(self, principal: Caller, cohort_id: FromPath[int], data: Form) -> Redirect:
        require(principal, "enrolments.write")
        participant = str(data.get("participant_id", ""))
        if participant.isdecimal():
            await enrolment_service.enrol(principal, cohort_id, int(participant))
        return Redirect(path=f"/cohorts/{cohort_id}#enrolments", status_code=303)

    @post("/{cohort_id:int}/enrolments/{enrolment_id:int}")
    async def change_enrolment(
        self, principal: Caller, cohort_id: FromPath[int], enrolment_id: FromPath[int], data: Form
    ) -> Redirect:
        require(principal, "enrolments.write")
        status = str(data.get("status", ""))
        if status == "dropped":
            # NOTE: a drop-out is never one click: it promotes someone and ends a pair. Ask first.
            await dropout.drop_preview(principal, cohort_id, enrolment_id)  # 404 or 409 before asking
            return Redirect(path=f"/cohorts/{cohort_id}/enrolments/{enrolment_id}/drop", status_code=303)
        if status in enrolment_labels():
            await dropout.drop_preview(principal, cohort_id, enrolment_id)  # 404 unless the enrolment is this cohort's
            await enrolment_service.change_status(principal, enrolment_id, status)
        return Redirect(path=f"/cohorts/{cohort_id}#enrolments", status_code=303)

    @get("/{cohort_id:int}/enrolments/{enrolment_id:int}/drop")
    async def confirm_drop(
        self, request: Request, principal: Caller, cohort_id: FromPath[int], enrolment_id: FromPath[int]
    ) -> Template:
        """The question before a drop-out: who gets the seat, which pair ends, how to undo."""
        cohort = await services.get_cohort(principal, cohort_id)
        preview = await dropout.drop_preview(principal, cohort_id, enrolment_id)
        return page(request, "cohorts/drop.html", cohort=cohort, **preview)

    @post("/{cohort_id:int}/enrolments/{enrolment_id:int}/drop")
    async def drop(
        self, request: Request, principal: Caller, cohort_id: FromPath[int], enrolment_id: FromPath[int], data: Form
    ) -> Template | Redirect:
        preview = await dropout.drop_preview(principal, cohort_id, enrolment_id)
        if data.get("confirm") != "1" or not preview["droppable"]:
            return Redirect(path=f"/cohorts/{cohort_id}/enrolments/{enrolment_id}/drop", status_code=303)
        await enrolment_service.change_status(principal, enrolment_id, "dropped")
        return Redirect(path=f"/cohorts/{cohort_id}?dropped={enrolment_id}#enrolments", status_code=303)

    @post("/{cohort_id:int}/enrolments/{enrolment_id:int}/undo")
    async def undo_drop(
        self, request: Request, principal: Caller, cohort_id: FromPath[int], enrolment_id: FromPath[int], data: Form
    ) -> Template | Redirect:
        await dropout.drop_preview(principal, cohort_id, enrolment_id)
        try:
            await enrolment_service.undo_drop(principal, enrolment_id)
        except DomainError as exc:
            if exc.status != 409:
                raise
            return await self._detail(request, principal, cohort_id, problem=i18n.translated(exc.detail), status=409)
        return Redirect(path=f"/cohorts/{cohort_id}?undone={enrolment_id}#enrolments", status_code=303)

    @post("/{cohort_id:int}/enrolments/{enrolment_id:int}/called")
    async def called(
        self, principal: Caller, cohort_id: FromPath[int], enrolment_id: FromPath[int], data: Form
    ) -> Redirect:
        """Tick a promoted senior's call done, from the home page or the cohort page."""
        await dropout.drop_preview(principal, cohort_id, enrolment_id)
        await enrolment_service.mark_called(principal, enrolment_id)
        back = "/" if data.get("next") == "/" else f"/cohorts/{cohort_id}#enrolments"
        return Redirect(path=back, status_code=303)

    @get("/{cohort_id:int}/attendance")
    async def attendance_grid(
        self, request: Request, principal: Caller, cohort_id: FromPath[int], saved: FromQuery[bool] = False
    ) -> Template:
        return await self._attendance(request, principal, cohort_id, saved)

    async def _attendance(
        self,
        request: Request,
        principal: Principal,
        cohort_id: int,
        saved: bool = False,
        errors: list | None = None,
        status: int = 200,
        values: dict | None = None,
    ) -> Template:
        cohort = await services.get_cohort(principal, cohort_id)
        sessions = [s for s in await session_service.list_sessions(principal, cohort_id) if not s.cancelled]
        # NOTE: one query for the roster and one for all marks, not three per session.
        roster, marks = await attendance_service.cohort_marks(principal, cohort_id) if sessions else ([], {})
        today = clock.today()
        upcoming = next((s.id for s in sessions if s.date >= today), sessions[-1].id if sessions else None)
        return page(
            request,
            "cohorts/attendance.html",
            status_code=status,
            cohort=cohort,
            sessions=sessions,
            roster=roster,
            marks=marks,
            current=upcoming,
            labels=attendance_labels(),
            flash=_("Attendance saved.") if saved else None,
            today=today,
            errors=errors or [],
            # The cells as typed, over the saved marks: a refused or signed-out save loses nothing.
            values=values or {},
        )

    @post("/{cohort_id:int}/attendance")
    async def save_attendance(
        self, request: Request, principal: Caller, cohort_id: FromPath[int], data: Form
    ) -> Template | Redirect:
        """Cells are named ``a-<session>-<senior>``; an empty cell leaves that mark as it was.

        ``everyone_present`` (a week's button) also marks that week's empty cells present.
        """
        require(principal, "attendance.write")
        by_session: dict[int, list[AttendanceIn]] = {}
        typed = {k: v for k, v in (await request.form()).items() if k != "_csrf"}
        for key, value in typed.items():
            parts = key.split("-")
            if (
                len(parts) == 3
                and parts[0] == "a"
                and parts[1].isdecimal()
                and parts[2].isdecimal()
                and value in attendance_labels()
            ):
                by_session.setdefault(int(parts[1]), []).append(
                    AttendanceIn(participant_id=int(parts[2]), status=value)
                )
        everyone = str(typed.get("everyone_present", ""))
        if everyone.isdecimal():
            # NOTE: only the empty cells: a senior marked absent or excused ahead stays so.
            session_id = int(everyone)
            marked = {item.participant_id for item in by_session.get(session_id, [])}
            roster, _marks = await attendance_service.cohort_marks(principal, cohort_id)
            by_session.setdefault(session_id, []).extend(
                AttendanceIn(participant_id=person.participant_id, status="present")
                for person in roster
                if person.participant_id not in marked
            )

        async def save(_typed: dict[str, Any]) -> str:
            await attendance_service.put_cohort_marks(principal, cohort_id, by_session)
            return f"/cohorts/{cohort_id}/attendance?saved=1"

        async def show(typed: dict[str, Any], errors: list[FieldProblem], status: int) -> Template:
            cells = [FieldProblem(_cell_of(problem.field, by_session), problem.message) for problem in errors]
            return await self._attendance(request, principal, cohort_id, errors=cells, status=status, values=typed)

        async def refused(exc: DomainError) -> None:
            """Only the marks' own problems come back to the grid; a session not this cohort's is a 404 page."""
            if exc.status != 422:
                raise exc

        return await submit(None, typed, save, show, answer=refused)


def _cell_of(field: str, by_session: dict[int, list[AttendanceIn]]) -> str:
    """The grid's cell (``a-<session>-<senior>``) of a problem the service names ``<session>[<row>].status``."""
    session_text, _sep, rest = field.partition("[")
    if not session_text.isdigit():
        return field
    session_id, index = int(session_text), rest.split("]")[0]
    items = by_session.get(session_id, [])
    # NOTE: a senior who is not on this roster has no cell to point at, and their id is not echoed back.
    on_a_cell = index.isdigit() and int(index) < len(items) and field.endswith(".status")
    return f"a-{session_id}-{items[int(index)].participant_id}" if on_a_cell else f"a-{session_id}"


class CourseSessionPages(Controller):
    path = "/sessions"

    @get("/{session_id:int}/edit")
    async def edit_session(self, request: Request, principal: Caller, session_id: FromPath[int]) -> Template:
        require(principal, "sessions.write")
        session = await session_service.fetch_session(principal, session_id)
        return page(
            request, "cohorts/session_form.html", session=session, values=session, errors=[], kind_labels=kind_labels()
        )

    @post("/{session_id:int}/edit")
    async def update_session(
        self, request: Request, principal: Caller, session_id: FromPath[int], data: Form
    ) -> Template | Redirect:
        raw = await request.form()
        values = {k: v for k, v in raw.items() if k in ("date", "start_time", "kind", "note")}
        values["cancelled"] = raw.get("cancelled") == "true"
        session = await session_service.fetch_session(principal, session_id)

        async def save(form: Any) -> str:
            await session_service.update_session(principal, session_id, form)
            return f"/cohorts/{session['cohort']}?saved=1#sessions"

        def show(typed: dict, errors: list, status: int) -> Template:
            return page(
                request,
                "cohorts/session_form.html",
                status_code=status,
                session=session,
                values={**session, **typed},
                errors=errors,
                kind_labels=kind_labels(),
            )

        return await submit(SessionPatch, values, save, show, service_status=True)
