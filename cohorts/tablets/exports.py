"""The tablet inventory as a spreadsheet (CSV or .xlsx) that imports back unchanged, and the import's template."""

from __future__ import annotations

from typing import Any

from cohorts.tables import Loan, Tablet
from cohorts.tablets.imports import EXPORT_COLUMNS, TEMPLATE_COLUMNS
from cohorts.tablets.schemas import ACCESSORY_NAMES
from digiystava.access import Principal, require
from digiystava.spreadsheets import Separator, SpreadsheetFormat, spreadsheet

COLUMNS = EXPORT_COLUMNS


async def inventory(
    principal: Principal,
    fmt: SpreadsheetFormat = "csv",
    status: str | None = None,
    donor: str | None = None,
    separator: Separator = "semicolon",
) -> tuple[bytes, str]:
    """Every tablet (or those of a status or donor) with the import's column names; returns the file and its media
    type.
    """
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
    due = {
        r["tablet"]: r["due_date"]
        for r in await Loan.select(Loan.tablet, Loan.due_date).where(Loan.returned_at.is_null())
    }
    rows: list[list[Any]] = [list(COLUMNS)]
    for t in tablets:
        accessories = t["accessories"] or {}
        values: dict[str, Any] = {
            **t,
            **{name: bool(accessories.get(name)) for name in ACCESSORY_NAMES},
            "sim_number": accessories.get("sim_number", ""),
            "data_plan": accessories.get("data_plan", ""),
            "due_date": due.get(t["id"]),
        }
        rows.append([values[name] for name in COLUMNS])
    return spreadsheet(rows, fmt, separator, sheet="Tablets")


def import_template(
    principal: Principal, fmt: SpreadsheetFormat = "csv", separator: Separator = "semicolon"
) -> tuple[bytes, str]:
    """The header row of a delivery file: the columns the import reads, the required ones among them."""
    require(principal, "tablets.manage")
    return spreadsheet([list(TEMPLATE_COLUMNS)], fmt, separator, sheet="Tablets")
