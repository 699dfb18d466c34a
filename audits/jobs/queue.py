"""The jobs' one interface: ``defer`` a job, read its ``status``, run it (``run_job``).

A job is a row of ``job``: what to run (``kind`` and its ``args``), who may read it
(``audience``), its state (``queued``, ``running``, ``done``, ``failed``), progress (0 to 1) and
its result, a key of ``audits.db.kept_results`` (bytes kept once for every process). ``key`` is a
digest of everything that goes into the result: a request whose key matches a queued, running,
or done job whose result is still kept gets that job, so the work is done once however many ask
at once. A running job whose worker stopped (no heartbeat for ``STALE``) is queued again by the
next request or worker, so a restart loses nothing.

On PostgreSQL each job is also handed to procrastinate (``audits.jobs.postgres``), whose
workers run it; on SQLite the workers claim queued rows themselves (``claim_next``).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import msgspec

from audits.db.kept_results import read_kept
from audits.db.write_lock import write_transaction
from audits.tables import Job, KeptResult

log = logging.getLogger("evenly.jobs")

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
STALE = dt.timedelta(seconds=60)
"""A running job with no heartbeat for this long lost its worker: it is queued again."""
HEARTBEAT = 10.0
"""Seconds between a running job's heartbeats."""
KEEP_FINISHED = dt.timedelta(days=7)
"""Finished jobs older than this are deleted when a new one is queued (their results are
``kept_results``' to prune)."""


class JobStatus(msgspec.Struct, frozen=True):
    """What a reader learns of a job."""

    id: int
    kind: str
    state: str
    progress: float
    filename: str = ""
    error: str = ""
    key: str = ""


class JobResult(msgspec.Struct, frozen=True):
    """What a job function returns: where its bytes are kept, and the download's name (a job
    whose work is its effect, an e-mail sent say, keeps nothing: ``result_key`` empty)."""

    result_key: str = ""
    filename: str = ""


class JobContext:
    """What a job function is given: its id and key (a digest of its inputs: where to keep its
    result), a way to report progress, and whatever the worker
    shares with every job (``extras``: the app's analysis cache, say)."""

    def __init__(self, job_id: int, key: str, extras: dict[str, Any] | None = None) -> None:
        self.job_id, self.key = job_id, key
        self.extras = extras or {}

    async def progress(self, fraction: float) -> None:
        """Record how far the job is; a bar only moves forward, so a fraction below the one
        recorded (a late report from another thread) changes nothing."""
        fraction = min(max(float(fraction), 0.0), 0.99)  # 1 is for done
        await Job.update({Job.progress: fraction, Job.heartbeat_at: _now()}).where(
            (Job.id == self.job_id) & (Job.state == RUNNING) & (Job.progress < fraction)
        )
        for hook in on_progress:
            await hook(self.job_id)


JobFunction = Callable[[dict[str, Any], JobContext], Awaitable[JobResult]]
registry: dict[str, JobFunction] = {}
"""Every kind of job by name; ``web.jobs`` fills it (the functions build reports)."""
on_defer: list[Callable[[int], Awaitable[None]]] = []
"""Called with each newly queued job's id (PostgreSQL: hand it to procrastinate)."""
lost_hand_overs: list[Callable[[], Awaitable[list[int]]]] = []
"""Each returns the queued jobs that no worker will see (PostgreSQL: procrastinate holds no
job for them): an app process stopped, or was stopped, between writing a job and handing it
over. They are handed over again when a worker starts and when someone asks for one again."""
on_progress: list[Callable[[int], Awaitable[None]]] = []
"""Called with a running job's id each time it reports progress (tests follow the bar)."""


def job(kind: str) -> Callable[[JobFunction], JobFunction]:
    """Register a job function under ``kind``."""

    def register(function: JobFunction) -> JobFunction:
        registry[kind] = function
        return function

    return register


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _status(row: dict[str, Any]) -> JobStatus:
    return JobStatus(
        id=row["id"],
        kind=row["kind"],
        state=row["state"],
        progress=1.0 if row["state"] == DONE else float(row["progress"]),
        filename=row["filename"],
        error=row["error"],
        key=row["key"],
    )


