"""``evenly actions remind``: e-mail each action owner their due and overdue actions and head
office a digest, once a day (running it again the same day sends nothing twice)."""

from __future__ import annotations

import asyncio

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from web.settings import Settings

console = Console()


@click.group()
def actions() -> None:
    """Corrective actions: reminders."""


@actions.command()
def remind() -> None:
    """Send today's reminders and digests through EVENLY_SMTP_URL (each at most once a day)."""
    from web.reminders import run_reminders  # the web app's mail and views: here only

    settings = Settings.from_env()
    if not settings.smtp_url:
        raise click.ClickException("Set EVENLY_SMTP_URL (e.g. smtp://127.0.0.1:1025) first.")
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=console
    ) as progress:
        task = progress.add_task("e-mails", total=None)

        def report(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        run = asyncio.run(run_reminders(settings, progress=report))
    console.print(
        f"Reminders: {run.sent} sent, {run.skipped} already sent today, {run.failed} failed."
    )
    if run.failed:
        raise click.ClickException("Some e-mails failed: head office sees why at /actions/emails.")
