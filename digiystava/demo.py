"""A realistic demo programme, generated deterministically.

``small`` is the pilots' size, ``city`` Helsinki's 2024 plan (~58 locations),
``national`` the programme copied to other cities. Each domain adds its part
through a function listed in ``SECTIONS``.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TextIO

from assessments.feedback import QUESTIONS
from assessments.followup import FOLLOWUP_DUE_AFTER
from assessments.instrument import current_instrument
from assessments.tables import Assessment, Feedback
from cohorts.costs.rates import DEFAULT_UNIT_CENTS
from cohorts.courses.schedule import last_session_date, plan_sessions
from cohorts.tables import (
    Attendance,
    Cohort,
    CohortTrainer,
    Cost,
    CourseSession,
    Donation,
    Enrolment,
    Loan,
    Location,
    Participant,
    StaffLocation,
    Tablet,
    TabletEvent,
)
from cohorts.tablets.history import asset_tag
from cohorts.volunteers import demo
from digiystava import bulk, clock
from digiystava.accounts.passwords import hash_password
from digiystava.accounts.tables import StaffUser
from digiystava.db import refresh_statistics, write_transaction

DEMO_PASSWORD = "digiystava-demo"

# Seed locations: the pilots' sites first, then other real Helsinki districts.
HELSINKI_LOCATIONS = [
    ("Pihlajamäen yhteisötalo", "community_house", "Pihlajamäki", "Liusketie 3"),
    ("Kinaporin palvelukeskus", "service_centre", "Kallio", "Kinaporinkatu 9"),
    ("Töölön palvelukeskus", "service_centre", "Töölö", "Sibeliuksenkatu 2"),
    ("Kallion kirjasto", "library", "Kallio", "Viides linja 11"),
    ("Itäkeskuksen kirjasto", "library", "Itäkeskus", "Turunlinnantie 1"),
    ("Malmin kirjasto", "library", "Malmi", "Ala-Malmin tori 1"),
    ("Kontulan palvelukeskus", "service_centre", "Kontula", "Ostostie 4"),
    ("Vuosaaren yhteisötalo", "community_house", "Vuosaari", "Kahvikuja 3"),
]
DISTRICTS = [
    "Alppiharju",
    "Arabianranta",
    "Haaga",
    "Herttoniemi",
    "Itäkeskus",
    "Jakomäki",
    "Kallio",
    "Kannelmäki",
    "Kontula",
    "Käpylä",
    "Laajasalo",
    "Lauttasaari",
    "Malmi",
    "Maunula",
    "Meilahti",
    "Munkkiniemi",
    "Myllypuro",
    "Oulunkylä",
    "Pakila",
    "Pihlajamäki",
    "Pitäjänmäki",
    "Pukinmäki",
    "Puistola",
    "Roihuvuori",
    "Tapanila",
    "Töölö",
    "Vallila",
    "Vartiokylä",
    "Viikki",
    "Vuosaari",
]
KIND_WORDS = {"community_house": "yhteisötalo", "service_centre": "palvelukeskus", "library": "kirjasto"}
SCALE_LOCATIONS = {"small": 8, "city": 58, "national": 300}
# Seniors per location, and how many earlier years of spring cohorts each location has had.
SENIORS_PER_LOCATION = {"small": (22, 30), "city": (60, 73), "national": (60, 73)}
EARLIER_YEARS = {"small": 0, "city": 2, "national": 2}
# NOTE: the larger programmes fill their courses better than the pilots did.
CAPACITIES = {"small": [12, 15, 19], "city": [15, 19, 19], "national": [15, 19, 19]}


class Progress:
    """A one-line progress bar on standard error: a step per location, and per section."""

    WIDTH = 30

    def __init__(self, total: int, out: TextIO | None = None) -> None:
        self.total, self.done, self.out, self.label = max(1, total), 0, out, ""

    def step(self, label: str | None = None, count: int = 1) -> None:
        self.done = min(self.total, self.done + count)
        self.label = label or self.label
        if self.out is None:
            return
        filled = self.WIDTH * self.done // self.total
        self.out.write(
            f"\r[{'#' * filled}{'.' * (self.WIDTH - filled)}] {100 * self.done // self.total:3d}% {self.label:<28}"
        )
        if self.done == self.total:
            self.out.write("\n")
        self.out.flush()


@dataclass
class DemoContext:
    """What the sections share: the scale, a seeded random source and created ids."""

    scale: str
    rng: random.Random
    password_hash: str = ""
    location_ids: list[int] = field(default_factory=list)
    users: dict[str, int] = field(default_factory=dict)
    cohorts: list[tuple[int, str, int]] = field(default_factory=list)  # (id, status, location id)
    progress: Progress = field(default_factory=lambda: Progress(1))

    def step(self, label: str | None = None) -> None:
        self.progress.step(label)


async def _locations(ctx: DemoContext) -> None:
    rows = list(HELSINKI_LOCATIONS)
    n = SCALE_LOCATIONS[ctx.scale]
    i = 0
    while len(rows) < n:
        district = DISTRICTS[i % len(DISTRICTS)]
        kind = ("library", "service_centre", "community_house")[i % 3]
        city = "" if i < len(DISTRICTS) * 3 else f" {i // (len(DISTRICTS) * 3) + 1}"
        rows.append((f"{district} {KIND_WORDS[kind]}{city}", kind, district, f"{district}ntie {i % 40 + 1}"))
        i += 1
    result = await Location.insert(
        *[Location(name=a, kind=k, district=d, address=ad) for a, k, d, ad in rows[:n]]
    ).returning(Location.id)
    ctx.location_ids = [r["id"] for r in result]


DEMO_USERS = [
    # username, role, display name, location indexes
    ("koordinaattori", "coordinator", "Kaisa Koordinaattori", []),
    ("kouluttaja", "trainer", "Timo Virtanen", [0, 1]),
    ("kouluttaja2", "trainer", "Anna Lindqvist", [2, 3]),
    ("ohjausryhma", "steering", "Olli Ohjausryhmä", []),
    ("vapaaehtoinen", "volunteer", "Ville Vapaaehtoinen", []),
]


async def _users(ctx: DemoContext) -> None:
    for username, role, name, location_indexes in DEMO_USERS:
        user = StaffUser(
            username=username,
            role=role,
            display_name=name,
            password_hash=ctx.password_hash,
            email=f"{username}@example.fi",
        )
        await user.save()
        ctx.users[username] = user.id
        if location_indexes:
            await StaffLocation.insert(
                *[StaffLocation(user=user.id, location=ctx.location_ids[i]) for i in location_indexes]
            )


FIRST_NAMES = [
    "Aino",
    "Eino",
    "Helvi",
    "Toivo",
    "Kaarina",
    "Pentti",
    "Marjatta",
    "Veikko",
    "Tuulikki",
    "Raimo",
    "Irma",
    "Reijo",
    "Sirkka",
    "Kalevi",
    "Liisa",
    "Erkki",
    "Anneli",
    "Martti",
    "Elsa",
    "Bror",
    "Gunnel",
    "Ragnar",
    "Birgitta",
    "Ольга",
    "Tiiu",
    "Faadumo",
    "Fatima",
    "Margit",
    "Leena",
    "Olavi",
]
LAST_NAMES = [
    "Virtanen",
    "Korhonen",
    "Nieminen",
    "Mäkinen",
    "Hämäläinen",
    "Laine",
    "Heikkinen",
    "Koskinen",
    "Järvinen",
    "Lehtonen",
    "Lindqvist",
    "Nyström",
    "Holmberg",
    "Wikström",
    "Иванова",
    "Tamm",
    "Cabdi",
    "Al-Hassan",
    "Saarinen",
    "Salminen",
]
LANGUAGE_OF = {
    "Bror": "sv",
    "Gunnel": "sv",
    "Ragnar": "sv",
    "Birgitta": "sv",
    "Ольга": "ru",
    "Tiiu": "et",
    "Faadumo": "so",
    "Fatima": "ar",
}
NEEDS = [[], [], [], ["sight"], ["hearing"], ["hands"], ["memory"], ["sight", "hearing"]]


async def _cohorts(ctx: DemoContext) -> None:
    """Completed cohorts (of earlier years too at the larger scales), running and planned ones, with seniors and
    attendance.

    Rows are made in memory first, with list positions standing in for ids, then
    inserted in bulk; the random draws come in the same order as they always have.
    """

    rng, today, now = ctx.rng, clock.today(), clock.now()
    # NOTE: pseudonyms come from their own seeded source, so they are as repeatable as the rest.
    pseudonyms = random.Random(7001)
    trainers = {
        row["location"]: row["user"] for row in await StaffLocation.select(StaffLocation.location, StaffLocation.user)
    }
    # Rows in the columns' order of the inserts below.
    seniors: list[tuple[str, str, str, str, str, int, str, list[str], dt.date, int, dt.datetime]] = []
    cohorts: list[tuple[int, str, dt.date, dt.time, int, int, str, dt.date, str, int, str, dt.datetime]] = []
    sessions: list[tuple[int, int, dt.date, dt.time, str, str, bool]] = []
    enrolments: list[tuple[int, int, str, int | None]] = []
    marks: list[tuple[int, int, str]] = []
    senior_range, history = SENIORS_PER_LOCATION[ctx.scale], EARLIER_YEARS[ctx.scale]
    monday = today - dt.timedelta(days=today.weekday())
    for index, location_id in enumerate(ctx.location_ids):
        district = DISTRICTS[index % len(DISTRICTS)]
        first_senior = len(seniors)
        for _ in range(rng.randint(*senior_range)):
            first = rng.choice(FIRST_NAMES)
            seniors.append(
                (
                    f"{pseudonyms.getrandbits(40):010X}",
                    first,
                    rng.choice(LAST_NAMES),
                    LANGUAGE_OF.get(first, "fi"),
                    district,
                    rng.randint(1935, 1958),
                    f"040{rng.randint(1000000, 9999999)}",
                    rng.choice(NEEDS),
                    today - dt.timedelta(days=rng.randint(30, 400)),
                    location_id,
                    now,
                )
            )
        senior_count = len(seniors) - first_senior
        # Monday-based weeks: completed in earlier years and last spring, running now, planned for next term.
        shift = dt.timedelta(days=index % 4)
        plans = [
            ("completed", monday - dt.timedelta(weeks=30 + 52 * years) + shift, "Kevät")
            for years in range(history, 0, -1)
        ]
        plans += [
            ("completed", monday - dt.timedelta(weeks=30) + shift, "Kevät"),
            ("running", monday - dt.timedelta(weeks=6) + shift, "Syksy"),
            ("planned", monday + dt.timedelta(weeks=8) + shift, "Tammikuu"),
        ]
        for status, start, season in plans:
            start_time = dt.time(rng.choice([10, 13, 14]), 0)
            capacity = rng.choice(CAPACITIES[ctx.scale])
            cohort_index = len(cohorts)
            cohorts.append(
                (
                    location_id,
                    f"{season} {start.year}",
                    start,
                    start_time,
                    10,
                    capacity,
                    status,
                    last_session_date(start, 10),
                    secrets.token_urlsafe(24),
                    90,
                    "group,practice",
                    now,
                )
            )
            held = []
            for p in plan_sessions(start, start_time, 10):
                if p.date < today and not p.holiday:
                    held.append(len(sessions))
                sessions.append((cohort_index, p.week, p.date, p.start_time, p.kind, p.holiday, bool(p.holiday)))
            pool = rng.sample(range(senior_count), k=min(senior_count, capacity + (3 if status != "completed" else 0)))
            seated = []
            for position, person in enumerate(pool):
                person += first_senior
                if position < capacity:
                    final = "enrolled" if status != "completed" else rng.choices(["completed", "dropped"], [9, 1])[0]
                    enrolments.append((cohort_index, person, final, None))
                    if final != "dropped":
                        seated.append(person)
                elif status != "completed":
                    enrolments.append((cohort_index, person, "waitlisted", position - capacity + 1))
            for session_index in held:
                for person in seated:
                    marks.append((session_index, person, rng.choices(["present", "absent", "excused"], [85, 9, 6])[0]))
        ctx.step()
    senior_ids = await bulk.insert(
        Participant,
        (
            "pseudonym",
            "first_name",
            "last_name",
            "language",
            "district",
            "birth_year",
            "phone",
            "accessibility_needs",
            "consent_given_on",
            "location",
            "created_at",
        ),
        seniors,
        returning_ids=True,
    )
    cohort_ids = await bulk.insert(
        Cohort,
        (
            "location",
            "name",
            "start_date",
            "start_time",
            "weeks",
            "capacity",
            "status",
            "end_date",
            "calendar_token",
            "session_minutes",
            "pattern",
            "created_at",
        ),
        cohorts,
        returning_ids=True,
    )
    ctx.cohorts += [(cohort_id, row[6], row[0]) for cohort_id, row in zip(cohort_ids, cohorts)]
    await bulk.insert(
        CohortTrainer,
        ("cohort", "user"),
        [(i, trainers[row[0]]) for i, row in zip(cohort_ids, cohorts) if row[0] in trainers],
    )
    session_ids = await bulk.insert(
        CourseSession,
        ("cohort", "week", "date", "start_time", "kind", "holiday", "cancelled"),
        [(cohort_ids[c], *rest) for c, *rest in sessions],
        returning_ids=True,
    )
    await bulk.insert(
        Enrolment,
        ("cohort", "participant", "status", "waitlist_position", "created_at", "changed_at"),
        [(cohort_ids[c], senior_ids[p], status, position, now, now) for c, p, status, position in enrolments],
    )
    await bulk.insert(
        Attendance,
        ("session", "participant", "status", "recorded_at"),
        [(session_ids[s], senior_ids[p], status, now) for s, p, status in marks],
    )


SECTIONS: list[Callable[[DemoContext], Awaitable[None]]] = [_locations, _users, _cohorts]
# --- Skill self-assessments (assessments app) ----------------------------------------
# The course teaches these first, so they grow most; the rest grow a little.
TAUGHT_FIRST = ("search", "email", "contact", "photos")


async def _assessments(ctx: DemoContext) -> None:
    """Before and after answers for completed cohorts, before answers for running ones.

    Seniors who dropped out answered the first time only: their answers count in no
    before/after pair, as in the real programme.
    """

    cohorts = (
        await Cohort.select(Cohort.id, Cohort.status, Cohort.start_date, Cohort.end_date, Cohort.start_time)
        .where(Cohort.status.is_in(["running", "completed"]))
        .order_by(Cohort.id)
    )
    if not cohorts:
        return
    enrolments = (
        await Enrolment.select(Enrolment.cohort, Enrolment.participant, Enrolment.status)
        .where(
            Enrolment.cohort.is_in([c["id"] for c in cohorts]),
            Enrolment.status.is_in(["enrolled", "completed", "dropped"]),
        )
        .order_by(Enrolment.id)
    )
    instrument = current_instrument()
    rng = ctx.rng
    recorder = ctx.users.get("koordinaattori")

    def when(day: dt.date, start: dt.time) -> dt.datetime:
        return dt.datetime.combine(day, start, tzinfo=clock.HELSINKI).astimezone(dt.UTC) + dt.timedelta(
            minutes=rng.randint(20, 80)
        )

    def maybe_missing(levels: Mapping[str, int | None]) -> dict[str, int | None]:
        # NOTE: about one answer in 25 is left blank, as on real paper forms.
        return {code: None if rng.random() < 0.04 else level for code, level in levels.items()}

    by_cohort: dict[int, list] = {}
    for enrolment in enrolments:
        by_cohort.setdefault(enrolment["cohort"], []).append(enrolment)
    rows = []
    for cohort in cohorts:
        for enrolment in by_cohort.get(cohort["id"], []):
            before = {code: rng.choices((0, 1, 2, 3), weights=(45, 35, 15, 5))[0] for code in instrument.skill_codes}
            common = (enrolment["participant"], cohort["id"], instrument.version, recorder)
            dropped = enrolment["status"] == "dropped"
            only_after = (
                cohort["status"] == "completed" and not dropped and rng.random() < 0.04
            )  # missed the first session
            if not only_after:
                at = when(cohort["start_date"], cohort["start_time"])
                rows.append(
                    (
                        *common,
                        "before",
                        maybe_missing(before),
                        rng.sample(instrument.wish_codes, rng.randint(1, 3)),
                        rng.choices(("paper", "with_help", "alone"), weights=(6, 3, 1))[0],
                        at,
                        at,
                    )
                )
            if cohort["status"] != "completed" or dropped:
                continue
            after = {}
            for code, level in before.items():
                gain = rng.choices((0, 1, 2, 3), weights=(10, 35, 40, 15) if code in TAUGHT_FIRST else (45, 40, 12, 3))[
                    0
                ]
                after[code] = min(4, level + gain)
            at = when(cohort["end_date"], cohort["start_time"])
            rows.append(
                (
                    *common,
                    "after",
                    maybe_missing(after),
                    [],
                    rng.choices(("paper", "with_help", "alone"), weights=(4, 3, 3))[0],
                    at,
                    at,
                )
            )
    columns = (
        "participant",
        "cohort",
        "instrument_version",
        "recorded_by",
        "phase",
        "answers",
        "wishes",
        "method",
        "recorded_at",
        "updated_at",
    )
    await bulk.insert(Assessment, columns, rows)


SECTIONS += [_assessments]


async def _volunteers(ctx: DemoContext) -> None:
    """HelsinkiMissio's volunteers, "vapaaehtoinen" linked to one, and pairs in running and completed cohorts."""
    await demo.load(ctx.scale, ctx.rng, DISTRICTS, ctx.users.get("vapaaehtoinen"))


