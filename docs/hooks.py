"""MkDocs hook: a page may include a Markdown file from the top of the repository.

A line ``<!-- include: SECURITY.md -->`` is replaced by that file with its title dropped and
its headings one level deeper, so SECURITY.md stays where GitHub looks for it and the site shows
the same text rather than a copy that could drift.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
INCLUDE = re.compile(r"^<!-- include: (?P<path>[\w./-]+) -->$", re.MULTILINE)


def included(relative: str) -> str:
    """The file's text, title dropped and headings demoted (outside fenced code)."""
    lines = (ROOT / relative).read_text("utf-8").splitlines()
    if lines and lines[0].startswith("# "):
        lines = lines[1:]
    out, fenced = [], False
    for line in lines:
        if line.startswith("```"):
            fenced = not fenced
        out.append("#" + line if not fenced and re.match(r"#+ ", line) else line)
    return "\n".join(out).strip("\n")


def on_page_markdown(markdown: str, **kwargs: object) -> str:
    return INCLUDE.sub(lambda match: included(match["path"]), markdown)