@contextlib.asynccontextmanager
async def _one_at_a_time(key: str) -> AsyncIterator[None]:
    """A transaction in which no other request for ``key`` runs (SQLite: one writer anyway;
    PostgreSQL: an advisory lock on the key, released at commit)."""
    async with write_transaction():
        if Job._meta.db.engine_type == "postgres":
            await Job.raw("SELECT pg_advisory_xact_lock(hashtext({}))", f"evenly-job:{key}")
        yield


async def defer(kind: str, *, key: str, args: dict[str, Any], audience: str) -> JobStatus:
    """The job for ``key``: the one already queued, running or done (its result still kept),
    or a new one queued now. A running one whose worker stopped is queued again."""
    if kind not in registry:
        raise KeyError(f"no job kind {kind!r}")
    now = _now()
    # Most asks join a job that is already there: found without the lock, whose waiters would
    # each hold a pooled connection (twenty readers at once left none for other pages).
    row = await _latest(key)
    if row is not None and await _joinable(row, now):
        if row["state"] == QUEUED and now - row["created_at"] > STALE:
            await hand_over_lost()  # waiting this long: perhaps for a hand-over that was lost
        return _status(row)
    queued_again = False
    async with _one_at_a_time(key):
        row = await _latest(key)
        if row is not None and row["state"] == RUNNING and now - row["heartbeat_at"] > STALE:
            await Job.update({Job.state: QUEUED}).where(Job.id == row["id"])
            row = {**row, "state": QUEUED}
            queued_again = True
        if (
            row is not None
            and row["state"] == DONE
            and row["result_key"]
            and not await _kept(row["result_key"])
        ):
            row = None  # its result was pruned: made again
        if row is None:
            inserted = await Job.insert(
                Job(
                    kind=kind,
                    key=key,
                    args=msgspec.json.encode(args).decode(),
                    audience=audience,
                    created_at=now,
                    heartbeat_at=now,
                )
            ).returning(*Job.all_columns())
            row = inserted[0]
            queued_again = True
            await Job.delete().where(Job.finished_at < now - KEEP_FINISHED)
    if queued_again:
        for hook in on_defer:
            await hook(row["id"])
    return _status(row)


async def hand_over_lost() -> list[int]:
    """Hand the queued jobs no worker would see (``lost_hand_overs``) over again; their ids. A
    job handed over twice is still run once (``run_job`` claims it)."""
    lost = [job_id for find in lost_hand_overs for job_id in await find()]
    for job_id in lost:
        for hook in on_defer:
            await hook(job_id)
    return lost


async def _latest(key: str) -> dict[str, Any] | None:
    rows = await (
        Job.select()
        .where((Job.key == key) & Job.state.is_in([QUEUED, RUNNING, DONE]))
        .order_by(Job.id, ascending=False)
        .limit(1)
    )
    return rows[0] if rows else None


async def _joinable(row: dict[str, Any], now: dt.datetime) -> bool:
    """Whether ``defer`` would return ``row`` as it is: queued, running with a live worker, or
    done with its result still kept."""
    if row["state"] == RUNNING:
        return now - row["heartbeat_at"] <= STALE
    if row["state"] == DONE:
        return not row["result_key"] or await _kept(row["result_key"])
    return True


async def _kept(key: str) -> bool:
    return await KeptResult.exists().where(KeptResult.key == key)


async def requeue_stale() -> list[int]:
    """Running jobs whose worker stopped, queued again (a worker's start); their ids."""
    async with write_transaction():
        rows = await (
            Job.update({Job.state: QUEUED})
            .where((Job.state == RUNNING) & (Job.heartbeat_at < _now() - STALE))
            .returning(Job.id)
        )
    return [row["id"] for row in rows]