SECTIONS.append(_volunteers)  # NOTE: after the cohorts section, whose cohorts it pairs
# --- Tablet inventory and loans ----------------------------------------------------------
TABLET_MODELS = {
    "DNA": [("Samsung Galaxy Tab A9+", "android", "R9TW"), ("Lenovo Tab M10", "android", "HA1K")],
    "Vanhusten turva": [
        ("Apple iPad (9th generation)", "ipados", "DMPX"),
        ("Samsung Galaxy Tab A8", "android", "R9XN"),
    ],
    "other": [("Apple iPad (10th generation)", "ipados", "GG7Q"), ("Lenovo Tab P11", "android", "HGL5")],
}
# The larger programmes have a third donor, a company named on its donation.
OTHER_DONOR = "Elisa Oyj"
DEMO_SPARE_TABLETS = 24


def _donor_of(scale: str, number: int) -> str:
    """Consecutive tablets alternate between the donors."""
    donors = ("DNA", "Vanhusten turva") if scale == "small" else ("DNA", "Vanhusten turva", "other")
    return donors[number % len(donors)]


async def _tablets(ctx: DemoContext) -> None:
    """Donations from DNA and Vanhusten turva (and Elisa at larger scales); tablets in every state; loans for the
    cohorts' seniors.

    Running cohorts have their tablets out; completed cohorts' tablets came back, stayed
    with the senior (Vanhusten turva allows it), were lost or wait in maintenance, and a
    few are still out past their return date. At the larger scales a tablet that came
    back goes to a later cohort. Without cohorts only the inventory is made.
    """

    enrolments = (
        await Enrolment.select(
            Enrolment.cohort,
            Enrolment.participant,
            Enrolment.cohort.status.as_alias("cohort_status"),
            Enrolment.cohort.start_date.as_alias("start_date"),
            Enrolment.cohort.end_date.as_alias("end_date"),
        )
        .where(
            Enrolment.status.is_in(["enrolled", "completed"]), Enrolment.cohort.status.is_in(["running", "completed"])
        )
        .order_by(Enrolment.id)
    )
    reuse = ctx.scale != "small"
    if reuse:  # in time order, so returned tablets can go out again
        enrolments.sort(key=lambda e: e["start_date"])
    today, now = clock.today(), clock.now()
    # First the plan: which tablet each senior gets and how the loan ends (no random draws here).
    plan: list[tuple[dict, int, str]] = []
    free: list[tuple[dt.date, int]] = []  # (back by, tablet number)
    made = 0
    for i, enrolment in enumerate(enrolments):
        if reuse and free and free[0][0] < enrolment["start_date"]:
            number = free.pop(0)[1]
        else:
            number, made = made, made + 1
        due = enrolment["end_date"] + dt.timedelta(days=14)
        # NOTE: a fixed pattern rather than chance, so every outcome shows up even at the small scale.
        if enrolment["cohort_status"] == "running" or due >= today or i % 13 == 0:
            outcome = ""  # still out (past its date when the course has ended)
        elif i % 10 == 1 and _donor_of(ctx.scale, number) == "Vanhusten turva":
            outcome = "kept"
        elif i % 10 == 4:
            outcome = "lost"
        elif i % 10 == 7:
            outcome = "maintenance"
        else:
            outcome = "returned"
        if outcome == "returned" and reuse:
            free.append((due, number))
        plan.append((enrolment, number, outcome))
    count = made + DEMO_SPARE_TABLETS
    donors = [_donor_of(ctx.scale, n) for n in range(count)]
    # Two deliveries per donor; Vanhusten turva lets seniors keep their tablets.
    donation_rows = []
    for donor, prefix, may_keep in (
        ("DNA", "DNA-LAH", False),
        ("Vanhusten turva", "VT", True),
        ("other", "ELISA", False),
    ):
        mine = donors.count(donor)
        if not mine:
            continue
        for batch, (received, share) in enumerate(
            ((dt.date(2023, 1, 16), mine // 2), (dt.date(2024, 2, 5), mine - mine // 2)), start=1
        ):
            donation_rows.append(
                (
                    donor,
                    OTHER_DONOR if donor == "other" else "",
                    received,
                    share,
                    f"{prefix}-{received.year}-{batch:02d}",
                    may_keep,
                    now,
                )
            )
    donation_ids = await bulk.insert(
        Donation,
        ("donor", "donor_name", "received_on", "tablet_count", "reference", "seniors_may_keep", "created_at"),
        donation_rows,
        returning_ids=True,
    )
    donation_of = {row[0]: donation_ids[k * 2 : k * 2 + 2] for k, row in enumerate(donation_rows[::2])}
    received_on = dict(zip(donation_ids, (row[2] for row in donation_rows)))
    full_kit = {
        "charger": True,
        "cable": True,
        "case": True,
        "stylus": False,
        "headphones": False,
        "sim_card": False,
        "sim_number": "",
        "data_plan": "",
    }
    # Lists, not tuples: a tablet's condition and status are set below, once the loans are planned.
    tablets: list[list[Any]] = []
    for i, donor in enumerate(donors):
        model, os_name, serial_prefix = TABLET_MODELS[donor][i // 2 % 2]
        accessories = dict(full_kit, stylus=ctx.rng.random() < 0.3)
        if ctx.rng.random() < 0.25:
            accessories.update(
                sim_card=True,
                sim_number=f"+358 44 {ctx.rng.randrange(100, 999)} {ctx.rng.randrange(1000, 9999)}",
                data_plan="Data 10 GB",
            )
        half = 0 if i < count // 2 else 1
        tablets.append(
            [
                asset_tag(i + 1),
                f"{serial_prefix}{i + 1:06d}{ctx.rng.choice('ABCDEFGHJK')}",
                donation_of[donor][half],
                donor,
                OTHER_DONOR if donor == "other" else "",
                model,
                os_name,
                accessories,
                "good",
                "available",
                False,
                "",
                now,
            ]
        )
    status: dict[int, str] = {}
    loans, loan_events = [], []
    for enrolment, number, outcome in plan:
        out_at = dt.datetime.combine(enrolment["start_date"], dt.time(11, 0), tzinfo=dt.UTC)
        due = enrolment["end_date"] + dt.timedelta(days=14)
        returned_at = (
            None
            if not outcome
            else dt.datetime.combine(due - dt.timedelta(days=ctx.rng.randrange(0, 12)), dt.time(12, 30), tzinfo=dt.UTC)
        )
        loans.append(
            (
                number,
                enrolment["participant"],
                enrolment["cohort"],
                out_at,
                due,
                full_kit,
                enrolment["start_date"],
                returned_at,
                outcome,
                outcome in ("returned", "maintenance"),
                {"returned": "good", "maintenance": "damaged", "lost": "missing", "kept": "good"}.get(outcome, ""),
                {"charger": True, "cable": outcome != "maintenance", "case": True}
                if outcome in ("returned", "maintenance")
                else {},
                ctx.users.get("koordinaattori"),
            )
        )
        loan_events.append((number, out_at, returned_at, outcome))
        status[number] = {
            "": "on_loan",
            "kept": "retired",
            "lost": "lost",
            "maintenance": "maintenance",
            "returned": "available",
        }[outcome]
    # The spares: mostly on the shelf, and one of every other state even without cohorts.
    spares = list(range(made, count))
    spare_events = []
    # NOTE: in pairs, because consecutive tablets alternate between the donors.
    for number, spare_status in zip(
        spares, ("maintenance", "maintenance", "retired", "retired", "lost", "lost", "maintenance", "maintenance")
    ):
        status[number] = spare_status
        spare_events.append((number, spare_status))
    for number, value in status.items():
        tablets[number][9] = value
        if value == "maintenance":
            tablets[number][8] = "damaged"
    # NOTE: the first spare came back without a confirmed wipe; it cannot be lent until wiped.
    tablets[spares[0]][8], tablets[spares[0]][10] = "good", True
    tablet_ids = await bulk.insert(
        Tablet,
        (
            "asset_tag",
            "serial_number",
            "donation",
            "donor",
            "donor_name",
            "model",
            "os",
            "accessories",
            "condition",
            "status",
            "needs_wipe",
            "notes",
            "created_at",
        ),
        tablets,
        returning_ids=True,
    )
    ctx.step("tablets")
    loan_ids = await bulk.insert(
        Loan,
        (
            "tablet",
            "participant",
            "cohort",
            "out_at",
            "due_date",
            "accessories",
            "agreement_signed_on",
            "returned_at",
            "outcome",
            "wiped",
            "return_condition",
            "return_checklist",
            "lent_by",
        ),
        [(tablet_ids[row[0]], *row[1:]) for row in loans],
        returning_ids=True,
    )
    received_at = lambda number: dt.datetime.combine(received_on[tablets[number][2]], dt.time(9, 0), tzinfo=dt.UTC)  # noqa: E731
    events: list[tuple[int, dt.datetime, str, int | None, str]] = [
        (tablet_ids[n], received_at(n), "received", None, "demo") for n in range(count)
    ]
    for loan_id, (number, out_at, returned_at, outcome) in zip(loan_ids, loan_events):
        events.append((tablet_ids[number], out_at, "loaned", loan_id, ""))
        if returned_at is not None:  # the loan has an outcome
            events.append(
                (tablet_ids[number], returned_at, {"maintenance": "returned"}.get(outcome, outcome), loan_id, "")
            )
    events += [(tablet_ids[n], now, kind, None, "demo") for n, kind in spare_events]
    await bulk.insert(
        TabletEvent, ("tablet", "at", "kind", "loan", "note", "username"), [(*e, "koordinaattori") for e in events]
    )


SECTIONS.append(_tablets)  # after the cohorts section, whose enrolments it lends to


async def _followups_and_feedback(ctx: DemoContext) -> None:
    """Follow-up answers about three months after the finished courses, and the seniors' feedback.

    Most finished courses have been followed up: every senior with end-of-course answers
    answered again, most keeping their level, some slipping or still growing. The rest of
    the courses have not been reached yet, so their seniors show on the call lists when due.
    About four in five who finished gave feedback at the last session.
    """
    # NOTE: a generator of its own, so the sections before keep the demo they always made.
    rng = random.Random(2026)
    today = clock.today()
    cohorts = (
        await Cohort.select(Cohort.id, Cohort.end_date, Cohort.start_time)
        .where(Cohort.status == "completed")
        .order_by(Cohort.id)
    )
    if not cohorts:
        return
    ids = [c["id"] for c in cohorts]
    afters = (
        await Assessment.select(Assessment.cohort, Assessment.participant, Assessment.answers)
        .where(Assessment.cohort.is_in(ids), Assessment.phase == "after")
        .order_by(Assessment.id)
        .output(load_json=True)
    )
    finished = await Enrolment.select(Enrolment.cohort).where(
        Enrolment.cohort.is_in(ids), Enrolment.status == "completed"
    )
    by_cohort: dict[int, list] = {}
    for row in afters:
        by_cohort.setdefault(row["cohort"], []).append(row)
    recorder = ctx.users.get("koordinaattori")
    followups: list[
        tuple[int, int, int, int | None, str, dict[str, int | None], list[str], str, dt.datetime, dt.datetime]
    ] = []
    feedback: list[tuple[int, dict[str, str], str, str]] = []
    words = ["Videopuhelut lastenlasten kanssa", "Kela-asiointi", "Kuvien tallentaminen", "Bussiaikataulut", ""]
    for cohort in cohorts:
        due = cohort["end_date"] + FOLLOWUP_DUE_AFTER
        # NOTE: one course in four is still to be reached: its seniors are on the call lists.
        if due <= today and rng.random() < 0.75:
            at = dt.datetime.combine(
                due + dt.timedelta(days=rng.randint(0, 20)), cohort["start_time"], tzinfo=clock.HELSINKI
            )
            at = min(at, clock.now())
            for row in by_cohort.get(cohort["id"], []):
                levels = {
                    code: None if level is None else max(0, min(4, level + rng.choices((-1, 0, 1), (20, 70, 10))[0]))
                    for code, level in row["answers"].items()
                }
                followups.append(
                    (row["participant"], cohort["id"], 1, recorder, "followup", levels, [], "with_help", at, at)
                )
        count = sum(1 for e in finished if e["cohort"] == cohort["id"])
        for _ in range(round(count * 0.8)):
            answers = {
                q.code: rng.choices([c for c, _label in q.options], [6, 3, 1, 1][: len(q.options)])[0]
                for q in QUESTIONS
            }
            feedback.append((cohort["id"], answers, rng.choice(words), "card"))
    await bulk.insert(
        Assessment,
        (
            "participant",
            "cohort",
            "instrument_version",
            "recorded_by",
            "phase",
            "answers",
            "wishes",
            "method",
            "recorded_at",
            "updated_at",
        ),
        followups,
    )
    await bulk.insert(Feedback, ("cohort", "answers", "free_text", "method"), feedback)


SECTIONS.append(_followups_and_feedback)  # last: after the answers it follows up


async def _costs(ctx: DemoContext) -> None:
    """Each term's costs: the coordinator's hours (STEA), rooms and trainers' hours per location, software and data
    plans (the city), the donated tablets lent that term (in kind), and the volunteers' recorded hours (in kind).
    """

    # NOTE: a generator of its own, so the sections before keep the demo they always made.
    rng = random.Random(2027)
    cohorts = await Cohort.select(Cohort.id, Cohort.location, Cohort.start_date, Cohort.weeks).where(
        Cohort.status.is_in(["running", "completed"])
    )
    lent: Counter[tuple[int, bool]] = Counter()
    starts = {c["id"]: c["start_date"] for c in cohorts}
    for loan in await Loan.select(Loan.cohort):
        if loan["cohort"] in starts:
            lent[_term(starts[loan["cohort"]])] += 1
    places: dict[tuple, Counter] = {}
    for c in cohorts:
        places.setdefault(_term(c["start_date"]), Counter())[c["location"]] += c["weeks"]
    rows = []
    for (year, spring), weeks_at in sorted(places.items()):
        name = f"{year} {'kevät' if spring else 'syksy'}"
        first, last = (
            (dt.date(year, 1, 1), dt.date(year, 7, 31)) if spring else (dt.date(year, 8, 1), dt.date(year, 12, 31))
        )
        term = (name, first, last)
        locations = len(weeks_at)
        rows += [
            (
                *term,
                None,
                "STEA",
                "coordinator_hours",
                float(min(480, 40 + 6 * locations)),
                DEFAULT_UNIT_CENTS["coordinator_hours"],
                "",
            ),
            (*term, None, "STEA", "volunteer_hours", None, DEFAULT_UNIT_CENTS["volunteer_hours"], ""),
            (*term, None, "city", "software", 1.0, 2000 * locations, "MDM"),
            (*term, None, "city", "data_plans", float(lent[(year, spring)]), 4 * 990, "4 kk"),
            (
                *term,
                None,
                "other",
                "donated_tablets",
                float(lent[(year, spring)]),
                DEFAULT_UNIT_CENTS["donated_tablets"],
                "",
            ),
        ]
        for location, weeks in sorted(weeks_at.items()):
            rows += [
                (*term, location, "city", "rooms", 1.0, rng.choice((0, 40000, 60000, 90000)), ""),
                (*term, location, "city", "trainer_hours", float(2 * weeks), DEFAULT_UNIT_CENTS["trainer_hours"], ""),
            ]
    columns = ("term", "starts_on", "ends_on", "location", "funder", "category", "quantity", "unit_cents", "note")
    await bulk.insert(Cost, columns, rows)


def _term(start: dt.date) -> tuple[int, bool]:
    """(year, spring?) of a course by its first day: spring January to July, autumn August to December."""
    return start.year, start.month <= 7


SECTIONS.append(_costs)


async def load_demo(scale: str = "small", only_if_empty: bool = False, progress: TextIO | None = None) -> str:
    """Load the demo in one transaction; ``progress`` (e.g. sys.stderr) shows a bar while it runs."""
    if await StaffUser.count() > 0:
        if only_if_empty:
            # NOTE: a second `make run` shows the logins again, but only where they work.
            demo_users = [username for username, *_rest in DEMO_USERS]
            if await StaffUser.exists().where(StaffUser.username.is_in(demo_users)):
                return "The demo programme is already loaded.\n" + demo_logins()
            return "The database already has data; the demo was not loaded."
        raise RuntimeError("the database already has data; the demo loads only into an empty database")
    bar = Progress(SCALE_LOCATIONS[scale] + len(SECTIONS), progress)
    ctx = DemoContext(
        scale=scale, rng=random.Random(2024), password_hash=await hash_password(DEMO_PASSWORD), progress=bar
    )
    async with write_transaction():
        for section in SECTIONS:
            bar.step(section.__name__.strip("_"), count=0)
            await section(ctx)
            bar.step()
    await refresh_statistics()
    return demo_logins()


def demo_logins() -> str:
    lines = [f"Demo logins (password for all: {DEMO_PASSWORD}):"]
    lines += [f"  {username:<16} {role}" for username, role, _name, _locs in DEMO_USERS]
    lines.append("The coordinator sets up two-step verification at the first login: have an authenticator app at hand")
    lines.append("(on a phone, or on this computer, e.g. `oathtool --totp -b KEY` with the key the page shows).")
    return "\n".join(lines)
