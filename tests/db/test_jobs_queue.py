"""The job queue itself (``audits.jobs``): a worker reports a job's progress as it goes, a
worker stopped mid-job gives it back to the next one, and one killed mid-job (no heartbeat)
loses it to the next request or worker; each kind of job is a function registered by name."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from audits.db.kept_results import keep
from audits.jobs import queue
from audits.jobs.worker import run_sqlite_worker
from audits.tables import Job

from ..conftest import run

KIND = "test_steps"
gates: dict[str, asyncio.Event] = {}


@queue.job(KIND)
async def steps(args: dict, context: queue.JobContext) -> queue.JobResult:
    """Reports half way, then waits for the test to let it finish."""
    await context.progress(0.5)
    await gates["finish"].wait()
    await keep(context.key, "test", args["text"].encode(), now=dt.datetime.now(dt.UTC))
    return queue.JobResult(result_key=context.key, filename="steps.txt")


async def _until(job_id: int, state: str, progress: float | None = None) -> queue.JobStatus:
    """The job's status once it is in ``state`` (and at ``progress``)."""
    while True:
        found = await queue.status(job_id)
        assert found is not None
        job = found[0]
        if job.state == state and (progress is None or job.progress == progress):
            return job
        await asyncio.sleep(0.02)


def _defer(text: str = "made once") -> queue.JobStatus:
    return run(queue.defer(KIND, key=f"key-{text}", args={"text": text}, audience="office"))


@pytest.fixture
def gate(db):
    async def make() -> None:
        gates["finish"] = asyncio.Event()

    yield make
    gates.clear()


def test_a_worker_reports_progress_then_the_result(gate):
    job = _defer()
    assert (job.state, job.progress) == ("queued", 0)

    async def work() -> tuple[queue.JobStatus, queue.JobStatus, tuple[bytes, str] | None]:
        await gate()
        worker = asyncio.create_task(run_sqlite_worker(burst=True, poll=0.01))
        half = await _until(job.id, "running", 0.5)
        assert await queue.result(job.id) is None  # nothing to download yet
        gates["finish"].set()
        assert await worker == 1
        return half, await _until(job.id, "done"), await queue.result(job.id)

    half, done, result = run(work())
    assert (half.state, half.progress) == ("running", 0.5)
    assert (done.state, done.progress, done.filename) == ("done", 1.0, "steps.txt")
    assert result == (b"made once", "steps.txt")
    assert _defer().id == job.id  # asked again: the done job, its result still kept


def test_a_worker_stopped_mid_job_gives_it_to_the_next(gate):
    job = _defer()

    async def stop_mid_job() -> None:
        await gate()
        worker = asyncio.create_task(run_sqlite_worker(poll=0.01))
        await _until(job.id, "running", 0.5)
        worker.cancel()  # the app or `evenly worker` stopping
        with pytest.raises(asyncio.CancelledError):
            await worker

    run(stop_mid_job())
    assert run(queue.status(job.id))[0].state == "queued"

    async def next_worker() -> int:
        await gate()
        gates["finish"].set()
        return await run_sqlite_worker(burst=True, poll=0.01)

    assert run(next_worker()) == 1
    rows = run(Job.select(Job.state, Job.attempts).run())
    assert rows == [{"state": "done", "attempts": 2}]


def test_a_job_whose_worker_was_killed_is_taken_again(gate):
    job = _defer()
    long_ago = dt.datetime.now(dt.UTC) - queue.STALE - dt.timedelta(seconds=1)
    # A worker claimed it, then died without a word: running, no heartbeat for a while.
    run(
        Job.update({Job.state: "running", Job.heartbeat_at: long_ago, Job.attempts: 1})
        .where(Job.id == job.id)
        .run()
    )
    assert _defer().id == job.id  # the next request joins it, queued again
    assert run(queue.status(job.id))[0].state == "queued"

    async def next_worker() -> int:
        await gate()
        gates["finish"].set()
        return await run_sqlite_worker(burst=True, poll=0.01)

    assert run(next_worker()) == 1
    assert run(queue.status(job.id))[0].state == "done"


def test_a_failing_job_says_so_and_the_worker_goes_on(db):
    @queue.job("test_fails")
    async def fails(args: dict, context: queue.JobContext) -> queue.JobResult:
        raise ValueError("no such period")

    job = run(queue.defer("test_fails", key="k-fail", args={}, audience="office"))
    assert run(run_sqlite_worker(burst=True)) == 1
    status = run(queue.status(job.id))[0]
    assert (status.state, status.error) == ("failed", "no such period")
    assert run(queue.result(job.id)) is None
    # A failed job is not joined: asking again queues a new one.
    assert run(queue.defer("test_fails", key="k-fail", args={}, audience="office")).id != job.id


def test_finished_jobs_are_forgotten_after_a_week(gate):
    old = _defer("last month")
    long_ago = dt.datetime.now(dt.UTC) - queue.KEEP_FINISHED - dt.timedelta(days=1)
    run(Job.update({Job.state: "done", Job.finished_at: long_ago}).where(Job.id == old.id).run())
    new = _defer("today")
    assert run(queue.status(old.id)) is None
    assert run(queue.status(new.id))[0].state == "queued"
