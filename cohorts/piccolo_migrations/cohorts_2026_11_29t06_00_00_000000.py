"""Indexes in the order the list pages sort by, so a page of 50 at any offset reads 50
index entries instead of sorting the whole table (checked with EXPLAIN on the national demo)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from digiystava.migrations import raw_sql

ID = "2026-11-29T06:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "indexes matching the list orderings"

FORWARDS = [
    "CREATE INDEX cohort_start_date_id ON cohort (start_date DESC, id)",
    "CREATE INDEX cohort_location_start_date ON cohort (location, start_date DESC, id)",
    "CREATE INDEX loan_out_at_id ON loan (out_at DESC, id DESC)",
    "CREATE INDEX loan_open_due_date ON loan (due_date, id) WHERE returned_at IS NULL",
    "CREATE INDEX participant_last_first ON participant (last_name, first_name)",
    "CREATE INDEX participant_location_last_first ON participant (location, last_name, first_name)",
    "CREATE INDEX volunteer_name_id ON volunteer (name, id)",
    "CREATE INDEX pairing_cohort_started_id ON pairing (cohort, started_on, id)",
    "CREATE INDEX donation_received_id ON donation (received_on DESC, id DESC)",
    "CREATE INDEX tablet_status_asset_tag ON tablet (status, asset_tag)",
    "CREATE INDEX attendance_participant_session ON attendance (participant, session)",
]
BACKWARDS = [f"DROP INDEX {statement.split()[2]}" for statement in FORWARDS]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="cohorts", description=DESCRIPTION)
    manager.add_raw(raw_sql(FORWARDS))
    manager.add_raw_backwards(raw_sql(BACKWARDS))
    return manager
