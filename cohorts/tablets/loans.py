"""Lending tablets to seniors and taking them back; no tablet is ever out twice.

The service checks the tablet's status under a lock (SQLite: BEGIN IMMEDIATE, PostgreSQL:
SELECT ... FOR UPDATE) and the database backs it with partial unique indexes on open loans;
should two requests still meet at the index, the loser gets a 409, never a 500.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import TypeAdapter

from cohorts.participants.erased import refuse_erased
from cohorts.participants.finding import found_ids
from cohorts.tables import Cohort, Donation, Enrolment, Loan, Participant, Tablet
from cohorts.tablets.history import locked, record_event
from cohorts.tablets.schemas import (
    ACCESSORY_NAMES,
    PLAIN_ACCESSORIES,
    LoanIn,
    LoanOut,
    LoanPatch,
    ReminderOut,
    ReturnIn,
)
from digiystava import audit, clock, search
from digiystava.access import Principal, cohort_ref, ensure_location, location_scope, require, scope_where
from digiystava.db import is_unique_violation, must_exist, write_transaction
from digiystava.errors import Conflict, InvalidInput, NotFound
from digiystava.i18n import N_
from digiystava.paging import paged
from digiystava.schemas import JsonColumn, PlainPage, as_models

# NOTE: the seniors bring the tablet back at the next meeting after the course, two weeks on.
DUE_AFTER_COURSE = dt.timedelta(days=14)
REMIND_DAYS_AHEAD = 7

# NOTE: each step through a foreign key costs Piccolo a dir() of the table: made once, not per request.
LOAN_LOCATION = Loan.cohort.location
COLUMNS = (
    *Loan.all_columns(),
    Loan.tablet.asset_tag.as_alias("asset_tag"),
    Loan.participant.first_name.as_alias("first_name"),
    Loan.participant.last_name.as_alias("last_name"),
    Loan.cohort.name.as_alias("cohort_name"),
    Loan.cohort.location.as_alias("location_id"),
)


class TabletNotAvailable(Conflict):
    """The tablet is in maintenance, retired or lost (or, in the subclasses below, out or not wiped)."""


class TabletOnLoan(TabletNotAvailable):
    """The tablet is out on loan."""


class TabletNeedsWipe(TabletNotAvailable):
    """The tablet came back and waits for its data wipe."""


class SeniorHasTablet(Conflict):
    """The senior already has a tablet on loan for this cohort."""


def refuse_unlendable(status: str, needs_wipe: bool) -> None:
    """The one rule of lending: only an available tablet whose data has been wiped goes out."""
    if status == "on_loan":
        raise TabletOnLoan(N_("The tablet is already out on loan."))
    if status != "available":
        raise TabletNotAvailable(f"The tablet is not available (status: {status}).")
    if needs_wipe:
        raise TabletNeedsWipe(N_("The tablet waits for its data wipe."))


async def ensure_lendable(principal: Principal, tablet_id: int) -> None:
    """The lending rule for a scanned tablet, said before the senior is chosen (``create_loan`` checks again)."""
    require(principal, "loans.manage")
    tablet = await Tablet.select(Tablet.status, Tablet.needs_wipe).where(Tablet.id == tablet_id).first()
    if tablet is None:
        raise NotFound()
    refuse_unlendable(tablet["status"], tablet["needs_wipe"])


CHECKLIST = TypeAdapter(dict[str, bool])
LOANS = TypeAdapter(list[LoanOut])
CHECKLIST_COLUMN = JsonColumn(CHECKLIST)


def loan_fields(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of ``COLUMNS`` as ``LoanOut``'s fields, plain: its JSON's values (see ``PlainPage``)."""
    today = clock.today()
    return [
        {
            "id": row["id"],
            "tablet_id": row["tablet"],
            "asset_tag": row["asset_tag"],
            "participant_id": row["participant"],
            "participant_name": f"{row['first_name']} {row['last_name']}".strip(),
            "cohort_id": row["cohort"],
            "cohort_name": row["cohort_name"],
            "location_id": row["location_id"],
            "out_at": row["out_at"],
            "due_date": row["due_date"],
            "accessories": PLAIN_ACCESSORIES(row["accessories"]),
            "agreement_signed_on": row["agreement_signed_on"],
            "returned_at": row["returned_at"],
            "outcome": row["outcome"],
            "return_condition": row["return_condition"],
            "return_checklist": CHECKLIST_COLUMN(row["return_checklist"]),
            "wiped": row["wiped"],
            "overdue": row["returned_at"] is None and row["due_date"] < today,
        }
        for row in rows
    ]


