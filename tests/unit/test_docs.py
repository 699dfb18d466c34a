"""Docs that cannot rot: README.md and the docs/ site checked against the code.

Every `evenly` command the pages name exists with the options they give it, every command is
documented; every environment variable named is a setting and every setting is in the table;
every link, anchor and file path resolves; the layout tables name exactly the packages and rooms
that exist, and the architecture page every module of each room; the site builds with
``mkdocs build --strict`` and loads nothing from another server.
"""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
from functools import cache
from pathlib import Path

import click
import markdown
import pytest
import yaml
from click.testing import CliRunner

from web.cli import main
from web.settings import SETTINGS

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
README = ROOT / "README.md"
PAGES = sorted(DOCS.glob("*.md"))
APP_PACKAGES = ("checklists", "audits", "reports", "web")
TOP_FOLDERS = (*APP_PACKAGES, "bench", "tests", "docs", ".ci")

sys.path.insert(0, str(DOCS))
from hooks import on_page_markdown  # noqa: E402  (the site's include hook: SECURITY.md)

sys.path.remove(str(DOCS))


def _text(path: Path) -> str:
    """A page as the site shows it (includes expanded)."""
    text = path.read_text("utf-8")
    return on_page_markdown(text) if path.parent == DOCS else text


def _prose(text: str) -> str:
    """The text without fenced code blocks."""
    return re.sub(r"^```.*?^```", "", text, flags=re.MULTILINE | re.DOTALL)


def _code_spans(text: str) -> list[str]:
    """Inline code spans, and each line of the fenced code blocks."""
    fenced = re.findall(r"^```[^\n]*\n(.*?)^```", text, flags=re.MULTILINE | re.DOTALL)
    spans = re.findall(r"`([^`\n]+)`", _prose(text))
    return spans + [line.strip() for block in fenced for line in block.splitlines()]


ALL = [README, *PAGES]


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


# --- The README -----------------------------------------------------------------------------


def test_readme_opens_with_the_two_commands():
    head = README.read_text("utf-8")[:400]
    assert "make demo" in head and "make test" in head


def test_readme_gives_the_demo_logins():
    text = README.read_text("utf-8")
    for login in ("admin", "office", "manager", "shopper"):
        assert f"| `{login}` |" in text
    assert "password is `demo`" in text


def test_readme_stays_short():
    assert len(README.read_text("utf-8").splitlines()) <= 120


# --- The `evenly` command -------------------------------------------------------------------


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    names: list[tuple[str, ...]] = []
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            names += _commands(command, (*prefix, name))
        else:
            names.append((*prefix, name))
    return names


def _documented_invocations() -> list[tuple[str, str]]:
    """(page, invocation) for every code span or code line that runs `evenly`."""
    found = []
    for path in ALL:
        for span in _code_spans(_text(path)):
            span = span.removeprefix(".venv/bin/").strip()
            if span.startswith("evenly ") or span == "evenly --help":
                found.append((_name(path), span))
    return found


def _resolve(words: list[str]) -> tuple[tuple[str, ...], click.Command | None]:
    """The command path the words name, and the command (None when they name no command)."""
    command: click.Command = main
    path: list[str] = []
    for word in words:
        if not isinstance(command, click.Group):
            break
        if word.startswith("-"):
            break
        sub = command.get_command(click.Context(command), word)  # `evenly`'s are lazy
        if sub is None:
            return tuple(path), None
        command, path = sub, [*path, word]
    return tuple(path), command


@cache
def _help(path: tuple[str, ...]) -> str:
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0, result.output
    return result.output


def test_documented_commands_exist_with_their_options():
    assert len(_documented_invocations()) > 20
    problems = []
    for page, invocation in _documented_invocations():
        words = invocation.split()[1:]
        path, command = _resolve(words)
        if command is None:
            problems.append(f"{page}: `{invocation}` names no command")
            continue
        help_text = _help(path)
        for word in words:
            option = word.strip("[]").split("=")[0]
            offered = re.search(rf"(?<![\w-]){re.escape(option)}\b", help_text)
            if option.startswith("-") and not offered:
                problems.append(f"{page}: `{invocation}`: {option} is not an option")
    assert problems == []


def test_every_command_is_documented_on_the_cli_page():
    cli_page = _text(DOCS / "cli.md")
    table_rows = [line for line in cli_page.splitlines() if line.startswith("| `evenly ")]
    missing = [
        " ".join(path)
        for path in _commands(main)
        if not any(row.startswith(f"| `evenly {' '.join(path)}") for row in table_rows)
    ]
    assert missing == []


# --- Settings ---------------------------------------------------------------------------------

SETTING_NAME = re.compile(r"\b(EVENLY_[A-Z0-9_]+|DATABASE_URL)\b")


def test_every_variable_named_is_a_setting():
    unknown = {
        f"{_name(path)}: {name}"
        for path in ALL
        for name in SETTING_NAME.findall(_text(path))
        if name not in SETTINGS
    }
    assert unknown == set()


def _settings_table() -> dict[str, str]:
    """Variable → default cell, from the settings table of the deployment page."""
    rows = {}
    for line in _text(DOCS / "deployment.md").splitlines():
        match = re.match(r"\| `([A-Z_]+)` \| ([^|]*) \|", line)
        if match:
            rows[match[1]] = match[2].strip()
    return rows


def test_the_settings_table_lists_every_setting_and_its_default():
    table = _settings_table()
    assert sorted(table) == sorted(SETTINGS)
    for name, (default, _meaning) in SETTINGS.items():
        if default and not default.startswith("("):
            assert table[name] == f"`{default}`", name


