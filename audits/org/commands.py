"""``evenly org import|export branches|staff|shifts``, ``evenly user create|token``."""

from __future__ import annotations

import asyncio
from pathlib import Path

import click

from audits.org.csv_files import KINDS, OrgCsvError
from audits.org.org_export import export_csv
from audits.org.org_import import import_csv
from audits.org.users import UserError, create_user
from audits.tables import Role


@click.group()
def org() -> None:
    """The organisation: branches, staff, shifts."""


@org.command("import")
@click.argument("kind", type=click.Choice(KINDS))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_(kind: str, file: Path) -> None:
    """Import KIND (branches, staff or shifts) from a CSV FILE; a file with any error imports
    nothing."""
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


@org.command("export")
@click.argument("kind", type=click.Choice(KINDS))
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
def export(kind: str, file: Path | None) -> None:
    """Write KIND (branches, staff or shifts) as the CSV that `evenly org import` reads, to
    FILE or to standard output."""
    text = asyncio.run(export_csv(kind))
    if file is None:
        click.echo(text, nl=False)
    else:
        file.write_text(text, "utf-8")
        click.echo(f"Exported {kind} to {file}.", err=True)


@click.group()
def user() -> None:
    """Users and their roles."""


@user.command()
@click.argument("name")
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    help="Asked for when not given.",
)
@click.option("--branch", "branches", multiple=True, help="A managed branch's code (repeatable).")
@click.option("--language", type=click.Choice(["en", "el", "pl", "fa"]), default=None)
def create(name: str, role: str, password: str, branches: tuple[str, ...], language: str | None):
    """Create user NAME with a role (a manager gets --branch codes)."""
    try:
        created = asyncio.run(
            create_user(name, password, Role(role), branches=branches, language=language)
        )
    except UserError as error:
        raise click.ClickException(str(error)) from None
    branches_note = f" managing {', '.join(created.branches)}" if created.branches else ""
    click.echo(f"Created {created.username} ({created.role.value}){branches_note}.")


@user.command()
@click.argument("name")
@click.option("--name", "label", default="", help="What the token is for, e.g. 'reporting'.")
def token(name: str, label: str) -> None:
    """Print a new API token for user NAME (shown once; only its hash is kept)."""
    from audits.org.people import UserNotFound
    from audits.org.tokens import create_token

    try:
        click.echo(asyncio.run(create_token(name, label)))
    except UserNotFound as error:
        raise click.ClickException(str(error)) from None