def loans_out(rows: list[dict[str, Any]]) -> list[LoanOut]:
    """Rows of ``COLUMNS`` as loans, validated together; their JSON columns decoded once per text."""
    return LOANS.validate_python(loan_fields(rows))


async def loan_page(
    principal: Principal,
    limit: int = 50,
    offset: int = 0,
    overdue: bool | None = None,
    tablet_id: int | None = None,
    participant_id: int | None = None,
    open_only: bool = False,
) -> PlainPage:
    """A page of loans, newest first, as the API answers it; ``list_loans`` gives them as models."""
    require(principal, "loans.read")
    today = clock.today()

    def build():
        where = [w for w in (scope_where(principal, LOAN_LOCATION),) if w is not None]
        if overdue is True:
            where += [Loan.returned_at.is_null(), Loan.due_date < today]
        elif overdue is False:
            where.append((Loan.returned_at.is_not_null()) | (Loan.due_date >= today))
        if open_only:
            where.append(Loan.returned_at.is_null())
        if tablet_id is not None:
            where.append(Loan.tablet == tablet_id)
        if participant_id is not None:
            where.append(Loan.participant == participant_id)
        query = Loan.select(*COLUMNS).order_by(Loan.out_at, ascending=False).order_by(Loan.id, ascending=False)
        return query, Loan.count(), where

    # NOTE: "overdue" depends on the Helsinki date, so the date is part of the key when it is asked.
    key = (
        "loans",
        location_scope(principal),
        overdue,
        overdue is not None and today,
        open_only,
        tablet_id,
        participant_id,
    )
    page = await paged(build, limit, offset, key=key)
    return PlainPage.model_construct(items=loan_fields(page.items), total=page.total, limit=limit, offset=offset)


list_loans = as_models(loan_page, LOANS)


async def get_loan(principal: Principal, loan_id: int) -> LoanOut:
    require(principal, "loans.read")
    row = await Loan.select(*COLUMNS).where(Loan.id == loan_id).first()
    if row is None:
        raise NotFound()
    ensure_location(principal, row["location_id"])
    return loans_out([row])[0]


def _due_date_ahead(due_date: dt.date) -> dt.date:
    """A loan is due today or later, when it is made and when it is changed (a day's grace for time zones)."""
    if due_date < clock.today() - dt.timedelta(days=1):
        raise InvalidInput("due_date", N_("must not be in the past"))
    return due_date


async def create_loan(principal: Principal, data: LoanIn) -> LoanOut:
    """Lend a tablet: 409 when it is not available or the senior already has one for the cohort."""
    require(principal, "loans.manage")
    cohort = await cohort_ref(principal, data.cohort_id, "cohort_id", Cohort.end_date)
    enrolment = (
        await Enrolment.select(Enrolment.status)
        .where(Enrolment.cohort == data.cohort_id, Enrolment.participant == data.participant_id)
        .first()
    )
    if enrolment is None or enrolment["status"] not in ("enrolled", "completed"):
        raise InvalidInput("participant_id", N_("is not enrolled in this cohort"))
    await refuse_erased(data.participant_id)
    due_date = _due_date_ahead(data.due_date or cohort["end_date"] + DUE_AFTER_COURSE)
    try:
        async with write_transaction():
            tablet = await locked(
                Tablet.select(Tablet.id, Tablet.status, Tablet.needs_wipe, Tablet.accessories)
                .output(load_json=True)
                .where(Tablet.id == data.tablet_id)
            ).first()
            if tablet is None:
                raise InvalidInput("tablet_id", N_("no such tablet"))
            refuse_unlendable(tablet["status"], tablet["needs_wipe"])
            if await Loan.exists().where(
                Loan.participant == data.participant_id, Loan.cohort == data.cohort_id, Loan.returned_at.is_null()
            ):
                raise SeniorHasTablet(N_("This senior already has a tablet on loan for this cohort."))
            accessories = (data.accessories.model_dump() if data.accessories else tablet["accessories"]) or {}
            loan = Loan(
                tablet=data.tablet_id,
                participant=data.participant_id,
                cohort=data.cohort_id,
                due_date=due_date,
                accessories=accessories,
                agreement_signed_on=data.agreement_signed_on,
                lent_by=principal.user_id,
            )
            await loan.save()
            await Tablet.update({Tablet.status: "on_loan"}).where(Tablet.id == data.tablet_id)
            await record_event(principal, data.tablet_id, "loaned", loan_id=loan.id, note=f"due {due_date.isoformat()}")
            await audit.record(principal, "create", "loan", loan.id, data.model_dump(exclude_unset=True).keys())
    except Exception as exc:
        if is_unique_violation(exc):  # two requests met at the unique index on open loans: the later one conflicts
            raise TabletOnLoan(N_("The tablet was lent to someone else a moment ago.")) from exc
        raise
    return await get_loan(principal, loan.id)


