"""The one way Evenly writes CSV: cells a spreadsheet would run as a formula are neutralised.

A cell that starts with ``= + - @``, a tab or a carriage return gets a leading ``'`` (OWASP's
advice for CSV injection), so ``=HYPERLINK(...)`` typed into an answer opens as text. Numbers
stay numbers (``-3.5``). Control characters other than tab and line breaks are dropped: no NUL
reaches a file. Reading our own export back (``unguard_cell``) removes exactly the ``'`` that
was added, so an export imports as the same audits; to keep that exact, a cell that already
starts with ``'`` before one of those characters gets one more.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import IO, Any

GUARD = "'"
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _needs_guard(text: str) -> bool:
    return text.lstrip(GUARD).startswith(TRIGGERS) and not _NUMBER.fullmatch(text)


def guard_cell(value: Any) -> Any:
    """A cell as it may go into a file; numbers (and None) pass through untouched."""
    if not isinstance(value, str):
        return value
    text = _CONTROL.sub("", value)
    return GUARD + text if _needs_guard(text) else text


def unguard_cell(text: str) -> str:
    """A cell as it was before ``guard_cell``."""
    return text[1:] if text.startswith(GUARD) and _needs_guard(text) else text


class GuardedWriter:
    """``csv.writer`` with every cell through ``guard_cell``."""

    def __init__(self, out: IO[str], **fmt: Any) -> None:
        self._writer = csv.writer(out, **fmt)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([guard_cell(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)
