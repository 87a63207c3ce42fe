"""CSV export of the tablet inventory, safe to open in a spreadsheet."""

from __future__ import annotations

from typing import Any

from digiystava.access import Principal, require
from digiystava.spreadsheets import csv_bytes

from cohorts.tables import Loan, Tablet
from cohorts.tablets.schemas import ACCESSORY_NAMES

COLUMNS = ("asset_tag", "serial_number", "donor", "donor_name", "model", "os", "status", "condition", "needs_wipe",
           *ACCESSORY_NAMES, "sim_number", "data_plan", "due_date", "notes")


async def inventory_csv(principal: Principal, status: str | None = None, donor: str | None = None) -> bytes:
    require(principal, "tablets.manage")
    query = Tablet.select().output(load_json=True).order_by(Tablet.asset_tag)
    where = []
    if status:
        where.append(Tablet.status == status)
    if donor:
        where.append(Tablet.donor == donor)
    if where:
        query = query.where(*where)
    tablets = await query
    due = {r["tablet"]: r["due_date"] for r in await Loan.select(Loan.tablet, Loan.due_date).where(Loan.returned_at.is_null())}
    rows: list[list[Any]] = [list(COLUMNS)]
    for t in tablets:
        accessories = t["accessories"] or {}
        rows.append([
            t["asset_tag"], t["serial_number"], t["donor"], t["donor_name"], t["model"], t["os"], t["status"], t["condition"], t["needs_wipe"],
            *[bool(accessories.get(name)) for name in ACCESSORY_NAMES], accessories.get("sim_number", ""), accessories.get("data_plan", ""),
            due.get(t["id"], ""), t["notes"],
        ])
    return csv_bytes(rows)
