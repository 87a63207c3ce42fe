"""Tables of the cohorts app."""

from piccolo.columns import (
    JSON,
    Boolean,
    Date,
    DoublePrecision,
    ForeignKey,
    Integer,
    OnDelete,
    Serial,
    Text,
    Time,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from digiystava.accounts.tables import StaffUser

LOCATION_KINDS = ("community_house", "service_centre", "library", "other")


class Location(Table, tablename="location"):
    """A city site where cohorts meet: community house, service centre or library."""

    id: Serial

    name = Varchar(length=200, index=True)
    kind = Varchar(length=20, index=True)
    district = Varchar(length=100, default="", index=True)
    address = Varchar(length=300, default="")
    calendar_token = Varchar(length=64, null=True, default=None, index=True)
    created_at = Timestamptz(default=TimestamptzNow())


class StaffLocation(Table, tablename="staff_location"):
    """A trainer (or other staff member) working at a location: their access scope."""

    id: Serial

    user = ForeignKey(references=StaffUser, on_delete=OnDelete.cascade, index=True)
    location = ForeignKey(references=Location, on_delete=OnDelete.cascade, index=True)


class Participant(Table, tablename="participant"):
    """A senior on a course. Personal fields are blanked on erasure; the row and its pseudonym stay for reports."""

    id: Serial

    pseudonym = Varchar(length=16, unique=True, index=True)
    first_name = Varchar(length=100, default="")
    last_name = Varchar(length=100, default="", index=True)
    phone = Varchar(length=40, default="", index=True)
    email = Varchar(length=254, default="")
    language = Varchar(length=10, default="fi")
    district = Varchar(length=100, default="")
    birth_year = Integer(null=True, default=None)
    accessibility_needs = JSON(default=[])
    notes = Text(default="")
    # What the senior wishes to learn, told at registration (the instrument's wish codes and
    # their own words); the first questionnaire of a course takes these over.
    wishes = JSON(default=[])
    wishes_text = Text(default="")
    consent_given_on = Date(null=True, default=None)
    location = ForeignKey(references=Location, on_delete=OnDelete.restrict, null=True, index=True)
    created_at = Timestamptz(default=TimestamptzNow())
    erased_at = Timestamptz(null=True, default=None)


class Cohort(Table, tablename="cohort"):
    """A 10-week course of seniors at one location."""

    id: Serial

    location = ForeignKey(references=Location, on_delete=OnDelete.restrict, index=True)
    name = Varchar(length=200)
    start_date = Date(index=True)
    start_time = Time()
    session_minutes = Integer(default=90)
    weeks = Integer(default=10)
    capacity = Integer(default=19)
    status = Varchar(length=20, default="planned", index=True)
    end_date = Date(index=True)
    # Week kinds in order, repeated: "group,practice" alternates as in the Helsinki model.
    pattern = Varchar(length=200, default="group,practice")
    calendar_token = Varchar(length=64, unique=True, index=True)
    created_at = Timestamptz(default=TimestamptzNow())
    # Kept by the database's triggers, never written by the app (cohorts/courses/figures.py): seats
    # taken (enrolled or completed), the waiting list, the last session not cancelled, the trainers' ids.
    enrolled = Integer(default=0)
    waitlisted = Integer(default=0)
    last_session = Date(null=True, default=None)
    trainer_ids = Text(null=True, default=None)  # "3,7", or null for none


class CohortTrainer(Table, tablename="cohort_trainer"):
    id: Serial
    cohort = ForeignKey(references=Cohort, on_delete=OnDelete.cascade, index=True)
    user = ForeignKey(references=StaffUser, on_delete=OnDelete.cascade, index=True)


class CourseSession(Table, tablename="course_session"):
    """One weekly meeting of a cohort: a group lesson or practice with one's digital friend."""

    id: Serial

    cohort = ForeignKey(references=Cohort, on_delete=OnDelete.cascade, index=True)
    week = Integer()
    date = Date(index=True)
    start_time = Time()
    kind = Varchar(length=20, default="group")
    cancelled = Boolean(default=False)
    holiday = Varchar(length=100, default="")
    note = Varchar(length=300, default="")
    # Raised on every change a calendar shows (moved, re-timed, cancelled...): the feed's SEQUENCE.
    revision = Integer(default=0)


class Enrolment(Table, tablename="enrolment"):
    """A senior's place on a cohort, or on its waiting list (unique per cohort and senior)."""

    id: Serial

    cohort = ForeignKey(references=Cohort, on_delete=OnDelete.cascade, index=True)
    participant = ForeignKey(references=Participant, on_delete=OnDelete.cascade, index=True)
    status = Varchar(length=20, default="enrolled", index=True)
    waitlist_position = Integer(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    changed_at = Timestamptz(default=TimestamptzNow())
    # A drop-out can be undone the same day: when it happened, the enrolment promoted into
    # the seat it freed and the pair it ended (ids, not foreign keys: history, not links).
    dropped_at = Timestamptz(null=True, default=None)
    dropped_from = Varchar(length=20, default="")  # the status before: enrolled, waitlisted or completed
    dropped_position = Integer(null=True, default=None)  # the place on the waiting list before
    drop_promoted = Integer(null=True, default=None)
    drop_pairing = Integer(null=True, default=None)
    # A senior promoted from the waiting list must be called; who called and when.
    promoted_at = Timestamptz(null=True, default=None)
    call_done_at = Timestamptz(null=True, default=None)
    call_done_by = Varchar(length=150, default="")


class Attendance(Table, tablename="attendance"):
    """Present, absent or excused, per session and senior (unique per pair)."""

    id: Serial

    session = ForeignKey(references=CourseSession, on_delete=OnDelete.cascade, index=True)
    participant = ForeignKey(references=Participant, on_delete=OnDelete.cascade, index=True)
    status = Varchar(length=20)
    recorded_by = ForeignKey(references=StaffUser, on_delete=OnDelete.set_null, null=True)
    recorded_at = Timestamptz(default=TimestamptzNow())


class Volunteer(Table, tablename="volunteer"):
    """A volunteer digital friend who guides seniors at the practice sessions."""

    id: Serial

    name = Varchar(length=200, index=True)
    phone = Varchar(length=40, default="")
    email = Varchar(length=254, default="")
    organisation = Varchar(length=200, default="HelsinkiMissio", index=True)
    languages = JSON(default=[])  # ISO 639-1 codes, e.g. ["fi", "sv"]
    districts = JSON(default=[])
    availability = JSON(default=[])  # [{"weekday": 0..6 (Monday..Sunday), "start": "HH:MM", "end": "HH:MM"}]
    max_participants = Integer(default=2)
    identity_checked_on = Date(null=True, default=None)
    training_done_on = Date(null=True, default=None)
    active = Boolean(default=True, index=True)
    # The volunteer's own login, when they have one (role "volunteer").
    user = ForeignKey(references=StaffUser, on_delete=OnDelete.set_null, null=True, unique=True, index=True)
    created_at = Timestamptz(default=TimestamptzNow())


class Pairing(Table, tablename="pairing"):
    """A volunteer guiding one senior on one cohort; at most one active pair per senior and cohort."""

    id: Serial

    cohort = ForeignKey(references=Cohort, on_delete=OnDelete.cascade, index=True)
    volunteer = ForeignKey(references=Volunteer, on_delete=OnDelete.restrict, index=True)
    participant = ForeignKey(references=Participant, on_delete=OnDelete.cascade, index=True)
    started_on = Date()
    ended_on = Date(null=True, default=None, index=True)
    fit = Varchar(length=20, null=True, default=None)  # None, "good" or "change_needed"
    fit_checked_on = Date(null=True, default=None)
    fit_checked_by = ForeignKey(references=StaffUser, on_delete=OnDelete.set_null, null=True)
    # NOTE: set only when a coordinator paired a volunteer whose identity check or training
    # was not recorded: their reason, kept with the pair (the audit log names the field).
    safeguarding_override = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())


class VolunteerHours(Table, tablename="volunteer_hours"):
    """Hours a volunteer gave on one date for one cohort (unique per volunteer, cohort and date)."""

    id: Serial

    volunteer = ForeignKey(references=Volunteer, on_delete=OnDelete.cascade, index=True)
    cohort = ForeignKey(references=Cohort, on_delete=OnDelete.restrict, index=True)
    date = Date(index=True)
    hours = DoublePrecision()
    source = Varchar(length=20, default="form")  # "form" or "sessions"
    created_at = Timestamptz(default=TimestamptzNow())


# --- Tablet inventory and loans -------------------------------------------------------
DONORS = ("DNA", "Vanhusten turva", "other")


class Donation(Table, tablename="donation"):
    """A batch of tablets received from a donor on one day."""

    id: Serial

    donor = Varchar(length=40, index=True)
    # NOTE: filled only for donor "other": the named company or charity.
    donor_name = Varchar(length=200, default="")
    received_on = Date(index=True)
    # NOTE: not "count": a column of that name would hide Table.count().
    tablet_count = Integer(default=0)
    reference = Varchar(length=200, default="")
    # The donor's terms: may a senior keep the tablet at the end of the course?
    seniors_may_keep = Boolean(default=False)
    notes = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())


