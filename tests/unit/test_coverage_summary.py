"""Coverage summed up for a chain's page: regions most in need first, the branches to see to
first, pages clamped, and a plan preview's matrix cut to its first branches."""

from __future__ import annotations

from audits.visits.coverage_summary import (
    BranchCells,
    by_region,
    needing_attention,
    pages_of,
    totals,
)
from audits.visits.planning import Coverage, CoverageRow, Gap
from web.coverage_view import first_branches


def _branch(code: str, region: str | None, visited: int, planned_only: int) -> BranchCells:
    return BranchCells(
        code, f"Shop {code}", region, 3, visited, planned_only, planned_only, visited
    )


BRANCHES = [
    _branch("A1", "NORTH", 3, 0),
    _branch("A2", "NORTH", 2, 1),
    _branch("B1", "SOUTH", 0, 0),  # bare: three shifts with nothing planned
    _branch("B2", "SOUTH", 1, 1),
    _branch("C1", None, 0, 3),  # no region; planned, none done
]


def test_totals_count_every_pair_once():
    whole = totals(BRANCHES)
    assert (whole.branches, whole.cells, whole.visited, whole.planned_only, whole.bare) == (
        5, 15, 6, 5, 4
    )  # fmt: skip


def test_regions_with_the_largest_share_of_bare_pairs_come_first():
    regions = by_region(BRANCHES)
    assert [r.region for r in regions] == ["SOUTH", None, "NORTH"]
    assert [r.bare for r in regions] == [4, 0, 0]
    assert sum(r.cells for r in regions) == 15


def test_branches_to_see_to_first_are_the_barest_then_the_least_visited():
    assert [b.branch for b in needing_attention(BRANCHES, 10)] == ["B1", "B2", "C1", "A2"]
    assert [b.branch for b in needing_attention(BRANCHES, 2)] == ["B1", "B2"]


def test_pages_are_clamped_to_those_there_are():
    assert pages_of(100, 40, 1) == pages_of(100, 40, 0)
    last = pages_of(100, 40, 99)
    assert (last.number, last.count, last.start, last.stop) == (3, 3, 80, 120)
    assert pages_of(0, 40, 5).count == 1


def test_a_plan_preview_shows_its_first_branches_and_counts_the_rest():
    rows = [CoverageRow(f"B{i}", s, [1] * 7, [0] * 7) for i in range(5) for s in ("am", "pm")]
    gaps = [Gap(f"B{i}", "am", 0) for i in range(5)]
    cut = first_branches(Coverage(rows, gaps, 1), 2)
    assert {r.branch for r in cut["coverage"].rows} == {"B0", "B1"}
    assert [g.branch for g in cut["coverage"].gaps] == ["B0", "B1"]
    assert cut["coverage_more"] == 3
