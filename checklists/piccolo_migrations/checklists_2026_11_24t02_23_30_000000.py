"""Composite unique keys and indexes, which Piccolo's column API cannot express."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-24T02:23:30:000000"
VERSION = "1.38.0"
DESCRIPTION = "composite unique keys and indexes"

STATEMENTS = [
    "CREATE UNIQUE INDEX checklist_version_number ON checklist_version (checklist, number)",
    "CREATE UNIQUE INDEX checklist_section_key ON checklist_section (version, key)",
    "CREATE UNIQUE INDEX checklist_item_key ON checklist_item (version, key)",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="checklists", description=DESCRIPTION)

    async def create():
        for statement in STATEMENTS:
            await engine_finder().run_ddl(statement)

    async def drop():
        for statement in STATEMENTS:
            name = statement.split(" INDEX ")[1].split()[0]
            await engine_finder().run_ddl(f"DROP INDEX {name}")

    manager.add_raw(create)
    manager.add_raw_backwards(drop)
    return manager
