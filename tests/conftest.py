"""Test set-up: which database, migrations once per session, clean tables between tests.

The database comes from ``DATABASE_URL`` (``make test`` runs the database tests on an SQLite
file and again on PostgreSQL, and every other test once, in one of the two: ``tests/lanes.py``).
Unset, it is a fresh SQLite file, in memory-backed ``/dev/shm`` where there is one (as
``make test`` puts it): a commit there costs no wait for the disk. A PostgreSQL database that
cannot be reached skips the database tests with a message, except under ``CI=true``, where it
fails the run.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import os
import shutil
import sqlite3
import tempfile
from pathlib import Path

import pytest

from tests import lanes

if "DATABASE_URL" not in os.environ:
    _SHM = Path("/dev/shm")
    _TMP = tempfile.mkdtemp(prefix="evenly-test-", dir=_SHM if _SHM.is_dir() else None)
    atexit.register(shutil.rmtree, _TMP, ignore_errors=True)  # in memory there: give it back
    os.environ["DATABASE_URL"] = f"sqlite:///{_TMP}/evenly.db"
DATABASE_URL = os.environ["DATABASE_URL"]
IS_POSTGRES = DATABASE_URL.startswith(("postgresql://", "postgres://"))

# Hashing cost is not behaviour under test; Piccolo's default (600k PBKDF2 rounds) would spend
# most of the suite's time creating users. Production keeps the default.
from piccolo.apps.user.tables import BaseUser  # noqa: E402

BaseUser._pbkdf2_iteration_count = 1_000

_database_state: dict[str, object] = {}


def run(coroutine):
    """Run a coroutine to completion from sync test code, even where a loop is running
    (Playwright's sync API keeps one in the main thread)."""
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def _engine():
    return BaseUser._meta.db


async def _reset_postgres_schema() -> None:
    name = DATABASE_URL.rsplit("/", 1)[-1]
    if "test" not in name:
        raise pytest.UsageError(
            f"Refusing to wipe PostgreSQL database {name!r}: tests only run on a database "
            "whose name contains 'test'."
        )
    await _engine().run_ddl("DROP SCHEMA public CASCADE")
    await _engine().run_ddl("CREATE SCHEMA public")


async def _migrate() -> None:
    from piccolo.apps.migrations.commands.forwards import run_forwards

    if IS_POSTGRES:
        await _reset_postgres_schema()
    response = await run_forwards(app_name="all")
    if not response.success:
        raise RuntimeError(f"migrations failed: {response.message}")


def _database_ready() -> str | None:
    """Migrate once; return why the database cannot be used, or None."""
    if "error" not in _database_state:
        try:
            run(_migrate())
            if IS_POSTGRES:
                from tests import pg_pools

                pg_pools.install(_engine())
            _database_state["error"] = None
        except OSError as error:  # PostgreSQL not running / refused
            _database_state["error"] = f"PostgreSQL at {DATABASE_URL} is not reachable: {error}"
    return _database_state["error"]  # type: ignore[return-value]


def pytest_report_header(config):
    return f"database: {DATABASE_URL}"


@pytest.fixture(scope="session")
def database() -> str:
    """The migrated database's URL; skips (fails under CI=true) when it cannot be reached."""
    error = _database_ready()
    if error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{error} (CI=true: database tests must run)", pytrace=False)
        pytest.skip(f"{error}; start PostgreSQL or unset DATABASE_URL to use SQLite")
    return DATABASE_URL


def _table_names() -> list[str]:
    """Every table, children before the tables they reference."""
    from piccolo.conf.apps import Finder
    from piccolo.table import sort_table_classes

    tables = sort_table_classes(Finder().get_table_classes())
    return [table._meta.tablename for table in reversed(tables)]


async def _tables_with_rows(names: list[str]) -> list[str]:
    """The tables a test left rows in, found in one query: emptying only those (in one
    statement or transaction) instead of all 31 saves ~0.15 s per test on SQLite and ~0.3 s on
    PostgreSQL, most of a database test's set-up."""
    probes = " UNION ALL ".join(
        f"SELECT '{name}' AS name WHERE EXISTS (SELECT 1 FROM \"{name}\")" for name in names
    )
    rows = await _engine().run_ddl(probes)
    dirty = {row["name"] for row in rows or ()}
    return [name for name in names if name in dirty]


async def _truncate() -> None:
    names = await _tables_with_rows(_table_names())
    if IS_POSTGRES:
        if names:
            quoted = ", ".join(f'"{name}"' for name in names)
            await _engine().run_ddl(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE")
        # A table emptied by its test still has an advanced id sequence: start it again too.
        used = await _engine().run_ddl(
            "SELECT schemaname, sequencename FROM pg_sequences "
            "WHERE schemaname = 'public' AND last_value IS NOT NULL"
        )
        ours = set(_table_names())  # not procrastinate's, whose rows stay
        used = [row for row in used or () if row["sequencename"].rsplit("_", 2)[0] in ours]
        if used:
            resets = ", ".join(f"setval('\"{row['sequencename']}\"', 1, false)" for row in used)
            await _engine().run_ddl(f"SELECT {resets}")
    elif names:
        _empty_sqlite_tables(names)


def _empty_sqlite_tables(names: list[str]) -> None:
    """Empty these tables in one transaction, on a connection of its own with foreign keys off
    (sqlite3's default): every table with rows is emptied, so no reference is left dangling,
    and SQLite then drops each table's rows at once. With foreign keys on it deletes row by
    row, each looking up the rows that point at it: ``audit.calibration_of`` has no index, so
    emptying the 20,000 audits an import test leaves took over 20 minutes."""
    path = _engine().connection_kwargs["database"]
    with contextlib.closing(sqlite3.connect(path)) as connection, connection:  # one transaction
        for name in names:
            connection.execute(f'DELETE FROM "{name}"')


@pytest.fixture
def db(database: str) -> str:
    """A database with migrated, empty tables."""
    run(_truncate())
    return database


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "db" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.db)
    lane = os.environ.get(lanes.VARIABLE)
    if lane:
        items[:], left = lanes.split(items, lane)
        config.hook.pytest_deselected(items=left)
    # Browser tests last: the slowest, and they hold an event loop while a browser is open.
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(scope="session", autouse=True)
def _close_chart_browser():
    """One kaleido browser serves the whole session (reports.charts.shared_renderer); close it
    while pytest's output is still open, rather than at interpreter exit."""
    yield
    from reports import charts

    charts.close_shared_renderer()
