"""Tables the `evenly` commands print keep identifiers whole, however narrow the output."""

import io

import pytest
from rich.console import Console
from rich.table import Table

import reports.commands
from checklists.cli_output import key_column, print_table

SLUG = "service-fundamentals-for-the-night-shift"


def _printed(width: int, table: Table) -> str:
    out = io.StringIO()
    print_table(Console(file=out, width=width), table)
    return out.getvalue()


@pytest.mark.parametrize("width", [20, 40, 80, 200])
def test_a_key_column_is_never_cut(width):
    table = Table(key_column("slug"), "title", "published", "items")
    table.add_row(SLUG, "Service fundamentals for the night shift", "3", "29")
    out = _printed(width, table)
    assert SLUG in out and "…" not in out


def test_a_plain_table_would_cut_it():
    """The failure print_table exists for: rich alone shortens the slug in 40 columns."""
    table = Table("slug", "title", "published", "items")
    table.add_row(SLUG, "Service fundamentals for the night shift", "3", "29")
    out = io.StringIO()
    Console(file=out, width=40).print(table)
    assert SLUG not in out.getvalue()


def test_a_table_that_fits_stays_within_the_terminal():
    table = Table(key_column("code"), "name")
    table.add_row("B1", "Syntagma, the long name of a branch on the square")
    lines = _printed(40, table).splitlines()
    assert max(len(line) for line in lines) <= 40
    assert "Syntagma," in lines[3]


def test_a_long_word_in_a_descriptive_column_folds_rather_than_vanishes():
    table = Table(key_column("code"), "name")
    table.add_row("B1", "Supercalifragilisticexpialidocious")
    out = _printed(20, table)
    assert "…" not in out
    assert "".join(line.strip("│ ") for line in out.splitlines()[3:-1]).startswith("B1")


def test_analyse_tables_keep_auditors_and_branches_whole(monkeypatch):
    out = io.StringIO()
    monkeypatch.setattr(reports.commands, "console", Console(file=out, width=40))
    auditor, branch = "mystery.shopper.thessaloniki", "BRANCH-THESSALONIKI-01"
    reports.commands._table(
        "Auditor severity", ("auditor", "branch", "n", "severity [95%]"),
        [(auditor, branch, "12", "+1.0 [0.5, 1.5]")],
    )  # fmt: skip
    assert auditor in out.getvalue() and branch in out.getvalue()
