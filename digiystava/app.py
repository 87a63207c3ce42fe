"""The application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from litestar import Litestar, Request, Router, get
from litestar.datastructures import State
from litestar.di import Provide
from litestar.exceptions import ServiceUnavailableException
from litestar.logging import LoggingConfig
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.plugins.pydantic import PydanticPlugin
from litestar.static_files import create_static_files_router
from litestar.template import TemplateConfig
from piccolo.engine.base import Engine
from pydantic import BaseModel

from assessments.controllers import (
    AssessmentController,
    CohortAssessmentController,
    FeedbackController,
    FollowupController,
    InstrumentController,
)
from cohorts.costs.controllers import CostController
from cohorts.courses.controllers import CalendarFeedController, CohortController, SessionController
from cohorts.enrolments.controllers import AttendanceController, CohortEnrolmentController, EnrolmentController
from cohorts.handouts.controllers import HandoutController
from cohorts.locations.controllers import LocationController
from cohorts.participants.controllers import ParticipantController
from cohorts.tablets.controllers import DonationController, LabelController, TabletController
from cohorts.tablets.loan_controllers import LoanController
from cohorts.volunteers.controllers import (
    HoursController,
    OwnPairingController,
    PairingController,
    SuggestionController,
    VolunteerController,
)
from digiystava import __version__, db
from digiystava.access import Principal
from digiystava.accounts.authentication import KeptCredentials
from digiystava.accounts.controllers import AuditController, AuthController, MeController, UserController
from digiystava.accounts.guards import AuthenticationMiddleware, login_and_csrf_guard
from digiystava.attention.controllers import AttentionController
from digiystava.log_lines import BatchedStreamHandler
from digiystava.middleware import (
    AccessLogMiddleware,
    CalendarMiddleware,
    InputBoundsMiddleware,
    LanguageMiddleware,
    ReadCacheMiddleware,
    allow_every_method,
    security_headers,
)
from digiystava.openapi import DatePatternSchema, TimeOfDaySchema, bound_parameters, document_answers
from digiystava.paging import KeptTotals
from digiystava.read_cache import ReadCache
from digiystava.reports.controllers import ReportController
from digiystava.reports.dashboard_controllers import DashboardController
from digiystava.reports.funder_controllers import FunderReportController
from digiystava.reports.warm import start_warm_up
from digiystava.schemas import model_json
from digiystava.settings import Settings, get_settings
from digiystava.web import rendering
from digiystava.web.accounts import AuditPages, SessionPages, TokenPages, UserPages
from digiystava.web.assessments import AssessmentPages
from digiystava.web.cohorts import CohortPages, CourseSessionPages
from digiystava.web.costs import CostPages, FunderReportPages
from digiystava.web.dashboard import DashboardPages
from digiystava.web.feedback import FeedbackPages, FeedbackReportPages
from digiystava.web.guides import GuidePages
from digiystava.web.home import HomePage
from digiystava.web.loans import LoanPages
from digiystava.web.locations import LocationPages
from digiystava.web.pairings import OwnPairingPages, PairingPages
from digiystava.web.params import asked_language, chosen_language
from digiystava.web.participants import ParticipantPages
from digiystava.web.privacy import PrivacyPages
from digiystava.web.problems import EXCEPTION_HANDLERS, document_problems
from digiystava.web.reports import ReportPages
from digiystava.web.session_end import DraftMiddleware
from digiystava.web.tablets import DonationPages, TabletPages
from digiystava.web.volunteers import VolunteerPages

STATIC_DIR = Path(__file__).parent / "web" / "static"


async def provide_principal(request: Request) -> Principal:
    return request.scope["user"]


@get("/health", opt={"public": True}, tags=["health"])
async def health() -> dict[str, str]:
    """Answers 200 when the database answers, 503 when it does not (for proxies' readiness checks)."""
    try:
        await db.current_engine().run_ddl("SELECT 1")
    except Exception as exc:  # noqa: BLE001 - any failure to reach the database means "not ready"
        raise ServiceUnavailableException("The database does not answer.") from exc
    return {"status": "ok", "version": __version__}


API_CONTROLLERS = [
    AuthController,
    MeController,
    UserController,
    AuditController,
    LocationController,
    # cohorts
    ParticipantController,
    CohortController,
    SessionController,
    CohortEnrolmentController,
    EnrolmentController,
    AttendanceController,
    CalendarFeedController,
    # assessments
    InstrumentController,
    AssessmentController,
    CohortAssessmentController,
    FollowupController,
    FeedbackController,
    # volunteers and pairing
    VolunteerController,
    HoursController,
    SuggestionController,
    PairingController,
    OwnPairingController,
    # tablets and loans
    TabletController,
    DonationController,
    LoanController,
    LabelController,
    # costs
    CostController,
    # outcome reports
    ReportController,
    FunderReportController,
    DashboardController,
    # handouts
    HandoutController,
    # the home pages' to-do list
    AttentionController,
]
PAGE_CONTROLLERS = [
    SessionPages,
    HomePage,
    TokenPages,
    UserPages,
    AuditPages,
    LocationPages,
    # cohorts
    CohortPages,
    CourseSessionPages,
    ParticipantPages,
    PrivacyPages,
    # assessments
    AssessmentPages,
    FeedbackPages,
    FeedbackReportPages,
    # volunteers and pairing
    VolunteerPages,
    PairingPages,
    OwnPairingPages,
    # tablets and loans
    TabletPages,
    DonationPages,
    LoanPages,
    # outcome reports, the funder's report and the costs behind it
    ReportPages,
    FunderReportPages,
    CostPages,
    DashboardPages,
    # handouts
    GuidePages,
]


def app_state(settings: Settings, engine: Engine) -> State:
    """What the app keeps between requests; the tests give each test a fresh one."""
    return State(
        {
            "read_cache": ReadCache(engine, settings.read_cache_entries),
            "kept_totals": KeptTotals(),
            "kept_credentials": KeptCredentials(),
        }
    )


def create_app(settings: Settings | None = None, engine: Engine | None = None, *, pool: bool = True) -> Litestar:
    """Build the app on ``engine`` (default: the settings' database).

    ``pool=False`` starts no connections of its own: for a caller that serves the app
    on a loop whose pool it already runs (a test on its own loop).
    """
    settings = settings or get_settings()
    engine = engine or db.engine_from_url(settings.database_url)
    db.bind(engine)

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        if settings.warm_start:
            start_warm_up()  # the first report then finds its libraries loaded (reports/warm.py)
        if not pool and not db.is_sqlite(engine):
            yield
            return
        async with db.lifespan_pool(engine):
            yield

    app = Litestar(
        route_handlers=[
            health,
            *API_CONTROLLERS,
            # The pages are HTML for browsers, not part of the published JSON API.
            Router(path="/", route_handlers=PAGE_CONTROLLERS, include_in_schema=False),
            create_static_files_router(
                path="/static", directories=[STATIC_DIR], opt={"public": True}, include_in_schema=False
            ),
        ],
        lifespan=[lifespan],
        state=app_state(settings, engine),
        dependencies={
            "principal": Provide(provide_principal),
            "asked_language": Provide(asked_language),
            "answer_language": Provide(chosen_language),
        },
        guards=[login_and_csrf_guard],
        middleware=[
            AccessLogMiddleware(),
            InputBoundsMiddleware(),
            LanguageMiddleware(),
            CalendarMiddleware(),
            AuthenticationMiddleware(),
            DraftMiddleware(),
            ReadCacheMiddleware(),
        ],
        before_send=[allow_every_method, security_headers],
        # Strict: a JSON value has the type the schema publishes (see schemas.In).
        plugins=[TimeOfDaySchema(), DatePatternSchema(), PydanticPlugin(validate_strict=True)],
        type_encoders={BaseModel: model_json},
        exception_handlers=EXCEPTION_HANDLERS,  # type: ignore[arg-type]
        template_config=TemplateConfig(engine=JinjaTemplateEngine.from_environment(rendering.environment())),
        openapi_config=OpenAPIConfig(
            title="Digiystävä tracker API", version=__version__, path="/schema", render_plugins=[JsonRenderPlugin()]
        ),
        request_max_body_size=settings.max_body_bytes,
        logging_config=LoggingConfig(
            root={"level": "INFO", "handlers": ["lines"]},
            handlers={"lines": {"()": BatchedStreamHandler, "formatter": "standard"}},
            loggers={"litestar": {"level": "INFO", "handlers": ["lines"], "propagate": False}},
            log_exceptions="never",
        ),
        debug=False,
    )
    document_problems(app)
    bound_parameters(app.openapi_schema)
    document_answers(app)
    return app
