"""Coverage at a chain's size, summarised: each branch's branch × shift cells counted as
visited (a visit done), planned only (visits planned, none done) or bare (nothing at all), the
same per region, and the branches and regions that need attention first (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby

import msgspec


class CellShares:
    """What a count of cells (a branch's, a region's) tells: the cells still bare and those not
    visited. A mixin of the structs below, which hold the three counts."""

    __slots__ = ()
    cells: int
    visited: int
    planned_only: int

    @property
    def bare(self) -> int:
        """Cells with nothing planned or done: the first to fill."""
        return self.cells - self.visited - self.planned_only

    @property
    def unvisited(self) -> int:
        return self.cells - self.visited


class BranchCells(msgspec.Struct, CellShares, frozen=True):
    """One branch's branch × shift cells in a period, counted by what reached them."""

    branch: str
    name: str
    region: str | None
    cells: int
    visited: int
    planned_only: int
    planned: int
    """Visits planned in the period (not yet done), over all its cells."""
    done: int


class RegionCells(msgspec.Struct, CellShares, frozen=True):
    region: str | None
    branches: int
    cells: int
    visited: int
    planned_only: int


def _need(cells: int, bare: int, unvisited: int) -> tuple[float, float]:
    """Most in need first: the larger share of bare cells, then of unvisited ones."""
    return (-bare / cells, -unvisited / cells) if cells else (0.0, 0.0)


def totals(branches: Sequence[BranchCells]) -> RegionCells:
    """Every branch's cells together (``region`` None)."""
    return RegionCells(
        None,
        len(branches),
        sum(b.cells for b in branches),
        sum(b.visited for b in branches),
        sum(b.planned_only for b in branches),
    )


def by_region(branches: Sequence[BranchCells]) -> list[RegionCells]:
    """Each region's cells (branches without one together, region None), those with the
    largest share of bare cells first."""
    key = lambda b: b.region or ""  # noqa: E731 - sorted and grouped alike
    regions = [
        msgspec.structs.replace(totals(list(group)), region=code or None)
        for code, group in groupby(sorted(branches, key=key), key=key)
    ]
    return sorted(regions, key=lambda r: (*_need(r.cells, r.bare, r.unvisited), r.region or ""))


def needing_attention(branches: Sequence[BranchCells], limit: int) -> list[BranchCells]:
    """Up to ``limit`` branches with a cell no visit has reached: those with the most bare
    cells first, then the most unvisited ones."""
    waiting = [b for b in branches if b.unvisited]
    return sorted(waiting, key=lambda b: (-b.bare, -b.unvisited, b.branch))[:limit]


class Pages(msgspec.Struct, frozen=True):
    """Where one page of a list sits among its pages (numbered from 1)."""

    number: int
    count: int
    size: int

    @property
    def start(self) -> int:
        return (self.number - 1) * self.size

    @property
    def stop(self) -> int:
        return self.number * self.size


def pages_of(length: int, size: int, wanted: int) -> Pages:
    """Page ``wanted`` of a list of ``length`` items ``size`` a page (clamped to the pages
    there are; an empty list has one, empty, page)."""
    count = max(1, -(-length // size))
    return Pages(min(max(wanted, 1), count), count, size)
