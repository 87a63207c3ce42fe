"""Pages of the skill self-assessments: cohort overview, entry grid, CSV import, a senior's progress."""

from __future__ import annotations

import functools
from typing import Annotated, Any

import anyio
from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery
from litestar.response import Redirect, Template

from assessments import grid, progress, services, transfer
from assessments.instrument import current_instrument
from assessments.tables import METHODS
from digiystava import i18n
from digiystava.access import Caller, require
from digiystava.errors import DomainError, FieldProblem
from digiystava.i18n import _, current_language, ngettext
from digiystava.reports import charts
from digiystava.web.accounts import Form
from digiystava.web.rendering import domain_problems, page

Upload = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)]


def phase_titles() -> dict[str, str]:
    return {"before": _("Skills at the start"), "after": _("Skills at the end")}


def method_labels() -> dict[str, str]:
    return {
        "paper": _("From a paper form"),
        "with_help": _("Senior answered with help"),
        "alone": _("Senior answered alone"),
    }


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
            other_phase="after" if phase == "before" else "before",
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
        """One grid row posted as a form (the grid without JavaScript)."""
        method = str(data.get("method", "paper"))
        method = method if method in METHODS else "paper"
        await grid.grid_rows(principal, cohort_id, phase)  # 404 for an unknown phase or a cohort outside scope
        try:
            await grid.save_row(principal, cohort_id, phase, participant_id, _answers_from_form(data), method)
        except DomainError as exc:
            problems = [FieldProblem(p.field.removeprefix("answers."), p.message) for p in domain_problems(exc)]
            return await self._grid(request, principal, cohort_id, phase, method, errors=problems, status=exc.status)
        return Redirect(
            path=f"/cohorts/{cohort_id}/assessments/{phase}?method={method}&saved={participant_id}#senior-{participant_id}",
            status_code=303,
        )

    @get("/cohorts/{cohort_id:int}/assessments-import")
    async def import_form(self, request: Request, principal: Caller, cohort_id: FromPath[int]) -> Template:
        require(principal, "assessments.write")
        cohort, _rows = await grid.grid_rows(principal, cohort_id, "before")
        return page(request, "assessments/import.html", cohort=cohort, columns=transfer.header())

    @post("/cohorts/{cohort_id:int}/assessments-import", request_max_body_size=10 * 1024 * 1024)
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

    @get("/participants/{participant_id:int}/progress")
    async def senior_progress(self, request: Request, principal: Caller, participant_id: FromPath[int]) -> Template:
        lang = current_language()
        senior, courses = await progress.senior_progress(principal, participant_id, lang)
        words: dict[str, Any] = {
            "before_label": _("At the start"),
            "after_label": _("At the end"),
            "axis_label": _("Level, 0–4"),
        }
        for course in courses:
            course["chart"] = await anyio.to_thread.run_sync(
                functools.partial(_progress_chart, course, words, "." if lang == "en" else ",")
            )
        return page(request, "assessments/progress.html", senior=senior, courses=courses)


def _progress_chart(course: dict[str, Any], words: dict[str, Any], decimal: str) -> str:
    """The senior's level per skill, before against after, as inline SVG (drawn off the event loop)."""
    from digiystava.reports.visuals import chart_text

    figure = charts.before_after_bars(
        [s["short"] for s in course["skills"]],
        [s["before"] for s in course["skills"]],
        [s["after"] for s in course["skills"]],
        title=chart_text(course["name"]),
        decimal=decimal,
        **words,
    )
    return charts.render_svg(figure)
