"""Pages for seniors: search, registration with consent and duplicate check, details."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from babel import Locale
from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from assessments.instrument import current_instrument
from cohorts.courses import services as cohort_service
from cohorts.locations.services import get_location, location_choices
from cohorts.participants import services
from cohorts.participants.overview import senior_courses
from cohorts.participants.schemas import ParticipantIn, ParticipantPatch
from digiystava.access import Principal, require
from digiystava.errors import DomainError, FieldProblem
from digiystava.i18n import _, current_language, normalise
from digiystava.web.accounts import Form
from digiystava.web.cohorts import enrolment_labels, status_labels
from digiystava.web.forms import submit
from digiystava.web.params import Caller
from digiystava.web.progress import progress_with_charts
from digiystava.web.rendering import page


def need_labels() -> dict[str, str]:
    return {"sight": _("Seeing"), "hearing": _("Hearing"), "hands": _("Using the hands"), "memory": _("Memory")}


def language_options() -> list[tuple[str, str]]:
    return [
        ("fi", "suomi"),
        ("sv", "svenska"),
        ("en", "English"),
        ("ru", "русский"),
        ("et", "eesti"),
        ("so", "Soomaali"),
        ("ar", "العربية"),
    ]


def wish_options() -> list[tuple[str, str]]:
    """The instrument's wishes (code, label in the page's language), as the questionnaire lists them."""

    lang = current_language()
    return [(wish.code, wish.label(lang)) for wish in current_instrument().wishes]


def language_name(code: str) -> str:
    """The senior's language by its name in the page's language ("ruotsi", "Swedish"), from Babel's data."""

    name = Locale.parse(current_language()).languages.get(code)
    return name or code


def field_labels() -> dict[str, str]:
    return {
        "first_name": _("First name"),
        "last_name": _("Last name"),
        "birth_year": _("Birth year"),
        "phone": _("Phone"),
        "email": _("Email"),
        "language": _("Language"),
        "district": _("District"),
        "consent_given_on": _("Consent given on"),
        "location_id": _("Location"),
        "accessibility_needs": _("Needs help with"),
        "wishes": _("Wishes to learn"),
        "wishes_text": _("Something else, in the senior's own words"),
    }


def _values(raw: Any) -> dict[str, Any]:
    values = {k: v for k, v in raw.items() if k not in ("_csrf", "cohort_id") and v != ""}
    values["accessibility_needs"] = raw.getall("accessibility_needs", [])
    values["wishes"] = raw.getall("wishes", [])
    values["allow_duplicate"] = raw.get("allow_duplicate") == "true"
    return values


