"""``evenly``: the commands users run (serve, migrate, demo, checklists, users)."""

from __future__ import annotations

import asyncio
import datetime as dt
import importlib
import sys
from pathlib import Path

import click
import msgspec
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn
from rich.table import Table

from checklists.cli_output import key_column, print_table
from web.settings import Settings

console = Console()
err_console = Console(stderr=True)


def _run(coroutine):
    return asyncio.run(coroutine)


class LazyGroup(click.Group):
    """A group whose commands in ``LAZY`` are imported when run (or listed by ``--help``), so
    ``evenly report branch`` does not import every other command's modules (webhooks' httpx,
    the imports' CSV checks, the analysis command's): a tenth to a quarter of a second each."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *LAZY})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in LAZY and cmd_name not in self.commands:
            module, name = LAZY[cmd_name].split(":")
            self.add_command(getattr(importlib.import_module(module), name), cmd_name)
        return super().get_command(ctx, cmd_name)


LAZY = {
    "checklist": "checklists.commands:checklist",
    "user": "audits.org.commands:user",
    "org": "audits.org.commands:org",
    "person": "audits.privacy.commands:person",
    "analyse": "reports.commands:analyse",
    "import": "audits.fieldwork.commands:import_group",
    "export": "audits.fieldwork.commands:export_group",
    "report": "web.cli_reports:report",
    "actions": "web.cli_actions:actions",
    "webhooks": "web.cli_webhooks:webhooks",
}


@click.group(cls=LazyGroup)
def main() -> None:
    """Evenly: service-consistency audits and mystery shopping."""


@main.command()
@click.option("--host", default=None, help="Address to listen on (default: EVENLY_HOST).")
@click.option("--port", default=None, type=int, help="Port (default: EVENLY_PORT).")
def serve(host: str | None, port: int | None) -> None:
    """Serve the web app."""
    import uvicorn

    settings = Settings.from_env()
    uvicorn.run(
        "web.app:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        # The app reads X-Forwarded-For itself, from EVENLY_TRUSTED_PROXIES only; uvicorn's
        # own handling would believe any client on 127.0.0.1 (or FORWARDED_ALLOW_IPS).
        proxy_headers=False,
    )


async def migrate_database() -> None:
    from piccolo.apps.migrations.commands.forwards import run_forwards

    from audits.jobs import postgres_schema

    response = await run_forwards(app_name="all")
    if not response.success:
        raise click.ClickException(f"Migrations failed: {response.message}")
    for name in await postgres_schema.upgrade():  # PostgreSQL: a newer procrastinate's schema
        console.print(f"procrastinate schema: applied {name}")


@main.command()
def migrate() -> None:
    """Bring the database up to date (Piccolo migrations; on PostgreSQL procrastinate's schema)."""
    _run(migrate_database())
    console.print(f"[green]Database up to date[/] ({Settings.from_env().database_url})")


@main.command()
@click.option(
    "--concurrency",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Jobs this worker runs at once.",
)
@click.option("--burst", is_flag=True, help="Stop once no job is left, instead of waiting.")
@click.option(
    "--nice",
    default=10,
    show_default=True,
    envvar="EVENLY_WORKER_NICE",
    type=click.IntRange(0, 19),
    help="How far below the app processes this worker (and its chromium) runs on the CPU.",
)
def worker(concurrency: int, burst: bool, nice: int) -> None:
    """Run queued jobs (head-office PDFs and other long work) until stopped."""
    from audits.jobs import postgres_schema
    from audits.jobs.worker import lower_priority, run_worker

    lower_priority(nice)
    from web import import_jobs, jobs, scheduled_reports, webhooks  # noqa: F401 - job kinds

    settings = Settings.from_env()
    if missing := _run(postgres_schema.pending()):
        raise click.ClickException(
            f"procrastinate's schema lacks {', '.join(missing)}: run `evenly migrate` first."
        )
    err_console.print(f"Job worker on {settings.database_url}")
    extras = {"settings": settings}
    _run(run_worker(settings.database_url, extras=extras, concurrency=concurrency, burst=burst))


def _default_checklists():
    from checklists.documents import load_checklist

    folder = Path(__file__).resolve().parent.parent / "checklists" / "defaults"
    return [load_checklist(path.read_text("utf-8")) for path in sorted(folder.glob("*.yaml"))]


@main.command()
@click.option("--seed", default=7, show_default=True, help="Seed of the generated history.")
def demo(seed: int) -> None:
    """Load the demo organisation (safe to run twice) and print the demo logins."""
    from audits.demo.generator import generate_demo
    from audits.demo.load import load_demo

    checklists = _default_checklists()
    fundamentals = next(c for c in checklists if c.slug == "service-fundamentals")
    start = dt.date.today() - dt.timedelta(days=365)
    organisation = generate_demo(fundamentals, seed=seed, start=start, calibration_share=0.05)
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=console
    ) as progress:
        tasks: dict[str, TaskID] = {}

        def report(step: str, done: int, total: int) -> None:
            if step not in tasks:
                tasks[step] = progress.add_task(step, total=total)
            progress.update(tasks[step], completed=done, total=total)

        counts = _run(load_demo(organisation, checklists, progress=report))
    created = {name: n for name, n in msgspec.structs.asdict(counts).items() if n}
    if created:
        summary = ", ".join(f"{n} {name}" for name, n in created.items())
        console.print(f"[green]Demo organisation loaded:[/] {summary}.")
    else:
        console.print("[green]The demo organisation was already loaded;[/] nothing changed.")
    table = Table(key_column("login"), key_column("password"), "role")
    for username, role in (
        ("admin", "admin"),
        ("office", "head office"),
        ("manager", "branch manager"),
        ("shopper", "shopper"),
    ):
        table.add_row(username, "demo", role)
    print_table(console, table)


if __name__ == "__main__":
    sys.exit(main())
