"""Reading and changing the tablet inventory and donations."""

from __future__ import annotations

from typing import Any

from piccolo.querystring import QueryString
from pydantic import TypeAdapter

from cohorts.tables import Donation, Loan, Tablet, TabletEvent
from cohorts.tablets.history import asset_tag, locked, next_asset_numbers, record_event
from cohorts.tablets.schemas import (
    PLAIN_ACCESSORIES,
    DonationIn,
    DonationOut,
    TabletEventOut,
    TabletIn,
    TabletOut,
    TabletPatch,
    WipeIn,
    given_tag_problem,
    normalise_given_tag,
)
from digiystava import audit
from digiystava.access import Principal, location_scope, require
from digiystava.db import write_transaction
from digiystava.errors import Conflict, InvalidInput, NotFound
from digiystava.i18n import N_
from digiystava.paging import paged
from digiystava.schemas import Page, PlainPage, as_models


async def visible_tablet_ids(principal: Principal) -> list[int] | None:
    """None: every tablet. A trainer sees only tablets out on loan in their locations' cohorts."""
    scope = location_scope(principal)
    if scope is None:
        return None
    rows = await Loan.select(Loan.tablet).where(
        Loan.returned_at.is_null(), Loan.cohort.location.is_in(sorted(scope) or [0])
    )
    return [r["tablet"] for r in rows]


# The open loan of each tablet, read from the partial index on open loans within the
# page's own query (a separate query would repeat the page's 50 ids).
OPEN_LOAN = QueryString(
    '(SELECT l.id FROM loan l WHERE l.tablet = "tablet"."id" AND l.returned_at IS NULL)', alias="open_loan_id"
)


TABLETS = TypeAdapter(list[TabletOut])


