"""A cohort's seat figures, last held session and trainers, kept on its row by the database, always
agree with its enrolments, sessions and trainers: after every kind of change through the app, after a
restore, and when two transactions enrol into the same cohort at once (PostgreSQL)."""

from __future__ import annotations

import asyncio

import pytest

from cohorts.tables import Cohort, CohortTrainer, CourseSession, Enrolment
from digiystava.backup import read_backup, restore_backup, sign, take_backup
from tests.factories import as_role, enrol, make_cohort, make_location, make_participant, make_user


async def counted(cohort_id: int) -> dict:
    """The figures counted from the rows, as the cohorts list used to count them."""
    enrolments = Enrolment.count().where(Enrolment.cohort == cohort_id)
    held = await (
        CourseSession.select(CourseSession.date)
        .where(CourseSession.cohort == cohort_id, CourseSession.cancelled.eq(False))
        .order_by(CourseSession.date, ascending=False)
        .first()
    )
    return {
        "enrolled": await enrolments.where(Enrolment.status.is_in(["enrolled", "completed"])),
        "waitlisted": await Enrolment.count().where(Enrolment.cohort == cohort_id, Enrolment.status == "waitlisted"),
        "last_session": held["date"] if held else None,
        "trainer_ids": sorted(
            r["user"] for r in await CohortTrainer.select(CohortTrainer.user).where(CohortTrainer.cohort == cohort_id)
        ),
    }


async def kept(cohort_id: int) -> dict:
    row = (
        await Cohort.select(Cohort.enrolled, Cohort.waitlisted, Cohort.last_session, Cohort.trainer_ids)
        .where(Cohort.id == cohort_id)
        .first()
    )
    return {**row, "trainer_ids": sorted(map(int, row["trainer_ids"].split(","))) if row["trainer_ids"] else []}


async def test_the_figures_follow_every_change_made_through_the_app(client, db):
    await as_role(client, "coordinator")
    location = await make_location()
    cohort = await make_cohort(location, capacity=2)
    other = await make_cohort(location, name="Kevät 2027", capacity=5)
    people = [await make_participant(location, first_name=f"Senior{i}", phone="") for i in range(4)]
    listed = {}

    async def check(step: str) -> None:
        for cohort_id in (cohort, other):
            assert await kept(cohort_id) == await counted(cohort_id), step
        items = (await client.get("/api/v1/cohorts")).json()["items"]
        listed[step] = {c["id"]: (c["enrolled"], c["waitlisted"], c["free_seats"]) for c in items}

    await check("created")
    assert (await kept(cohort))["last_session"] is not None
    ids = []
    for person in people:
        response = await client.post(f"/api/v1/cohorts/{cohort}/enrolments", json={"participant_id": person})
        ids.append(response.json()["id"])
    await check("enrolled four")
    assert listed["enrolled four"][cohort] == (2, 2, 0)
    await client.patch(f"/api/v1/enrolments/{ids[0]}", json={"status": "dropped"})
    await check("dropped one, the first waiting promoted")
    assert listed["dropped one, the first waiting promoted"][cohort] == (2, 1, 0)
    assert (await client.post(f"/api/v1/enrolments/{ids[0]}/undo-drop")).status_code == 200
    await check("drop undone")
    assert listed["drop undone"][cohort] == (2, 2, 0)
    await client.patch(f"/api/v1/cohorts/{cohort}", json={"capacity": 3})
    await check("capacity raised")
    assert listed["capacity raised"][cohort] == (3, 1, 0)
    assert (await client.post(f"/api/v1/cohorts/{other}/enrolments", json={"participant_id": people[3]})).status_code
    await check("the last waiting one also enrolled elsewhere")
    sessions = (await client.get(f"/api/v1/cohorts/{cohort}/sessions")).json()
    last = max(sessions, key=lambda s: s["date"])
    before = (await kept(cohort))["last_session"]
    assert (await client.patch(f"/api/v1/sessions/{last['id']}", json={"cancelled": True})).status_code == 200
    await check("the last session cancelled")
    assert (await kept(cohort))["last_session"] < before
    assert (await client.patch(f"/api/v1/sessions/{last['id']}", json={"cancelled": False})).status_code == 200
    await check("the last session held after all")
    assert (await kept(cohort))["last_session"] == before
    assert (await client.patch(f"/api/v1/cohorts/{cohort}", json={"weeks": 12})).status_code == 200
    await check("two weeks longer")
    assert (await kept(cohort))["last_session"] > before
    assert (await client.delete(f"/api/v1/participants/{people[1]}")).status_code in (200, 204)
    await check("a senior erased")
    trainers = [await make_user("trainer", name, [location]) for name in ("timo", "tiina")]
    assert (await client.patch(f"/api/v1/cohorts/{cohort}", json={"trainer_ids": trainers})).status_code == 200
    await check("two trainers")
    assert (await kept(cohort))["trainer_ids"] == sorted(trainers)
    assert (await client.patch(f"/api/v1/cohorts/{cohort}", json={"trainer_ids": trainers[1:]})).status_code == 200
    await check("one trainer left")
    assert (await client.get(f"/api/v1/cohorts/{cohort}")).json()["trainer_ids"] == trainers[1:]


