"""Descriptive figures of the period reports: means by group, cells, items, and the
individuals chart of a branch. Pure, over the rows ``report_data.load_rows`` returns (or any
objects with the same attributes); the model-based figures come from ``reports.analysis``."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from .report_model import fmt

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class Group:
    """n, mean and SD of a group of scores; the SD is worked out when first read (a chain's
    report reads thousands of groups' means and few of their SDs)."""

    __slots__ = ("key", "n", "mean", "_scores", "_sd")

    def __init__(self, key: str, scores: Sequence[float]) -> None:
        self.key = key
        self.n = len(scores)
        self.mean = sum(scores) / self.n if self.n else math.nan
        self._scores: Sequence[float] | None = scores
        self._sd = math.nan

    @property
    def sd(self) -> float:
        if self._scores is not None:
            scores, self._scores = self._scores, None
            if self.n > 1:
                self._sd = math.sqrt(sum((s - self.mean) ** 2 for s in scores) / (self.n - 1))
        return self._sd


def groups(rows: Iterable[Any], key: Callable[[Any], str | None]) -> list[Group]:
    """Scores grouped by ``key(row)`` (None skipped), in key order."""
    scores: dict[str, list[float]] = defaultdict(list)
    for row in rows:
        value = key(row)
        if value:
            scores[value].append(row.score)
    return [Group(k, v) for k, v in sorted(scores.items())]


def section_means(rows: Iterable[Any]) -> dict[str, Group]:
    """Per checklist section (key), its scores over the audits that scored it."""
    scores: dict[str, list[float]] = defaultdict(list)
    for row in rows:
        for key, value in row.sections.items():
            scores[key].append(value)
    return {k: Group(k, v) for k, v in scores.items()}


def item_pass_rates(rows: Iterable[Any]) -> list[tuple[str, int, float]]:
    """(item key, times answered, share passed), the most failed first."""
    seen: dict[str, list[bool]] = defaultdict(list)
    for row in rows:
        for key, passed in row.items.items():
            seen[key].append(passed)
    rates = [(k, len(v), sum(v) / len(v)) for k, v in seen.items()]
    return sorted(rates, key=lambda r: (r[2], r[0]))


def cell_means(
    rows: Iterable[Any], row_key: Callable[[Any], str], col_key: Callable[[Any], str]
) -> dict[tuple[str, str], Group]:
    """Scores per (row, column) cell, e.g. shift × weekday or branch × section."""
    scores: dict[tuple[str, str], list[float]] = defaultdict(list)
    for row in rows:
        scores[(row_key(row), col_key(row))].append(row.score)
    return {k: Group(f"{k[0]}/{k[1]}", v) for k, v in scores.items()}


def matrix(
    cells: dict[tuple[str, str], Group], rows: Sequence[str], cols: Sequence[str]
) -> tuple[list[list[float | None]], list[list[str]]]:
    """Means and "mean (n)" texts in row × column order; empty cells None and ""."""
    z, text = [], []
    for r in rows:
        z.append([round(cells[(r, c)].mean, 1) if (r, c) in cells else None for c in cols])
        text.append(
            [
                f"{fmt(cells[(r, c)].mean, 0)} ({fmt(cells[(r, c)].n, 0)})"
                if (r, c) in cells
                else ""
                for c in cols
            ]
        )
    return z, text


def individuals_chart(scores: Sequence[float]) -> tuple[float, float]:
    """Centre and σ of an individuals chart: σ from the mean moving range (MR̄ / 1.128), as
    the analysis's control charts use."""
    centre = sum(scores) / len(scores)
    ranges = [abs(b - a) for a, b in zip(scores, scores[1:], strict=False)]
    sigma = (sum(ranges) / len(ranges) / 1.128) if ranges else 0.0
    return centre, sigma


def spread(groups_: Sequence[Group]) -> float:
    """Largest minus smallest group mean (0 with fewer than two groups)."""
    means = [g.mean for g in groups_ if g.n]
    return max(means) - min(means) if len(means) > 1 else 0.0
