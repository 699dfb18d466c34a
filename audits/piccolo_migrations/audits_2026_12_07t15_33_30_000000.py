"""PostgreSQL only: procrastinate's own tables and functions (the job queue of ``audits.jobs``),
from the procrastinate release installed. SQLite runs jobs from the ``job`` table alone. Later
releases' schema migrations are applied by ``evenly migrate`` (``audits.jobs.postgres_schema``)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-07T15:33:30:000000"
VERSION = "1.38.0"
DESCRIPTION = "procrastinate's schema (PostgreSQL)"


async def apply_procrastinate_schema() -> None:
    # Creates the schema and records the migrations it has (audits.jobs.postgres_schema).
    from audits.jobs.postgres_schema import upgrade

    await upgrade()


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="audits", description=DESCRIPTION)
    manager.add_raw(apply_procrastinate_schema)
    return manager
