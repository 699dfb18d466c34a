"""``evenly person export|erase|erasures``: a person's data out, or erased, from the shell."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from checklists.cli_output import echo_json, key_column, print_table

from . import selectors, services


@click.group()
def person() -> None:
    """Personal data: export everything stored about a person, or erase it."""


def _target(user: str | None, staff: str | None) -> tuple[str, str]:
    if bool(user) == bool(staff):
        raise click.UsageError("Give exactly one of --user USERNAME or --staff BRANCH/CODE.")
    if user:
        return "user", user
    branch, _, code = (staff or "").partition("/")
    if not branch or not code:
        raise click.BadParameter("write it as BRANCH/CODE, e.g. B07/S3", param_hint="--staff")
    return "staff", f"{branch}/{code}"


async def _id(kind: str, who: str) -> int:
    if kind == "user":
        return await selectors.user_id_for(who)
    branch, _, code = who.partition("/")
    return await selectors.staff_id_for(branch, code)


_user_option = click.option("--user", metavar="USERNAME", help="A user (shopper, manager…).")
_staff_option = click.option("--staff", metavar="BRANCH/CODE", help="A staff member.")


@person.command("export")
@_user_option
@_staff_option
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of standard output.")  # fmt: skip
def export(user: str | None, staff: str | None, output: Path | None) -> None:
    """Everything stored about a user or a staff member, as one JSON document."""
    kind, who = _target(user, staff)

    async def gather() -> dict:
        found = await _id(kind, who)
        return await (selectors.user_data if kind == "user" else selectors.staff_data)(found)

    try:
        document = asyncio.run(gather())
    except selectors.PersonNotFound as error:
        raise click.ClickException(str(error)) from None
    if output is None:
        echo_json(document)
    else:
        output.write_text(json.dumps(document, ensure_ascii=False, indent=1), "utf-8")
        click.echo(f"Wrote {output}.")


@person.command("erase")
@_user_option
@_staff_option
@click.option("--reason", required=True, help="Why (kept in the trail).")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def erase(user: str | None, staff: str | None, reason: str, yes: bool) -> None:
    """Erase a user's or staff member's personal data; their audits keep their scores."""
    kind, who = _target(user, staff)
    if not yes:
        click.confirm(f"Erase the personal data of {who}? This cannot be undone", abort=True)

    async def run() -> str:
        found = await _id(kind, who)
        if kind == "user":
            return await services.erase_user(found, by=None, reason=reason)
        return await services.erase_staff(found, by=None, reason=reason)

    try:
        pseudonym = asyncio.run(run())
    except (selectors.PersonNotFound, services.ErasureRefused) as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Erased {who}: now {pseudonym}; their audits keep their scores.")


@person.command("erasures")
@click.option("--json", "as_json", is_flag=True, help="One JSON array of objects, for scripts.")
def list_erasures(as_json: bool) -> None:
    """The trail of erasures, newest first."""
    rows = selectors.json_ready(asyncio.run(selectors.erasures()))
    if as_json:
        echo_json(rows)
        return
    table = Table("when", key_column("pseudonym"), "kind", "audits kept", "by", "reason")
    for r in rows:
        table.add_row(
            r["at"][:16], r["pseudonym"], r["kind"], str(r["audits_kept"]), r["by"] or "—",
            r["reason"],
        )  # fmt: skip
    print_table(Console(), table)
