"""PostgreSQL's job queue: procrastinate (its schema is applied by a migration of ``audits``).

Every app process and every worker shares one procrastinate ``App`` per database. A job of the
``job`` table is deferred as procrastinate's task ``evenly.run_job`` with its id; whichever
worker picks it runs ``queue.run_job``, which claims the row (so a job deferred twice is run
once). The row, not procrastinate's, is what readers see: state, progress and result.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from functools import cache
from typing import Any

import procrastinate

from audits.jobs import queue
from audits.tables import Job

log = logging.getLogger("evenly.jobs")
QUEUE = "evenly"
_extras: dict[str, Any] = {}
_opened: list[str] = []  # the database whose procrastinate app this process has open
"""What this process's worker shares with every job it runs (set by ``run_worker``)."""


def _conninfo(database_url: str) -> str:
    return database_url.replace("postgres://", "postgresql://", 1)


@cache
def procrastinate_app(database_url: str) -> procrastinate.App:
    app = procrastinate.App(
        connector=procrastinate.PsycopgConnector(
            conninfo=_conninfo(database_url), min_size=1, max_size=4
        )
    )

    @app.task(name="evenly.run_job", queue=QUEUE)
    async def run_job(job_id: int) -> None:
        await queue.run_job(job_id, _extras)

    return app


@contextlib.asynccontextmanager
async def deferring(database_url: str) -> AsyncIterator[None]:
    """While open, every job ``queue.defer`` queues is handed to procrastinate (nested: the
    outer one does it)."""
    if _opened:
        yield
        return
    app = procrastinate_app(database_url)

    async def hand_over(job_id: int) -> None:
        await app.configure_task("evenly.run_job", queue=QUEUE).defer_async(job_id=job_id)

    async with app.open_async():
        queue.on_defer.append(hand_over)
        queue.lost_hand_overs.append(_queued_without_procrastinate_job)
        _opened.append(database_url)
        try:
            yield
        finally:
            _opened.remove(database_url)
            queue.lost_hand_overs.remove(_queued_without_procrastinate_job)
            queue.on_defer.remove(hand_over)


_LOST = f"""
SELECT j.id FROM job j
WHERE j.state = '{queue.QUEUED}' AND NOT EXISTS (
    SELECT 1 FROM procrastinate_jobs p
    WHERE p.queue_name = '{QUEUE}' AND p.status IN ('todo', 'doing')
      AND p.args ->> 'job_id' = j.id::text
)
ORDER BY j.id
"""


async def _queued_without_procrastinate_job() -> list[int]:
    return [row["id"] for row in await Job.raw(_LOST)]


async def run_worker(
    database_url: str,
    *,
    extras: dict[str, Any] | None = None,
    concurrency: int = 1,
    burst: bool = False,
    install_signal_handlers: bool = True,
) -> None:
    """Run procrastinate's worker on the ``evenly`` queue until stopped (``burst``: until no
    job is left). Jobs whose worker stopped mid-run are handed over again first."""
    _extras.clear()
    _extras.update(extras or {})
    app = procrastinate_app(database_url)
    async with deferring(database_url):
        for job_id in await queue.requeue_stale():
            for hook in queue.on_defer:
                await hook(job_id)
        await queue.hand_over_lost()
        await app.run_worker_async(
            queues=[QUEUE],
            concurrency=concurrency,
            wait=not burst,
            install_signal_handlers=install_signal_handlers,
            delete_jobs="successful",
            listen_notify=not burst,
        )
