"""A backup restores only as it was made: signed whole, all or nothing, readable only by its owner.

The attacker here can edit the file and recompute any plain checksum, but does not
know DIGIYSTAVA_SECRET_KEY.
"""

import gzip
import hashlib
import json
import os
import stat
import uuid
from pathlib import Path

import pytest

from digiystava.apps import all_tables
from digiystava.backup import BackupError, restore_backup, take_backup
from tests.factories import enrol, make_cohort, make_location, make_participant, make_user
from tests.factories.commands import on_database


async def _fill() -> None:
    location = await make_location()
    await make_user("volunteer", "ville")
    await make_user("trainer", "timo", [location])
    cohort = await make_cohort(location)
    for first, last in (("Aino", "Virtanen"), ("Bror", "Lindqvist"), ("Helvi", "Mäkinen")):
        await enrol(cohort, await make_participant(location, first_name=first, last_name=last, phone=""))


async def _empty_all() -> None:
    from piccolo.table import sort_table_classes

    for table in reversed(sort_table_classes(all_tables())):
        await table.delete(force=True)


async def _row_count() -> int:
    return sum([await table.count() for table in all_tables()])


def _load(path: Path) -> dict:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return json.load(handle)


def _save(path: Path, document: dict) -> None:
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        json.dump(document, handle, ensure_ascii=False)


def _recompute_checksum(document: dict) -> None:
    """What anyone can do to a file protected by a plain hash of its rows."""
    digest = hashlib.sha256()
    for name in sorted(document["tables"]):
        digest.update(name.encode())
        for row in document["tables"][name]:
            digest.update(json.dumps(row, sort_keys=True, ensure_ascii=False, default=str).encode())
    document["checksum"] = digest.hexdigest()


def _url(db, database_urls) -> str:
    return database_urls["postgres" if db.engine_type == "postgres" else "sqlite"]


async def _backup(tmp_path: Path) -> Path:
    await _fill()
    out = tmp_path / "backup.json.gz"
    await take_backup(out)
    await _empty_all()
    return out


async def test_a_volunteer_made_coordinator_in_the_file_is_refused(db, tmp_path):
    out = await _backup(tmp_path)
    document = _load(out)
    columns = document["columns"]["staff_user"]
    for row in document["tables"]["staff_user"]:
        if row[columns.index("username")] == "ville":
            row[columns.index("role")] = "coordinator"
    _recompute_checksum(document)
    _save(out, document)
    with pytest.raises(BackupError, match="signature"):
        await restore_backup(out)
    assert await _row_count() == 0


@pytest.mark.parametrize(
    "change",
    [
        "swap",  # first and last names trade places in the header: "counts and checksum match"
        "rename",  # a renamed column was silently left out, its values lost
        "counts",  # the header's counts, which no checksum covered
        "drop-table",  # a whole table left out, counts and all
    ],
)
async def test_any_change_to_the_header_is_refused(db, tmp_path, change):
    out = await _backup(tmp_path)
    document = _load(out)
    names = document["columns"]["participant"]
    if change == "swap":
        a, b = names.index("first_name"), names.index("last_name")
        names[a], names[b] = names[b], names[a]
    elif change == "rename":
        names[names.index("phone")] = "telephone"
    elif change == "counts":
        document["counts"]["participant"] += 1
    else:
        del document["tables"]["enrolment"], document["counts"]["enrolment"], document["columns"]["enrolment"]
    _recompute_checksum(document)
    _save(out, document)
    with pytest.raises(BackupError, match="signature"):
        await restore_backup(out)
    assert await _row_count() == 0


async def test_a_restore_that_breaks_half_way_leaves_nothing_behind(db, tmp_path, monkeypatch):
    """A signed file whose enrolments clash (two rows, one id): the rows before them are undone too."""
    from digiystava import backup

    out = await _backup(tmp_path)
    document = _load(out)
    enrolments = document["tables"]["enrolment"]
    enrolments.append(list(enrolments[0]))
    document["counts"]["enrolment"] += 1
    document["signature"] = backup.sign(document)
    _save(out, document)
    with pytest.raises(BackupError, match="table enrolment could not be loaded"):
        await restore_backup(out)
    assert await _row_count() == 0


async def test_counts_that_differ_after_loading_leave_nothing_behind(db, tmp_path, monkeypatch):
    """Rows counted after loading are checked before the commit, not after it."""
    from digiystava import backup

    out = await _backup(tmp_path)
    # NOTE: a table that takes fewer rows than it was given, as a faulty driver or trigger would.
    real_insert = backup._insert_rows

    async def insert_one_row_less(table, rows):
        await real_insert(table, rows[:-1] if table._meta.tablename == "enrolment" else rows)

    monkeypatch.setattr(backup, "_insert_rows", insert_one_row_less)
    with pytest.raises(BackupError, match="count"):
        await restore_backup(out)
    assert await _row_count() == 0


async def test_command_line_refuses_a_forged_backup_in_one_line(db, database_urls, tmp_path):
    out = await _backup(tmp_path)
    document = _load(out)
    document["tables"]["participant"][0][document["columns"]["participant"].index("first_name")] = "Mallory"
    _recompute_checksum(document)
    _save(out, document)
    result = on_database(_url(db, database_urls), "restore", str(out))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "signature" in lines[0] and "nothing was restored" in lines[0], result.stderr
    assert await _row_count() == 0


async def test_a_backup_made_with_another_secret_key_is_refused(db, database_urls, tmp_path):
    await _fill()
    out = tmp_path / "other-key.json.gz"
    env_url = _url(db, database_urls)
    made = on_database(env_url, "backup", "--out", str(out))
    assert made.returncode == 0, made.stderr
    await _empty_all()
    another_key = {**os.environ, "DIGIYSTAVA_SECRET_KEY": "another-installation-" + "y" * 32}
    result = on_database(env_url, "restore", str(out), env=another_key)
    assert result.returncode == 1 and "DIGIYSTAVA_SECRET_KEY" in result.stderr
    assert await _row_count() == 0


async def test_backup_and_export_files_are_readable_by_their_owner_only(db, database_urls, tmp_path):
    await _fill()
    url = _url(db, database_urls)
    out = tmp_path / f"backup-{uuid.uuid4().hex[:6]}.json.gz"
    export = tmp_path / "person.json"
    for path in (out, export):
        # NOTE: the files exist already, readable by everyone, as an earlier run under another umask left them.
        path.write_bytes(b"old")
        path.chmod(0o644)
    assert on_database(url, "backup", "--out", str(out)).returncode == 0
    from cohorts.tables import Participant

    person = (await Participant.select(Participant.id).first())["id"]
    exported = on_database(url, "person", "export", str(person), "--out", str(export))
    assert exported.returncode == 0, exported.stderr
    for path in (out, export):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    fresh = tmp_path / "fresh.json.gz"
    assert on_database(url, "backup", "--out", str(fresh)).returncode == 0
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o600
