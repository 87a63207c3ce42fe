"""JSON API of the skill instrument and the assessments."""

from __future__ import annotations

from typing import Literal

from litestar import Controller, Request, Response, get, post, put
from litestar.params import FromPath, FromQuery, JSONBody

from assessments import feedback, followup, paper, services, transfer
from assessments.instrument import current_instrument
from assessments.schemas import (
    AssessmentCorrection,
    AssessmentIn,
    AssessmentOut,
    FeedbackIn,
    FeedbackLinksIn,
    FeedbackLinksOut,
    FeedbackOut,
    ImportResult,
    InstrumentOut,
    LevelOut,
    SkillOut,
    WishOut,
)
from digiystava.access import require
from digiystava.reports.controllers import SCOPE_DEPENDENCY, ReportScope
from digiystava.reports.feedback import FeedbackReport, feedback_report
from digiystava.schemas import Page
from digiystava.settings import MAX_UPLOAD_BYTES
from digiystava.spreadsheets import Separator
from digiystava.web.downloads import download
from digiystava.web.params import Caller, ChosenLanguage, Limit, Offset


class InstrumentController(Controller):
    path = "/api/v1/instruments"
    tags = ["assessments"]

    @get("/current")
    async def current(self, principal: Caller, answer_language: ChosenLanguage) -> InstrumentOut:
        """The instrument new assessments use, labelled in ``?lang`` (default: the caller's language)."""
        require(principal, "instruments.read")
        language = answer_language
        instrument = current_instrument()
        return InstrumentOut(
            code=instrument.code,
            version=instrument.version,
            language=language,
            skills=[SkillOut(code=s.code, label=s.label(language)) for s in instrument.skills],
            levels=[LevelOut(value=level.value, label=level.label(language)) for level in instrument.levels],
            wishes=[WishOut(code=w.code, label=w.label(language)) for w in instrument.wishes],
        )


