"""A realistic demo programme, generated deterministically.

``small`` is the pilots' size, ``city`` Helsinki's 2024 plan (~58 locations),
``national`` the programme copied to other cities. Each domain adds its part
through a function listed in ``SECTIONS``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Awaitable, Callable

from digiystava.accounts.passwords import hash_password
from digiystava.accounts.tables import StaffUser
from digiystava.db import write_transaction

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
    "Alppiharju", "Arabianranta", "Haaga", "Herttoniemi", "Itäkeskus", "Jakomäki", "Kallio", "Kannelmäki", "Kontula",
    "Käpylä", "Laajasalo", "Lauttasaari", "Malmi", "Maunula", "Meilahti", "Munkkiniemi", "Myllypuro", "Oulunkylä",
    "Pakila", "Pihlajamäki", "Pitäjänmäki", "Pukinmäki", "Puistola", "Roihuvuori", "Tapanila", "Töölö", "Vallila",
    "Vartiokylä", "Viikki", "Vuosaari",
]
KIND_WORDS = {"community_house": "yhteisötalo", "service_centre": "palvelukeskus", "library": "kirjasto"}
SCALE_LOCATIONS = {"small": 8, "city": 58, "national": 300}


@dataclass
class DemoContext:
    """What the sections share: the scale, a seeded random source and created ids."""

    scale: str
    rng: random.Random
    password_hash: str = ""
    location_ids: list[int] = field(default_factory=list)
    users: dict[str, int] = field(default_factory=dict)
    cohorts: list[tuple[int, str, int]] = field(default_factory=list)  # (id, status, location id)


async def _locations(ctx: DemoContext) -> None:
    from cohorts.tables import Location

    rows = list(HELSINKI_LOCATIONS)
    n = SCALE_LOCATIONS[ctx.scale]
    i = 0
    while len(rows) < n:
        district = DISTRICTS[i % len(DISTRICTS)]
        kind = ("library", "service_centre", "community_house")[i % 3]
        city = "" if i < len(DISTRICTS) * 3 else f" {i // (len(DISTRICTS) * 3) + 1}"
        rows.append((f"{district} {KIND_WORDS[kind]}{city}", kind, district, f"{district}ntie {i % 40 + 1}"))
        i += 1
    result = await Location.insert(*[Location(name=a, kind=k, district=d, address=ad) for a, k, d, ad in rows[:n]]).returning(Location.id)
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
    from cohorts.tables import StaffLocation

    for username, role, name, location_indexes in DEMO_USERS:
        user = StaffUser(username=username, role=role, display_name=name, password_hash=ctx.password_hash, email=f"{username}@example.fi")
        await user.save()
        ctx.users[username] = user.id
        if location_indexes:
            await StaffLocation.insert(*[StaffLocation(user=user.id, location=ctx.location_ids[i]) for i in location_indexes])


FIRST_NAMES = [
    "Aino", "Eino", "Helvi", "Toivo", "Kaarina", "Pentti", "Marjatta", "Veikko", "Tuulikki", "Raimo", "Irma", "Reijo",
    "Sirkka", "Kalevi", "Liisa", "Erkki", "Anneli", "Martti", "Elsa", "Bror", "Gunnel", "Ragnar", "Birgitta", "Ольга",
    "Tiiu", "Faadumo", "Fatima", "Margit", "Leena", "Olavi",
]
LAST_NAMES = [
    "Virtanen", "Korhonen", "Nieminen", "Mäkinen", "Hämäläinen", "Laine", "Heikkinen", "Koskinen", "Järvinen", "Lehtonen",
    "Lindqvist", "Nyström", "Holmberg", "Wikström", "Иванова", "Tamm", "Cabdi", "Al-Hassan", "Saarinen", "Salminen",
]
LANGUAGE_OF = {"Bror": "sv", "Gunnel": "sv", "Ragnar": "sv", "Birgitta": "sv", "Ольга": "ru", "Tiiu": "et", "Faadumo": "so", "Fatima": "ar"}
NEEDS = [[], [], [], ["sight"], ["hearing"], ["hands"], ["memory"], ["sight", "hearing"]]


async def _cohorts(ctx: DemoContext) -> None:
    """Completed spring cohorts, running autumn cohorts and planned spring ones, with seniors and attendance."""
    import datetime as dt
    import secrets

    from cohorts.courses.schedule import last_session_date, plan_sessions
    from cohorts.tables import Attendance, Cohort, CohortTrainer, CourseSession, Enrolment, Participant, StaffLocation

    rng, today = ctx.rng, dt.date.today()
    trainers = {row["location"]: row["user"] for row in await StaffLocation.select(StaffLocation.location, StaffLocation.user)}
    for index, location_id in enumerate(ctx.location_ids):
        district = DISTRICTS[index % len(DISTRICTS)]
        seniors = []
        for _ in range(rng.randint(22, 30)):
            first = rng.choice(FIRST_NAMES)
            seniors.append(
                Participant(
                    pseudonym=secrets.token_hex(5).upper(), first_name=first, last_name=rng.choice(LAST_NAMES), language=LANGUAGE_OF.get(first, "fi"),
                    district=district, birth_year=rng.randint(1935, 1958), phone=f"040{rng.randint(1000000, 9999999)}",
                    accessibility_needs=rng.choice(NEEDS), consent_given_on=today - dt.timedelta(days=rng.randint(30, 400)), location=location_id,
                )
            )
        senior_ids = [r["id"] for r in await Participant.insert(*seniors).returning(Participant.id)]
        # Monday-based weeks: completed last spring, running now, planned for next term.
        monday = today - dt.timedelta(days=today.weekday())
        plans = [
            ("completed", monday - dt.timedelta(weeks=30) + dt.timedelta(days=index % 4), "Kevät"),
            ("running", monday - dt.timedelta(weeks=6) + dt.timedelta(days=index % 4), "Syksy"),
            ("planned", monday + dt.timedelta(weeks=8) + dt.timedelta(days=index % 4), "Tammikuu"),
        ]
        for status, start, season in plans:
            start_time = dt.time(rng.choice([10, 13, 14]), 0)
            cohort = Cohort(
                location=location_id, name=f"{season} {start.year}", start_date=start, start_time=start_time, weeks=10, capacity=rng.choice([12, 15, 19]),
                status=status, end_date=last_session_date(start, 10), calendar_token=secrets.token_urlsafe(24), session_minutes=90,
            )
            await cohort.save()
            if location_id in trainers:
                await CohortTrainer.insert(CohortTrainer(cohort=cohort.id, user=trainers[location_id]))
            planned = plan_sessions(start, start_time, 10)
            sessions = await CourseSession.insert(
                *[CourseSession(cohort=cohort.id, week=p.week, date=p.date, start_time=p.start_time, kind=p.kind, holiday=p.holiday, cancelled=bool(p.holiday)) for p in planned]
            ).returning(CourseSession.id, CourseSession.date, CourseSession.cancelled)
            ctx.cohorts.append((cohort.id, status, location_id))
            pool = rng.sample(senior_ids, k=min(len(senior_ids), cohort.capacity + (3 if status != "completed" else 0)))
            enrolments, seated = [], []
            for position, person in enumerate(pool):
                if position < cohort.capacity:
                    final = "enrolled" if status != "completed" else rng.choices(["completed", "dropped"], [9, 1])[0]
                    enrolments.append(Enrolment(cohort=cohort.id, participant=person, status=final))
                    if final != "dropped":
                        seated.append(person)
                elif status != "completed":
                    enrolments.append(Enrolment(cohort=cohort.id, participant=person, status="waitlisted", waitlist_position=position - cohort.capacity + 1))
            await Enrolment.insert(*enrolments)
            marks = [
                Attendance(session=s["id"], participant=person, status=rng.choices(["present", "absent", "excused"], [85, 9, 6])[0])
                for s in sessions
                if s["date"] < today and not s["cancelled"]
                for person in seated
            ]
            if marks:
                await Attendance.insert(*marks)


SECTIONS: list[Callable[[DemoContext], Awaitable[None]]] = [_locations, _users, _cohorts]
# --- Skill self-assessments (assessments app) ----------------------------------------
# The course teaches these first, so they grow most; the rest grow a little.
TAUGHT_FIRST = ("search", "email", "contact", "photos")


async def _assessments(ctx: DemoContext) -> None:
    """Before and after answers for completed cohorts, before answers for running ones."""
    import datetime as dt

    from assessments.instrument import current_instrument
    from assessments.tables import Assessment
    from cohorts.tables import Cohort, Enrolment
    from digiystava.i18n import HELSINKI

    cohorts = await Cohort.select(Cohort.id, Cohort.status, Cohort.start_date, Cohort.end_date, Cohort.start_time).where(
        Cohort.status.is_in(["running", "completed"])
    ).order_by(Cohort.id)
    if not cohorts:
        return
    enrolments = await Enrolment.select(Enrolment.cohort, Enrolment.participant).where(
        Enrolment.cohort.is_in([c["id"] for c in cohorts]), Enrolment.status.is_in(["enrolled", "completed"])
    ).order_by(Enrolment.id)
    instrument = current_instrument()
    rng = ctx.rng
    recorder = ctx.users.get("koordinaattori")

    def when(day: dt.date, start: dt.time) -> dt.datetime:
        return dt.datetime.combine(day, start, tzinfo=HELSINKI).astimezone(dt.timezone.utc) + dt.timedelta(minutes=rng.randint(20, 80))

    def maybe_missing(levels: dict[str, int | None]) -> dict[str, int | None]:
        # NOTE: about one answer in 25 is left blank, as on real paper forms.
        return {code: None if rng.random() < 0.04 else level for code, level in levels.items()}

    rows = []
    for cohort in cohorts:
        for enrolment in (e for e in enrolments if e["cohort"] == cohort["id"]):
            before = {code: rng.choices((0, 1, 2, 3), weights=(45, 35, 15, 5))[0] for code in instrument.skill_codes}
            common = dict(participant=enrolment["participant"], cohort=cohort["id"], instrument_version=instrument.version, recorded_by=recorder)
            only_after = cohort["status"] == "completed" and rng.random() < 0.04  # missed the first session
            if not only_after:
                at = when(cohort["start_date"], cohort["start_time"])
                rows.append(Assessment(
                    **common, phase="before", answers=maybe_missing(before), wishes=rng.sample(instrument.wish_codes, rng.randint(1, 3)),
                    method=rng.choices(("paper", "with_help", "alone"), weights=(6, 3, 1))[0], recorded_at=at, updated_at=at,
                ))
            if cohort["status"] != "completed":
                continue
            after = {}
            for code, level in before.items():
                gain = rng.choices((0, 1, 2, 3), weights=(10, 35, 40, 15) if code in TAUGHT_FIRST else (45, 40, 12, 3))[0]
                after[code] = min(4, level + gain)
            at = when(cohort["end_date"], cohort["start_time"])
            rows.append(Assessment(
                **common, phase="after", answers=maybe_missing(after), wishes=[],
                method=rng.choices(("paper", "with_help", "alone"), weights=(4, 3, 3))[0], recorded_at=at, updated_at=at,
            ))
    if rows:
        await Assessment.insert(*rows)


SECTIONS += [_assessments]


async def _volunteers(ctx: DemoContext) -> None:
    """HelsinkiMissio's volunteers, "vapaaehtoinen" linked to one, and pairs in running and completed cohorts."""
    from cohorts.volunteers import demo

    await demo.load(ctx.scale, ctx.rng, DISTRICTS, ctx.users.get("vapaaehtoinen"))


