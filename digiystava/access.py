"""The access rules: which role may do what, and the location scope of every query.

Services call ``require`` before acting and filter reads with ``scope_where``
or check single records with ``ensure_location``; a cohort is fetched with
``cohort_or_404`` (locked for a read-then-write when asked). Outside a trainer's
scope a record answers 404, exactly as if it did not exist. Outcome reports,
which name no senior, have their own reach (``report_scope``). The command line
and the tracker itself act as the principals ``COMMAND_LINE`` and ``SYSTEM``.

Ids outside the path obey the same scope. An id in a body, a form or a query
string (``participant_id``, ``cohort_id``, ``location_id``...) is looked up
with ``senior_ref``, ``cohort_ref`` or ``location_ref``: a record the caller
may not see gets the very answer of an id that names nothing, the same status
and the same body, so probing ids tells nothing. That answer is 404 where the
id names what the request is about (``field=None``: the path's record, the
cohort an assessment is recorded in) and otherwise 422 naming the field
("unknown participant", "no such cohort", "unknown location"). A list filtered
by such an id is simply empty. Ids that point into a cohort (a senior marked
on a session, assessed, lent a tablet or paired on a cohort) must be on that
cohort, which the caller must see: the same answer for any other id.

Where a record's scope comes from:
- a cohort, its sessions, enrolments, attendance, assessments, pairs and loans:
  the cohort's location;
- a senior: the location they are registered at, and the location of every
  cohort they are or were on (any enrolment status), since the trainers there
  see them on the roster anyway. A senior may live elsewhere than where they
  take the course. Erased seniors are nobody's: their ids name nothing.

Finished courses (``ensure_cohort_open``): the records of a completed or
cancelled cohort (enrolments, attendance, sessions) are changed only by a
coordinator, and a change to a completed cohort is audited as a ``correct``ion;
the one exception is the trainer marking an enrolled senior completed, which
closes the course. Nobody joins a cancelled cohort, by any route.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from piccolo.columns import Column

from cohorts.tables import Cohort, Enrolment, Location, Participant
from digiystava.errors import Conflict, DomainError, Forbidden, InvalidInput, NotAuthenticated, NotFound
from digiystava.i18n import N_

ROLES = ("coordinator", "trainer", "steering", "volunteer")

# action -> roles allowed. A role missing here gets 403; scope comes on top.
RULES: dict[str, frozenset[str]] = {
    "locations.read": frozenset({"coordinator", "trainer"}),
    "locations.write": frozenset({"coordinator"}),
    "users.manage": frozenset({"coordinator"}),
    "audit.read": frozenset({"coordinator"}),
    "tokens.own": frozenset(ROLES),
    # The API-token page: for the roles whose work scripts and reporting tools take over
    # (imports and integrations, the steering group's reports); the API stays open to all.
    "tokens.page": frozenset({"coordinator", "steering"}),
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
    # The seniors' own words in their feedback: a sentence can tell who wrote it.
    "feedback.free_text": frozenset({"coordinator"}),
    # The programme's costs: recorded by the coordinator; the funder's report and the
    # dashboard show them to the steering group as totals only.
    "costs.manage": frozenset({"coordinator"}),
    "funder_report.read": frozenset({"coordinator", "steering"}),
    "dashboard.read": frozenset({"coordinator", "steering"}),
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
# What the tracker does by itself (a cohort starting on its first session's day) is the system's.
SYSTEM = Principal(user_id=0, username="system", role="coordinator")


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


def in_scope(principal: Principal, location_id: int | None) -> bool:
    """Whether a record at ``location_id`` lies in the caller's scope."""
    scope = location_scope(principal)
    return scope is None or location_id in scope


def unknown(field: str | None, message: str) -> DomainError:
    """The one answer for an id that names nothing the caller may see: 404 in a path, 422 naming a field."""
    return NotFound() if field is None else InvalidInput(field, message)


