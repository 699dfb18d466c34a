"""PostgreSQL only: procrastinate's own tables and functions (the job queue of ``audits.jobs``),
from the procrastinate release installed. SQLite runs jobs from the ``job`` table alone."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-07T15:33:30:000000"
VERSION = "1.38.0"
DESCRIPTION = "procrastinate's schema (PostgreSQL)"


async def apply_procrastinate_schema() -> None:
    from procrastinate.schema import SchemaManager

    from audits.tables import Job

    engine = Job._meta.db
    if engine.engine_type != "postgres":
        return
    connection = await engine.get_new_connection()  # many statements: asyncpg's execute
    try:
        if not await connection.fetchval("SELECT to_regclass('procrastinate_jobs') IS NOT NULL"):
            await connection.execute(SchemaManager.get_schema())
    finally:
        await connection.close()


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="audits", description=DESCRIPTION)
    manager.add_raw(apply_procrastinate_schema)
    return manager
