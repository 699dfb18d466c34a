"""Composite unique keys and indexes, which Piccolo's column API cannot express."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-24T02:23:31:000000"
VERSION = "1.38.0"
DESCRIPTION = "composite unique keys and indexes"

STATEMENTS = [
    "CREATE UNIQUE INDEX staff_branch_code ON staff (branch, code)",
    "CREATE UNIQUE INDEX managed_branch_pair ON managed_branch (\"user\", branch)",
    "CREATE INDEX audit_branch_visited ON audit (branch, visited_at)",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="audits", description=DESCRIPTION)

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
