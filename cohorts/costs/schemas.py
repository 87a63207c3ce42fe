"""Models of the programme's costs: one line of a term's costs, in whole cents."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from digiystava.schemas import CleanStr, Date, Id, In, Out, ShortText

Funder = Literal["STEA", "city", "other"]
CostCategory = Literal[
    "coordinator_hours",
    "trainer_hours",
    "rooms",
    "software",
    "data_plans",
    "donated_tablets",
    "volunteer_hours",
    "other",
]
Term = Annotated[CleanStr, StringConstraints(min_length=1, max_length=100)]
# NOTE: a million euros is far above any term's line; the bound keeps sums inside PostgreSQL's integer.
Cents = Annotated[int, Field(ge=0, le=100_000_000)]
Quantity = Annotated[float, Field(ge=0, le=100_000)]


class CostFields(In):
    @model_validator(mode="after")
    def _ends_after_start(self) -> CostFields:
        starts, ends = getattr(self, "starts_on", None), getattr(self, "ends_on", None)
        if starts and ends and ends < starts:
            raise ValueError("ends_on must not be before starts_on")
        return self


class CostIn(CostFields):
    term: Term = Field(description='the term, e.g. "2026 syksy"')
    starts_on: Date
    ends_on: Date
    location_id: Id | None = Field(default=None, description="none: a programme-wide cost")
    funder: Funder
    category: CostCategory
    quantity: Quantity | None = Field(
        default=None,
        description="hours or tablets; money lines 1; a volunteer_hours line without it values the hours recorded",
    )
    unit_cents: Cents | None = Field(default=None, description="price of one unit in cents; default from the rates")
    note: ShortText = ""


class CostPatch(CostFields):
    """Null only where a line may hold no value: the location (programme-wide) and the quantity."""

    term: Term = None
    starts_on: Date = None
    ends_on: Date = None
    location_id: Id | None = None
    funder: Funder = None
    category: CostCategory = None
    quantity: Quantity | None = None
    unit_cents: Cents = None
    note: ShortText = None


class CostOut(Out):
    id: int
    term: str
    starts_on: dt.date
    ends_on: dt.date
    location_id: int | None
    location_name: str | None = None
    funder: str
    category: str
    quantity: float | None
    unit_cents: int
    note: str
    in_kind: bool
    total_cents: int | None  # None for volunteer hours still to be counted from the hours recorded


class CostRates(Out):
    """The default unit prices in cents, and where they come from."""

    unit_cents: dict[str, int]
    source: str
