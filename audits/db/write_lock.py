"""One way to write: a transaction that does not fight other writers.

SQLite lets one writer in at a time, so SQLite writes queue on an in-process lock and take the
write lock up front (IMMEDIATE); PostgreSQL writes run side by side in ordinary transactions.
The lock must be held briefly: a Piccolo transaction makes one trip to the connection's thread
per statement and, with 32 shoppers at once, each trip waited for the busy event loop, so the
lock was held about 40 ms per audit and writers queued for seconds. ``write_together`` sends a
whole transaction in one trip when the app keeps SQLite connections open (``sqlite_pool``).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from piccolo.engine.sqlite import SQLiteEngine, TransactionType
from piccolo.query.base import Query

from audits.db.sqlite_pool import PooledSQLiteEngine
from audits.tables import Audit

_locks: dict[int, asyncio.Lock] = {}


def _lock() -> asyncio.Lock:
    """One lock per event loop (tests and the CLI run several loops in one process)."""
    loop = asyncio.get_running_loop()
    return _locks.setdefault(id(loop), asyncio.Lock())


@asynccontextmanager
async def write_transaction() -> AsyncIterator[None]:
    engine = Audit._meta.db
    if isinstance(engine, SQLiteEngine):
        async with _lock(), engine.transaction(transaction_type=TransactionType.immediate):
            yield
    else:
        async with engine.transaction():
            yield


async def write_together(first: Query, *then: Query) -> bool:
    """Run ``first`` and, if it returned rows, ``then``, all in one transaction; say whether
    ``first`` returned rows (an INSERT ... ON CONFLICT DO NOTHING RETURNING that inserted)."""
    engine = Audit._meta.db
    if isinstance(engine, PooledSQLiteEngine) and engine.pooled():
        async with _lock():
            return await engine.write_together(first, then)
    async with write_transaction():
        if not await first:
            return False
        for query in then:
            await query
    return True
