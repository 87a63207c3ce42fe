"""What needs attention, in the caller's locations: one list for the home pages and ``GET /api/v1/attention``.

Each line counts one kind of unfinished business and names the page where it is put
right; a line made of several cohorts (or volunteers) lists them as parts, each with its
own count and page. Only coordinators and trainers have such a list; a trainer's lines
cover their own locations only, like every other read (``access.scope_where``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from typing import Any

from piccolo.columns.combination import WhereRaw
from piccolo.query.functions.aggregate import Count, Max

from assessments.services import ASSESSABLE_STATUSES
from cohorts.enrolments.calls import calls_to_make
from cohorts.tables import Cohort, CourseSession, Enrolment, Loan, Pairing, Volunteer
from cohorts.volunteers.pairing import missing_checks
from digiystava import clock
from digiystava.access import Principal, allowed, require, scope_where
from digiystava.attention.schemas import AttentionItem, AttentionPart, Kind

# Cohorts whose seniors are still being looked after: paired, assessed, completed.
ACTIVE = ("planned", "running")


def _scoped(principal: Principal, location_column, *where) -> list:
    scope = scope_where(principal, location_column)
    return [*where, scope] if scope is not None else list(where)


async def _cohort_parts(counts: Counter, href: str) -> list[AttentionPart]:
    """One part per cohort with a count, in the order the courses start; ``href`` takes the cohort's id."""
    if not counts:
        return []
    rows = (
        await Cohort.select(Cohort.id, Cohort.name, Cohort.location.name.as_alias("location_name"))
        .where(Cohort.id.is_in(sorted(counts)))
        .order_by(Cohort.start_date)
        .order_by(Cohort.id)
    )
    return [
        AttentionPart(
            label=f"{r['name']} – {r['location_name']}",
            count=counts[r["id"]],
            href=href.format(id=r["id"]),
            cohort_id=r["id"],
        )
        for r in rows
    ]


async def _by_cohort(kind: Kind, counts: Counter, href: str, part_href: str) -> AttentionItem:
    return AttentionItem(kind=kind, count=sum(counts.values()), href=href, parts=await _cohort_parts(counts, part_href))


async def overdue_loans(principal: Principal) -> AttentionItem:
    """Open loans past their return date."""
    rows = await Loan.select(Loan.id).where(
        *_scoped(principal, Loan.cohort._.location, Loan.returned_at.is_null(), Loan.due_date < clock.today())
    )
    return AttentionItem(kind="overdue_loans", count=len(rows), href="/loans?show=overdue")


async def promoted_to_call(principal: Principal) -> AttentionItem:
    """Seniors who got a seat from the waiting list and have not been called (``enrolments.calls``)."""
    counts = Counter(c.cohort_id for c in await calls_to_make(principal))
    return await _by_cohort("calls", counts, "/#calls", "/cohorts/{id}#enrolments")


async def _seated_without(
    principal: Principal, statuses: Iterable[str], cohort_statuses: Iterable[str], missing: str
) -> Counter:
    """Per cohort, how many seniors (not erased) with an enrolment in ``statuses`` lack what ``missing`` asks for.

    ``missing`` is an SQL condition on the enrolment's cohort and senior (``NOT EXISTS ...``): counted in
    the database, since a national programme has some ten thousand seniors on its courses.
    """
    rows = (
        await Enrolment.select(Enrolment.cohort, Count(Enrolment.id, alias="n"))
        .where(
            *_scoped(
                principal,
                Enrolment.cohort._.location,
                Enrolment.status.is_in(list(statuses)),
                Enrolment.cohort._.status.is_in(list(cohort_statuses)),
                Enrolment.participant._.erased_at.is_null(),
                WhereRaw(missing),
            )
        )
        .group_by(Enrolment.cohort)
    )
    return Counter({r["cohort"]: r["n"] for r in rows})


