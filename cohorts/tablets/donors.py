"""What happened to a donor's tablets: received, on loan, returned, kept, lost, seniors served."""

from __future__ import annotations

from typing import Any

import anyio

from cohorts.tables import Donation, Loan, Tablet
from cohorts.tablets.schemas import DonorReport
from digiystava import clock
from digiystava.access import Principal, require
from digiystava.i18n import _, current_language
from digiystava.spreadsheets import Separator, SpreadsheetFormat, spreadsheet


async def donor_report(principal: Principal, donor: str) -> DonorReport:
    require(principal, "tablets.manage")
    statuses = {s: 0 for s in ("available", "on_loan", "maintenance", "retired", "lost")}
    for row in await Tablet.select(Tablet.status).where(Tablet.donor == donor):
        statuses[row["status"]] = statuses.get(row["status"], 0) + 1
    loans = await Loan.select(Loan.participant, Loan.outcome).where(Loan.tablet.donor == donor)
    return DonorReport(
        donor=donor,
        donations=await Donation.count().where(Donation.donor == donor),
        received=sum(statuses.values()),
        available=statuses["available"],
        on_loan=statuses["on_loan"],
        maintenance=statuses["maintenance"],
        returned=sum(1 for r in loans if r["outcome"] in ("returned", "maintenance")),
        kept=sum(1 for r in loans if r["outcome"] == "kept"),
        lost=statuses["lost"],
        retired=statuses["retired"],
        seniors_served=len({r["participant"] for r in loans}),
    )


def metric_labels() -> list[tuple[str, str]]:
    return [
        ("donations", _("Donations")),
        ("received", _("Tablets received")),
        ("available", _("Available")),
        ("on_loan", _("On loan now")),
        ("maintenance", _("In maintenance")),
        ("returned", _("Loans returned")),
        ("kept", _("Kept by seniors")),
        ("lost", _("Lost")),
        ("retired", _("Retired")),
        ("seniors_served", _("Seniors served")),
    ]


async def _donations(donor: str) -> list[dict[str, Any]]:
    return await Donation.select().where(Donation.donor == donor).order_by(Donation.received_on)


async def donor_report_sheet(
    principal: Principal, donor: str, fmt: SpreadsheetFormat = "csv", separator: Separator = "semicolon"
) -> tuple[bytes, str]:
    """The figures, then the donations, as a spreadsheet (CSV or .xlsx); returns the file and its media type."""
    report = await donor_report(principal, donor)
    rows: list[list[Any]] = [["metric", "value"]]
    rows += [[key, getattr(report, key)] for key, _label in metric_labels()]
    rows += [[], ["received_on", "count", "reference", "donor_name"]]
    rows += [[d["received_on"], d["tablet_count"], d["reference"], d["donor_name"]] for d in await _donations(donor)]
    return spreadsheet(rows, fmt, separator, sheet=donor)


async def donor_report_pdf(principal: Principal, donor: str) -> bytes:
    """The report in the page's language (laid out in pdf_templates/donor_report.py)."""
    from pdf_templates.donor_report import Donation, DonorTablets, donor_tablets  # NOTE: reportlab on first use

    report = await donor_report(principal, donor)
    pages = DonorTablets(
        language=current_language(),
        donor=donor,
        made_on=clock.today(),
        figures=tuple((label, getattr(report, key)) for key, label in metric_labels()),
        donations=tuple(Donation(d["received_on"], d["tablet_count"], d["reference"]) for d in await _donations(donor)),
    )
    return await anyio.to_thread.run_sync(donor_tablets, pages)
