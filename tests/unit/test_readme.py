"""Docs that cannot rot: the README documents every setting and every CLI command."""

from pathlib import Path

import click

from web.cli import main
from web.settings import SETTINGS

README = (Path(__file__).resolve().parents[2] / "README.md").read_text("utf-8")


def test_readme_names_every_setting():
    missing = [name for name in SETTINGS if f"`{name}`" not in README]
    assert missing == []


def test_readme_opens_with_the_two_commands():
    head = README[:400]
    assert "make demo" in head and "make test" in head


def _commands(group: click.Group, prefix: str = "evenly") -> list[str]:
    names = []
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            names += _commands(command, f"{prefix} {name}")
        else:
            names.append(f"{prefix} {name}")
    return names


def test_readme_documents_every_cli_command():
    missing = [name for name in _commands(main) if f"`{name}" not in README]
    assert missing == []
