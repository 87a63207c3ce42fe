"""Default unit prices of the costs form, in cents: the coordinator may change each line's price.

Sources (said on the costs page and in the README):
- volunteer hour 15 €: the value of an hour of voluntary work (talkootyö) that Finnish
  funders accept as in-kind self-financing, e.g. in Leader projects (Ruokavirasto; Suomen
  Kylät ry's release of 31.5.2022);
- coordinator hour 35 € and trainer hour 30 €: an estimate of a city employee's hourly
  pay with employer's costs (about 3,700 € and 3,200 € a month, plus about 25 % employer's
  contributions, over 153 working hours);
- donated tablet 150 €: the shop price of a basic 10-inch Android tablet like those donated.
"""

from __future__ import annotations

DEFAULT_UNIT_CENTS: dict[str, int] = {
    "coordinator_hours": 3500,
    "trainer_hours": 3000,
    "volunteer_hours": 1500,
    "donated_tablets": 15000,
}
# Lines counted in hours or tablets; every other category is a sum of money (quantity 1).
COUNTED = frozenset(DEFAULT_UNIT_CENTS)
IN_KIND = frozenset({"volunteer_hours", "donated_tablets"})