async def status(job_id: int) -> tuple[JobStatus, str] | None:
    """The job's status and its audience, or None when there is no such job."""
    row = await Job.select().where(Job.id == job_id).first()
    return None if row is None else (_status(row), row["audience"])


async def result(job_id: int) -> tuple[bytes, str] | None:
    """A done job's bytes and file name, or None (not done, or its result pruned)."""
    row = await Job.select(Job.state, Job.result_key, Job.filename).where(Job.id == job_id).first()
    if row is None or row["state"] != DONE:
        return None
    data = await read_kept(row["result_key"], now=_now())
    return None if data is None else (data, row["filename"])


async def _claim(job_id: int) -> dict[str, Any] | None:
    """Take job ``job_id`` if it is queued (or running without a heartbeat): one worker wins."""
    now = _now()
    async with write_transaction():
        claimed = await (
            Job.update({Job.state: RUNNING, Job.heartbeat_at: now, Job.attempts: Job.attempts + 1})
            .where(
                (Job.id == job_id)
                & (
                    (Job.state == QUEUED)
                    | ((Job.state == RUNNING) & (Job.heartbeat_at < now - STALE))
                )
            )
            .returning(*Job.all_columns())
        )
    return claimed[0] if claimed else None


async def claim_next() -> int | None:
    """SQLite's workers: the oldest queued job (or one whose worker stopped), claimed."""
    now = _now()
    while True:
        row = await (
            Job.select(Job.id)
            .where(
                (Job.state == QUEUED) | ((Job.state == RUNNING) & (Job.heartbeat_at < now - STALE))
            )
            .order_by(Job.id)
            .first()
        )
        if row is None:
            return None
        if await _claim(row["id"]) is not None:
            return row["id"]


async def run_job(
    job_id: int, extras: dict[str, Any] | None = None, *, claimed: bool = False
) -> str:
    """Run job ``job_id`` (claiming it first unless ``claimed``) and record how it ended; the
    state it ended in, or ``skipped`` when another worker has it or it is over."""
    if claimed:
        row = await Job.select().where(Job.id == job_id).first()
    else:
        row = await _claim(job_id)
    if row is None:
        return "skipped"
    context = JobContext(job_id, row["key"], extras)

    async def beat() -> None:
        while True:
            await asyncio.sleep(HEARTBEAT)
            await Job.update({Job.heartbeat_at: _now()}).where(Job.id == job_id)

    heart = asyncio.create_task(beat())
    try:
        function = registry[row["kind"]]
        done = await function(msgspec.json.decode(row["args"]), context)
    except asyncio.CancelledError:  # the worker is stopping: the next one runs it
        await Job.update({Job.state: QUEUED}).where(Job.id == job_id)
        raise
    except Exception as error:  # recorded for the reader; the worker goes on
        log.exception("job %s (%s) failed", job_id, row["kind"])
        await Job.update(
            {
                Job.state: FAILED,
                Job.error: str(error)[:500] or type(error).__name__,
                Job.finished_at: _now(),
            }
        ).where(Job.id == job_id)
        return FAILED
    finally:
        heart.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await heart
    await Job.update(
        {
            Job.state: DONE,
            Job.progress: 1.0,
            Job.result_key: done.result_key,
            Job.filename: done.filename,
            Job.finished_at: _now(),
        }
    ).where(Job.id == job_id)
    return DONE


async def forget_done(kind: str, *, before: int) -> None:
    """Delete the finished jobs of ``kind`` older than job ``before`` (a frequent job with no
    result to read, such as a webhook pass, need not stay a week)."""
    async with write_transaction():
        await Job.delete().where((Job.kind == kind) & (Job.state == DONE) & (Job.id < before))


async def count_jobs(kind: str | None = None) -> int:
    query = Job.count()
    return await (query.where(Job.kind == kind) if kind else query)
