"""Demo volunteers of HelsinkiMissio, their pairs in the demo cohorts, and their hours."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from typing import Any

from cohorts.tables import Cohort, CourseSession, Enrolment, Pairing, Volunteer, VolunteerHours
from cohorts.volunteers import matching
from cohorts.volunteers.hours import quarter_hours
from cohorts.volunteers.pairing import practice_slots
from digiystava import bulk, clock

# name, languages, districts, weekly windows (weekday, start hour, end hour)
BASE_VOLUNTEERS: list[tuple[str, list[str], list[str], list[tuple[int, int, int]]]] = [
    ("Ville Vapaaehtoinen", ["fi", "en"], ["Kallio", "Alppiharju"], [(0, 9, 16), (2, 9, 16)]),
    ("Mikko Laine", ["fi"], ["Pihlajamäki", "Malmi"], [(1, 9, 15), (3, 12, 17)]),
    ("Liisa Heikkinen", ["fi", "en"], ["Kallio", "Vallila"], [(0, 12, 18), (3, 9, 13)]),
    ("Astrid Lindholm", ["sv", "fi"], ["Töölö", "Lauttasaari"], [(1, 10, 15), (4, 9, 12)]),
    ("Henrik Sjöberg", ["sv", "fi", "en"], ["Munkkiniemi", "Töölö"], [(2, 12, 17)]),
    ("Pekka Nieminen", ["fi"], ["Itäkeskus", "Vartiokylä"], [(0, 9, 13), (2, 9, 13), (4, 9, 13)]),
    ("Olga Smirnova", ["ru", "fi"], ["Itäkeskus", "Kontula"], [(1, 12, 17), (3, 12, 17)]),
    ("Karim Haddad", ["ar", "fi", "en"], ["Kontula", "Myllypuro"], [(0, 14, 19), (3, 14, 19)]),
    ("Sirpa Koskinen", ["fi"], ["Malmi", "Pukinmäki"], [(1, 9, 12), (2, 13, 16)]),
    ("Ulla Grönqvist", ["sv", "fi"], ["Kallio", "Töölö"], [(0, 10, 14)]),
    ("Jukka Mäkinen", ["fi", "en"], ["Vuosaari"], [(1, 12, 18), (4, 12, 16)]),
    ("Sarah Collins", ["en", "fi"], ["Kallio", "Töölö"], [(2, 9, 15)]),
    ("Anneli Salo", ["fi"], ["Pihlajamäki", "Viikki"], [(0, 9, 17), (3, 9, 17)]),
    ("Erik Nyström", ["sv", "fi"], ["Lauttasaari", "Haaga"], [(1, 13, 17), (3, 13, 17)]),
    ("Tuula Järvinen", ["fi", "ru"], ["Kontula", "Vuosaari"], [(2, 10, 16), (4, 10, 14)]),
]
MORE_FIRST = [
    "Aila",
    "Harri",
    "Kaija",
    "Markku",
    "Maija",
    "Seppo",
    "Johanna",
    "Mats",
    "Elina",
    "Björn",
    "Tiina",
    "Sanna",
]
MORE_LAST = [
    "Korhonen",
    "Virtanen",
    "Lindqvist",
    "Heinonen",
    "Åberg",
    "Rantanen",
    "Söderberg",
    "Karjalainen",
    "Lehtinen",
    "Holmström",
]
PER_SCALE = {"small": 1, "city": 20, "national": 200}


def _windows(spec: list[tuple[int, int, int]]) -> list[dict[str, Any]]:
    return [{"weekday": d, "start": f"{s:02d}:00", "end": f"{e:02d}:00"} for d, s, e in spec]


def volunteer_rows(
    scale: str, rng: random.Random, districts: list[str], linked_user: int | None
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for n, (name, languages, areas, windows) in enumerate(BASE_VOLUNTEERS):
        rows.append(
            {
                "name": name,
                "languages": languages,
                "districts": areas,
                "availability": _windows(windows),
                "user": linked_user if n == 0 else None,
            }
        )
    for _ in range(len(BASE_VOLUNTEERS) * (PER_SCALE.get(scale, 1) - 1)):
        languages = ["fi"] + (["sv"] if rng.random() < 0.15 else []) + (["en"] if rng.random() < 0.4 else [])
        start = rng.randint(9, 14)
        windows = [(rng.randint(0, 4), start, start + rng.randint(3, 6)) for _ in range(rng.randint(1, 3))]
        rows.append(
            {
                "name": f"{rng.choice(MORE_FIRST)} {rng.choice(MORE_LAST)}",
                "languages": languages,
                "districts": rng.sample(districts, 2),
                "availability": _windows(windows),
                "user": None,
            }
        )
    for n, row in enumerate(rows):
        first = row["name"].split()[0].lower().replace("ö", "o").replace("ä", "a").replace("å", "a")
        row.update(
            {
                "phone": f"040 {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
                "email": f"{first}.{n + 1}@example.fi",
                "organisation": "HelsinkiMissio",
                "max_participants": rng.choice([1, 2, 2, 2, 3]),
                # NOTE: a few have not finished their checks yet, as in real life; the dates stay in
                # 2024-2025 at every scale (a check is recorded once it is done, never ahead).
                "identity_checked_on": None if n % 7 == 6 else dt.date(2024, 1, 10) + dt.timedelta(days=n * 3 % 600),
                "training_done_on": None if n % 5 == 4 else dt.date(2024, 1, 24) + dt.timedelta(days=n * 3 % 600),
            }
        )
    return rows


# NOTE: beyond this many volunteers a cohort is offered only those who cover its district (a
# rotating few), as a coordinator would shortlist; matching against thousands is needless work.
SHORTLIST_ABOVE = 60
SHORTLIST_SIZE = 40


async def load(scale: str, rng: random.Random, districts: list[str], linked_user: int | None) -> None:
    """Volunteers, then pairs for running and completed cohorts (none when there are no cohorts), then hours."""
    rows = volunteer_rows(scale, rng, districts, linked_user)
    now = clock.now()
    columns = (
        "name",
        "languages",
        "districts",
        "availability",
        "user",
        "phone",
        "email",
        "organisation",
        "max_participants",
        "identity_checked_on",
        "training_done_on",
        "active",
        "created_at",
    )
    ids = await bulk.insert(
        Volunteer, columns, [tuple(r[c] for c in columns[:-2]) + (True, now) for r in rows], returning_ids=True
    )
    cohorts = (
        await Cohort.select(
            Cohort.id,
            Cohort.status,
            Cohort.start_date,
            Cohort.end_date,
            Cohort.session_minutes,
            Cohort.location.district.as_alias("district"),
        )
        .where(Cohort.status.is_in(["running", "completed"]))
        .order_by(Cohort.status, ascending=False)
        .order_by(Cohort.id)
    )
    if not cohorts:
        return
    cohort_ids = [c["id"] for c in cohorts]
    seniors_of: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in (
        await Enrolment.select(
            Enrolment.cohort,
            Enrolment.status,
            Enrolment.participant.as_alias("id"),
            Enrolment.participant.language.as_alias("language"),
            Enrolment.participant.district.as_alias("district"),
        )
        .where(Enrolment.cohort.is_in(cohort_ids), Enrolment.status.is_in(["enrolled", "completed"]))
        .order_by(Enrolment.participant)
    ):
        seniors_of[row["cohort"]].append(row)
    sessions_of: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in (
        await CourseSession.select(CourseSession.cohort, CourseSession.date, CourseSession.start_time)
        .where(
            CourseSession.cohort.is_in(cohort_ids),
            CourseSession.kind == "practice",
            CourseSession.cancelled == False,  # noqa: E712
        )
        .order_by(CourseSession.id)
    ):
        sessions_of[row["cohort"]].append(row)
    # NOTE: only volunteers whose identity check and training are recorded guide seniors.
    engine_base = [
        (
            i,
            r,
            tuple(
                matching.Window(w["weekday"], dt.time.fromisoformat(w["start"]), dt.time.fromisoformat(w["end"]))
                for w in r["availability"]
            ),
        )
        for i, r in zip(ids, rows)
        if r["identity_checked_on"] is not None and r["training_done_on"] is not None
    ]
    covering: dict[str, list[int]] = defaultdict(list)
    for position, (_i, r, _w) in enumerate(engine_base):
        for area in r["districts"]:
            covering[area].append(position)
    load: dict[int, int] = defaultdict(int)
    pairs: list[Pairing] = []
    linked_pending = linked_user is not None
    for number, cohort in enumerate(cohorts):
        running = cohort["status"] == "running"
        seniors = [s for s in seniors_of[cohort["id"]] if not running or s["status"] == "enrolled"]
        started = cohort["start_date"] + dt.timedelta(days=7)
        if running and linked_pending and seniors:
            # NOTE: the demo login "vapaaehtoinen" always has seniors to look at.
            linked_pending = False
            mine = [s for s in seniors if s["language"] in ("fi", "en")][: rows[0]["max_participants"]]
            for s in mine:
                pairs.append(Pairing(cohort=cohort["id"], volunteer=ids[0], participant=s["id"], started_on=started))
                load[ids[0]] += 1
            seniors = [s for s in seniors if s not in mine]
        candidates = engine_base
        if len(engine_base) > SHORTLIST_ABOVE:
            near = covering.get(cohort["district"], []) or list(range(len(engine_base)))
            offset = number * SHORTLIST_SIZE % len(near)
            candidates = [engine_base[p] for p in (near[offset:] + near[:offset])[:SHORTLIST_SIZE]]
        engine_volunteers = [
            matching.Volunteer(
                str(i),
                tuple(r["languages"]),
                tuple(r["districts"]),
                windows,
                r["max_participants"],
                load[i] if running else 0,
            )
            for i, r, windows in candidates
        ]
        result = matching.suggest_pairs(
            [matching.Senior(str(s["id"]), s["language"] or "fi", s["district"] or None) for s in seniors],
            engine_volunteers,
            practice_slots(sessions_of[cohort["id"]], cohort["session_minutes"]),
        )
        for k, suggestion in enumerate(result.suggestions):
            volunteer_id = int(suggestion.volunteer_id)
            if running:
                load[volunteer_id] += 1
            fit = "good" if (not running or k % 3 == 0) else None
            pairs.append(
                Pairing(
                    cohort=cohort["id"],
                    volunteer=volunteer_id,
                    participant=int(suggestion.senior_id),
                    started_on=started,
                    ended_on=None if running else cohort["end_date"],
                    fit=fit,
                    fit_checked_on=started + dt.timedelta(days=14) if fit else None,
                )
            )
    await bulk.insert(
        Pairing,
        ("cohort", "volunteer", "participant", "started_on", "ended_on", "fit", "fit_checked_on", "created_at"),
        [(p.cohort, p.volunteer, p.participant, p.started_on, p.ended_on, p.fit, p.fit_checked_on, now) for p in pairs],
    )
    await _hours(pairs, {c["id"]: c for c in cohorts}, sessions_of)


async def _hours(
    pairs: list[Any], cohorts: dict[int, dict[str, Any]], sessions_of: dict[int, list[dict[str, Any]]]
) -> None:
    """Hours for the practice sessions held so far, one row per volunteer, cohort and date."""
    today, now = clock.today(), clock.now()
    pairs_of: dict[int, list[Any]] = defaultdict(list)
    for p in pairs:
        pairs_of[p.cohort].append(p)
    seen: set[tuple[int, int, dt.date]] = set()
    rows: list[tuple] = []
    for cohort_id in sorted(pairs_of):
        dates = [s["date"] for s in sessions_of[cohort_id] if s["date"] <= today]
        hours = quarter_hours(cohorts[cohort_id]["session_minutes"])
        for p in pairs_of[cohort_id]:
            for date in dates:
                key = (p.volunteer, cohort_id, date)
                if key not in seen and date >= p.started_on:
                    seen.add(key)
                    rows.append((p.volunteer, cohort_id, date, hours, "sessions", now))
    await bulk.insert(VolunteerHours, ("volunteer", "cohort", "date", "hours", "source", "created_at"), rows)
