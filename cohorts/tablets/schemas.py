"""Tablet, donation and loan models."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal, get_args

from pydantic import AfterValidator, Field, SkipValidation, TypeAdapter

from digiystava import clock
from digiystava.i18n import N_
from digiystava.schemas import Date, Id, In, JsonColumn, LongText, Name, OptionalName, Out, ShortText


def _signed_not_in_future(value: dt.date | None) -> dt.date | None:
    """A signing date is recorded once the paper is signed, never ahead of it."""
    if value is not None and value > clock.today():
        raise ValueError("must not be in the future: record the date once the agreement is signed")
    return value


SignedOn = Annotated[Date | None, AfterValidator(_signed_not_in_future)]

Donor = Literal["DNA", "Vanhusten turva", "other"]
TabletStatus = Literal["available", "on_loan", "maintenance", "retired", "lost"]
OperatingSystem = Literal["android", "ipados"]
Condition = Literal["new", "good", "worn", "damaged"]
ReturnCondition = Literal["good", "worn", "damaged", "missing"]
Serial = Annotated[str, Field(min_length=3, max_length=100, pattern=r"^[A-Za-z0-9][A-Za-z0-9 ._/-]*$")]
Phone = Annotated[str, Field(max_length=40, pattern=r"^[0-9 +()-]*$")]
# A tag the tablet already carries (a city's or another system's); stored in capitals.
AssetTag = Annotated[str, Field(min_length=1, max_length=20, pattern=r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")]

AccessoryName = Literal["charger", "cable", "case", "stylus", "headphones", "sim_card"]
ACCESSORY_NAMES: tuple[AccessoryName, ...] = get_args(AccessoryName)


class Accessories(In):
    """What belongs to a tablet (or went out with a loan); a SIM card has a number and a data plan."""

    charger: bool = False
    cable: bool = False
    case: bool = False
    stylus: bool = False
    headphones: bool = False
    sim_card: bool = False
    sim_number: Phone = ""
    data_plan: ShortText = ""


# A tablet's or a loan's accessories as the JSON column holds them (``JsonColumn``).
ACCESSORIES = TypeAdapter(Accessories)
# Plain values (digiystava.schemas.PlainPage): the API answers them as they are, the models take them in.
PLAIN_ACCESSORIES = JsonColumn(ACCESSORIES)


class DonationIn(In):
    donor: Donor
    donor_name: OptionalName = ""
    received_on: Date
    count: Annotated[int, Field(ge=0, le=100_000)]  # stored as tablet_count
    reference: OptionalName = ""
    seniors_may_keep: bool = False
    notes: LongText = ""


class DonationOut(Out):
    id: int
    donor: Donor
    donor_name: str
    received_on: dt.date
    count: int
    reference: str
    seniors_may_keep: bool
    notes: str
    tablets: int = 0


def normalise_given_tag(text: str) -> str:
    return text.strip().upper()


def given_tag_problem(tag: str) -> str | None:
    """Why a given asset tag cannot be used, or None. DY- tags are the tracker's own: only DY-000123 form."""
    if not re.fullmatch(r"[A-Z0-9][A-Z0-9._/-]{0,19}", tag):
        return N_("use at most 20 letters A-Z, digits and . _ / -")
    if tag.startswith("DY-") and not re.fullmatch(r"DY-[0-9]{6}", tag):
        return N_("DY- tags are the tracker's own; write them as DY-000123")
    return None


class TabletIn(In):
    # Given when the tablet already carries a tag (unique); the next DY- number otherwise.
    asset_tag: AssetTag | None = None
    serial_number: Serial
    model: Name
    os: OperatingSystem
    donor: Donor
    donor_name: OptionalName = ""
    donation_id: Id | None = None
    accessories: Accessories = Accessories()
    condition: Condition = "good"
    notes: LongText = ""


class TabletPatch(In):
    serial_number: Serial = None
    model: Name = None
    os: OperatingSystem = None
    accessories: Accessories = None
    condition: Condition = None
    # on_loan comes only from lending; a loan's return decides the rest.
    status: Literal["available", "maintenance", "retired", "lost"] = None
    notes: LongText = None


class TabletOut(Out):
    id: int
    asset_tag: str
    serial_number: str
    donation_id: int | None
    donor: Donor
    donor_name: str
    model: str
    os: OperatingSystem
    accessories: Accessories
    condition: str
    status: TabletStatus
    needs_wipe: bool
    notes: str
    created_at: dt.datetime
    open_loan_id: int | None = None


class WipeIn(In):
    """The three steps of a data wipe, each confirmed."""

    accounts_removed: bool
    factory_reset: bool
    sim_handled: bool


class TabletEventOut(Out):
    id: int
    at: dt.datetime
    kind: str
    loan_id: int | None
    username: str
    note: str


class ImportResult(Out):
    created: int
    updated: int = 0
    unchanged: int = 0
    first_asset_tag: str | None
    last_asset_tag: str | None
    # What the import read but left alone, and what it told from the file, in plain words
    # (kept as the service's messages, so a page can show them in its own language).
    notes: Annotated[list[str], SkipValidation] = []


class LoanIn(In):
    tablet_id: Id
    participant_id: Id
    cohort_id: Id
    due_date: Date | None = None
    accessories: Accessories | None = None
    agreement_signed_on: SignedOn = None


class LoanPatch(In):
    due_date: Date = None
    agreement_signed_on: SignedOn = None


class ReturnIn(In):
    condition: ReturnCondition
    wiped: bool = False
    checklist: dict[AccessoryName, bool] = {}
    # The senior keeps the tablet for good (only where the donor allows it).
    kept: bool = False


class LoanOut(Out):
    id: int
    tablet_id: int
    asset_tag: str
    participant_id: int
    participant_name: str
    cohort_id: int
    cohort_name: str
    location_id: int
    out_at: dt.datetime
    due_date: dt.date
    accessories: Accessories
    agreement_signed_on: dt.date | None
    returned_at: dt.datetime | None
    outcome: str
    return_condition: str
    return_checklist: dict[str, bool]
    wiped: bool
    overdue: bool


class ReminderOut(Out):
    loan_id: int
    asset_tag: str
    participant_id: int
    participant_name: str
    phone: str
    language: str
    cohort_name: str
    location_name: str
    due_date: dt.date
    days_overdue: int


class DonorReport(Out):
    donor: Donor
    donations: int
    received: int
    available: int
    on_loan: int
    maintenance: int
    returned: int
    kept: int
    lost: int
    retired: int
    seniors_served: int