class Tablet(Table, tablename="tablet"):
    """One donated device in the coordinator's inventory."""

    id: Serial

    asset_tag = Varchar(length=20, unique=True, index=True)
    serial_number = Varchar(length=100, unique=True, index=True)
    donation = ForeignKey(references=Donation, on_delete=OnDelete.set_null, null=True, index=True)
    donor = Varchar(length=40, index=True)
    donor_name = Varchar(length=200, default="")
    model = Varchar(length=200, default="")
    os = Varchar(length=20, default="android")
    accessories = JSON(default={})
    condition = Varchar(length=20, default="good")
    status = Varchar(length=20, default="available", index=True)
    # Set when a tablet came back without a confirmed data wipe; it cannot be lent until wiped.
    needs_wipe = Boolean(default=False)
    notes = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())


class Loan(Table, tablename="loan"):
    """A tablet lent to a senior for a cohort; open while ``returned_at`` is empty."""

    id: Serial

    tablet = ForeignKey(references=Tablet, on_delete=OnDelete.restrict, index=True)
    participant = ForeignKey(references=Participant, on_delete=OnDelete.restrict, index=True)
    cohort = ForeignKey(references=Cohort, on_delete=OnDelete.restrict, index=True)
    out_at = Timestamptz(default=TimestamptzNow())
    due_date = Date(index=True)
    accessories = JSON(default={})
    agreement_signed_on = Date(null=True, default=None)
    returned_at = Timestamptz(null=True, default=None, index=True)
    # returned | maintenance | lost | kept, once the loan has ended
    outcome = Varchar(length=20, default="")
    return_condition = Varchar(length=20, default="")
    return_checklist = JSON(default={})
    wiped = Boolean(default=False)
    lent_by = ForeignKey(references=StaffUser, on_delete=OnDelete.set_null, null=True)


