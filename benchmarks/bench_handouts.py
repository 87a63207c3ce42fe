"""Time a whole cohort's personal beginner's guides: 19 seniors, as the Pihlajamäki pilot had.

Builds a throw-away database (SQLite by default, or ``--database-url`` for an empty
PostgreSQL database), migrates it, stores one running cohort with 19 seniors in Finnish,
Swedish and English, tablets on loan (Android and iPad), digital friends and "before"
self-assessments with wishes, then times ``personal_guides_zip`` (gather every senior's
tailoring, lay out 19 large-print PDFs, zip them) and one senior's guide alone.
The target is a few seconds for the whole cohort.

Run from the repository root: ``.venv/bin/python benchmarks/bench_handouts.py``.
Exits with status 1 if the median misses the target.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import io
import os
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGET_SECONDS = 6.0
SENIORS = 19
FIRST = [
    "Aino",
    "Eino",
    "Helmi",
    "Toivo",
    "Birgitta",
    "Ruth",
    "Kalle",
    "Lempi",
    "Veikko",
    "Sirkka",
    "Märta",
    "Olga",
    "Pertti",
    "Raili",
    "Ulla",
    "Tapio",
    "Greta",
    "Arvo",
    "Liisa",
]
LAST = [
    "Virtanen",
    "Mäkinen",
    "Lindqvist",
    "Ahlström",
    "Korhonen",
    "Nieminen",
    "Laine",
    "Heikkinen",
    "Koskinen",
    "Järvinen",
    "Lehtonen",
    "Saarinen",
    "Salminen",
    "Nyström",
    "Hämäläinen",
    "Karjalainen",
    "Ström",
    "Niemi",
    "Kallio",
]
WISHES = [
    "contact",
    "information",
    "timetables",
    "photos",
    "email",
    "bills",
    "health",
    "doctor",
    "bank",
    "kela",
    "groceries",
]
SKILLS = [
    "search",
    "email",
    "calendar",
    "banking",
    "shopping",
    "health",
    "photos",
    "e_reading",
    "streaming",
    "music",
    "games",
    "contact",
    "remote_groups",
]


async def seed(rng: random.Random) -> int:
    from assessments.tables import Assessment
    from cohorts.tables import (
        Cohort,
        CohortTrainer,
        CourseSession,
        Enrolment,
        Loan,
        Location,
        Pairing,
        Participant,
        Tablet,
        Volunteer,
    )
    from digiystava.accounts.tables import StaffUser

    location = Location(
        name="Pihlajamäen nuorisotalo", kind="community_house", district="Pihlajamäki", address="Liusketie 4"
    )
    await location.save()
    trainer = StaffUser(
        username="trainer",
        role="trainer",
        password_hash="x",
        display_name="Tiina Kouluttaja",
        phone="09 310 55555",
        email="tiina@hel.fi",
    )
    await trainer.save()
    coordinator = StaffUser(
        username="coordinator",
        role="coordinator",
        password_hash="x",
        display_name="Kaisa Koordinaattori",
        phone="040 334 4556",
    )
    await coordinator.save()
    start = dt.date(2026, 9, 7)
    cohort = Cohort(
        location=location.id,
        name="Syksy 2026 Pihlajamäki",
        start_date=start,
        start_time=dt.time(13),
        status="running",
        end_date=start + dt.timedelta(weeks=9),
        calendar_token=secrets.token_urlsafe(24),
    )
    await cohort.save()
    await CohortTrainer(cohort=cohort.id, user=trainer.id).save()
    await CourseSession.insert(
        *[
            CourseSession(
                cohort=cohort.id,
                week=w,
                date=start + dt.timedelta(weeks=w - 1),
                start_time=dt.time(13),
                kind="group" if w % 2 else "practice",
            )
            for w in range(1, 11)
        ]
    )
    languages = ["fi"] * 13 + ["sv"] * 4 + ["en", "ru"]
    people = await Participant.insert(
        *[
            Participant(
                pseudonym=f"H{i:05d}",
                first_name=FIRST[i],
                last_name=LAST[i],
                language=languages[i],
                location=location.id,
            )
            for i in range(SENIORS)
        ]
    ).returning(Participant.id)
    ids = [p["id"] for p in people]
    await Enrolment.insert(*[Enrolment(cohort=cohort.id, participant=i, status="enrolled") for i in ids])
    tablets = await Tablet.insert(
        *[
            Tablet(
                asset_tag=f"BENCH-{i:04d}",
                serial_number=f"S{i:06d}",
                donor="DNA",
                os="ipados" if i % 3 == 0 else "android",
                status="on_loan",
            )
            for i in range(SENIORS)
        ]
    ).returning(Tablet.id)
    await Loan.insert(
        *[
            Loan(tablet=t["id"], participant=p, cohort=cohort.id, due_date=start + dt.timedelta(weeks=11))
            for t, p in zip(tablets, ids)
        ]
    )
    friends = await Volunteer.insert(
        *[Volunteer(name=f"{name} Ystävä") for name in ("Mikko", "Sara", "Jussi", "Anna", "Pekka", "Emma", "Ville")]
    ).returning(Volunteer.id)
    await Pairing.insert(
        *[
            Pairing(cohort=cohort.id, volunteer=friends[i % len(friends)]["id"], participant=p, started_on=start)
            for i, p in enumerate(ids)
        ]
    )
    await Assessment.insert(
        *[
            Assessment(
                participant=p,
                cohort=cohort.id,
                phase="before",
                instrument_version=1,
                answers={s: rng.choice([0, 1, 1, 2, 3, None]) for s in SKILLS},
                wishes=rng.sample(WISHES, 3),
            )
            for p in ids
        ]
    )
    return cohort.id


async def run(url: str, runs: int) -> int:
    from cohorts.handouts import services
    from digiystava import db
    from digiystava.access import Principal

    engine = db.engine_from_url(url)
    db.bind(engine)
    async with db.lifespan_pool(engine):
        cohort_id = await seed(random.Random(2022))
        principal = Principal(user_id=0, username="bench", role="coordinator")
        first_senior = (await services.seniors(cohort_id))[0].id

        async def timed(make) -> tuple[float, bytes]:
            start = time.perf_counter()
            content = await make()
            return time.perf_counter() - start, content

        first, content = await timed(lambda: services.personal_guides_zip(principal, cohort_id))
        whole = [(await timed(lambda: services.personal_guides_zip(principal, cohort_id)))[0] for _ in range(runs)]
        one = [
            (await timed(lambda: services.guide_pdf(principal, cohort_id, "beginner", None, first_senior)))[0]
            for _ in range(runs)
        ]
        gather = []
        for _ in range(runs):
            start = time.perf_counter()
            await services.seniors(cohort_id)
            gather.append(time.perf_counter() - start)
    archive = zipfile.ZipFile(io.BytesIO(content))
    from pypdf import PdfReader

    pages = [len(PdfReader(io.BytesIO(archive.read(name))).pages) for name in archive.namelist()]
    print(
        f"{len(pages)} personal guides, {sum(pages)} pages ({min(pages)}-{max(pages)} each), zip "
        f"{len(content) / 1e6:.1f} MB, {runs} runs, {engine.engine_type}"
    )
    print(f"{'figure':<36} {'min s':>8} {'median s':>9}")
    for label, times in (
        ("whole cohort (zip of 19 PDFs)", whole),
        ("one senior's guide", one),
        ("gathering 19 seniors' tailoring", gather),
    ):
        print(f"{label:<36} {min(times):>8.3f} {statistics.median(times):>9.3f}")
    print(f"{'first call (fonts, guide files)':<36} {first:>8.3f}")
    print(f"per guide: {statistics.median(whole) / len(pages) * 1e3:.0f} ms")
    met = statistics.median(whole) < TARGET_SECONDS
    print(f"target median < {TARGET_SECONDS:.0f} s: {'met' if met else 'MISSED'}")
    return 0 if met else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database-url", help="an empty PostgreSQL database; default: a temporary SQLite file")
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp(prefix='bench-handouts-')}/bench.sqlite"
    env = {**os.environ, "DIGIYSTAVA_DATABASE_URL": url}
    subprocess.run([sys.executable, "-m", "digiystava", "migrate"], cwd=ROOT, env=env, check=True, capture_output=True)
    return asyncio.run(run(url, args.runs))


if __name__ == "__main__":
    sys.exit(main())
