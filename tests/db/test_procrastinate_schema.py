"""procrastinate's schema on PostgreSQL matches the release installed: every SQL migration it
ships is recorded as applied once the migrations have run, and one a newer release ships is
applied by the next ``evenly migrate`` (``audits.jobs.postgres_schema.upgrade``), once."""

from __future__ import annotations

from pathlib import Path

import pytest
from procrastinate.schema import SchemaManager

from audits.jobs import postgres_schema
from audits.tables import Job

from ..conftest import IS_POSTGRES, run

pytestmark = pytest.mark.skipif(not IS_POSTGRES, reason="procrastinate runs on PostgreSQL only")
NEWER = "99.00.00_01_test_newer_release.sql"


async def _fetch(sql: str) -> list:
    connection = await Job._meta.db.get_new_connection()
    try:
        return await connection.fetch(sql)
    finally:
        await connection.close()


async def _execute(sql: str) -> None:
    connection = await Job._meta.db.get_new_connection()
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


def test_the_installed_schema_has_every_migration_the_package_ships(db):
    recorded = {r["name"] for r in run(_fetch("SELECT name FROM procrastinate_migration"))}
    assert recorded == set(postgres_schema.shipped())
    assert run(postgres_schema.pending()) == []
    assert run(postgres_schema.upgrade()) == []  # nothing to do


@pytest.fixture
def newer_release(db, tmp_path: Path):
    """The migrations folder of a release after the installed one: one more migration."""
    for path in Path(SchemaManager.get_migrations_path()).glob("*.sql"):
        (tmp_path / path.name).symlink_to(path)
    (tmp_path / NEWER).write_text(
        "CREATE TABLE procrastinate_test_newer (id integer);\n"
        "ALTER TABLE procrastinate_jobs ADD COLUMN test_newer integer;\n"
    )
    yield tmp_path
    run(
        _execute(
            "DROP TABLE IF EXISTS procrastinate_test_newer;"
            "ALTER TABLE procrastinate_jobs DROP COLUMN IF EXISTS test_newer;"
            f"DELETE FROM procrastinate_migration WHERE name = '{NEWER}'"
        )
    )


def test_a_newer_releases_migration_is_applied_once(newer_release):
    assert run(postgres_schema.pending(newer_release)) == [NEWER]
    assert run(postgres_schema.upgrade(newer_release)) == [NEWER]
    assert run(_fetch("SELECT id FROM procrastinate_test_newer")) == []  # the table is there
    assert run(postgres_schema.pending(newer_release)) == []
    assert run(postgres_schema.upgrade(newer_release)) == []  # applied once
