"""SQLite with connections kept open: the app borrows one per query instead of opening one.

Piccolo's SQLite engine opens a connection for every query outside a transaction. Opening one
(a thread, the file, the schema parsed) costs about 2 ms here against 0.05 ms for a query by
key, and filing an audit runs some 25 queries: most of its time went to connecting, and 32
shoppers at once queued for seconds. ``start_connection_pool`` (called when the app starts, like
PostgreSQL's pool) opens ``size`` connections and switches the file to WAL, so readers and the
one writer do not block each other; until ``close_connection_pool`` queries and transactions run
on the app's event loop borrow a connection. Other event loops (tests, the CLI) still connect
per query, as plain Piccolo does.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager, suppress
from typing import Any

import aiosqlite
from piccolo.engine.sqlite import SQLiteEngine, SQLiteTransaction, TransactionType, dict_factory
from piccolo.query.base import Query

POOL_SIZE = 8


class PooledSQLiteEngine(SQLiteEngine):
    """Piccolo's SQLite engine, plus a pool of open connections while the app runs."""

    def __init__(self, path: str, **kwargs: Any) -> None:
        super().__init__(path=path, **kwargs)
        self._idle: asyncio.Queue[aiosqlite.Connection] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._connections: list[aiosqlite.Connection] = []
        self._writer: sqlite3.Connection | None = None
        self._writer_busy = threading.Lock()

    async def start_connection_pool(self, size: int = POOL_SIZE) -> None:
        first = await self._open()
        try:
            # Persists in the file: readers see the last commit while a writer works.
            # (The statement holds the file's lock until its cursor is read to the end.)
            async with first.execute("PRAGMA journal_mode = WAL") as cursor:
                await cursor.fetchall()
            connections = [first] + [await self._open() for _ in range(size - 1)]
        except BaseException:
            await first.close()
            raise
        self._idle = asyncio.Queue()
        for connection in connections:
            self._idle.put_nowait(connection)
        self._connections, self._loop = connections, asyncio.get_running_loop()
        self._writer = sqlite3.connect(**self.connection_kwargs, check_same_thread=False)
        self._writer.execute("PRAGMA foreign_keys = 1")

    async def close_connection_pool(self) -> None:
        connections, self._connections, self._idle, self._loop = self._connections, [], None, None
        for connection in connections:
            await connection.close()
        if self._writer is not None:
            self._writer.close()
            self._writer = None

    async def _open(self) -> aiosqlite.Connection:
        connection = await aiosqlite.connect(**self.connection_kwargs)
        connection.row_factory = dict_factory  # type: ignore[assignment]
        await connection.execute("PRAGMA foreign_keys = 1")
        return connection

    def pooled(self) -> bool:
        """Whether this task may borrow: the pool is open and was opened on this loop."""
        return self._idle is not None and asyncio.get_running_loop() is self._loop

    async def borrow(self) -> aiosqlite.Connection:
        assert self._idle is not None
        return await self._idle.get()

    async def give_back(self, connection: aiosqlite.Connection) -> None:
        if connection.in_transaction:  # a failed COMMIT leaves it open
            with suppress(Exception):
                await connection.rollback()
        if self._idle is not None and connection in self._connections:
            self._idle.put_nowait(connection)
        else:  # the pool closed meanwhile
            await connection.close()

    @asynccontextmanager
    async def _borrowed(self) -> AsyncIterator[aiosqlite.Connection]:
        connection = await self.borrow()
        try:
            yield connection
        finally:
            await self.give_back(connection)

    async def _run_in_new_connection(
        self, query: str, args: list[Any] | None = None, query_type: str = "generic", table=None
    ):
        if not self.pooled():
            return await super()._run_in_new_connection(query, args, query_type, table)
        async with self._borrowed() as connection:
            return await self._run_in_existing_connection(
                connection, query, args, query_type, table
            )

    async def _run_in_existing_connection(
        self, connection, query: str, args=None, query_type: str = "generic", table=None
    ):
        # Piccolo re-sends PRAGMA foreign_keys before every statement; every connection it or
        # we open has it on already, and each statement is a trip to the connection's thread.
        async with connection.execute(query, args or []) as cursor:
            response = await cursor.fetchall()
            if query_type == "insert" and self.get_version_sync() < 3.35:
                pk = await self._get_inserted_pk(cursor, table)
                return [{table._meta.primary_key._meta.db_column_name: pk}]
            return response

    async def write_together(self, first: Query, then: Sequence[Query]) -> bool:
        """Run ``first`` and, when it returns rows, ``then``, in one IMMEDIATE transaction. The
        caller holds the app's write lock (``write_lock``).

        It runs on the event loop: the statements and the commit take 1–3 ms, while a trip per
        statement to a thread (a Piccolo transaction) or even one trip waited for the busy loop
        and the GIL, and held the write lock 20–40 ms. Only when another connection holds the
        file's write lock does it wait, in a thread.
        """
        statements = [_compiled(query) for query in (first, *then)]
        # Busy only if a cancelled request left its write running in a thread.
        if self._writer_busy.acquire(blocking=False):
            try:
                return self._write(statements, wait_ms=0)
            except sqlite3.OperationalError as error:
                if "locked" not in str(error):
                    raise
            finally:
                self._writer_busy.release()
        return await asyncio.to_thread(self._write_patiently, statements)

    def _write_patiently(self, statements: list[tuple[str, list]]) -> bool:
        with self._writer_busy:  # held on even if the awaiting request is cancelled
            return self._write(statements, wait_ms=5000)

    def _write(self, statements: list[tuple[str, list]], wait_ms: int) -> bool:
        assert self._writer is not None, "start_connection_pool() first"
        writer = self._writer
        writer.execute(f"PRAGMA busy_timeout = {wait_ms}")
        writer.execute("BEGIN IMMEDIATE")
        try:
            (sql, args), *rest = statements
            done = bool(writer.execute(sql, args).fetchall())
            for sql, args in rest if done else ():
                writer.execute(sql, args).fetchall()
            writer.execute("COMMIT")
        except BaseException:
            if writer.in_transaction:
                writer.execute("ROLLBACK")
            raise
        return done

    def transaction(
        self,
        transaction_type: TransactionType = TransactionType.deferred,
        allow_nested: bool = True,
    ) -> SQLiteTransaction:
        return _PooledTransaction(
            engine=self, transaction_type=transaction_type, allow_nested=allow_nested
        )


def _compiled(query: Query) -> tuple[str, list]:
    [querystring] = query.querystrings
    return querystring.compile_string(engine_type="sqlite")


class _PooledTransaction(SQLiteTransaction):
    """A transaction on a borrowed connection, given back (not closed) at the end."""

    engine: PooledSQLiteEngine
    _borrowed = False

    async def get_connection(self):
        if self.engine.pooled():
            self._borrowed = True
            return await self.engine.borrow()
        return await super().get_connection()

    async def __aexit__(self, exception_type, exception, traceback) -> bool:
        if self._parent is not None or not self._borrowed:
            return await super().__aexit__(exception_type, exception, traceback)
        try:
            if exception is not None and not self._rolled_back:
                await self.rollback()
            elif exception is None and not self._committed and not self._rolled_back:
                await self.commit()
        finally:
            self.engine.current_transaction.reset(self.context)
            await self.engine.give_back(self.connection)
        return exception is None
