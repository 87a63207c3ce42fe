"""The access rules: which role may do what, and the location scope of every query.

Services call ``require`` before acting and filter reads with ``scope_where``
or check single records with ``ensure_location``. Outside a trainer's scope a
record answers 404, exactly as if it did not exist.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from litestar.di import NamedDependency

from digiystava.errors import Forbidden, NotAuthenticated, NotFound

ROLES = ("coordinator", "trainer", "steering", "volunteer")

# action -> roles allowed. A role missing here gets 403; scope comes on top.
RULES: dict[str, frozenset[str]] = {
    "locations.read": frozenset({"coordinator", "trainer"}),
    "locations.write": frozenset({"coordinator"}),
    "users.manage": frozenset({"coordinator"}),
    "audit.read": frozenset({"coordinator"}),
    "tokens.own": frozenset(ROLES),
    # cohorts, sessions, enrolments, attendance, participants: coordinators and
    # the trainers of the location (scope is applied on top)
    "cohorts.read": frozenset({"coordinator", "trainer"}),
    "cohorts.write": frozenset({"coordinator"}),
    "sessions.write": frozenset({"coordinator", "trainer"}),
    "enrolments.write": frozenset({"coordinator", "trainer"}),
    "attendance.write": frozenset({"coordinator", "trainer"}),
    "participants.read": frozenset({"coordinator", "trainer"}),
    "participants.write": frozenset({"coordinator", "trainer"}),
    # GDPR erasure and retention are the coordinator's (the controller's representative)
    "participants.erase": frozenset({"coordinator"}),
    # Skill self-assessments (assessments app); steering sees only aggregated reports.
    "instruments.read": frozenset(ROLES),
    "assessments.read": frozenset({"coordinator", "trainer"}),
    "assessments.write": frozenset({"coordinator", "trainer"}),
    # Volunteers and pairing: trainers see (and fit-check) the pairs of their locations.
    "volunteers.read": frozenset({"coordinator", "trainer"}),
    "volunteers.write": frozenset({"coordinator"}),
    "pairings.read": frozenset({"coordinator", "trainer"}),
    "pairings.write": frozenset({"coordinator"}),
    "pairings.fit": frozenset({"coordinator", "trainer"}),
    "pairings.own": frozenset({"volunteer"}),
    "hours.manage": frozenset({"coordinator"}),
    # Tablets and loans. Trainers read only tablets on loan in their locations' cohorts,
    # read those loans, print their agreements and letters, and record the signing date.
    "tablets.read": frozenset({"coordinator", "trainer"}),
    "tablets.manage": frozenset({"coordinator"}),
    "loans.read": frozenset({"coordinator", "trainer"}),
    "loans.sign": frozenset({"coordinator", "trainer"}),
    "loans.manage": frozenset({"coordinator"}),
    # Outcome reports: aggregates only. Trainers read the reports of their own cohorts
    # and locations (digiystava/reports/scope.py); volunteers none.
    "reports.read": frozenset({"coordinator", "trainer", "steering"}),
    # Handouts: the guides and friend cards of a cohort, printed by its trainers.
    "handouts.read": frozenset({"coordinator", "trainer"}),
}


@dataclass(frozen=True)
class Principal:
    """The authenticated caller, resolved once per request."""

    user_id: int
    username: str
    role: str
    location_ids: frozenset[int] = field(default_factory=frozenset)
    auth: str = "session"  # or "token"
    csrf_token: str | None = None
    display_name: str = ""

    @property
    def is_coordinator(self) -> bool:
        return self.role == "coordinator"


# Whoever runs the command line has the database anyway: it acts with a coordinator's reach.
COMMAND_LINE = Principal(user_id=0, username="command-line", role="coordinator")

# How a handler receives the caller: ``principal: Caller``.
Caller = NamedDependency[Principal]


def require(principal: Principal | None, action: str) -> Principal:
    """Raise unless the caller's role may perform ``action``."""
    if principal is None:
        raise NotAuthenticated()
    if principal.role not in RULES[action]:
        raise Forbidden(f"The role '{principal.role}' may not do this.")
    return principal


def allowed(principal: Principal | None, action: str) -> bool:
    return principal is not None and principal.role in RULES[action]


def location_scope(principal: Principal) -> frozenset[int] | None:
    """None means every location (coordinator); otherwise the ids the caller may see."""
    if principal.is_coordinator:
        return None
    if principal.role == "trainer":
        return principal.location_ids
    return frozenset()


def ensure_location(principal: Principal, location_id: int | None) -> None:
    """404 when a single record's location lies outside the caller's scope."""
    scope = location_scope(principal)
    if scope is not None and location_id not in scope:
        raise NotFound()


def scope_where(principal: Principal, column):
    """A where-clause limiting ``column`` (a location foreign key) to the caller's scope, or None."""
    scope = location_scope(principal)
    if scope is None:
        return None
    # NOTE: ids start at 1, so an empty scope matches nothing through id 0.
    return column.is_in(sorted(scope) or [0])
