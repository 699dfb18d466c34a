"""procrastinate's schema on PostgreSQL, created whole and then kept up to date.

procrastinate ships its whole schema (``schema.sql``) and, for every release that changed it,
SQL migrations (``procrastinate/sql/migrations/``, named by the release: ``03.04.00_01_...``);
it keeps no record of which were applied, and leaves applying them to the project. Evenly
records them in ``procrastinate_migration``: a new database gets the whole schema and every
shipped migration recorded as in it; ``evenly migrate`` then applies, in name order, each
shipped migration not recorded yet, each in one transaction with its record. So a database
always matches the procrastinate installed once ``evenly migrate`` has run (``pending`` says
what it would apply; ``evenly worker`` refuses to start while anything is pending).
"""

from __future__ import annotations

from pathlib import Path

from piccolo.engine.postgres import PostgresEngine
from procrastinate.schema import SchemaManager

from audits.tables import Job

RECORD = "procrastinate_migration"
LOCK = 7_180_618  # an advisory lock: two ``evenly migrate`` at once apply each migration once


def shipped(folder: Path | None = None) -> list[str]:
    """The SQL migrations the installed procrastinate ships, in the order they apply."""
    folder = folder or Path(SchemaManager.get_migrations_path())
    return sorted(path.name for path in folder.glob("*.sql"))


async def _connect():  # noqa: ANN202 - asyncpg's connection
    engine = Job._meta.db
    assert isinstance(engine, PostgresEngine)
    return await engine.get_new_connection()


def _is_postgres() -> bool:
    return Job._meta.db.engine_type == "postgres"


async def _applied(connection) -> set[str]:  # noqa: ANN001 - asyncpg's connection
    rows = await connection.fetch(f"SELECT name FROM {RECORD}")
    return {row["name"] for row in rows}


async def _prepare(connection) -> None:  # noqa: ANN001
    await connection.execute(
        f"CREATE TABLE IF NOT EXISTS {RECORD} ("
        "name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
    )


async def _record(connection, names: list[str]) -> None:  # noqa: ANN001
    await connection.executemany(
        f"INSERT INTO {RECORD} (name) VALUES ($1) ON CONFLICT DO NOTHING", [(n,) for n in names]
    )


async def record_baseline(through: str) -> None:
    """For a schema created before this record was kept: record as applied every shipped
    migration up to release ``through`` (``03.10.00``), those that release's schema has."""
    if not _is_postgres():
        return
    connection = await _connect()
    try:
        await _prepare(connection)
        has_schema = await connection.fetchval(
            "SELECT to_regclass('procrastinate_jobs') IS NOT NULL"
        )
        if has_schema and not await _applied(connection):
            await _record(connection, [n for n in shipped() if n[:8] <= through])
    finally:
        await connection.close()


async def upgrade(folder: Path | None = None) -> list[str]:
    """Create procrastinate's schema, or apply the migrations it lacks; their names."""
    if not _is_postgres():
        return []
    connection = await _connect()  # many statements: asyncpg's execute
    try:
        await connection.execute("SELECT pg_advisory_lock($1)", LOCK)
        await _prepare(connection)
        names = shipped(folder)
        if not await connection.fetchval("SELECT to_regclass('procrastinate_jobs') IS NOT NULL"):
            async with connection.transaction():
                await connection.execute(SchemaManager.get_schema())
                await _record(connection, names)
            return []
        done = await _applied(connection)
        applied = []
        for name in (n for n in names if n not in done):
            sql = ((folder or Path(SchemaManager.get_migrations_path())) / name).read_text()
            async with connection.transaction():
                await connection.execute(sql)
                await _record(connection, [name])
            applied.append(name)
        return applied
    finally:
        await connection.execute("SELECT pg_advisory_unlock($1)", LOCK)
        await connection.close()


async def pending(folder: Path | None = None) -> list[str]:
    """The shipped migrations this database lacks (``evenly migrate`` applies them)."""
    if not _is_postgres():
        return []
    connection = await _connect()
    try:
        if not await connection.fetchval(f"SELECT to_regclass('{RECORD}') IS NOT NULL"):
            return shipped(folder)
        done = await _applied(connection)
        return [n for n in shipped(folder) if n not in done]
    finally:
        await connection.close()