async def cohort_or_404(principal: Principal, cohort_id: int, *columns, lock: bool = False) -> dict:
    """The cohort's row (id, location, status and ``columns``); 404 when missing or outside the caller's scope.

    ``lock``: the row is locked for the rest of the transaction on PostgreSQL (``FOR UPDATE``), where
    SQLite's immediate transaction already holds the whole database.
    """
    wanted = [Cohort.id, Cohort.location, Cohort.status]
    base = {column._meta.name for column in wanted}
    wanted += [c for c in columns if not (isinstance(c, Column) and c._meta.name in base and not c._meta.call_chain)]
    query = Cohort.select(*wanted).where(Cohort.id == cohort_id)
    if lock and Cohort._meta.db.engine_type == "postgres":
        query = query.lock_rows("UPDATE")
    row = await query.first()
    if row is None or not in_scope(principal, row["location"]):
        raise NotFound()
    return row


async def cohort_ref(principal: Principal, cohort_id: int, field: str | None = None, *columns) -> dict:
    """The cohort an id names (id, location, status and ``columns``), or the answer for an unknown cohort."""
    try:
        return await cohort_or_404(principal, cohort_id, *columns)
    except NotFound:
        raise unknown(field, N_("no such cohort")) from None


async def location_ref(principal: Principal, location_id: int, field: str | None = None) -> int:
    """A location id the caller may name, or the answer for an unknown location."""
    if not in_scope(principal, location_id) or not await Location.exists().where(Location.id == location_id):
        raise unknown(field, N_("unknown location"))
    return location_id


def senior_where(principal: Principal, column):
    """A where-clause limiting ``column`` (a senior's id) to the seniors the caller may see, or None."""
    scope = location_scope(principal)
    if scope is None:
        return None
    ids = sorted(scope) or [0]
    registered = Participant.select(Participant.id).where(Participant.location.is_in(ids))
    on_a_course = Enrolment.select(Enrolment.participant).where(Enrolment.cohort._.location.is_in(ids))
    return column.is_in(registered) | column.is_in(on_a_course)


async def senior_ref(principal: Principal, participant_id: int, field: str | None = None, *columns) -> dict:
    """The senior an id names (id, location and ``columns``), or the answer for an unknown senior.

    Erased seniors are unknown to everyone.
    """
    row = (
        await Participant.select(Participant.id, Participant.location, Participant.erased_at, *columns)
        .where(Participant.id == participant_id)
        .first()
    )
    if row is None or row["erased_at"] is not None:
        raise unknown(field, N_("unknown participant"))
    scope = location_scope(principal)
    if scope is not None and row["location"] not in scope:
        seen_here = await Enrolment.exists().where(
            Enrolment.participant == participant_id, Enrolment.cohort._.location.is_in(sorted(scope) or [0])
        )
        if not seen_here:
            raise unknown(field, N_("unknown participant"))
    return row


def report_scope(principal: Principal) -> frozenset[int] | None:
    """The locations whose outcome reports the caller reads; None means every one.

    Reports are aggregates that name no senior: steering reads every place, a trainer their own locations.
    """
    return location_scope(principal) if principal.role == "trainer" else None


async def ensure_report_scope(principal: Principal, cohort_id: int | None, location_id: int | None) -> None:
    """May the caller read the report of this cohort or location (none: the whole programme)?

    Another location's cohort or location answers exactly as one that does not exist (404).

    NOTE: a trainer's "whole programme" would silently mean "my locations" under a title
    that says otherwise, so trainers must name a cohort or location (403 otherwise).
    """
    require(principal, "reports.read")
    scope = report_scope(principal)
    if cohort_id is not None:
        row = await Cohort.select(Cohort.location).where(Cohort.id == cohort_id).first()
        if row is None or (scope is not None and row["location"] not in scope):
            raise NotFound("No such cohort.")
    if location_id is not None:
        if (scope is not None and location_id not in scope) or not await Location.exists().where(
            Location.id == location_id
        ):
            raise NotFound("No such location.")
    if scope is not None and cohort_id is None and location_id is None:
        raise Forbidden("Trainers read the reports of their own cohorts and locations: give cohort_id or location_id.")


FINISHED = ("completed", "cancelled")


def ensure_cohort_open(principal: Principal, status: str) -> str:
    """May the caller change the records of a cohort in ``status``? Returns the audit action to record.

    A completed or cancelled cohort is a coordinator's to correct (409 for anyone else); a
    change to a completed one is audited as ``correct``, any other as ``update``.
    """
    if status in FINISHED and not principal.is_coordinator:
        raise Conflict(N_("A completed or cancelled cohort can only be corrected by a coordinator."))
    return "correct" if status == "completed" else "update"