def tablet_fields(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of the tablet with its open loan as ``TabletOut``'s fields, plain: its JSON's values (``PlainPage``)."""
    return [
        {
            "id": row["id"],
            "asset_tag": row["asset_tag"],
            "serial_number": row["serial_number"],
            "donation_id": row["donation"],
            "donor": row["donor"],
            "donor_name": row["donor_name"],
            "model": row["model"],
            "os": row["os"],
            "accessories": PLAIN_ACCESSORIES(row["accessories"]),
            "condition": row["condition"],
            "status": row["status"],
            "needs_wipe": row["needs_wipe"],
            "notes": row["notes"],
            "created_at": row["created_at"],
            "open_loan_id": row["open_loan_id"],
        }
        for row in rows
    ]


def tablets_out(rows: list[dict[str, Any]]) -> list[TabletOut]:
    """Rows of the tablet with its open loan as tablets, validated together; accessories decoded once per text."""
    return TABLETS.validate_python(tablet_fields(rows))


async def tablet_page(
    principal: Principal,
    limit: int = 50,
    offset: int = 0,
    status: str | None = None,
    donor: str | None = None,
    asset_tag: str | None = None,
) -> PlainPage:
    """A page of tablets by asset tag, as the API answers it; ``list_tablets`` gives them as models."""
    require(principal, "tablets.read")
    visible = await visible_tablet_ids(principal)
    candidates = tag_candidates(asset_tag) if asset_tag else None

    def build():
        where = []
        if visible is not None:
            where.append(Tablet.id.is_in(visible or [0]))
        if status:
            where.append(Tablet.status == status)
        if donor:
            where.append(Tablet.donor == donor)
        if candidates is not None:
            where.append(Tablet.asset_tag.is_in(candidates))
        query = Tablet.select(*Tablet.all_columns(), OPEN_LOAN).order_by(Tablet.asset_tag)
        return query, Tablet.count(), where

    visible_key = None if visible is None else tuple(visible)
    key = ("tablets", visible_key, status, donor, candidates and tuple(candidates))
    page = await paged(build, limit, offset, key=key)
    return PlainPage.model_construct(items=tablet_fields(page.items), total=page.total, limit=limit, offset=offset)


list_tablets = as_models(tablet_page, TABLETS)


def normalise_tag(text: str) -> str:
    """What a scanner or a person typed: ' dy-123 ' and 'DY-000123' find the same tablet."""
    text = text.strip().upper()
    digits = text[2:].lstrip("-") if text.startswith("DY") else text
    return asset_tag(int(digits)) if digits.isdecimal() and len(digits) <= 6 else text


def tag_candidates(text: str) -> list[str]:
    """The tags a typed or scanned text may mean: as given (a tag the tablet came with) and as a DY- number."""
    return sorted({text.strip().upper(), normalise_tag(text)})


async def find_tablet_id(principal: Principal, text: str) -> int:
    """Resolve a scanned asset tag (or a scanned label URL) to a tablet id."""
    require(principal, "tablets.read")
    text = text.strip()
    # NOTE: a scanned label's QR code holds the tablet page's URL, ending in the id.
    if "/tablets/" in text:
        tail = text.rstrip("/").rsplit("/", 1)[-1]
        if tail.isdecimal():
            return (await get_tablet(principal, int(tail))).id
    row = (
        await Tablet.select(Tablet.id)
        .where(Tablet.asset_tag.is_in(tag_candidates(text)))
        .order_by(Tablet.asset_tag)
        .first()
    )
    if row is None:
        raise NotFound(N_("No tablet with asset tag {tag}.", tag=text[:40]))
    visible = await visible_tablet_ids(principal)
    if visible is not None and row["id"] not in visible:
        raise NotFound(N_("No tablet with asset tag {tag}.", tag=text[:40]))
    return row["id"]


async def get_tablet(principal: Principal, tablet_id: int) -> TabletOut:
    require(principal, "tablets.read")
    visible = await visible_tablet_ids(principal)
    if visible is not None and tablet_id not in visible:
        raise NotFound()
    row = await Tablet.select(*Tablet.all_columns(), OPEN_LOAN).where(Tablet.id == tablet_id).first()
    if row is None:
        raise NotFound()
    return tablets_out([row])[0]


async def history(principal: Principal, tablet_id: int) -> list[TabletEventOut]:
    await get_tablet(principal, tablet_id)
    rows = (
        await TabletEvent.select()
        .where(TabletEvent.tablet == tablet_id)
        .order_by(TabletEvent.at, ascending=False)
        .order_by(TabletEvent.id, ascending=False)
    )
    return [TabletEventOut(**{**r, "loan_id": r["loan"]}) for r in rows]


async def _check_donation(donation_id: int | None, donor: str) -> str:
    """The donation must exist and be from the same donor; returns its donor name."""
    if donation_id is None:
        return ""
    donation = await Donation.select().where(Donation.id == donation_id).first()
    if donation is None:
        raise InvalidInput("donation_id", N_("no such donation"))
    if donation["donor"] != donor:
        raise InvalidInput("donor", N_("differs from the donation's donor"))
    return donation["donor_name"]


async def create_tablet(principal: Principal, data: TabletIn) -> TabletOut:
    require(principal, "tablets.manage")
    serial = data.serial_number.strip().upper()
    async with write_transaction():
        donor_name = await _check_donation(data.donation_id, data.donor) or data.donor_name
        if await Tablet.exists().where(Tablet.serial_number == serial):
            raise Conflict(N_("serial_number: a tablet with this serial number already exists."))
        if data.asset_tag:
            tag = normalise_given_tag(data.asset_tag)
            problem = given_tag_problem(tag)
            if problem:
                raise InvalidInput("asset_tag", problem)
            if await Tablet.exists().where(Tablet.asset_tag == tag):
                raise Conflict(N_("asset_tag: another tablet already has this asset tag."))
        else:
            (number,) = await next_asset_numbers(1)
            tag = asset_tag(number)
        tablet = Tablet(
            asset_tag=tag,
            serial_number=serial,
            donation=data.donation_id,
            donor=data.donor,
            donor_name=donor_name,
            model=data.model,
            os=data.os,
            accessories=data.accessories.model_dump(),
            condition=data.condition,
            notes=data.notes,
        )
        await tablet.save()
        await record_event(principal, tablet.id, "received")
        await audit.record(principal, "create", "tablet", tablet.id, data.model_dump(exclude_unset=True).keys())
    return await get_tablet(principal, tablet.id)


async def update_tablet(principal: Principal, tablet_id: int, data: TabletPatch) -> TabletOut:
    require(principal, "tablets.manage")
    changes = data.changes()
    if "serial_number" in changes:
        changes["serial_number"] = changes["serial_number"].strip().upper()
    async with write_transaction():
        before = await locked(Tablet.select().output(load_json=True).where(Tablet.id == tablet_id)).first()
        if before is None:
            raise NotFound()
        new_status = changes.get("status")
        if new_status and new_status != before["status"]:
            if before["status"] == "on_loan":
                raise Conflict(N_("status: the tablet is on loan; record its return instead."))
            if new_status == "available" and before["needs_wipe"]:
                raise Conflict(N_("status: confirm the data wipe before the tablet is available again."))
            await record_event(principal, tablet_id, new_status if new_status != "available" else "repaired")
        if "serial_number" in changes and changes["serial_number"] != before["serial_number"]:
            if await Tablet.exists().where(Tablet.serial_number == changes["serial_number"]):
                raise Conflict(N_("serial_number: a tablet with this serial number already exists."))
        fields = audit.changed_fields(before, changes)
        if fields:
            await Tablet.update({getattr(Tablet, k): v for k, v in changes.items()}).where(Tablet.id == tablet_id)
            if set(fields) - {"status"}:
                await record_event(principal, tablet_id, "updated", note=", ".join(f for f in fields if f != "status"))
        await audit.record(principal, "update", "tablet", tablet_id, fields)
    return await get_tablet(principal, tablet_id)


async def confirm_wipe(principal: Principal, tablet_id: int, data: WipeIn) -> TabletOut:
    """Accounts removed, factory reset, SIM handled: then a returned tablet is available again."""
    require(principal, "tablets.manage")
    for name in ("accounts_removed", "factory_reset", "sim_handled"):
        if not getattr(data, name):
            raise InvalidInput(name, N_("confirm this step of the data wipe"))
    async with write_transaction():
        tablet = await locked(Tablet.select().where(Tablet.id == tablet_id)).first()
        if tablet is None:
            raise NotFound()
        if tablet["status"] == "on_loan":
            raise Conflict(N_("The tablet is on loan; record its return first."))
        update: dict[Any, Any] = {Tablet.needs_wipe: False}
        if tablet["status"] == "maintenance" and tablet["condition"] != "damaged":
            update[Tablet.status] = "available"
        await Tablet.update(update).where(Tablet.id == tablet_id)
        await record_event(principal, tablet_id, "wiped")
        await audit.record(principal, "wipe", "tablet", tablet_id, ["needs_wipe"])
    return await get_tablet(principal, tablet_id)


# --- Donations --------------------------------------------------------------------------


def donation_out(row: dict[str, Any], tablets: int) -> DonationOut:
    return DonationOut(
        **{k: v for k, v in row.items() if k != "tablet_count"}, count=row["tablet_count"], tablets=tablets
    )


async def list_donations(
    principal: Principal, limit: int = 50, offset: int = 0, donor: str | None = None
) -> Page[DonationOut]:
    require(principal, "tablets.manage")
    query = Donation.select().order_by(Donation.received_on, ascending=False).order_by(Donation.id, ascending=False)
    page = await paged(lambda: (query, Donation.count(), [Donation.donor == donor] if donor else []), limit, offset)
    counts: dict[int, int] = {}
    if page.items:
        for r in await Tablet.select(Tablet.donation).where(Tablet.donation.is_in([d["id"] for d in page.items])):
            counts[r["donation"]] = counts.get(r["donation"], 0) + 1
    page.items = [donation_out(r, counts.get(r["id"], 0)) for r in page.items]
    return page


async def get_donation(principal: Principal, donation_id: int) -> DonationOut:
    require(principal, "tablets.manage")
    row = await Donation.select().where(Donation.id == donation_id).first()
    if row is None:
        raise NotFound()
    return donation_out(row, await Tablet.count().where(Tablet.donation == donation_id))


async def create_donation(principal: Principal, data: DonationIn) -> DonationOut:
    require(principal, "tablets.manage")
    values = data.model_dump()
    values["tablet_count"] = values.pop("count")
    if data.donor == "other" and not data.donor_name:
        raise InvalidInput("donor_name", N_("name the donor"))
    if data.donor != "other":
        values["donor_name"] = ""
    async with write_transaction():
        donation = Donation(**values)
        await donation.save()
        await audit.record(principal, "create", "donation", donation.id, values.keys())
    return await get_donation(principal, donation.id)
