"""A worker: runs the queued jobs until stopped, or until none is left (``burst``).

On PostgreSQL it is procrastinate's worker (``audits.jobs.postgres``). On SQLite it is this
loop: claim the oldest queued job in the ``job`` table, run it, look again every ``poll``
seconds; a job left running by a stopped worker is taken again once its heartbeat is stale.
The app runs one in its lifespan (``EVENLY_APP_WORKER``); ``evenly worker`` runs one alone.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from typing import Any

from audits.jobs import queue

log = logging.getLogger("evenly.jobs")


def lower_priority(nice: int) -> None:
    """Run this process ``nice`` steps below the app processes on the CPU, before it starts any
    thread or chromium (both inherit it): a PDF made beside the app processes takes the cores
    they leave, so that a page read meanwhile is not kept waiting behind the layout."""
    if nice > 0:
        os.nice(nice)


def _is_postgres(database_url: str) -> bool:
    return database_url.startswith(("postgresql://", "postgres://"))


async def run_sqlite_worker(
    *, extras: dict[str, Any] | None = None, burst: bool = False, poll: float = 0.5
) -> int:
    """Run queued jobs one at a time; the number run (``burst``: return when none is left)."""
    ran = 0
    while True:
        try:
            job_id = await queue.claim_next()
        except Exception:  # the database away for a moment: try again
            log.exception("claiming a job failed")
            job_id = None
        if job_id is None:
            if burst:
                return ran
            await asyncio.sleep(poll)
            continue
        await queue.run_job(job_id, extras, claimed=True)
        ran += 1


async def run_worker(
    database_url: str,
    *,
    extras: dict[str, Any] | None = None,
    concurrency: int = 1,
    burst: bool = False,
    install_signal_handlers: bool = True,
) -> None:
    if _is_postgres(database_url):
        from audits.jobs import postgres

        await postgres.run_worker(
            database_url,
            extras=extras,
            concurrency=concurrency,
            burst=burst,
            install_signal_handlers=install_signal_handlers,
        )
        return
    await asyncio.gather(
        *(run_sqlite_worker(extras=extras, burst=burst) for _ in range(max(concurrency, 1)))
    )


@contextlib.asynccontextmanager
async def deferring(database_url: str):  # noqa: ANN201 - an async context manager
    """What an app process opens to defer jobs: procrastinate's connection on PostgreSQL,
    nothing on SQLite (its workers read the ``job`` table)."""
    if _is_postgres(database_url):
        from audits.jobs import postgres

        async with postgres.deferring(database_url):
            yield
    else:
        yield


def start_in_app(database_url: str, extras: dict[str, Any]) -> asyncio.Task:
    """The app's own worker, a task on its event loop (cancel it to stop)."""

    async def work() -> None:
        try:
            await run_worker(database_url, extras=extras, install_signal_handlers=False)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("the app's job worker stopped")

    return asyncio.get_running_loop().create_task(work(), name="evenly-job-worker")


async def stop_in_app(task: asyncio.Task | None) -> None:
    if task is None:
        return
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
