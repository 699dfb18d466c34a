"""PostgreSQL only: procrastinate's schema migrations recorded (``procrastinate_migration``),
so ``evenly migrate`` applies those of later releases. A schema made before the record was kept
was made by procrastinate 3.10 (the release the queue was written against): the migrations up
to it are recorded as applied."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-07T19:20:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "record procrastinate's schema migrations (PostgreSQL)"


async def record_procrastinate_migrations() -> None:
    from audits.jobs.postgres_schema import record_baseline

    await record_baseline(through="03.10.00")


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="audits", description=DESCRIPTION)
    manager.add_raw(record_procrastinate_migrations)
    return manager
