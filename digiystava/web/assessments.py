"""Pages of the skill self-assessments: cohort overview, entry grid, CSV import, a senior's progress."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery
from litestar.response import Redirect, Template

from assessments import followup, grid, services, transfer
from assessments.instrument import current_instrument
from assessments.tables import METHODS
from cohorts.participants.schemas import WishesIn
from digiystava import i18n
from digiystava.access import Principal, require
from digiystava.errors import DomainError, FieldProblem
from digiystava.i18n import _, current_language, ngettext
from digiystava.settings import MAX_UPLOAD_BYTES
from digiystava.web.accounts import Form
from digiystava.web.forms import domain_problems, submit
from digiystava.web.params import Caller
from digiystava.web.participants import field_labels, wish_options
from digiystava.web.progress import progress_with_charts
from digiystava.web.rendering import page

Upload = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)]


def phase_titles() -> dict[str, str]:
    return {
        "before": _("Skills at the start"),
        "after": _("Skills at the end"),
        "followup": _("Skills at the follow-up"),
    }


def method_labels() -> dict[str, str]:
    return {
        "paper": _("From a paper form"),
        "with_help": _("Senior answered with help"),
        "alone": _("Senior answered alone"),
    }


def _grid_cell(field: str, participant_id: int) -> str:
    """A skill's problem is at its cell in the senior's row; any other is the row's as a whole."""
    code = field.removeprefix("answers.")
    return f"{code}-{participant_id}" if code in current_instrument().skill_codes else "form"


def _answers_from_form(form: dict[str, Any]) -> dict[str, Any]:
    """Empty means "no answer"; digits become levels; anything else goes on to be refused by name."""
    answers: dict[str, Any] = {}
    for code in current_instrument().skill_codes:
        value = str(form.get(code, "")).strip()
        answers[code] = None if value in ("", "-") else int(value) if value.isdecimal() else value
    return answers


