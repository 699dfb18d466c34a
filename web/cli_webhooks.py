"""``evenly webhooks deliver``: send the webhook deliveries that are due, once or in a loop
(beside, or instead of, the app processes' own background runner)."""

from __future__ import annotations

import asyncio

import click
from rich.console import Console

from web.settings import Settings
from web.webhooks import run_forever, run_pass

console = Console()


@click.group()
def webhooks() -> None:
    """Webhooks: deliver the events other systems follow."""


@webhooks.command()
@click.option("--loop", is_flag=True, help="Keep running, a pass every --interval seconds.")
@click.option("--interval", default=10.0, show_default=True, help="Seconds between passes.")
def deliver(loop: bool, interval: float) -> None:
    """Write overdue actions' events and send every delivery that is due (one pass); delete
    the finished ones older than EVENLY_WEBHOOK_KEEP_DAYS and the events they leave behind
    (with --loop, once an hour)."""
    keep_days = Settings.from_env().webhook_keep_days
    if loop:
        asyncio.run(run_forever(interval, keep_days=keep_days, wait_first=False))
        return
    run = asyncio.run(run_pass(keep_days=keep_days))
    console.print(
        f"Webhooks: {run.delivered} delivered, {run.failed} to retry later, {run.gave_up} given up."
    )
    if run.failed or run.gave_up:
        raise SystemExit(1)
