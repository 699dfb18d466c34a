"""``evenly user create``, ``evenly user token``."""

from __future__ import annotations

import asyncio

import click

from audits.queries import UserError, create_user
from audits.tables import Role


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
    from audits.people import UserNotFound
    from audits.tokens import create_token

    try:
        click.echo(asyncio.run(create_token(name, label)))
    except UserNotFound as error:
        raise click.ClickException(str(error)) from None
