"""``evenly import audits FILE.csv`` and ``evenly export audits``: audit history in and out."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

err_console = Console(stderr=True)


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
    )


SHIFTS_HINT = (
    "Define the shifts first: evenly org import shifts SHIFTS.csv, a CSV with the columns "
    "name,start,end,branch (start and end as HH:MM branch-local time, an end before the start "
    "runs past midnight; branch empty for a shift of every branch), e.g. "
    "'night,22:00,06:00,B16'. Or add them on /admin/org."
)


@click.group("import")
def import_group() -> None:
    """Import history from other systems."""


@import_group.command("audits")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--checklist", default=None, help="Score item:<key> columns against this checklist.")
@click.option("--create-missing", is_flag=True, help="Create unknown branches, staff and auditors.")
def import_audits_command(file: Path, checklist: str | None, create_missing: bool) -> None:
    """Import audits from a CSV FILE; a file with any error imports nothing."""
    # Imported by this command, not by every `evenly` command.
    from audits.fieldwork.import_csv import AuditCsvError
    from audits.fieldwork.imports import AuditImportError, import_audits

    try:
        text = file.read_text("utf-8-sig")
    except UnicodeDecodeError as error:  # e.g. a spreadsheet's "CSV" in a Windows code page
        message = f"{file}: not UTF-8 text (byte {error.start}); save it as CSV UTF-8."
        raise click.ClickException(f"{message} Nothing was imported.") from None
    with _progress() as progress:
        task = progress.add_task(f"Checking {file.name}", total=None)

        def report(done: int, total: int) -> None:
            progress.update(task, description="Writing audits", completed=done, total=total)

        try:
            result = asyncio.run(
                import_audits(
                    text, checklist=checklist, create_missing=create_missing, progress=report
                )
            )
        except AuditCsvError as error:
            progress.stop()
            for problem in error.problems:
                click.echo(f"{file}: {problem}", err=True)
            if any(
                p.column == "shift" and p.message.startswith("no shift") for p in error.problems
            ):
                click.echo(SHIFTS_HINT, err=True)
            raise click.ClickException(
                f"{len(error.problems)} problems; nothing was imported."
            ) from None
        except AuditImportError as error:
            raise click.ClickException(f"{error} Nothing was imported.") from None
    created = [
        f"{n} {what}"
        for n, what in (
            (result.branches, "branches"),
            (result.staff, "staff"),
            (result.auditors, "auditors"),
            (result.regions, "regions"),
        )
        if n
    ]
    note = f" (created {', '.join(created)})" if created else ""
    click.echo(f"Imported audits: {result.new} new, {result.already} already imported{note}.")


@click.group("export")
def export_group() -> None:
    """Export history in the format ``evenly import`` reads."""


@export_group.command("audits")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file (default: standard output).")  # fmt: skip
@click.option("--from", "start", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="First visit date (branch-local), e.g. 2026-01-01.")  # fmt: skip
@click.option("--to", "end", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Last visit date (branch-local), included.")  # fmt: skip
@click.option("--checklist", default=None,
              help="Only this checklist's audits, with a column per item.")  # fmt: skip
def export_audits_command(
    output: Path | None, start: dt.datetime | None, end: dt.datetime | None, checklist: str | None
) -> None:
    """Write published audits as CSV: scores, or item answers with --checklist."""
    from audits.fieldwork.export import export_audits
    from audits.fieldwork.imports import AuditImportError

    with _progress() as progress:
        task = progress.add_task("Exporting audits", total=None)

        def report(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        try:
            text, count = asyncio.run(
                export_audits(
                    checklist=checklist,
                    start=start.date() if start else None,
                    end=end.date() if end else None,
                    progress=report,
                )
            )
        except AuditImportError as error:
            raise click.ClickException(str(error)) from None
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, "utf-8")
        err_console.print(f"Exported {count} audits to {output}.")
