"""The scope of an outcome report: which cohorts (and, for a donor, which seniors) it covers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from cohorts.tables import DONORS, Cohort, Location
from cohorts.tables import LOCATION_KINDS as KINDS
from digiystava.access import Principal, report_scope, require
from digiystava.errors import InvalidInput
from digiystava.i18n import N_, _, format_date
from pdf_templates.outcome_report import report_texts

Compare = Literal["cohort", "location"]
# NOTE: planned and cancelled cohorts have no outcomes yet; a report covers started ones.
REPORTED_STATUSES = ("running", "completed")


@dataclass(frozen=True)
class Scope:
    """Filters that combine (all must hold); none at all means the whole programme."""

    cohort_id: int | None = None
    location_id: int | None = None
    kind: str | None = None
    district: str | None = None
    donor: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    compare: Compare | None = None

    @property
    def is_programme(self) -> bool:
        return not any(
            (self.cohort_id, self.location_id, self.kind, self.district, self.donor, self.date_from, self.date_to)
        )

    def query(self) -> dict[str, str]:
        """The scope as query parameters, e.g. for links to the other formats."""
        values = {
            "cohort_id": self.cohort_id,
            "location_id": self.location_id,
            "kind": self.kind,
            "district": self.district,
            "donor": self.donor,
            "from": self.date_from,
            "to": self.date_to,
            "compare": self.compare,
        }
        return {key: str(value) for key, value in values.items() if value not in (None, "")}


def parse_scope(
    cohort_id: int | None = None,
    location_id: int | None = None,
    kind: str | None = None,
    district: str | None = None,
    donor: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    compare: str | None = None,
) -> Scope:
    """Validate raw parameters into a scope; InvalidInput names the field at fault."""
    if kind is not None and kind not in KINDS:
        raise InvalidInput("kind", f"kind must be one of {', '.join(KINDS)}")
    if donor is not None and donor not in DONORS:
        raise InvalidInput("donor", f"donor must be one of {', '.join(DONORS)}")
    if compare is not None and compare not in ("cohort", "location"):
        raise InvalidInput("compare", N_("compare must be cohort or location"))
    if date_from and date_to and date_from > date_to:
        raise InvalidInput("to", N_("to must not be before from"))
    district = (district or "").strip() or None
    return Scope(cohort_id, location_id, kind, district, donor, date_from, date_to, compare)  # type: ignore[arg-type]


async def describe(scope: Scope, lang: str) -> tuple[str, str]:
    """A title for the scope ("Cohort: Syksy 2026") and a detail line (location, period, comparison)."""
    t = report_texts(lang)["scope"]
    texts = report_texts(lang)
    parts: list[str] = []
    if scope.cohort_id is not None:
        row = (
            await Cohort.select(Cohort.name, Cohort.location.name.as_alias("location_name"))
            .where(Cohort.id == scope.cohort_id)
            .first()
        )
        parts.append(t["cohort"].format(name=row["name"]) if row else t["programme"])
        detail = [row["location_name"]] if row else []
    else:
        detail = []
    if scope.location_id is not None:
        row = await Location.select(Location.name).where(Location.id == scope.location_id).first()
        parts.append(t["location"].format(name=row["name"] if row else ""))
    if scope.kind:
        parts.append(t["kind"].format(name=texts["kinds"][scope.kind]))
    if scope.district:
        parts.append(t["district"].format(name=scope.district))
    if scope.donor:
        parts.append(t["donor"].format(name=texts["donors"][scope.donor]))
    if scope.date_from:
        detail.append(t["from"].format(date=format_date(scope.date_from, lang)))
    if scope.date_to:
        detail.append(t["to"].format(date=format_date(scope.date_to, lang)))
    if scope.compare:
        detail.append(t[f"compare_{scope.compare}"])
    return (" · ".join(parts) or t["programme"]), ", ".join(detail)


async def report_choices(principal: Principal, kinds: list[tuple[str, str]]) -> dict:
    """Cohorts and locations the caller may report on; names of places, never of people."""
    require(principal, "reports.read")
    scope = report_scope(principal)
    cohorts = (
        Cohort.select(Cohort.id, Cohort.name, Cohort.start_date, Cohort.location.name.as_alias("location_name"))
        .where(Cohort.status.is_in(list(REPORTED_STATUSES)))
        .order_by(Cohort.start_date, ascending=False)
    )
    locations = Location.select(Location.id, Location.name, Location.district).order_by(Location.name)
    if scope is not None:
        cohorts = cohorts.where(Cohort.location.is_in(sorted(scope) or [0]))
        locations = locations.where(Location.id.is_in(sorted(scope) or [0]))
    location_rows = await locations
    return {
        "cohorts": await cohorts,
        "locations": location_rows,
        "can_choose_all": scope is None,
        "districts": sorted({row["district"] for row in location_rows if row["district"]}),
        "kinds": kinds,
        "donors": [("DNA", "DNA"), ("Vanhusten turva", "Vanhusten turva"), ("other", _("Other donor"))],
    }
