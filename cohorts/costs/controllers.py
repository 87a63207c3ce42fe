"""JSON API of the programme's costs (coordinators only)."""

from __future__ import annotations

from litestar import Controller, delete, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody

from cohorts.costs import services
from cohorts.costs.rates import DEFAULT_UNIT_CENTS
from cohorts.costs.schemas import CostIn, CostOut, CostPatch, CostRates, Funder
from digiystava.access import require
from digiystava.schemas import Date, Page
from digiystava.web.params import Caller, Limit, Offset

RATES_SOURCE = (
    "volunteer hour: the value of voluntary work Finnish funders accept as in-kind financing (Leader, 15 €/h); "
    "coordinator and trainer hours: monthly pay with employer's costs over 153 hours; tablet: a basic tablet's price"
)


class CostController(Controller):
    path = "/api/v1/costs"
    tags = ["costs"]

    @get("/")
    async def list_costs(
        self,
        principal: Caller,
        limit: Limit = 50,
        offset: Offset = 0,
        location_id: FromQuery[int | None] = None,
        funder: FromQuery[Funder | None] = None,
        date_from: FromQuery[Date | None] = None,
        date_to: FromQuery[Date | None] = None,
    ) -> Page[CostOut]:
        """Cost lines, newest term first; ``date_from``/``date_to`` filter by the term's first day."""
        return await services.list_costs(principal, limit, offset, location_id, funder, date_from, date_to)

    @post("/")
    async def create_cost(self, principal: Caller, data: JSONBody[CostIn]) -> CostOut:
        """Record one line of a term's costs; hours and tablets are priced by the default rates unless given."""
        return await services.create_cost(principal, data)

    @get("/rates")
    async def rates(self, principal: Caller) -> CostRates:
        """The default unit prices in cents and where they come from."""
        require(principal, "costs.manage")
        return CostRates(unit_cents=DEFAULT_UNIT_CENTS, source=RATES_SOURCE)

    @get("/{cost_id:int}")
    async def get_cost(self, principal: Caller, cost_id: FromPath[int]) -> CostOut:
        return await services.get_cost(principal, cost_id)

    @patch("/{cost_id:int}")
    async def update_cost(self, principal: Caller, cost_id: FromPath[int], data: JSONBody[CostPatch]) -> CostOut:
        return await services.update_cost(principal, cost_id, data)

    @delete("/{cost_id:int}")
    async def delete_cost(self, principal: Caller, cost_id: FromPath[int]) -> None:
        await services.delete_cost(principal, cost_id)
