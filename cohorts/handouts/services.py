"""The guides and cards of a cohort, tailored from its sessions, loans, pairings and self-assessments."""

from __future__ import annotations

import asyncio
import io
import json
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import Any

from assessments.tables import Assessment
from cohorts.courses.services import COLUMNS
from cohorts.handouts.priorities import skill_priorities
from cohorts.tables import CohortTrainer, CourseSession, Enrolment, Loan, Location, Pairing
from digiystava.access import Principal, cohort_or_404, require
from digiystava.accounts.tables import StaffUser
from digiystava.errors import InvalidInput
from digiystava.i18n import LANGUAGES, N_
from pdf_templates.guide_tailoring import (
    SIZES,
    Contact,
    CourseInfo,
    RosterLine,
    SeniorInfo,
    Session,
    TailoredGuide,
    tailor,
)

KINDS = ("beginner", "trainer")
# Seniors who get a guide: on the course now or finished it (not the waiting list, not dropped).
ON_COURSE = ("enrolled", "completed")
# A senior "of the cohort" for a personal guide: anyone with a place or a queue number.
OF_COHORT = ("enrolled", "completed", "waitlisted")


def guide_language(lang: str | None, fallback: str | None = None) -> str:
    """An explicit ``lang`` must be fi, sv or en (422 naming ``lang``); a senior's own other language falls back to
    Finnish.
    """
    if lang is None or lang == "":
        return fallback if fallback in LANGUAGES else "fi"
    if lang not in LANGUAGES:
        raise InvalidInput("lang", N_("use one of: {options}", options=", ".join(LANGUAGES)))
    return lang


def print_size(size: str | None) -> str:
    if size in (None, ""):
        return "large"
    if size not in SIZES:
        raise InvalidInput("size", N_("use one of: {options}", options=", ".join(SIZES)))
    return size


def _kind(kind: str) -> str:
    if kind not in KINDS:
        raise InvalidInput("kind", N_("use one of: {options}", options=", ".join(KINDS)))
    return kind


@dataclass(frozen=True)
class Senior:
    id: int
    first_name: str
    last_name: str
    language: str
    info: SeniorInfo
    needs: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


async def course_info(cohort: dict[str, Any]) -> CourseInfo:
    """Place, every session, the trainers' and the coordinator's contacts."""
    location = await Location.select(Location.name, Location.address).where(Location.id == cohort["location"]).first()
    sessions = (
        await CourseSession.select()
        .where(CourseSession.cohort == cohort["id"])
        .order_by(CourseSession.week)
        .order_by(CourseSession.date)
    )
    trainers = await (
        CohortTrainer.select(
            CohortTrainer.user.display_name,
            CohortTrainer.user.username,
            CohortTrainer.user.phone,
            CohortTrainer.user.email,
        )
        .where(CohortTrainer.cohort == cohort["id"], CohortTrainer.user._.active.eq(True))
        .order_by(CohortTrainer.id)
    )
    # NOTE: the programme has one project coordinator; with several accounts the oldest active one is named.
    coordinator = await (
        StaffUser.select(StaffUser.display_name, StaffUser.username, StaffUser.phone, StaffUser.email)
        .where(StaffUser.role == "coordinator", StaffUser.active.eq(True))
        .order_by(StaffUser.id)
        .first()
    )
    return CourseInfo(
        cohort_name=cohort["name"],
        place=location["name"] if location else "",
        address=location["address"] if location else "",
        session_minutes=cohort["session_minutes"],
        sessions=tuple(Session(s["week"], s["date"], s["start_time"], s["kind"], s["cancelled"]) for s in sessions),
        trainers=tuple(
            Contact(t["user.display_name"] or t["user.username"], t["user.phone"], t["user.email"]) for t in trainers
        ),
        coordinator=Contact(
            coordinator["display_name"] or coordinator["username"], coordinator["phone"], coordinator["email"]
        )
        if coordinator
        else None,
    )