class AssessmentController(Controller):
    path = "/api/v1/assessments"
    tags = ["assessments"]

    @get("/")
    async def list_assessments(
        self,
        principal: Caller,
        cohort_id: FromQuery[int | None] = None,
        participant_id: FromQuery[int | None] = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Page[AssessmentOut]:
        return await services.list_assessments(principal, cohort_id, participant_id, limit, offset)

    @post("/")
    async def create_assessment(self, principal: Caller, data: JSONBody[AssessmentIn]) -> AssessmentOut:
        return await services.create_assessment(principal, data)

    @get("/{assessment_id:int}")
    async def get_assessment(self, principal: Caller, assessment_id: FromPath[int]) -> AssessmentOut:
        return await services.get_assessment(principal, assessment_id)

    @put("/{assessment_id:int}")
    async def correct_assessment(
        self, principal: Caller, assessment_id: FromPath[int], data: JSONBody[AssessmentCorrection]
    ) -> AssessmentOut:
        return await services.correct_assessment(principal, assessment_id, data)


class CohortAssessmentController(Controller):
    """A cohort's answers as CSV (out and in) and its printable paper forms."""

    path = "/api/v1/cohorts/{cohort_id:int}/assessments"
    tags = ["assessments"]

    @get(["/export.csv", "/export.xlsx"])
    async def export_sheet(
        self,
        request: Request,
        principal: Caller,
        cohort_id: FromPath[int],
        separator: FromQuery[Separator] = "semicolon",
    ) -> Response[bytes]:
        """The cohort's answers, one row per senior and phase, seniors by pseudonym only."""
        fmt: Literal["csv", "xlsx"] = "xlsx" if request.url.path.endswith(".xlsx") else "csv"
        content, media_type = await transfer.export_sheet(principal, cohort_id, fmt, separator)
        return download(content, f"assessments-cohort-{cohort_id}.{fmt}", media_type)

    @get(["/import/template.csv", "/import/template.xlsx"])
    async def import_template(
        self,
        request: Request,
        principal: Caller,
        cohort_id: FromPath[int],
        separator: FromQuery[Separator] = "semicolon",
    ) -> Response[bytes]:
        """The import's columns and a row per senior of the cohort (pseudonym) to fill in."""
        fmt: Literal["csv", "xlsx"] = "xlsx" if request.url.path.endswith(".xlsx") else "csv"
        content, media_type = await transfer.import_template(principal, cohort_id, fmt, separator)
        return download(content, f"assessments-template-cohort-{cohort_id}.{fmt}", media_type)

    @post("/import", request_max_body_size=MAX_UPLOAD_BYTES, status_code=201)
    async def import_file(self, principal: Caller, cohort_id: FromPath[int], request: Request) -> ImportResult:
        """CSV or .xlsx of typed-in paper forms (the export's columns) as the body or the form's ``file``; all rows or
        none.
        """
        content = await request.body()
        if "multipart/form-data" in request.headers.get("content-type", ""):
            upload = (await request.form()).get("file")
            content = await upload.read() if upload is not None and hasattr(upload, "read") else b""
        return ImportResult(created=await transfer.import_file(principal, cohort_id, content))

    @get("/paper.pdf", media_type="application/pdf")
    async def paper_forms(
        self,
        principal: Caller,
        cohort_id: FromPath[int],
        answer_language: ChosenLanguage,
        participant_id: FromQuery[int | None] = None,
        phase: FromQuery[Literal["before", "after", "followup"] | None] = None,
    ) -> Response[bytes]:
        """Large-print forms, one page per senior in their own language (or one senior's page)."""
        content = await paper.paper_forms(principal, cohort_id, participant_id, phase, answer_language)
        name = f"skills-form-cohort-{cohort_id}" + (f"-{participant_id}" if participant_id else "")
        return download(content, f"{name}.pdf")


class FollowupController(Controller):
    """Who is due for the follow-up about three months after their course, and their invitation letters."""

    path = "/api/v1"
    tags = ["assessments"]

    @get("/followups/due")
    async def due(self, principal: Caller, cohort_id: FromQuery[int | None] = None) -> list[followup.FollowupDue]:
        """Seniors who finished a course 13-26 weeks ago and have no follow-up answers yet, in your locations."""
        return await followup.followups_due(principal, cohort_id)

    @get("/cohorts/{cohort_id:int}/followup-letter.pdf", media_type="application/pdf")
    async def letter(
        self, principal: Caller, cohort_id: FromPath[int], participant_id: FromQuery[int | None] = None
    ) -> Response[bytes]:
        """A large-print (18 pt) invitation to the follow-up in the senior's language (fi, sv or en)."""
        content = await followup.followup_letter(principal, cohort_id, participant_id)
        return download(content, f"followup-letter-{cohort_id}-{participant_id}.pdf")


class FeedbackController(Controller):
    """The seniors' anonymous feedback: one-time links for the cards, the trainer's entry, and the counts."""

    path = "/api/v1"
    tags = ["feedback"]

    @post("/cohorts/{cohort_id:int}/feedback-links", status_code=201)
    async def links(
        self, request: Request, principal: Caller, cohort_id: FromPath[int], data: JSONBody[FeedbackLinksIn]
    ) -> FeedbackLinksOut:
        """New one-time links to the feedback form (no login; each works once, for 14 days)."""
        tokens, expires = await feedback.create_links(principal, cohort_id, data.count)
        base = str(request.base_url).rstrip("/")
        return FeedbackLinksOut(expires_at=expires, links=[f"{base}/f/{token}" for token in tokens])

    @post("/cohorts/{cohort_id:int}/feedback", status_code=201)
    async def enter(self, principal: Caller, cohort_id: FromPath[int], data: JSONBody[FeedbackIn]) -> FeedbackOut:
        """A senior's answers entered by the trainer."""
        return FeedbackOut(
            id=await feedback.record_for_senior(principal, cohort_id, {**data.answers, feedback.FREE_TEXT: data.learn})
        )

    @get("/reports/feedback", dependencies=SCOPE_DEPENDENCY)
    async def report(
        self, principal: Caller, report_scope: ReportScope, answer_language: ChosenLanguage
    ) -> FeedbackReport:
        """The answers counted, from courses where at least 5 answered; the seniors' own words for coordinators only."""
        return await feedback_report(principal, report_scope, answer_language)
