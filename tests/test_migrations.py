"""The checked-in migrations, applied from empty, give exactly the schema the tables declare."""

import importlib

from digiystava.apps import APP_CONFIG_MODULES, all_tables


def test_the_tables_are_the_ones_piccolos_apps_hold_in_their_order():
    """``all_tables`` reads the table modules itself (no migration tools at start-up): it lists
    exactly what the apps' configurations give Piccolo's migrations."""
    configured = [t for m in APP_CONFIG_MODULES for t in importlib.import_module(m).APP_CONFIG.table_classes]
    assert all_tables() == configured


async def _columns(engine, tablename: str) -> dict[str, bool]:
    """Column name -> nullable, read from the database itself."""
    if engine.engine_type == "sqlite":
        rows = await engine.run_ddl(f'PRAGMA table_info("{tablename}")')
        return {r["name"]: not r["notnull"] and not r["pk"] for r in rows}
    rows = await engine.run_ddl(
        f"SELECT column_name, is_nullable FROM information_schema.columns WHERE table_schema = 'public' AND "
        f"table_name = '{tablename}'"
    )
    return {r["column_name"]: r["is_nullable"] == "YES" for r in rows}


async def _unique_columns(engine, tablename: str) -> set[str]:
    if engine.engine_type == "sqlite":
        unique = set()
        for index in await engine.run_ddl(f'PRAGMA index_list("{tablename}")'):
            if index["unique"] and not index.get("partial"):
                cols = await engine.run_ddl(f'PRAGMA index_info("{index["name"]}")')
                if len(cols) == 1:
                    unique.add(cols[0]["name"])
        return unique
    rows = await engine.run_ddl(
        "SELECT a.attname AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid "
        "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY(i.indkey) "
        f"WHERE c.relname = '{tablename}' AND i.indisunique AND i.indpred IS NULL AND array_length(i.indkey, 1) = 1"
    )
    return {r["name"] for r in rows}


async def test_migrated_schema_matches_the_tables(db):
    for table in all_tables():
        name = table._meta.tablename
        actual = await _columns(db, name)
        declared = {c._meta.db_column_name: c._meta.null for c in table._meta.columns}
        assert set(actual) == set(declared), f"{name}: columns differ"
        for column, nullable in declared.items():
            if column != "id":
                assert actual[column] == nullable, f"{name}.{column}: nullability differs"
        unique_declared = {c._meta.db_column_name for c in table._meta.columns if c._meta.unique}
        assert unique_declared <= await _unique_columns(db, name), f"{name}: a unique constraint is missing"


async def test_every_table_has_a_migration(db):
    """No table exists only in code: each one is in the database after migrating."""
    for table in all_tables():
        assert await table.table_exists(), table._meta.tablename