SECTIONS.append(_volunteers)  # NOTE: after the cohorts section, whose cohorts it pairs
# --- Tablet inventory and loans ----------------------------------------------------------
TABLET_MODELS = {
    "DNA": [("Samsung Galaxy Tab A9+", "android", "R9TW"), ("Lenovo Tab M10", "android", "HA1K")],
    "Vanhusten turva": [("Apple iPad (9th generation)", "ipados", "DMPX"), ("Samsung Galaxy Tab A8", "android", "R9XN")],
}
DEMO_SPARE_TABLETS = 24


async def _tablets(ctx: DemoContext) -> None:
    """Donations from DNA and Vanhusten turva; tablets in every state; loans for the cohorts' seniors.

    Running cohorts have their tablets out; completed cohorts' tablets came back, stayed
    with the senior (Vanhusten turva allows it), were lost or wait in maintenance, and a
    few are still out past their return date. Without cohorts only the inventory is made.
    """
    import datetime as dt

    from cohorts.tables import Donation, Enrolment, Loan, Tablet, TabletEvent
    from cohorts.tablets.history import asset_tag

    enrolments = await Enrolment.select(
        Enrolment.cohort, Enrolment.participant, Enrolment.cohort.status.as_alias("cohort_status"),
        Enrolment.cohort.start_date.as_alias("start_date"), Enrolment.cohort.end_date.as_alias("end_date"),
    ).where(Enrolment.status.is_in(["enrolled", "completed"]), Enrolment.cohort.status.is_in(["running", "completed"])).order_by(Enrolment.id)
    count = len(enrolments) + DEMO_SPARE_TABLETS
    donors = ["DNA" if i % 2 == 0 else "Vanhusten turva" for i in range(count)]
    # Two deliveries per donor; Vanhusten turva lets seniors keep their tablets.
    donation_rows = []
    for donor, prefix, may_keep in (("DNA", "DNA-LAH", False), ("Vanhusten turva", "VT", True)):
        mine = donors.count(donor)
        for batch, (received, share) in enumerate(((dt.date(2023, 1, 16), mine // 2), (dt.date(2024, 2, 5), mine - mine // 2)), start=1):
            donation_rows.append(Donation(donor=donor, received_on=received, tablet_count=share, reference=f"{prefix}-{received.year}-{batch:02d}", seniors_may_keep=may_keep))
    donation_ids = [r["id"] for r in await Donation.insert(*donation_rows).returning(Donation.id)]
    donation_of = {"DNA": donation_ids[0:2], "Vanhusten turva": donation_ids[2:4]}
    full_kit = {"charger": True, "cable": True, "case": True, "stylus": False, "headphones": False, "sim_card": False, "sim_number": "", "data_plan": ""}
    tablets = []
    for i, donor in enumerate(donors):
        model, os_name, serial_prefix = TABLET_MODELS[donor][i // 2 % 2]
        accessories = dict(full_kit, stylus=ctx.rng.random() < 0.3)
        if ctx.rng.random() < 0.25:
            accessories.update(sim_card=True, sim_number=f"+358 44 {ctx.rng.randrange(100, 999)} {ctx.rng.randrange(1000, 9999)}", data_plan="Data 10 GB")
        half = 0 if i < count // 2 else 1
        tablets.append(Tablet(
            asset_tag=asset_tag(i + 1), serial_number=f"{serial_prefix}{i + 1:06d}{ctx.rng.choice('ABCDEFGHJK')}", donation=donation_of[donor][half],
            donor=donor, model=model, os=os_name, accessories=accessories, condition="good", status="available",
        ))
    tablet_ids: list[int] = []
    for start in range(0, len(tablets), 500):
        tablet_ids += [r["id"] for r in await Tablet.insert(*tablets[start : start + 500]).returning(Tablet.id)]
    events = [TabletEvent(tablet=t, kind="received", username="koordinaattori", note="demo") for t in tablet_ids]
    status: dict[int, str] = {}
    loans, outcomes = [], []
    today = dt.date.today()
    for i, (enrolment, tablet_id, donor) in enumerate(zip(enrolments, tablet_ids, donors)):
        out_at = dt.datetime.combine(enrolment["start_date"], dt.time(11, 0), tzinfo=dt.timezone.utc)
        due = enrolment["end_date"] + dt.timedelta(days=14)
        # NOTE: a fixed pattern rather than chance, so every outcome shows up even at the small scale.
        if enrolment["cohort_status"] == "running" or due >= today or i % 13 == 0:
            outcome = ""  # still out (past its date when the course has ended)
        elif i % 10 == 1 and donor == "Vanhusten turva":
            outcome = "kept"
        elif i % 10 == 4:
            outcome = "lost"
        elif i % 10 == 7:
            outcome = "maintenance"
        else:
            outcome = "returned"
        returned_at = None if not outcome else dt.datetime.combine(due - dt.timedelta(days=ctx.rng.randrange(0, 12)), dt.time(12, 30), tzinfo=dt.timezone.utc)
        loans.append(Loan(
            tablet=tablet_id, participant=enrolment["participant"], cohort=enrolment["cohort"], out_at=out_at, due_date=due, accessories=full_kit,
            agreement_signed_on=enrolment["start_date"], returned_at=returned_at, outcome=outcome, wiped=outcome in ("returned", "maintenance"),
            return_condition={"returned": "good", "maintenance": "damaged", "lost": "missing", "kept": "good"}.get(outcome, ""),
            return_checklist={"charger": True, "cable": outcome != "maintenance", "case": True} if outcome in ("returned", "maintenance") else {},
            lent_by=ctx.users.get("koordinaattori"),
        ))
        outcomes.append((tablet_id, outcome))
        status[tablet_id] = {"": "on_loan", "kept": "retired", "lost": "lost", "maintenance": "maintenance", "returned": "available"}[outcome]
    loan_ids: list[int] = []
    for start in range(0, len(loans), 500):
        loan_ids += [r["id"] for r in await Loan.insert(*loans[start : start + 500]).returning(Loan.id)]
    for loan_id, (tablet_id, outcome) in zip(loan_ids, outcomes):
        events.append(TabletEvent(tablet=tablet_id, kind="loaned", loan=loan_id, username="koordinaattori"))
        if outcome:
            events.append(TabletEvent(tablet=tablet_id, kind={"maintenance": "returned"}.get(outcome, outcome), loan=loan_id, username="koordinaattori"))
    # The spares: mostly on the shelf, and one of every other state even without cohorts.
    spares = tablet_ids[len(enrolments):]
    # NOTE: in pairs, because consecutive tablets alternate between the two donors.
    for tablet_id, spare_status in zip(spares, ("maintenance", "maintenance", "retired", "retired", "lost", "lost", "maintenance", "maintenance")):
        status[tablet_id] = spare_status
        events.append(TabletEvent(tablet=tablet_id, kind=spare_status, username="koordinaattori", note="demo"))
    for value in ("on_loan", "retired", "lost", "maintenance"):
        ids = [t for t, s in status.items() if s == value]
        for start in range(0, len(ids), 500):
            await Tablet.update({Tablet.status: value}).where(Tablet.id.is_in(ids[start : start + 500]))
    # NOTE: the first spare came back without a confirmed wipe; it cannot be lent until wiped.
    await Tablet.update({Tablet.needs_wipe: True, Tablet.condition: "good"}).where(Tablet.id == spares[0])
    await Tablet.update({Tablet.condition: "damaged"}).where(Tablet.id.is_in([t for t, s in status.items() if s == "maintenance" and t != spares[0]] or [0]))
    for start in range(0, len(events), 500):
        await TabletEvent.insert(*events[start : start + 500])


SECTIONS.append(_tablets)  # after the cohorts section, whose enrolments it lends to


async def load_demo(scale: str = "small", only_if_empty: bool = False) -> str:
    if await StaffUser.count() > 0:
        if only_if_empty:
            return "The database already has data; the demo was not loaded."
        raise RuntimeError("the database already has data; the demo loads only into an empty database")
    ctx = DemoContext(scale=scale, rng=random.Random(2024), password_hash=await hash_password(DEMO_PASSWORD))
    async with write_transaction():
        for section in SECTIONS:
            await section(ctx)
    return demo_logins()


def demo_logins() -> str:
    lines = ["Demo logins (password for all: %s):" % DEMO_PASSWORD]
    lines += [f"  {username:<16} {role}" for username, role, _name, _locs in DEMO_USERS]
    return "\n".join(lines)
