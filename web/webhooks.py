"""The webhook runner: each pass writes the overdue actions' events and sends every delivery
that is due. ``evenly webhooks deliver`` runs it once or in a loop; each app process runs it
every ``EVENLY_WEBHOOK_INTERVAL`` seconds in the background. The claims in
``audits.webhooks.delivery`` make any number of runners at once safe."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging

from audits.actions import events as actions_events
from audits.webhooks import delivery
from audits.webhooks.schemas import DeliveryRun
from web.settings import Settings

log = logging.getLogger("evenly.webhooks")


async def run_pass(now: dt.datetime | None = None) -> DeliveryRun:
    """One pass; nothing to do (no active endpoint) costs one query."""
    if not await delivery.any_active_endpoint():
        return DeliveryRun()
    await actions_events.emit_overdue(now or dt.datetime.now(dt.UTC))
    return await delivery.deliver_due(now=now)


async def run_forever(interval: float, *, wait_first: bool = True) -> None:
    """Passes ``interval`` seconds apart, in the app the first after one interval (the app is
    up by then); a failing pass (database down) is logged, not fatal."""
    while True:
        if wait_first:
            await asyncio.sleep(interval)
        wait_first = True
        try:
            run = await run_pass()
            if run.delivered or run.failed or run.gave_up:
                log.info(
                    "webhooks: %s delivered, %s to retry, %s given up",
                    run.delivered,
                    run.failed,
                    run.gave_up,
                )
        except Exception:
            log.exception("webhook pass failed")


def start_webhook_task(settings: Settings) -> asyncio.Task | None:
    """Start the background runner (call on app startup); none when the interval is 0."""
    if settings.webhook_interval <= 0:
        return None
    return asyncio.get_running_loop().create_task(run_forever(settings.webhook_interval))


async def stop_webhook_task(task: asyncio.Task | None) -> None:
    if task is None:
        return
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
