"""What the ``evenly`` commands print: tables that never cut an identifier, and JSON.

A rich table squeezes itself into the terminal (80 columns when piped) by wrapping and, as a
last resort, cutting cells: ``service-fundament…``. A script that reads the slug back then
has nothing to use. Identifier columns (slugs, codes, usernames) are made with ``key_column``
and ``print_table`` keeps them whole: descriptive columns wrap first, and when even that is not
enough the table is printed wider than the terminal (the terminal wraps the line, the text is
all there).
"""

from __future__ import annotations

import json
from typing import Any

import click
from rich.console import Console
from rich.measure import Measurement
from rich.table import Column, Table


def key_column(header: str, **options: Any) -> Column:
    """A column of identifiers: never wrapped, never cut."""
    return Column(header, no_wrap=True, **options)


def _widest_cell(console: Console, table: Table, index: int) -> int:
    column = table.columns[index]
    options = console.options.update_width(10_000)
    cells = [column.header, *column.cells]
    return max(Measurement.get(console, options, cell).maximum for cell in cells)


def print_table(console: Console, table: Table) -> None:
    """Print ``table`` with every ``key_column`` whole, however narrow the output."""
    for index, column in enumerate(table.columns):
        if column.no_wrap:
            column.min_width = max(column.min_width or 0, _widest_cell(console, table, index))
        else:
            column.overflow = "fold"  # a word longer than its column goes on, never "…"
    needed = Measurement.get(console, console.options.update_width(10_000), table).minimum
    if needed <= console.width:
        console.print(table)
        return
    wide = Console(
        file=console.file,
        width=needed,
        color_system=console.color_system,  # type: ignore[arg-type]
        force_terminal=console.is_terminal,
        no_color=console.no_color,
    )
    wide.print(table)


def echo_json(value: Any) -> None:
    """One JSON document on standard output (UTF-8 as it is, one line)."""
    click.echo(json.dumps(value, ensure_ascii=False))
