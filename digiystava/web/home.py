"""The home page: what each role does first."""

from __future__ import annotations

import datetime as dt

from litestar import Controller, Request, get
from litestar.response import Template

from assessments.followup import open_followups
from cohorts.courses import services as cohort_service
from cohorts.courses import sessions as session_service
from cohorts.enrolments.calls import open_calls
from cohorts.participants.privacy import due_for_erasure
from digiystava import clock
from digiystava.access import Principal, allowed
from digiystava.attention.services import needs_attention
from digiystava.i18n import _
from digiystava.settings import get_settings
from digiystava.web.cohorts import kind_labels, status_labels
from digiystava.web.params import Caller
from digiystava.web.rendering import page


def role_intro(role: str) -> str:
    return {
        "coordinator": _("You plan cohorts, run the tablet inventory, pair volunteers and manage users."),
        "trainer": _(
            "You take attendance, record the seniors' skills before and after, and print handouts for your locations."
        ),
        "steering": _(
            "You read the programme's outcome reports. They show only figures for groups, never a senior's name."
        ),
        "volunteer": _("You see the seniors you guide and your sessions."),
    }[role]


def shortcuts(principal: Caller) -> list[tuple[str, str, str]]:
    items = []
    if principal.role in ("coordinator", "trainer"):
        items.append(("/cohorts", _("Cohorts"), _("Courses, sessions, enrolment and attendance.")))
        items.append(("/participants", _("Seniors"), _("Register seniors and find their details.")))
        items.append(("/locations", _("Locations"), _("Community houses, service centres and libraries.")))
    if principal.role == "coordinator":
        items.append(("/users", _("Users"), _("Add trainers and other staff, reset passwords.")))
        items.append(("/audit", _("Audit log"), _("Who changed what and when.")))
    if principal.role in ("coordinator", "trainer"):
        items.append(
            ("/assessments", _("Skill assessments"), _("Seniors' skills at the start and at the end of the course."))
        )
    # Volunteers and pairing.
    if principal.role in ("coordinator", "trainer"):
        items.append(
            ("/pairings", _("Pairs"), _("Volunteers and their seniors in the running cohorts; the fit check."))
        )
    if principal.role == "coordinator":
        items.append(("/volunteers", _("Volunteers"), _("Digital friends, their availability and hours.")))
    if principal.role == "volunteer":
        items.append(("/my-pairings", _("My seniors"), _("The seniors you guide and your sessions.")))
    # Tablet inventory and loans
    if principal.role == "coordinator":
        items.append(
            (
                "/tablets",
                _("Tablets"),
                _("The inventory: find a tablet by scanning its label, add, import and label tablets."),
            )
        )
    if principal.role in ("coordinator", "trainer"):
        items.append(("/loans/reminders", _("Loan reminders"), _("Tablets due back within a week, and overdue ones.")))
    # Outcome reports
    if principal.role == "steering":
        items.append(
            (
                "/reports/outcomes",
                _("The whole programme"),
                _("Skills before and after, courses, tablets and volunteers across all locations."),
            )
        )
    if allowed(principal, "reports.read"):
        items.append(
            (
                "/reports",
                _("Outcome reports"),
                _("Choose a cohort, location, district, donor or period, or compare them side by side."),
            )
        )
    if allowed(principal, "tokens.page"):
        items.append(("/me/tokens", _("API tokens"), _("Keys for scripts that use the tracker.")))
    return items


async def course_overview(principal: Principal) -> dict:
    """Cohorts by location and status with seats and waiting lists, and this week's sessions."""

    if not allowed(principal, "cohorts.read"):
        return {}
    active = [
        c
        for status in ("running", "planned")
        for c in (await cohort_service.list_cohorts(principal, 500, 0, status=status)).items
    ]
    by_location: dict[str, list] = {}
    for cohort in sorted(active, key=lambda c: (c.location_name, c.start_date)):
        by_location.setdefault(cohort.location_name, []).append(cohort)
    today = clock.today()
    week = await session_service.sessions_between(principal, today, today + dt.timedelta(days=6))
    return {
        "by_location": by_location,
        "today": today,
        "todays_sessions": [s for s in week if s["date"] == today],
        "week_sessions": week,
        "next_session": next((s for s in week if not s["cancelled"]), None),
        "status_labels": status_labels(),
        "kind_labels": kind_labels(),
    }


async def retention_due(principal: Principal) -> int | None:
    """How many seniors' data is past the retention period (coordinators only)."""
    if not allowed(principal, "participants.erase"):
        return None

    return len(await due_for_erasure(get_settings().retention_months))


async def calls_to_make(principal: Principal) -> list:
    """Seniors promoted from the waiting list whom nobody has called yet (coordinators and trainers, in scope)."""
    return await open_calls(principal)


async def attention(principal: Principal) -> list | None:
    """The "needs attention" lines (coordinators and trainers); None for the roles that have no such list."""

    return await needs_attention(principal) if allowed(principal, "cohorts.read") else None


def attention_labels() -> dict[str, str]:
    return {
        "calls": _("Seniors to call: they got a seat from the waiting list"),
        "overdue_loans": _("Tablets past their return date"),
        "unpaired": _("Seniors without a digital friend"),
        "no_before": _("Seniors on a running course without answers at the start"),
        "past_dates": _("Courses past their last session, still running or planned"),
        "unchecked_volunteers": _("Volunteers without an identity check or training"),
    }


class HomePage(Controller):
    @get("/")
    async def home(self, request: Request, principal: Caller) -> Template:
        return page(
            request,
            "home.html",
            role_intro=role_intro(principal.role),
            shortcuts=shortcuts(principal),
            retention_due=await retention_due(principal),
            calls=await calls_to_make(principal),
            followups=await open_followups(principal),
            attention=await attention(principal),
            attention_labels=attention_labels(),
            **await course_overview(principal),
        )