class TabletEvent(Table, tablename="tablet_event"):
    """One line of a tablet's history: received, lent, returned, wiped, repaired, lost..."""

    id: Serial

    tablet = ForeignKey(references=Tablet, on_delete=OnDelete.cascade, index=True)
    at = Timestamptz(default=TimestamptzNow(), index=True)
    kind = Varchar(length=30)
    loan = ForeignKey(references=Loan, on_delete=OnDelete.set_null, null=True)
    username = Varchar(length=150, default="system")
    # NOTE: never a senior's name here; the loan link says who, within scope.
    note = Varchar(length=300, default="")


# --- Costs of the programme, for the funders --------------------------------------
FUNDERS = ("STEA", "city", "other")
COST_CATEGORIES = (
    "coordinator_hours",
    "trainer_hours",
    "rooms",
    "software",
    "data_plans",
    "donated_tablets",
    "volunteer_hours",
    "other",
)


class Cost(Table, tablename="cost"):
    """One line of a term's costs at a location (none: programme-wide), in whole cents.

    Money lines have a quantity of 1; hours and tablets are quantity x unit price. A
    ``volunteer_hours`` line with no quantity values the hours recorded in its term and place.
    """

    id: Serial

    term = Varchar(length=100)  # e.g. "2026 syksy"
    starts_on = Date(index=True)
    ends_on = Date()
    location = ForeignKey(references=Location, on_delete=OnDelete.restrict, null=True, index=True)
    funder = Varchar(length=20, index=True)
    category = Varchar(length=30)
    quantity = DoublePrecision(null=True, default=None)
    unit_cents = Integer()
    note = Varchar(length=300, default="")
    created_at = Timestamptz(default=TimestamptzNow())
