"""The webhook runner: each pass writes the overdue actions' events and sends every delivery
that is due. ``evenly webhooks deliver`` runs it once or in a loop; each app process queues a
pass every ``EVENLY_WEBHOOK_INTERVAL`` seconds as a job (``audits.jobs``), which a worker runs:
one job per interval however many app processes queue it (its key is the interval's number).
The claims in ``audits.webhooks.delivery`` make any number of passes at once safe."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from typing import Any

from audits.actions import events as actions_events
from audits.jobs import queue
from audits.jobs.queue import JobContext, JobResult
from audits.webhooks import delivery
from audits.webhooks.schemas import DeliveryRun
from reports.bytes_cache import digest
from web.settings import Settings

WEBHOOK_PASS = "webhook_pass"

log = logging.getLogger("evenly.webhooks")


async def run_pass(now: dt.datetime | None = None) -> DeliveryRun:
    """One pass; nothing to do (no active endpoint) costs one query."""
    if not await delivery.any_active_endpoint():
        return DeliveryRun()
    await actions_events.emit_overdue(now or dt.datetime.now(dt.UTC))
    return await delivery.deliver_due(now=now)


def _log(run: DeliveryRun) -> None:
    if run.delivered or run.failed or run.gave_up:
        log.info(
            "webhooks: %s delivered, %s to retry, %s given up",
            run.delivered,
            run.failed,
            run.gave_up,
        )


async def run_forever(interval: float, *, wait_first: bool = True) -> None:
    """Passes ``interval`` seconds apart (``evenly webhooks deliver --loop``); a failing pass
    (database down) is logged, not fatal."""
    while True:
        if wait_first:
            await asyncio.sleep(interval)
        wait_first = True
        try:
            _log(await run_pass())
        except Exception:
            log.exception("webhook pass failed")


@queue.job(WEBHOOK_PASS)
async def webhook_pass(args: dict[str, Any], context: JobContext) -> JobResult:
    """A pass run by a worker; the passes before it are forgotten (nothing to read in them)."""
    _log(await run_pass())
    await queue.forget_done(WEBHOOK_PASS, before=context.job_id)
    return JobResult()


async def queue_pass(interval: float, now: dt.datetime | None = None) -> queue.JobStatus | None:
    """Queue this interval's pass, unless one is (or no endpoint is active: nothing to do)."""
    if not await delivery.any_active_endpoint():
        return None
    now = now or dt.datetime.now(dt.UTC)
    key = digest(WEBHOOK_PASS, int(now.timestamp() // interval))
    return await queue.defer(WEBHOOK_PASS, key=key, args={}, audience="office")


async def queue_forever(interval: float) -> None:
    """The app's runner: a pass queued every ``interval`` seconds, the first after one interval
    (the app is up by then); a failure to queue (database down) is logged, not fatal."""
    while True:
        await asyncio.sleep(interval)
        try:
            await queue_pass(interval)
        except Exception:
            log.exception("queueing a webhook pass failed")


def start_webhook_task(settings: Settings) -> asyncio.Task | None:
    """Start queueing passes (call on app startup); none when the interval is 0."""
    if settings.webhook_interval <= 0:
        return None
    return asyncio.get_running_loop().create_task(queue_forever(settings.webhook_interval))


async def stop_webhook_task(task: asyncio.Task | None) -> None:
    if task is None:
        return
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
