"""The webhook runner: each pass writes the overdue actions' events and sends every delivery
that is due. ``evenly webhooks deliver`` runs it once or in a loop; each app process queues a
pass every ``EVENLY_WEBHOOK_INTERVAL`` seconds as a job (``audits.jobs``), which a worker runs:
one job per interval however many app processes queue it (its key is the interval's number).
The claims in ``audits.webhooks.delivery`` make any number of passes at once safe. The first
pass of each hour also deletes the finished deliveries older than ``EVENLY_WEBHOOK_KEEP_DAYS``,
and the events as old that no delivery refers to any more, but those an ``action.overdue``
could be written twice without (``audits.actions.events.overdue_keys_needed``)."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from functools import partial
from typing import Any

import msgspec

from audits.actions import events as actions_events
from audits.jobs import queue
from audits.jobs.queue import JobContext, JobResult
from audits.webhooks import delivery, outbox
from audits.webhooks.schemas import DeliveryRun
from reports.bytes_cache import digest
from web.settings import Settings

WEBHOOK_PASS = "webhook_pass"
PRUNE_EVERY = 3600.0
"""Seconds between the passes that delete old finished deliveries (a scan of the log: not
every few seconds)."""

log = logging.getLogger("evenly.webhooks")


async def run_pass(now: dt.datetime | None = None, *, keep_days: int | None = None) -> DeliveryRun:
    """One pass, and with ``keep_days`` the deletion of the finished deliveries older than
    that (and of their events, unless a dedup key needs them); nothing to do (no active
    endpoint, nothing to delete) costs a query or two."""
    at = now or dt.datetime.now(dt.UTC)
    pruned = 0
    if keep_days is not None:
        before = at - dt.timedelta(days=keep_days)
        pruned = await delivery.prune_finished(before=before)
        await outbox.prune(
            before=before, needed=partial(actions_events.overdue_keys_needed, today=at.date())
        )
    if not await delivery.any_active_endpoint():
        return DeliveryRun(pruned=pruned)
    await actions_events.emit_overdue(at)
    run = await delivery.deliver_due(now=now)
    return msgspec.structs.replace(run, pruned=pruned)


def prunes_at(now: dt.datetime, interval: float) -> bool:
    """Whether the pass of the interval that holds ``now`` is its hour's first: it prunes."""
    return now.timestamp() % PRUNE_EVERY < interval


def _log(run: DeliveryRun) -> None:
    if run.delivered or run.failed or run.gave_up or run.pruned:
        log.info(
            "webhooks: %s delivered, %s to retry, %s given up, %s old ones deleted",
            run.delivered,
            run.failed,
            run.gave_up,
            run.pruned,
        )


async def run_forever(interval: float, *, keep_days: int, wait_first: bool = True) -> None:
    """Passes ``interval`` seconds apart (``evenly webhooks deliver --loop``), the first of
    each hour pruning; a failing pass (database down) is logged, not fatal."""
    while True:
        if wait_first:
            await asyncio.sleep(interval)
        wait_first = True
        prune = prunes_at(dt.datetime.now(dt.UTC), interval)
        try:
            _log(await run_pass(keep_days=keep_days if prune else None))
        except Exception:
            log.exception("webhook pass failed")


@queue.job(WEBHOOK_PASS)
async def webhook_pass(args: dict[str, Any], context: JobContext) -> JobResult:
    """A pass run by a worker (pruning when its args say for how long deliveries are kept);
    the passes before it are forgotten (nothing to read in them)."""
    _log(await run_pass(keep_days=args.get("keep_days")))
    await queue.forget_done(WEBHOOK_PASS, before=context.job_id)
    return JobResult()


async def queue_pass(
    interval: float, now: dt.datetime | None = None, *, keep_days: int = 30
) -> queue.JobStatus | None:
    """Queue this interval's pass, unless one is (or there is nothing to do: no endpoint is
    active and, but in the hour's first, nothing to prune); the first of each hour prunes the
    deliveries older than ``keep_days``, so a log whose endpoints are all paused ages too."""
    now = now or dt.datetime.now(dt.UTC)
    prunes = prunes_at(now, interval)
    if not await delivery.any_active_endpoint() and not (prunes and await outbox.any_event()):
        return None
    key = digest(WEBHOOK_PASS, int(now.timestamp() // interval))
    args = {"keep_days": keep_days} if prunes else {}
    return await queue.defer(WEBHOOK_PASS, key=key, args=args, audience="office")


async def queue_forever(interval: float, keep_days: int) -> None:
    """The app's runner: a pass queued every ``interval`` seconds, the first after one interval
    (the app is up by then); a failure to queue (database down) is logged, not fatal."""
    while True:
        await asyncio.sleep(interval)
        try:
            await queue_pass(interval, keep_days=keep_days)
        except Exception:
            log.exception("queueing a webhook pass failed")


def start_webhook_task(settings: Settings) -> asyncio.Task | None:
    """Start queueing passes (call on app startup); none when the interval is 0."""
    if settings.webhook_interval <= 0:
        return None
    task = queue_forever(settings.webhook_interval, settings.webhook_keep_days)
    return asyncio.get_running_loop().create_task(task)


async def stop_webhook_task(task: asyncio.Task | None) -> None:
    if task is None:
        return
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
