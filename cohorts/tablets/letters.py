"""What a loan's letters print (the agreement, the return reminder), fetched within the caller's scope.

The layout and the words are in pdf_templates/loan_letters.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import anyio

from cohorts.tables import Loan
from cohorts.tablets.loans import donation_allows_keeping
from cohorts.tablets.schemas import ACCESSORY_NAMES
from digiystava import clock
from digiystava.access import Principal, ensure_location, require
from digiystava.errors import NotFound

if TYPE_CHECKING:
    from pdf_templates.loan_letters import LoanLetter

DONOR_NAMES = {"DNA": "DNA", "Vanhusten turva": "Vanhusten turva ry"}


async def _loan_facts(principal: Principal, loan_id: int) -> dict[str, Any]:
    require(principal, "loans.read")
    row = (
        await Loan.select(
            *Loan.all_columns(),
            Loan.tablet.asset_tag.as_alias("asset_tag"),
            Loan.tablet.model.as_alias("model"),
            Loan.tablet.serial_number.as_alias("serial"),
            Loan.tablet.os.as_alias("os"),
            Loan.tablet.donor.as_alias("donor"),
            Loan.tablet.donor_name.as_alias("donor_name"),
            Loan.participant.first_name.as_alias("first_name"),
            Loan.participant.last_name.as_alias("last_name"),
            Loan.participant.phone.as_alias("phone"),
            Loan.participant.language.as_alias("language"),
            Loan.cohort.name.as_alias("cohort_name"),
            Loan.cohort.location.as_alias("location_id"),
            Loan.cohort._.location._.name.as_alias("location_name"),
            Loan.cohort._.location._.address.as_alias("location_address"),
        )
        .output(load_json=True)
        .where(Loan.id == loan_id)
        .first()
    )
    if row is None:
        raise NotFound()
    ensure_location(principal, row["location_id"])
    row["may_keep"] = await donation_allows_keeping(row["tablet"])
    return row


def _letter(row: dict[str, Any]) -> LoanLetter:
    from pdf_templates.loan_letters import LoanLetter

    accessories = row["accessories"] or {}
    with_sim = bool(accessories.get("sim_card") and (accessories.get("sim_number") or accessories.get("data_plan")))
    return LoanLetter(
        language=row["language"],
        first_name=row["first_name"],
        last_name=row["last_name"],
        phone=row["phone"],
        course=row["cohort_name"],
        place=", ".join(p for p in (row["location_name"], row["location_address"]) if p),
        asset_tag=row["asset_tag"],
        model=row["model"],
        serial=row["serial"],
        os=row["os"],
        donor=row["donor_name"] if row["donor"] == "other" else DONOR_NAMES.get(row["donor"], row["donor"]),
        accessories=tuple(name for name in ACCESSORY_NAMES if accessories.get(name)),
        sim_number=(accessories.get("sim_number") or None) if with_sim else None,
        data_plan=(accessories.get("data_plan") or None) if with_sim else None,
        out_at=row["out_at"],
        due_date=row["due_date"],
        signed_on=row["agreement_signed_on"],
        may_keep=row["may_keep"],
        overdue=row["due_date"] < clock.today(),
    )


async def agreement_pdf(principal: Principal, loan_id: int) -> bytes:
    from pdf_templates.loan_letters import agreement  # NOTE: reportlab loads on the first letter

    letter = _letter(await _loan_facts(principal, loan_id))
    return await anyio.to_thread.run_sync(agreement, letter)


async def reminder_pdf(principal: Principal, loan_id: int) -> bytes:
    from pdf_templates.loan_letters import reminder

    letter = _letter(await _loan_facts(principal, loan_id))
    return await anyio.to_thread.run_sync(reminder, letter)
