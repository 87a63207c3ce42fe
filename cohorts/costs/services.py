"""Recording the programme's costs: the coordinator's, audited; every line in whole cents."""

from __future__ import annotations

import datetime as dt
from typing import Any

from cohorts.costs.rates import COUNTED, DEFAULT_UNIT_CENTS, IN_KIND
from cohorts.costs.schemas import CostIn, CostOut, CostPatch
from cohorts.tables import Cost
from digiystava import audit
from digiystava.access import Principal, location_ref, require
from digiystava.db import write_transaction
from digiystava.errors import InvalidInput, NotFound
from digiystava.i18n import N_
from digiystava.schemas import Page

COLUMNS = (
    Cost.id,
    Cost.term,
    Cost.starts_on,
    Cost.ends_on,
    Cost.location.as_alias("location_id"),
    Cost.location.name.as_alias("location_name"),
    Cost.funder,
    Cost.category,
    Cost.quantity,
    Cost.unit_cents,
    Cost.note,
)
FIELDS = ("term", "starts_on", "ends_on", "location_id", "funder", "category", "quantity", "unit_cents", "note")


def line_total(category: str, quantity: float | None, unit_cents: int) -> int | None:
    """Whole cents of one line; None for volunteer hours to be counted from the hours recorded."""
    if quantity is None:
        return None if category == "volunteer_hours" else unit_cents
    return round(quantity * unit_cents)


def to_out(row: dict[str, Any]) -> CostOut:
    return CostOut(
        **row,
        in_kind=row["category"] in IN_KIND,
        total_cents=line_total(row["category"], row["quantity"], row["unit_cents"]),
    )


def _complete(values: dict[str, Any]) -> dict[str, Any]:
    """Fill the defaults of a line and refuse one that cannot be priced (422 naming the field)."""
    category = values["category"]
    if values.get("unit_cents") is None:
        if category not in DEFAULT_UNIT_CENTS:
            raise InvalidInput("unit_cents", N_("Give the amount in cents."))
        values["unit_cents"] = DEFAULT_UNIT_CENTS[category]
    if values.get("quantity") is None and category in COUNTED - {"volunteer_hours"}:
        raise InvalidInput("quantity", N_("Give the number of hours or tablets."))
    if values["ends_on"] < values["starts_on"]:
        raise InvalidInput("ends_on", N_("must not be before starts_on"))
    return values


async def list_costs(
    principal: Principal,
    limit: int = 50,
    offset: int = 0,
    location_id: int | None = None,
    funder: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> Page[CostOut]:
    require(principal, "costs.manage")
    where = []
    if location_id is not None:
        where.append(Cost.location == location_id)
    if funder:
        where.append(Cost.funder == funder)
    if date_from:
        where.append(Cost.starts_on >= date_from)
    if date_to:
        where.append(Cost.starts_on <= date_to)
    query = Cost.select(*COLUMNS).order_by(Cost.starts_on, ascending=False).order_by(Cost.id)
    count = Cost.count()
    if where:
        query, count = query.where(*where), count.where(*where)
    rows = await query.limit(limit).offset(offset)
    return Page[CostOut](items=[to_out(r) for r in rows], total=await count, limit=limit, offset=offset)


async def get_cost(principal: Principal, cost_id: int) -> CostOut:
    require(principal, "costs.manage")
    row = await Cost.select(*COLUMNS).where(Cost.id == cost_id).first()
    if row is None:
        raise NotFound()
    return to_out(row)


async def create_cost(principal: Principal, data: CostIn) -> CostOut:
    require(principal, "costs.manage")
    values = _complete(data.model_dump())
    async with write_transaction():
        if values["location_id"] is not None:
            await location_ref(principal, values["location_id"], "location_id")
        values["location"] = values.pop("location_id")
        row = Cost(**values)
        await row.save()
        await audit.record(principal, "create", "cost", row.id, FIELDS)
    return await get_cost(principal, row.id)


async def update_cost(principal: Principal, cost_id: int, data: CostPatch) -> CostOut:
    require(principal, "costs.manage")
    changes = data.changes(nullable=("location_id", "quantity"))
    async with write_transaction():
        before = await Cost.select(*COLUMNS).where(Cost.id == cost_id).first()
        if before is None:
            raise NotFound()
        merged = _complete({**{k: before[k] for k in FIELDS}, **changes})
        if changes.get("location_id") is not None:
            await location_ref(principal, changes["location_id"], "location_id")
        updates = {("location" if k == "location_id" else k): merged[k] for k in FIELDS if k in changes}
        updates["unit_cents"] = merged["unit_cents"]
        await Cost.update({getattr(Cost, k): v for k, v in updates.items()}).where(Cost.id == cost_id)
        await audit.record(principal, "update", "cost", cost_id, audit.changed_fields(before, changes))
    return await get_cost(principal, cost_id)


async def delete_cost(principal: Principal, cost_id: int) -> None:
    require(principal, "costs.manage")
    async with write_transaction():
        if not await Cost.exists().where(Cost.id == cost_id):
            raise NotFound()
        await Cost.delete().where(Cost.id == cost_id)
        await audit.record(principal, "delete", "cost", cost_id)