class AssessmentPages(Controller):
    @get("/assessments")
    async def overview(self, request: Request, principal: Caller, offset: FromQuery[int] = 0) -> Template:
        cohorts = await grid.cohort_overview(principal, 50, max(offset, 0))
        return page(
            request,
            "assessments/overview.html",
            page=cohorts,
            cohorts=cohorts.items,
            phase_titles=phase_titles(),
            query_base="",
        )

    async def _grid(
        self,
        request: Request,
        principal: Caller,
        cohort_id: int,
        phase: str,
        method: str,
        errors: list | None = None,
        status: int = 200,
        saved: int | None = None,
    ) -> Template:
        cohort, rows = await grid.grid_rows(principal, cohort_id, phase)
        instrument = current_instrument()
        lang = current_language()
        not_open = services.phase_not_open(cohort, phase)
        return page(
            request,
            "assessments/grid.html",
            status_code=status,
            cohort=cohort,
            rows=rows,
            phase=phase,
            not_open=_(not_open.template).format(date=i18n.format_date(services.phase_opens_on(cohort, phase)))
            if isinstance(not_open, i18n.Filled)
            else None,
            other_phases=[other for other in phase_titles() if other != phase],
            title=phase_titles()[phase],
            phase_titles=phase_titles(),
            skills=[(s.code, s.short_label(lang), s.label(lang)) for s in instrument.skills],
            levels=[(level.value, level.label(lang)) for level in instrument.levels],
            method=method,
            methods=list(method_labels().items()),
            errors=errors or [],
            saved_id=saved,
            flash=_("Saved.") if saved else None,
        )

    @get("/cohorts/{cohort_id:int}/assessments/{phase:str}")
    async def entry_grid(
        self,
        request: Request,
        principal: Caller,
        cohort_id: FromPath[int],
        phase: FromPath[str],
        method: FromQuery[str] = "paper",
        saved: FromQuery[int | None] = None,
    ) -> Template:
        return await self._grid(
            request, principal, cohort_id, phase, method if method in METHODS else "paper", saved=saved
        )

    @post("/cohorts/{cohort_id:int}/assessments/{phase:str}/{participant_id:int}")
    async def save_row(
        self,
        request: Request,
        principal: Caller,
        cohort_id: FromPath[int],
        phase: FromPath[str],
        participant_id: FromPath[int],
        data: Form,
    ) -> Template | Redirect:
        """One grid row posted as a form (the grid without JavaScript); the service checks the answers."""
        method = str(data.get("method", "paper"))
        method = method if method in METHODS else "paper"
        await grid.grid_rows(principal, cohort_id, phase)  # 404 for an unknown phase or a cohort outside scope

        async def save(values: dict[str, Any]) -> str:
            await grid.save_row(principal, cohort_id, phase, participant_id, _answers_from_form(values), method)
            saved = f"method={method}&saved={participant_id}#senior-{participant_id}"
            return f"/cohorts/{cohort_id}/assessments/{phase}?{saved}"

        async def show(typed: dict[str, Any], errors: list[FieldProblem], status: int) -> Template:
            problems = [FieldProblem(_grid_cell(p.field, participant_id), p.message) for p in errors]
            return await self._grid(request, principal, cohort_id, phase, method, errors=problems, status=status)

        return await submit(None, data, save, show, service_status=True)

    @get("/cohorts/{cohort_id:int}/assessments-import")
    async def import_form(self, request: Request, principal: Caller, cohort_id: FromPath[int]) -> Template:
        require(principal, "assessments.write")
        cohort, _rows = await grid.grid_rows(principal, cohort_id, "before")
        return page(request, "assessments/import.html", cohort=cohort, columns=transfer.header())

    @post("/cohorts/{cohort_id:int}/assessments-import", request_max_body_size=MAX_UPLOAD_BYTES)
    async def import_upload(
        self, request: Request, principal: Caller, cohort_id: FromPath[int], data: Upload
    ) -> Template:
        cohort, _rows = await grid.grid_rows(principal, cohort_id, "before")
        upload = data.get("file")
        content = await upload.read() if isinstance(upload, UploadFile) else b""
        try:
            created = await transfer.import_file(principal, cohort_id, content)
        except DomainError as exc:
            return page(
                request,
                "assessments/import.html",
                status_code=exc.status,
                cohort=cohort,
                columns=transfer.header(),
                problems=domain_problems(exc),
                detail=i18n.translated(exc.detail),
            )
        message = ngettext("%(num)d assessment imported.", "%(num)d assessments imported.", created) % {"num": created}
        return page(request, "assessments/import.html", cohort=cohort, columns=transfer.header(), flash=message)

    @get("/followups")
    async def followup_calls(self, request: Request, principal: Caller) -> Template:
        """The seniors due for the follow-up in the caller's locations, with phone numbers, by location."""
        by_location: dict[str, list[followup.FollowupDue]] = {}
        for row in await followup.followups_due(principal):
            by_location.setdefault(row.location_name, []).append(row)
        return page(request, "assessments/followups.html", by_location=dict(sorted(by_location.items())))

    @get("/cohorts/{cohort_id:int}/wishes/{participant_id:int}")
    async def wishes_form(
        self, request: Request, principal: Caller, cohort_id: FromPath[int], participant_id: FromPath[int]
    ) -> Template:
        """What the senior wishes to learn, beside the start-of-course grid."""
        return await self._wishes(request, principal, cohort_id, participant_id)

    @post("/cohorts/{cohort_id:int}/wishes/{participant_id:int}")
    async def save_wishes(
        self, request: Request, principal: Caller, cohort_id: FromPath[int], participant_id: FromPath[int], data: Form
    ) -> Template | Redirect:
        raw = await request.form()
        values = {"wishes": raw.getall("wishes", []), "wishes_text": str(raw.get("wishes_text", ""))}

        async def save(form: WishesIn) -> str:
            await grid.save_wishes(principal, cohort_id, participant_id, form.wishes, form.wishes_text)
            return f"/cohorts/{cohort_id}/assessments/before?saved={participant_id}#senior-{participant_id}"

        async def show(typed: dict[str, Any], errors: list[FieldProblem], status: int) -> Template:
            return await self._wishes(request, principal, cohort_id, participant_id, typed, errors, status)

        return await submit(WishesIn, values, save, show)

    async def _wishes(
        self,
        request: Request,
        principal: Principal,
        cohort_id: int,
        participant_id: int,
        values: dict[str, Any] | None = None,
        errors: list[FieldProblem] | None = None,
        status: int = 200,
    ) -> Template:
        current = await grid.senior_wishes(principal, cohort_id, participant_id)
        return page(
            request,
            "assessments/wishes.html",
            status_code=status,
            **{**current, **(values or {})},
            wish_options=wish_options(),
            field_labels=field_labels(),
            errors=errors or [],
        )

    @get("/participants/{participant_id:int}/progress")
    async def senior_progress(self, request: Request, principal: Caller, participant_id: FromPath[int]) -> Template:
        senior, courses = await progress_with_charts(principal, participant_id)
        return page(request, "assessments/progress.html", senior=senior, courses=courses)
