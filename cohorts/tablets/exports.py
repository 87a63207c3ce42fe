"""CSV exports: the inventory, and any table of cells, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from typing import Any, Iterable

from digiystava.access import Principal, require

from cohorts.tables import Loan, Tablet
from cohorts.tablets.schemas import ACCESSORY_NAMES

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
COLUMNS = ("asset_tag", "serial_number", "donor", "donor_name", "model", "os", "status", "condition", "needs_wipe",
           *ACCESSORY_NAMES, "sim_number", "data_plan", "due_date", "notes")


def safe_cell(value: Any) -> str:
    """A cell a spreadsheet shows as text: one starting like a formula gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_bytes(rows: Iterable[Iterable[Any]]) -> bytes:
    """UTF-8 with a byte-order mark, so Excel shows ä and ö right; every cell neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


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
