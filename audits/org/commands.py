"""``evenly org import|export|list branches|staff|shifts``, ``evenly user create|token|list``."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from audits.boundary.csv_guard import GuardedWriter
from audits.org import organisation
from audits.org.csv_files import KINDS, OrgCsvError
from audits.org.org_export import export_csv
from audits.org.org_import import import_csv
from audits.org.users import UserError, create_user
from audits.tables import Role
from checklists.cli_output import echo_json, key_column, print_table

console = Console()


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


# --- Lists: a table for people, --json or --csv for scripts --------------------------------

# Each list: its columns, the first ones identifiers (kept whole in the table).
ORG_COLUMNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "branches": (("code", "region"), ("name", "timezone", "address", "active")),
    "staff": (("branch", "code"), ("name", "active")),
    "shifts": (("branch", "name"), ("start", "end")),
}


async def _org_rows(kind: str) -> list[dict[str, Any]]:
    if kind == "branches":
        return [
            {key: getattr(b, key) for key in ("code", "region", "name", "timezone", "address",
                                              "active")}
            for b in await organisation.list_branches()
        ]  # fmt: skip
    if kind == "staff":
        rows = []
        for branch in await organisation.list_branches():
            rows += [
                {"branch": branch.code, "code": s.code, "name": s.name, "active": s.active}
                for s in await organisation.list_staff(branch.code)
            ]
        return rows
    shifts = await organisation.list_shifts(every=True)
    # The organisation's shifts (branch null) first, then each branch's, by start time.
    shifts.sort(key=lambda s: (s.branch is not None, s.branch or "", s.start))
    return [{"branch": s.branch, "name": s.name, "start": s.start, "end": s.end} for s in shifts]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return " ".join(str(v) for v in value)
    return str(value)


def _print_rows(
    rows: list[dict[str, Any]], keys: Sequence[str], others: Sequence[str], fmt: str
) -> None:
    columns = [*keys, *others]
    if fmt == "json":
        echo_json(rows)
    elif fmt == "csv":
        writer = GuardedWriter(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([_cell(row[c]) for c in columns] for row in rows)
    else:
        table = Table(*(key_column(k) for k in keys), *others)
        for row in rows:
            table.add_row(*(_cell(row[c]) for c in columns))
        print_table(console, table)


def _format_option(*formats: str):
    choices = {"json": "One JSON array of objects, for scripts.", "csv": "CSV with a header row."}
    decorators = [
        click.option(f"--{name}", "fmt", flag_value=name, help=choices[name]) for name in formats
    ]

    def apply(function):
        for decorator in decorators:
            function = decorator(function)
        return function

    return apply


@org.command("list")
@click.argument("kind", type=click.Choice(list(ORG_COLUMNS)))
@_format_option("json", "csv")
def list_(kind: str, fmt: str | None) -> None:
    """List KIND: branches, staff (of every branch) or shifts (the organisation's, then each
    branch's)."""
    keys, others = ORG_COLUMNS[kind]
    _print_rows(asyncio.run(_org_rows(kind)), keys, others, fmt or "table")


@user.command("list")
@_format_option("json", "csv")
def user_list(fmt: str | None) -> None:
    """The users: username, role, managed branches, active, language (never a secret)."""
    from audits.org.people import list_users

    rows = [
        {
            "username": u.username,
            "role": u.role.value,
            "branches": list(u.branches),
            "active": u.active,
            "language": u.language,
            "last_login": u.last_login.isoformat() if u.last_login else None,
        }
        for u in asyncio.run(list_users())
    ]
    _print_rows(rows, ("username",), ("role", "branches", "active", "language", "last_login"),
                fmt or "table")  # fmt: skip