async def update_loan(principal: Principal, loan_id: int, data: LoanPatch) -> LoanOut:
    """The signing date of the paper agreement (trainers too), or a new due date (coordinator)."""
    require(principal, "loans.sign")
    changes = data.changes(nullable=("agreement_signed_on",))
    if "due_date" in changes:
        require(principal, "loans.manage")
        _due_date_ahead(changes["due_date"])
    await get_loan(principal, loan_id)
    async with write_transaction():
        before = must_exist(await Loan.select().where(Loan.id == loan_id).first())
        if changes:
            await Loan.update({getattr(Loan, k): v for k, v in changes.items()}).where(Loan.id == loan_id)
        fields = audit.changed_fields(before, changes)
        if "agreement_signed_on" in fields and changes["agreement_signed_on"]:
            await record_event(principal, before["tablet"], "agreement_signed", loan_id=loan_id)
        await audit.record(principal, "update", "loan", loan_id, fields)
    return await get_loan(principal, loan_id)


def _outcome(data: ReturnIn) -> tuple[str, str]:
    """(loan outcome, tablet status) for a return."""
    if data.kept:
        return "kept", "retired"
    if data.condition == "missing":
        return "lost", "lost"
    if data.condition == "damaged" or not data.wiped:
        return "maintenance", "maintenance"
    return "returned", "available"


async def return_loan(principal: Principal, loan_id: int, data: ReturnIn) -> LoanOut:
    """End a loan: damaged goes to maintenance, missing to lost, unwiped waits for the wipe."""
    require(principal, "loans.manage")
    await get_loan(principal, loan_id)
    if data.kept and data.condition == "missing":
        raise InvalidInput("kept", N_("a missing tablet cannot be kept; record it as missing"))
    async with write_transaction():
        loan = await locked(Loan.select().output(load_json=True).where(Loan.id == loan_id)).first()
        if loan["returned_at"] is not None:
            raise Conflict(N_("This loan has already ended."))
        if data.kept and not await donation_allows_keeping(loan["tablet"]):
            raise Conflict(N_("The donor of this tablet does not allow seniors to keep it."))
        outcome, status = _outcome(data)
        checklist = {
            name: bool(data.checklist.get(name, False))
            for name in ACCESSORY_NAMES
            if (loan["accessories"] or {}).get(name)
        }
        await Loan.update(
            {
                Loan.returned_at: clock.now(),
                Loan.outcome: outcome,
                Loan.return_condition: data.condition,
                Loan.return_checklist: checklist,
                Loan.wiped: data.wiped,
            }
        ).where(Loan.id == loan_id)
        tablet_changes: dict[Any, Any] = {Tablet.status: status}
        if outcome in ("returned", "maintenance"):
            tablet_changes[Tablet.needs_wipe] = not data.wiped
            tablet_changes[Tablet.condition] = data.condition
        await Tablet.update(tablet_changes).where(Tablet.id == loan["tablet"])
        missing = [name for name, back in checklist.items() if not back]
        note = (
            f"condition {data.condition}"
            + (f"; missing: {', '.join(missing)}" if missing else "")
            + ("; wiped" if data.wiped else "")
        )
        await record_event(
            principal,
            loan["tablet"],
            {"kept": "kept", "lost": "lost"}.get(outcome, "returned"),
            loan_id=loan_id,
            note=note,
        )
        if status == "maintenance":
            await record_event(
                principal,
                loan["tablet"],
                "maintenance",
                loan_id=loan_id,
                note="damaged" if data.condition == "damaged" else "waiting for data wipe",
            )
        await audit.record(principal, "return", "loan", loan_id, ["condition", "wiped", "checklist", "kept"])
    return await get_loan(principal, loan_id)