class ParticipantPages(Controller):
    path = "/participants"

    @get("/")
    async def list_participants(
        self, request: Request, principal: Caller, offset: FromQuery[int] = 0, q: FromQuery[str | None] = None
    ) -> Template:
        found = await services.list_participants(principal, 50, max(offset, 0), q or None)
        return page(
            request, "participants/list.html", page=found, q=q, query_base=urlencode({"q": q}) + "&" if q else ""
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
        **extra: Any,
    ) -> Template:
        locations = await location_choices(principal)
        # NOTE: the course (from the cohort's page) and a trainer's only location are no fields to point at.
        hidden = {"cohort_id"} if len(locations) > 1 else {"cohort_id", "location_id"}
        errors = [FieldProblem("form", p.message) if p.field in hidden else p for p in errors]
        # NOTE: an empty first choice: the location decides which trainers see the senior, so it is never guessed.
        options = [("", _("Choose a location"))] + [(str(row["id"]), row["name"]) for row in locations]
        return page(
            request,
            "participants/form.html",
            status_code=status,
            values=values,
            errors=errors,
            action=action,
            title=title,
            locations=locations,
            location_options=options,
            languages=language_options(),
            needs=need_labels(),
            wish_options=wish_options(),
            field_labels=field_labels(),
            **extra,
        )

    @get("/new")
    async def new_participant(
        self,
        request: Request,
        principal: Caller,
        location_id: FromQuery[int | None] = None,
        cohort_id: FromQuery[int | None] = None,
    ) -> Template:
        require(principal, "participants.write")
        if location_id is None and cohort_id is not None:
            # Registering from a cohort's page: the senior belongs where the course meets.
            location_id = (await cohort_service.get_cohort(principal, cohort_id)).location_id
        return await self._form(
            request,
            principal,
            {"language": "fi", "location_id": location_id},
            [],
            "/participants",
            _("Register a senior"),
            cohort_id=cohort_id,
        )

    @post("/")
    async def create_participant(self, request: Request, principal: Caller, data: Form) -> Template | Redirect:
        raw = await request.form()
        values = _values(raw)
        cohort_id = raw.get("cohort_id") or None
        also = []
        if not values.get("location_id") and len(await location_choices(principal)) > 1:
            also = [FieldProblem("location_id", _("Choose the location whose trainers look after this senior."))]

        async def save(form: Any) -> str:
            # NOTE: a cohort box that is not a number names no cohort (0 is never an id).
            enrol_in = None if cohort_id is None else int(cohort_id) if str(cohort_id).isdecimal() else 0
            person = await services.create_participant(principal, form, enrol_in)
            return f"/cohorts/{enrol_in}#enrolments" if enrol_in is not None else f"/participants/{person.id}?saved=1"

        async def show(typed: dict, errors: list, status: int, duplicates: list | None = None) -> Template:
            return await self._form(
                request,
                principal,
                typed,
                errors,
                "/participants",
                _("Register a senior"),
                status,
                duplicates=duplicates or [],
                cohort_id=cohort_id,
            )

        async def ask(exc: DomainError) -> Template | None:
            """A likely duplicate is asked about, with the people it may be."""
            duplicates = exc.extra.get("duplicates", [])
            return await show(values, [], exc.status, duplicates) if duplicates else None

        return await submit(ParticipantIn, values, save, show, service_status=True, also=also, answer=ask)

    @get("/{participant_id:int}")
    async def participant(
        self, request: Request, principal: Caller, participant_id: FromPath[int], saved: FromQuery[bool] = False
    ) -> Template:
        person = await services.get_participant(principal, participant_id)
        needs = need_labels()
        location = await get_location(principal, person.location_id) if person.location_id is not None else None
        _senior, progress = await progress_with_charts(principal, participant_id)
        return page(
            request,
            "participants/detail.html",
            person=person,
            location=location,
            language_name=language_name(person.language),
            # NOTE: the notice is in fi, sv and en; a senior who speaks another language gets the Finnish one.
            notice_lang=normalise(person.language),
            wish_labels=dict(wish_options()),
            courses=await senior_courses(principal, participant_id),
            progress=progress,
            enrolment_labels=enrolment_labels(),
            status_labels=status_labels(),
            needs_text=", ".join(needs.get(n, n) for n in person.accessibility_needs),
            flash=_("Saved.") if saved else None,
        )

    @get("/{participant_id:int}/edit")
    async def edit_participant(self, request: Request, principal: Caller, participant_id: FromPath[int]) -> Template:
        person = await services.get_participant(principal, participant_id)
        return await self._form(
            request, principal, person.model_dump(), [], f"/participants/{participant_id}/edit", _("Edit senior")
        )

    @post("/{participant_id:int}/edit")
    async def update_participant(
        self, request: Request, principal: Caller, participant_id: FromPath[int], data: Form
    ) -> Template | Redirect:
        values = _values(await request.form())
        values.pop("allow_duplicate", None)
        for optional in ("phone", "email", "district", "wishes_text"):
            values.setdefault(optional, "")
        values.setdefault("birth_year", None)  # an emptied box clears the year

        async def save(form: Any) -> str:
            await services.update_participant(principal, participant_id, form)
            return f"/participants/{participant_id}?saved=1"

        async def show(typed: dict, errors: list, status: int) -> Template:
            action = f"/participants/{participant_id}/edit"
            return await self._form(request, principal, typed, errors, action, _("Edit senior"), status)

        return await submit(ParticipantPatch, values, save, show)
