"""A plain page is written exactly as pydantic writes the same values, dates of a frozen test clock
included, and refuses a value that is not JSON instead of writing something else."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import BaseModel

from digiystava.schemas import Page, PlainPage, model_json


class _Stamp(BaseModel):
    at: dt.datetime
    on: dt.date


class _LaterDatetime(dt.datetime):
    """A subclass, as freezegun's FakeDatetime is: msgspec takes only the class itself."""


class _LaterDate(dt.date):
    """A date subclass, as freezegun's FakeDate is."""


@pytest.mark.parametrize(
    "at",
    [
        dt.datetime(2026, 10, 29, 11, 0, tzinfo=dt.UTC),
        dt.datetime(2026, 10, 29, 11, 0, 5, 123000, tzinfo=dt.UTC),
        dt.datetime(2026, 10, 29, 13, 0, tzinfo=dt.timezone(dt.timedelta(hours=2))),
        dt.datetime(2026, 10, 29, 11, 0),
    ],
    ids=["utc", "microseconds", "helsinki offset", "naive"],
)
def test_dates_of_a_subclass_are_written_as_pydantic_writes_them(at):
    later_at = _LaterDatetime.combine(at.date(), at.timetz())
    later_on = _LaterDate(2026, 12, 7)
    plain = PlainPage.model_construct(items=[{"at": later_at, "on": later_on}], total=1, limit=50, offset=0)
    typed = Page[_Stamp](items=[_Stamp(at=at, on=dt.date(2026, 12, 7))], total=1, limit=50, offset=0)
    assert bytes(model_json(plain)) == typed.model_dump_json().encode()


def test_a_value_that_is_not_json_is_refused():
    plain = PlainPage.model_construct(items=[{"what": object()}], total=1, limit=50, offset=0)
    with pytest.raises(TypeError, match="JSON values only, not object"):
        model_json(plain)
