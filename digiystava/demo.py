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


async def _volunteers(ctx: DemoContext) -> None:
    """HelsinkiMissio's volunteers, "vapaaehtoinen" linked to one, and pairs in running and completed cohorts."""
    from cohorts.volunteers import demo

    await demo.load(ctx.scale, ctx.rng, DISTRICTS, ctx.users.get("vapaaehtoinen"))


SECTIONS: list[Callable[[DemoContext], Awaitable[None]]] = [_locations, _users]
SECTIONS.append(_volunteers)  # NOTE: after the cohorts section, whose cohorts it pairs


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