# --- Links and paths --------------------------------------------------------------------------

LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")


@cache
def _anchors(path: Path) -> frozenset[str]:
    converter = markdown.Markdown(extensions=["toc", "tables", "fenced_code"])
    converter.convert(_text(path))

    def walk(tokens: list[dict]) -> list[str]:
        return [id_ for token in tokens for id_ in [token["id"], *walk(token["children"])]]

    return frozenset(walk(converter.toc_tokens))  # type: ignore[attr-defined]


def test_every_internal_link_resolves():
    broken = []
    for path in ALL:
        for target in LINK.findall(_prose(_text(path))):
            if re.match(r"[a-z]+:", target):
                continue
            file_part, _, anchor = target.partition("#")
            linked = (path.parent / file_part).resolve() if file_part else path
            if not linked.exists():
                broken.append(f"{_name(path)}: {target}")
            elif anchor and (linked.suffix != ".md" or anchor not in _anchors(linked)):
                broken.append(f"{_name(path)}: {target} (no such heading)")
    assert broken == []


PATH = re.compile(rf"^(?:{'|'.join(re.escape(f) for f in TOP_FOLDERS)})/[\w./-]*$")
DOTTED = re.compile(rf"^(?:{'|'.join(APP_PACKAGES)})(?:\.\w+)+$(?<!\.py)")


def _resolves(dotted: str) -> bool:
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            target = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for attribute in parts[cut:]:
            if not hasattr(target, attribute):
                return False
            target = getattr(target, attribute)
        return True
    return False


def test_every_file_and_module_named_exists():
    missing = []
    for path in ALL:
        for span in _code_spans(_text(path)):
            name = span.split(":")[0].split("(")[0]
            gone_file = PATH.match(name) and not (ROOT / name).exists()
            gone_module = DOTTED.match(name) and not _resolves(name)
            if gone_file or gone_module:
                missing.append(f"{_name(path)}: {span}")
    assert missing == []


# --- The layout -------------------------------------------------------------------------------


def _is_package(folder: Path) -> bool:
    return folder.is_dir() and (folder / "__init__.py").exists()


def _rooms() -> set[str]:
    """Top-level packages, and the sub-packages of the app's layers (migrations aside)."""
    rooms = {f"{folder.name}/" for folder in ROOT.iterdir() if _is_package(folder)}
    for package in APP_PACKAGES:
        rooms |= {
            f"{package}/{folder.name}/"
            for folder in (ROOT / package).iterdir()
            if _is_package(folder) and folder.name != "piccolo_migrations"
        }
    return rooms


def _layout_table(path: Path) -> list[str]:
    lines = _text(path).splitlines()
    start = lines.index("| folder | what lives there |")
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append(re.match(r"\| `([^`]+)` \|", line)[1])  # type: ignore[index]
    return rows


@pytest.mark.parametrize("page", [README, DOCS / "architecture.md"], ids=_name)
def test_layout_table_names_every_room_and_nothing_else(page):
    rows = _layout_table(page)
    assert len(rows) == len(set(rows))
    assert {"missing": sorted(_rooms() - set(rows)), "gone": sorted(set(rows) - _rooms())} == {
        "missing": [],
        "gone": [],
    }


def test_readme_and_architecture_share_one_layout_table():
    assert _layout_table(README) == _layout_table(DOCS / "architecture.md")


def _documented_modules() -> dict[str, set[str]]:
    """Room → the modules its section of the architecture page lists."""
    sections: dict[str, set[str]] = {}
    room = None
    for line in _text(DOCS / "architecture.md").splitlines():
        heading = re.match(r"### `([\w/]+/)`$", line)
        if heading:
            room = heading[1]
            sections[room] = set()
        elif room and (row := re.match(r"\| `(\w+\.py)` \|", line)):
            sections[room].add(row[1])
    return sections


def test_architecture_lists_every_module_of_every_room():
    documented = _documented_modules()
    assert sorted(documented) == sorted(_rooms() - {"tests/"})
    actual = {
        room: {path.name for path in (ROOT / room).glob("*.py") if path.name != "__init__.py"}
        for room in documented
    }
    missing = {room: sorted(actual[room] - documented[room]) for room in actual}
    gone = {room: sorted(documented[room] - actual[room]) for room in actual}
    assert {room: names for room, names in missing.items() if names} == {}
    assert {room: names for room, names in gone.items() if names} == {}


# --- The site ---------------------------------------------------------------------------------


def _nav_pages(entries: list) -> list[str]:
    pages = []
    for entry in entries:
        for value in entry.values() if isinstance(entry, dict) else [entry]:
            pages += _nav_pages(value) if isinstance(value, list) else [value]
    return pages


def test_every_page_is_in_the_navigation():
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8"))
    assert sorted(_nav_pages(config["nav"])) == sorted(path.name for path in PAGES)


OUTSIDE_ASSET = re.compile(
    r"<(?:script|link|img|iframe|source)\b[^>]*\b(?:src|href)=\"(?:https?:)?//|url\((?:'|\")?(?:https?:)?//"
)


@pytest.mark.slow
def test_site_builds_strictly_and_fetches_nothing_from_outside(tmp_path):
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert build.returncode == 0, build.stderr
    assert (tmp_path / "architecture.html").exists()
    assert (tmp_path / "layers.svg").exists()
    outside = [
        str(path.relative_to(tmp_path))
        for path in tmp_path.rglob("*")
        if path.suffix in {".html", ".css"} and OUTSIDE_ASSET.search(path.read_text("utf-8"))
    ]
    assert outside == []