async def without_volunteer(principal: Principal) -> AttentionItem:
    """Enrolled seniors of planned and running cohorts with no active pair on that cohort."""
    counts = await _seated_without(
        principal,
        ("enrolled",),
        ACTIVE,
        "NOT EXISTS (SELECT 1 FROM pairing p WHERE p.cohort = enrolment.cohort "
        "AND p.participant = enrolment.participant AND p.ended_on IS NULL)",
    )
    # A coordinator pairs on the cohort's suggestion page; a trainer reads the pairs overview.
    part = "/pairings/cohorts/{id}" if allowed(principal, "pairings.write") else "/pairings#cohort-{id}"
    return await _by_cohort("unpaired", counts, "/pairings", part)


async def without_before(principal: Principal) -> AttentionItem:
    """Seniors on a running course (enrolled or completed) whose answers at the start are not recorded."""
    counts = await _seated_without(
        principal,
        ASSESSABLE_STATUSES,
        ("running",),
        "NOT EXISTS (SELECT 1 FROM assessment a WHERE a.cohort = enrolment.cohort "
        "AND a.participant = enrolment.participant AND a.phase = 'before')",
    )
    return await _by_cohort("no_before", counts, "/assessments", "/cohorts/{id}/assessments/before")


async def past_their_dates(principal: Principal) -> AttentionItem:
    """Planned or running cohorts whose last (not cancelled) session is behind them: to be completed."""
    today = clock.today()
    rows = (
        await CourseSession.select(CourseSession.cohort, Max(CourseSession.date, alias="last"))
        .where(
            *_scoped(
                principal,
                CourseSession.cohort._.location,
                CourseSession.cancelled.eq(False),
                CourseSession.cohort._.status.is_in(list(ACTIVE)),
            )
        )
        .group_by(CourseSession.cohort)
    )
    counts = Counter(r["cohort"] for r in rows if _as_date(r["last"]) < today)
    return await _by_cohort("past_dates", counts, "/cohorts?status=running", "/cohorts/{id}")


def _as_date(value: Any) -> dt.date:
    # NOTE: SQLite gives an aggregate's date as text.
    return dt.date.fromisoformat(value[:10]) if isinstance(value, str) else value


async def unchecked_volunteers(principal: Principal) -> AttentionItem:
    """Active volunteers whose identity check or training is not recorded.

    A coordinator sees every such volunteer (and fixes their dates); a trainer those who
    guide a senior on a cohort of their locations (paired with a coordinator's override).
    """
    where: list[Any] = [Volunteer.active.eq(True)]
    if not principal.is_coordinator:
        guiding = Pairing.select(Pairing.volunteer).where(
            *_scoped(principal, Pairing.cohort._.location, Pairing.ended_on.is_null())
        )
        where.append(Volunteer.id.is_in(guiding))
    rows = (
        await Volunteer.select(Volunteer.id, Volunteer.name, Volunteer.identity_checked_on, Volunteer.training_done_on)
        .where(*where)
        .order_by(Volunteer.name)
    )
    page = "/volunteers/{id}/edit" if allowed(principal, "volunteers.write") else "/volunteers/{id}"
    parts = [
        AttentionPart(label=r["name"], count=1, href=page.format(id=r["id"]), volunteer_id=r["id"])
        for r in rows
        if missing_checks(r)
    ]
    return AttentionItem(kind="unchecked_volunteers", count=len(parts), href="/volunteers", parts=parts)


async def needs_attention(principal: Principal) -> list[AttentionItem]:
    """The lines with something to do, in a fixed order; an empty list means all is well.

    Coordinators and trainers only (403 for the other roles).
    """
    require(principal, "cohorts.read")
    checks = [promoted_to_call]
    if allowed(principal, "loans.read"):
        checks.append(overdue_loans)
    checks += [without_volunteer, without_before, past_their_dates]
    if allowed(principal, "volunteers.read"):
        checks.append(unchecked_volunteers)
    items = [await check(principal) for check in checks]
    return [item for item in items if item.count]
