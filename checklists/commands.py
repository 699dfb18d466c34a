"""``evenly checklist import | export | list``."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import click
import msgspec
from rich.console import Console
from rich.table import Table

from checklists import queries
from checklists.cli_output import echo_json, key_column, print_table
from checklists.documents import ChecklistFileError, dump_checklist, load_checklist

console = Console()


@click.group()
def checklist() -> None:
    """Checklists as YAML files."""


@checklist.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--publish", is_flag=True, help="Publish the imported version at once.")
@click.option("--by", default="cli", show_default=True, help="Who is importing (recorded).")
def import_(file: Path, publish: bool, by: str) -> None:
    """Import FILE as the checklist's draft (a new checklist if its slug is new)."""
    try:
        doc = load_checklist(file.read_text("utf-8"))
    except ChecklistFileError as error:
        for message in error.messages:
            click.echo(f"{file}: {message}", err=True)
        raise SystemExit(1) from None
    except UnicodeDecodeError as error:
        raise click.ClickException(f"{file}: not UTF-8 text ({error.reason})") from None
    info = asyncio.run(queries.import_checklist(doc, by=by, publish=publish))
    console.print(f"Imported [bold]{info.slug}[/] as version {info.number} ({info.status}).")


@checklist.command()
@click.argument("slug")
@click.option("--version", "number", type=int, help="Version number (default: latest published).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File.")
def export(slug: str, number: int | None, output: Path | None) -> None:
    """Write checklist SLUG as YAML (to standard output without -o)."""
    try:
        _, doc = asyncio.run(queries.get_version(slug, number))
    except queries.ChecklistError as error:
        raise click.ClickException(str(error)) from None
    text = dump_checklist(doc)
    if output:
        output.write_text(text, "utf-8")
        console.print(f"Wrote {output}")
    else:
        sys.stdout.write(text)


@checklist.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON array of objects, for scripts.")
def list_(as_json: bool) -> None:
    """The checklists, their versions and item counts."""
    summaries = asyncio.run(queries.list_checklists())
    if as_json:
        # slug, title (by language), channel, retired, published and draft (version numbers
        # or null), items (of the latest version).
        echo_json([msgspec.to_builtins(s) for s in summaries])
        return
    table = Table(key_column("slug"), "title", "published", "draft", "items", "retired")
    for s in summaries:
        table.add_row(
            s.slug,
            s.title.get("en", ""),
            str(s.published or "—"),
            str(s.draft or "—"),
            str(s.items),
            "yes" if s.retired else "",
        )
    print_table(console, table)
