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


SECTIONS: list[Callable[[DemoContext], Awaitable[None]]] = [_locations, _users]
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