def _json_list(value: Any) -> list:
    """A JSON column as read from either engine (text on SQLite unless loaded)."""
    return json.loads(value) if isinstance(value, str) else list(value or [])


def _first_name(name: str) -> str:
    return name.split()[0] if name.split() else ""


async def seniors(
    cohort_id: int, statuses: tuple[str, ...] = ON_COURSE, participant_id: int | None = None
) -> list[Senior]:
    """The cohort's seniors with what tailors their guide, in a handful of queries for the whole group."""
    where = [
        Enrolment.cohort == cohort_id,
        Enrolment.status.is_in(list(statuses)),
        Enrolment.participant.erased_at.is_null(),
    ]
    if participant_id is not None:
        where.append(Enrolment.participant == participant_id)
    rows = await (
        Enrolment.select(
            Enrolment.participant.as_alias("id"),
            Enrolment.participant.first_name,
            Enrolment.participant.last_name,
            Enrolment.participant.language,
            Enrolment.participant.accessibility_needs,
            Enrolment.participant.wishes.as_alias("intake_wishes"),
        )
        .where(*where)
        .order_by(Enrolment.participant.last_name)
        .order_by(Enrolment.participant.first_name)
    )
    ids = [r["id"] for r in rows]
    if not ids:
        return []
    loans = await Loan.select(Loan.participant, Loan.tablet.os, Loan.out_at, Loan.returned_at).where(
        Loan.cohort == cohort_id, Loan.participant.is_in(ids)
    )
    # The open loan, else the most recent one.
    os_of: dict[int, str] = {}
    for loan in sorted(loans, key=lambda loan: (loan["returned_at"] is None, loan["out_at"])):
        os_of[loan["participant"]] = loan["tablet.os"]
    pairs = await (
        Pairing.select(Pairing.participant, Pairing.volunteer.name)
        .where(Pairing.cohort == cohort_id, Pairing.participant.is_in(ids), Pairing.ended_on.is_null())
        .order_by(Pairing.id)
    )
    friend_of = {p["participant"]: _first_name(p["volunteer.name"]) for p in pairs}
    before = await (
        Assessment.select(Assessment.participant, Assessment.answers, Assessment.wishes)
        .where(Assessment.cohort == cohort_id, Assessment.participant.is_in(ids), Assessment.phase == "before")
        .output(load_json=True)
    )
    order_of = {a["participant"]: skill_priorities(a["wishes"] or [], a["answers"] or {}) for a in before}
    # NOTE: before the first questionnaire, the wishes told at registration order the guide.
    for r in rows:
        if r["id"] not in order_of and r["intake_wishes"]:
            order_of[r["id"]] = skill_priorities(_json_list(r["intake_wishes"]), {})
    result = []
    for r in rows:
        name = f"{r['participant.first_name']} {r['participant.last_name']}".strip()
        os_name = os_of.get(r["id"])
        info = SeniorInfo(
            name,
            os_name if os_name in ("android", "ipados") else None,
            friend_of.get(r["id"], ""),
            order_of.get(r["id"], ()),
        )
        needs = r["participant.accessibility_needs"]
        needs = tuple(json.loads(needs) if isinstance(needs, str) else needs or ())
        result.append(
            Senior(
                r["id"], r["participant.first_name"], r["participant.last_name"], r["participant.language"], info, needs
            )
        )
    return result


async def _senior(cohort_id: int, participant_id: int) -> Senior:
    found = await seniors(cohort_id, OF_COHORT, participant_id)
    if not found:
        # NOTE: 422 naming the field, and the same answer whether the senior exists elsewhere or not.
        raise InvalidInput("participant_id", N_("this senior is not on this cohort"))
    return found[0]