async def test_a_restore_counts_the_figures_from_its_rows(db, tmp_path):
    """A signed backup whose cohort row says otherwise still restores figures that agree with its rows."""
    from piccolo.table import sort_table_classes

    from digiystava.apps import all_tables

    location = await make_location()
    cohort = await make_cohort(location)
    for i in range(3):
        await enrol(cohort, await make_participant(location, first_name=f"S{i}", phone=""))
    # No enrolment or session of its own moves this one's figures while the rows load.
    empty = await make_cohort(location, name="Tyhjä")
    await CourseSession.delete().where(CourseSession.cohort == empty)
    out = tmp_path / "backup.json.gz"
    await take_backup(out)
    document = read_backup(out)
    columns = document["columns"]["cohort"]
    for row in document["tables"]["cohort"]:
        row[columns.index("enrolled")] = 99
        row[columns.index("last_session")] = "2030-01-01"
    document["signature"] = sign(document)
    import gzip
    import json

    out.write_bytes(gzip.compress(json.dumps(document).encode()))
    for table in reversed(sort_table_classes(all_tables())):
        await table.delete(force=True)
    await restore_backup(out)
    for cohort_id in (cohort, empty):
        assert await kept(cohort_id) == await counted(cohort_id)
    assert (await kept(cohort))["enrolled"] == 3
    assert (await kept(empty))["last_session"] is None


async def test_two_transactions_enrolling_at_once_both_count(postgres_db):
    """The second waits for the first's lock on the cohort, then counts with what the first committed."""
    location = await make_location()
    cohort = await make_cohort(location)
    people = [await make_participant(location, first_name=f"S{i}", phone="") for i in range(2)]
    first, second = await postgres_db.get_new_connection(), await postgres_db.get_new_connection()
    try:
        insert = "INSERT INTO enrolment (cohort, participant, status) VALUES ($1, $2, 'enrolled')"
        await first.execute("BEGIN")
        await first.execute(insert, cohort, people[0])
        await second.execute("BEGIN")
        waiting = asyncio.create_task(second.execute(insert, cohort, people[1]))
        await asyncio.sleep(0.3)
        assert not waiting.done(), "the second transaction should wait for the cohort's lock"
        await first.execute("COMMIT")
        await waiting
        await second.execute("COMMIT")
    finally:
        await first.close()
        await second.close()
    assert (await kept(cohort))["enrolled"] == 2 == (await counted(cohort))["enrolled"]


@pytest.mark.parametrize("status", ["waitlisted", "completed"])
async def test_a_row_written_at_the_sql_prompt_counts_too(db, status):
    location = await make_location()
    cohort = await make_cohort(location)
    await enrol(cohort, await make_participant(location, phone=""), status=status)
    assert await kept(cohort) == await counted(cohort)
    await Enrolment.delete(force=True)
    assert (await kept(cohort))[status.replace("completed", "enrolled")] == 0


async def test_one_statement_enrolling_into_several_cohorts_counts_each(db):
    """A bulk load writes a thousand rows a statement (``digiystava/bulk.py``): every cohort in it is recounted."""
    from digiystava import bulk

    location = await make_location()
    cohorts = [await make_cohort(location, name=f"Ryhmä {i}") for i in range(3)]
    people = [await make_participant(location, first_name=f"S{i}", phone="") for i in range(7)]
    rows = [(cohorts[i % 3], person, "waitlisted" if i == 6 else "enrolled") for i, person in enumerate(people)]
    await bulk.insert(Enrolment, ("cohort", "participant", "status"), rows)
    for cohort_id in cohorts:
        assert await kept(cohort_id) == await counted(cohort_id)
    assert [(await kept(c))["enrolled"] for c in cohorts] == [2, 2, 2]
    assert (await kept(cohorts[0]))["waitlisted"] == 1
