"""Time the suggestion endpoint's service for 300 seniors and 200 volunteers against the bare engine.

Builds a throw-away database (SQLite by default, or ``--database-url`` for PostgreSQL,
which must name an empty database), migrates it, stores one running cohort with the
same seniors, volunteers and practice sessions that ``bench_pairing.py`` generates,
and times ``cohorts.volunteers.pairing.suggestions`` (read the cohort, build the
engine's input, solve, put the reasons in words) against ``suggest_pairs`` on inputs
already in memory. The target for the service is well under a second.

Run from the repository root: ``.venv/bin/python benchmarks/bench_pairing_service.py``.
Exits with status 1 if the median misses the target.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_pairing import make_cohort  # noqa: E402

TARGET_SECONDS = 1.0


async def seed(seniors, volunteers, slots) -> int:
    from cohorts.tables import Cohort, CourseSession, Enrolment, Location, Pairing, Participant, Volunteer

    location = Location(name="Kinaporin palvelukeskus", kind="service_centre", district="Kallio")
    await location.save()
    start = dt.date(2026, 9, 7)  # a Monday
    cohort = Cohort(
        location=location.id,
        name="Bench",
        start_date=start,
        start_time=dt.time(10),
        session_minutes=90,
        status="running",
        end_date=start + dt.timedelta(weeks=9),
        calendar_token=secrets.token_urlsafe(24),
        capacity=len(seniors),
    )
    await cohort.save()
    # The generated slots: Tuesday 10:00 and Thursday 13:00, 90 minutes, five weeks each.
    sessions = [
        CourseSession(
            cohort=cohort.id,
            week=w,
            date=start + dt.timedelta(weeks=w - 1, days=slot.weekday),
            start_time=slot.start,
            kind="practice",
        )
        for w in range(1, 6)
        for slot in slots
    ]
    await CourseSession.insert(*sessions)
    rows = await Participant.insert(
        *[
            Participant(pseudonym=f"B{i:05d}", first_name=s.id, language=s.language, district=s.district or "")
            for i, s in enumerate(seniors)
        ]
    ).returning(Participant.id)
    await Enrolment.insert(*[Enrolment(cohort=cohort.id, participant=r["id"], status="enrolled") for r in rows])
    vrows = await Volunteer.insert(
        *[
            Volunteer(
                name=v.id,
                languages=list(v.languages),
                districts=list(v.districts),
                max_participants=v.capacity,
                availability=[
                    {"weekday": w.weekday, "start": w.start.strftime("%H:%M"), "end": w.end.strftime("%H:%M")}
                    for w in v.availability
                ],
            )
            for v in volunteers
        ]
    ).returning(Volunteer.id)
    # Existing load: pairs in another running cohort, as the generator's loads say.
    other = Cohort(
        location=location.id,
        name="Other",
        start_date=start,
        start_time=dt.time(10),
        status="running",
        end_date=start,
        calendar_token=secrets.token_urlsafe(24),
    )
    await other.save()
    extra = []
    for v, row in zip(volunteers, vrows):
        for _k in range(v.load):
            p = Participant(pseudonym=secrets.token_hex(6), first_name="x")
            await p.save()
            extra.append(Pairing(cohort=other.id, volunteer=row["id"], participant=p.id, started_on=start))
    if extra:
        await Pairing.insert(*extra)
    return cohort.id


async def run(url: str, runs: int, seed_value: int) -> int:
    from cohorts.volunteers import pairing
    from cohorts.volunteers.matching import suggest_pairs
    from digiystava import db
    from digiystava.access import Principal

    engine = db.engine_from_url(url)
    db.bind(engine)
    seniors, volunteers, slots = make_cohort(seed_value)
    cohort_id = await seed(seniors, volunteers, slots)
    principal = Principal(user_id=0, username="bench", role="coordinator")

    async def timed_service() -> float:
        start = time.perf_counter()
        await pairing.suggestions(principal, cohort_id)
        return time.perf_counter() - start

    first = await timed_service()
    service = [await timed_service() for _ in range(runs)]
    inputs = await pairing.cohort_inputs(cohort_id, 90)
    engine_times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = suggest_pairs(inputs.seniors, inputs.volunteers, inputs.slots)
        engine_times.append(time.perf_counter() - start)
    base = statistics.median(engine_times)
    print(
        f"{len(seniors)} seniors, {len(volunteers)} volunteers, {len(inputs.slots)} practice sessions, {runs} "
        f"runs, {engine.engine_type}"
    )
    print(f"{'figure':<34} {'min ms':>9} {'median ms':>10} {'x engine':>9}")
    for label, times in (("suggest_pairs alone", engine_times), ("suggestions service (end to end)", service)):
        print(
            f"{label:<34} {min(times) * 1e3:>9.1f} {statistics.median(times) * 1e3:>10.1f} "
            f"{statistics.median(times) / base:>9.1f}"
        )
    print(f"{'first call':<34} {first * 1e3:>9.1f}")
    print(f"suggested {len(result.suggestions)}, unmatched {len(result.unmatched)}")
    met = statistics.median(service) < TARGET_SECONDS
    print(f"target median < {TARGET_SECONDS * 1e3:.0f} ms: {'met' if met else 'MISSED'}")
    return 0 if met else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--database-url", help="an empty PostgreSQL database; default: a temporary SQLite file")
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp(prefix='bench-pairing-')}/bench.sqlite"
    env = {**os.environ, "DIGIYSTAVA_DATABASE_URL": url}
    subprocess.run([sys.executable, "-m", "digiystava", "migrate"], cwd=ROOT, env=env, check=True, capture_output=True)
    return asyncio.run(run(url, args.runs, args.seed))


if __name__ == "__main__":
    sys.exit(main())