async def reminders(principal: Principal, ahead_days: int = REMIND_DAYS_AHEAD) -> list[ReminderOut]:
    """Open loans due within a week, and overdue ones, with what the coordinator needs to call."""
    require(principal, "loans.read")
    where = [Loan.returned_at.is_null(), Loan.due_date <= clock.today() + dt.timedelta(days=ahead_days)]
    scope = scope_where(principal, Loan.cohort.location)
    if scope is not None:
        where.append(scope)
    rows = (
        await Loan.select(
            Loan.id,
            Loan.due_date,
            Loan.participant,
            Loan.tablet.asset_tag.as_alias("asset_tag"),
            Loan.participant.first_name.as_alias("first_name"),
            Loan.participant.last_name.as_alias("last_name"),
            Loan.participant.phone.as_alias("phone"),
            Loan.participant.language.as_alias("language"),
            Loan.cohort.name.as_alias("cohort_name"),
            Loan.cohort._.location._.name.as_alias("location_name"),
        )
        .where(*where)
        .order_by(Loan.due_date)
        .order_by(Loan.id)
    )
    now = clock.today()
    return [
        ReminderOut(
            loan_id=r["id"],
            asset_tag=r["asset_tag"],
            participant_id=r["participant"],
            participant_name=f"{r['first_name']} {r['last_name']}".strip(),
            phone=r["phone"],
            language=r["language"],
            cohort_name=r["cohort_name"],
            location_name=r["location_name"],
            due_date=r["due_date"],
            days_overdue=(now - r["due_date"]).days,
        )
        for r in rows
    ]


async def lendable_enrolments(principal: Principal, find: str | None = None) -> list[dict[str, Any]]:
    """Seniors enrolled in planned or running cohorts who have no tablet for that cohort yet.

    With ``find``: only the seniors the enrol picker would find by it (name or pseudonym, whatever
    the accents), in its order.
    """
    require(principal, "loans.manage")
    query_words = search.words(find)
    found: list[int] = []
    if query_words:
        enrolled = Enrolment.select(Enrolment.participant).where(Enrolment.status == "enrolled")
        found = await found_ids(query_words, Participant.erased_at.is_null(), Participant.id.is_in(enrolled))
    rows = (
        await Enrolment.select(
            Enrolment.cohort,
            Enrolment.participant,
            Enrolment.cohort.name.as_alias("cohort_name"),
            Enrolment.cohort._.location._.name.as_alias("location_name"),
            Enrolment.participant.first_name.as_alias("first_name"),
            Enrolment.participant.last_name.as_alias("last_name"),
        )
        .where(
            Enrolment.status == "enrolled",
            Enrolment.cohort.status.is_in(["planned", "running"]),
            Enrolment.participant.erased_at.is_null(),
            # NOTE: only coordinators lend today, and they see every location; the rule stays with the query.
            *[w for w in (scope_where(principal, Enrolment.cohort.location),) if w is not None],
        )
        .order_by(Enrolment.cohort.start_date)
        .order_by(Enrolment.participant.last_name)
    )
    open_pairs = {
        (r["cohort"], r["participant"])
        for r in await Loan.select(Loan.cohort, Loan.participant).where(Loan.returned_at.is_null())
    }
    lendable = [r for r in rows if (r["cohort"], r["participant"]) not in open_pairs]
    if not query_words:
        return lendable
    order = {participant: place for place, participant in enumerate(found)}
    return sorted((r for r in lendable if r["participant"] in order), key=lambda r: order[r["participant"]])


async def donation_allows_keeping(tablet_id: int) -> bool:
    row = await Tablet.select(Tablet.donation).where(Tablet.id == tablet_id).first()
    if not row or row["donation"] is None:
        return False
    return bool(await Donation.exists().where(Donation.id == row["donation"], Donation.seniors_may_keep.eq(True)))
