"""``evenly org import branches|staff FILE.csv``."""

from __future__ import annotations

import asyncio
from pathlib import Path

import click

from audits.org_csv import OrgCsvError
from audits.org_import import import_csv


@click.group()
def org() -> None:
    """The organisation: branches, staff."""


@org.command("import")
@click.argument("kind", type=click.Choice(["branches", "staff"]))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_(kind: str, file: Path) -> None:
    """Import KIND (branches or staff) from a CSV FILE; a file with any error imports nothing."""
    text = file.read_text("utf-8-sig", errors="replace")
    try:
        counts = asyncio.run(import_csv(kind, text))
    except OrgCsvError as error:
        for problem in error.problems:
            click.echo(f"{file}: {problem}", err=True)
        raise click.ClickException("Nothing was imported.") from None
    note = f" ({counts.regions_created} new regions)" if counts.regions_created else ""
    click.echo(
        f"Imported {kind}: {counts.created} created, {counts.updated} updated, "
        f"{counts.unchanged} unchanged{note}."
    )
