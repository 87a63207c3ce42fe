"""Backup and restore round trip on both engines, checked by counts and signature."""

import uuid

import pytest

from digiystava.backup import BackupError, read_backup, restore_backup, take_backup
from tests.factories import enrol, make_cohort, make_location, make_participant, make_user
from tests.factories.commands import on_database


async def _fill():
    location = await make_location()
    await make_user("trainer", "timo", [location])
    cohort = await make_cohort(location)
    for name in ("Aino", "Bror", "Ольга", "فاطمة"):
        await enrol(cohort, await make_participant(location, first_name=name, phone=""))


async def test_round_trip_into_an_empty_database(db, tmp_path):
    from digiystava.apps import all_tables

    await _fill()
    out = tmp_path / "backup.json.gz"
    counts = await take_backup(out)
    assert counts["participant"] == 4 and counts["course_session"] == 10
    document = read_backup(out)
    assert document["engine"] == db.engine_type
    # Empty the same migrated database, then restore into it.
    for table in reversed(
        __import__("piccolo.table", fromlist=["sort_table_classes"]).sort_table_classes(all_tables())
    ):
        await table.delete(force=True)
    restored = await restore_backup(out)
    assert restored == counts
    from cohorts.tables import Participant

    names = sorted(r["first_name"] for r in await Participant.select(Participant.first_name))
    assert names == sorted(["Aino", "Bror", "Ольга", "فاطمة"])
    # New rows still get fresh ids after a restore.
    await make_location("Uusi")


async def test_restore_refuses_a_non_empty_database(db, tmp_path):
    await _fill()
    out = tmp_path / "backup.json.gz"
    await take_backup(out)
    with pytest.raises(BackupError, match="not empty"):
        await restore_backup(out)


async def test_damaged_backup_is_refused(db, tmp_path):
    import gzip
    import json

    await _fill()
    out = tmp_path / "backup.json.gz"
    await take_backup(out)
    with gzip.open(out, "rt") as handle:
        document = json.load(handle)
    document["tables"]["participant"][0][2] = "Tampered"
    with gzip.open(out, "wt") as handle:
        json.dump(document, handle)
    with pytest.raises(BackupError, match="signature"):
        read_backup(out)


async def test_cli_backup_and_restore_across_databases(db, database_urls, tmp_path):
    """The commands: back up the test database, restore into a fresh SQLite database."""
    await _fill()
    url = database_urls["postgres" if db.engine_type == "postgres" else "sqlite"]
    out = tmp_path / "cli-backup.json.gz"
    result = on_database(url, "backup", "--out", str(out))
    assert result.returncode == 0, result.stderr
    target = f"sqlite:///{tmp_path}/restored-{uuid.uuid4().hex[:6]}.sqlite"
    assert on_database(target, "migrate").returncode == 0
    restored = on_database(target, "restore", str(out))
    assert restored.returncode == 0, restored.stderr
    assert "signature and counts match" in restored.stdout
    again = on_database(target, "restore", str(out))
    assert again.returncode != 0 and len(again.stderr.strip().splitlines()) == 1
