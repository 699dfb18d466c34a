"""One asyncpg pool per event loop, for the PostgreSQL test run.

The app opens a pool in its lifespan, but the tests run it without one (``db_pool=False``):
the test client, the live server and ``run()`` each drive the shared engine from an event loop
of their own, and an asyncpg pool belongs to the loop that made it. Without a pool Piccolo opens
a new connection for every query, about 14 ms each (a PostgreSQL backend forked per query)
against half a millisecond from a pool, which made the PostgreSQL run the suite's long pole.
``LoopPools`` stands where Piccolo looks for its pool (``engine.pool``) and hands out a pool of
the running loop, made on first use. The pool is closed while its loop can still run it: an
async generator started on the loop, whose ``finally`` closes the pool, is finalised by the
loop's ``shutdown_asyncgens`` (``asyncio.run``, anyio's portal and uvicorn all call it before
closing their loop).

The pools' connections commit without waiting for the WAL to reach the disk
(``synchronous_commit = off``, for these sessions only): a commit then takes ~0.3 ms instead of
~3.5 ms (an fdatasync) on the test machine. What a test sees is the same, a commit is still
atomic and visible to every other connection at once; only a crash of the server could lose the
last moments, and the test database is wiped each session anyway. The app, the worker processes
and production keep PostgreSQL's default.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import suppress
from typing import Any

import asyncpg

POOL_SIZE = 10  # asyncpg's default, as the app's own pool
CLOSE_TIMEOUT = 5.0
SESSION_SETTINGS = {"synchronous_commit": "off"}


async def _closed_with_the_loop(pool: asyncpg.Pool) -> AsyncIterator[None]:
    try:
        yield
    finally:
        try:
            await asyncio.wait_for(pool.close(), CLOSE_TIMEOUT)
        except (TimeoutError, asyncio.CancelledError):
            pool.terminate()


class _Acquire:
    """``await pool.acquire()`` and ``async with pool.acquire()``, as asyncpg's pool offers."""

    def __init__(self, pools: LoopPools) -> None:
        self._pools = pools
        self._connection: Any = None

    def __await__(self):
        return self._get().__await__()

    async def _get(self) -> Any:
        return await self._pools.lend()

    async def __aenter__(self) -> Any:
        self._connection = await self._get()
        return self._connection

    async def __aexit__(self, *exc: object) -> None:
        await self._pools.release(self._connection)


class LoopPools:
    def __init__(self, config: dict[str, Any]) -> None:
        self._config = config
        # The pool of each loop, as a task: requests at once on a new loop share one pool.
        self._pools: dict[asyncio.AbstractEventLoop, asyncio.Task[asyncpg.Pool]] = {}
        # Held here: the loop keeps only a weak reference to the generators it will finalise.
        self._closers: dict[asyncio.AbstractEventLoop, AsyncIterator[None]] = {}
        self._lent: dict[int, asyncpg.Pool] = {}  # a lent connection's id → its pool

    def __bool__(self) -> bool:
        return True

    async def for_running_loop(self) -> asyncpg.Pool:
        loop = asyncio.get_running_loop()
        if loop not in self._pools:
            self._drop_closed_loops()
            self._pools[loop] = loop.create_task(self._open(loop))
        return await asyncio.shield(self._pools[loop])

    async def _open(self, loop: asyncio.AbstractEventLoop) -> asyncpg.Pool:
        pool = await asyncpg.create_pool(
            **self._config, min_size=1, max_size=POOL_SIZE, server_settings=SESSION_SETTINGS
        )
        closer = _closed_with_the_loop(pool)
        await anext(closer)
        self._closers[loop] = closer
        return pool

    def acquire(self) -> _Acquire:
        return _Acquire(self)

    async def lend(self) -> Any:
        pool = await self.for_running_loop()
        connection = await pool.acquire()
        self._lent[id(connection)] = pool
        return connection

    async def release(self, connection: Any) -> None:
        await self._lent.pop(id(connection)).release(connection)

    def _drop_closed_loops(self) -> None:
        for loop in [loop for loop in self._pools if loop.is_closed()]:
            task = self._pools.pop(loop)
            self._closers.pop(loop, None)
            pool = _opened(task)
            # A loop closed without finalising its pool: drop the sockets.
            if pool is not None and not pool._closed:
                # "Event loop is closed" may stop it: the sockets then go with the objects.
                with suppress(RuntimeError):
                    pool.terminate()

    def terminate_all(self) -> None:
        for task in self._pools.values():
            pool = _opened(task)
            if pool is not None:
                pool.terminate()
        self._pools.clear()


def _opened(task: asyncio.Task[asyncpg.Pool]) -> asyncpg.Pool | None:
    if task.done() and not task.cancelled() and task.exception() is None:
        return task.result()
    return None


def install(engine: Any) -> LoopPools:
    """Give ``engine`` (Piccolo's PostgresEngine) a pool per loop for the rest of the session;
    the app's own start and close of its pool (``db_pool=True``) then leave it in place. The
    engine has ``__slots__``, so the two methods are replaced on its class, for this process."""
    engine_class = type(engine)
    start, close = engine_class.start_connection_pool, engine_class.close_connection_pool

    async def start_unless_per_loop(self: Any, **kwargs: Any) -> None:
        if not isinstance(self.pool, LoopPools):
            await start(self, **kwargs)

    async def close_unless_per_loop(self: Any) -> None:
        if not isinstance(self.pool, LoopPools):
            await close(self)

    engine_class.start_connection_pool = start_unless_per_loop
    engine_class.close_connection_pool = close_unless_per_loop
    pools = LoopPools(dict(engine.config))
    engine.pool = pools
    return pools