async def tailored(
    principal: Principal, cohort_id: int, kind: str, lang: str | None = None, participant_id: int | None = None
) -> TailoredGuide:
    """The guide for the cohort, or for one of its seniors (in their language unless ``lang`` is given)."""
    require(principal, "handouts.read")
    kind = _kind(kind)
    explicit = guide_language(lang) if lang not in (None, "") else None
    cohort = await cohort_or_404(principal, cohort_id, *COLUMNS)
    course = await course_info(cohort)
    if kind == "trainer":
        if participant_id is not None:
            await _senior(cohort_id, participant_id)  # one guide for the whole group; the id is only checked
        roster = [RosterLine(s.name, s.info.os, s.info.friend_first_name, s.needs) for s in await seniors(cohort_id)]
        return tailor("trainer", explicit or "fi", course, roster=roster)
    if participant_id is None:
        return tailor("beginner", explicit or "fi", course)
    senior = await _senior(cohort_id, participant_id)
    return tailor("beginner", explicit or guide_language(None, senior.language), course, senior.info)


async def guide_pdf(
    principal: Principal,
    cohort_id: int,
    kind: str,
    lang: str | None = None,
    participant_id: int | None = None,
    size: str | None = None,
) -> bytes:
    from pdf_templates.guide_layout import guide_pdf as render

    size = print_size(size)
    guide = await tailored(principal, cohort_id, kind, lang, participant_id)
    # Layout is CPU work: keep it off the event loop.
    return await asyncio.to_thread(render, guide, size)


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-").lower() or "senior"


def _render_all(guides: list[tuple[str, TailoredGuide]], size: str) -> bytes:
    from pdf_templates.guide_layout import guide_pdf as render

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, guide in guides:
            archive.writestr(name, render(guide, size))
    return buffer.getvalue()


async def personal_guides_zip(
    principal: Principal, cohort_id: int, lang: str | None = None, size: str | None = None
) -> bytes:
    """Every senior's own beginner's guide, one PDF each (in their own language unless ``lang``), in a zip."""
    require(principal, "handouts.read")
    size = print_size(size)
    explicit = guide_language(lang) if lang not in (None, "") else None
    cohort = await cohort_or_404(principal, cohort_id, *COLUMNS)
    course = await course_info(cohort)
    guides = []
    for number, senior in enumerate(await seniors(cohort_id), start=1):
        guide = tailor("beginner", explicit or guide_language(None, senior.language), course, senior.info)
        guides.append(
            (f"{number:02d}-{_slug(senior.last_name)}-{_slug(senior.first_name)}-{senior.id}-{guide.lang}.pdf", guide)
        )
    # NOTE: stored, not deflated: PDFs are compressed already.
    return await asyncio.to_thread(_render_all, guides, size)


async def volunteer_cards(
    principal: Principal,
    cohort_id: int,
    lang: str | None = None,
    volunteer_id: int | None = None,
    size: str | None = None,
) -> bytes:
    """A digital friend card for each volunteer paired on the cohort (or for one of them)."""
    from pdf_templates.guide_layout import CardInfo, volunteer_cards_pdf

    require(principal, "handouts.read")
    size = print_size(size)
    lang = guide_language(lang)
    cohort = await cohort_or_404(principal, cohort_id, *COLUMNS)
    place = await Location.select(Location.name).where(Location.id == cohort["location"]).first()
    # NOTE: active pairs only: a friend who has left the group gets no card.
    where = [Pairing.cohort == cohort_id, Pairing.ended_on.is_null()]
    if volunteer_id is not None:
        where.append(Pairing.volunteer == volunteer_id)
    rows = (
        await Pairing.select(Pairing.volunteer, Pairing.volunteer.name, Pairing.volunteer.organisation)
        .where(*where)
        .order_by(Pairing.volunteer.name)
    )
    volunteers = {r["volunteer"]: r for r in rows}
    if volunteer_id is not None and not volunteers:
        raise InvalidInput("volunteer_id", N_("this volunteer has no pair on this cohort"))
    cards = [
        CardInfo(r["volunteer.name"], r["volunteer.organisation"], cohort["name"], place["name"] if place else "")
        for r in volunteers.values()
    ]
    if not cards:
        raise InvalidInput("volunteer_id", N_("no volunteer is paired on this cohort yet"))
    return await asyncio.to_thread(volunteer_cards_pdf, cards, lang, size)
